"""The GenAI cue sheet: one row per use of a GenAI or generative-edit asset, in record order.

What a documentary delivers under the Archival Producers Alliance's practice and what a
studio asks for as its GenAI log: where each generated shot or sound sits in the cut,
what made it (tool, prompts, inputs and their rights), whose likeness or voice it uses
under which consent, the approvals, how it is presented and disclosed, and what cutclear
found. CSV needs nothing more; .xlsx needs openpyxl (`pip install 'cutclear[xlsx]'`).
The columns are documented in docs/cuesheet.md.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from cutclear.records import Asset, Consent, Disclosure, RecordDB
from cutclear.reports.view import (
    ClipView,
    approvals,
    person_name,
    timecode,
    timeline_views,
    tools,
)

if TYPE_CHECKING:
    from cutclear.engine import Report
    from cutclear.reports.merged import MergedReport

COLUMNS = ("timeline", "track", "record_in", "record_out", "duration", "clip", "asset",
           "origin", "stage", "tool", "prompts", "inputs", "talent", "consents", "approvals",
           "presentation", "disclosure_kind", "disclosure_text", "findings")
AUDIT_COLUMNS = ("repo", "production", "status", *COLUMNS)
SEP = "; "


def rows(report: Report) -> list[dict[str, str]]:
    out = []
    for view in timeline_views(report):
        ordered = sorted(view.clips, key=lambda c: (c.start, c.use.track))
        for clip in ordered:
            for asset in clip.assets:
                if asset.genai:
                    out.append(_row(clip, asset, view.rate, report.db))
    return out


def _row(clip: ClipView, asset: Asset, rate: int, db: RecordDB | None) -> dict[str, str]:
    use = clip.use
    found = [f for f in clip.findings if f.asset in (None, asset.id)]
    return {
        "timeline": use.timeline, "track": use.track, "record_in": use.record_in,
        "record_out": use.record_out, "duration": timecode(clip.end - clip.start, rate),
        "clip": use.label, "asset": asset.id, "origin": asset.origin, "stage": asset.stage,
        "tool": SEP.join(tools(asset, db)),
        "prompts": SEP.join(asset.prompts),
        "inputs": SEP.join(f"{i.text} [{i.rights}]" for i in asset.inputs),
        "talent": SEP.join(f"{person_name(t.person, db)}: {t.use}"
                           + (f" ({t.alteration})" if t.alteration else "")
                           + (f" as {t.role}" if t.role else "") for t in asset.talent),
        "consents": SEP.join(_consents(asset, db)),
        "approvals": SEP.join(approvals(asset, db)),
        "presentation": asset.presented_as or "",
        "disclosure_kind": SEP.join(d.kind for d in _disclosures(asset, db)),
        "disclosure_text": SEP.join(d.text for d in _disclosures(asset, db)),
        "findings": SEP.join(f"{f.rule} [{f.severity}] {f.message}" for f in found),
    }


def _consents(asset: Asset, db: RecordDB | None) -> list[str]:
    out = []
    for t in asset.talent:
        consent = db.get(Consent, t.consent) if db and t.consent else None
        if consent is not None:
            revoked = f" (revoked {consent.revoked})" if consent.revoked else ""
            out.append(f"{consent.id} {consent.status}{revoked}")
        elif t.consent:
            out.append(f"{t.consent} (not in the records)")
        elif t.needs_consent:
            out.append(f"{t.person}: none named")
    return out


def _disclosures(asset: Asset, db: RecordDB | None) -> list[Disclosure]:
    return db.disclosures_for(asset) if db else []


def audit_rows(merged: MergedReport) -> list[dict[str, str]]:
    """The cue sheet of a studio-wide audit (`cuesheet --audit`), grouped by production
    and repo: the rows of every repo, a row for each repo that could not be audited (with
    its error: a repo never drops out of the sheet), and first a row for each problem of
    a merged report that is truncated or damaged."""
    blank = dict.fromkeys(AUDIT_COLUMNS, "")
    out = [{**blank, "status": "invalid report", "findings": f"INCOMPLETE AUDIT: {p}"}
           for p in merged.problems]
    for production in merged.productions:
        for r in production.repos:
            status = r.status
            if r.partial:
                status += " (partial verdict: see the audit report)"
            base = {"repo": r.repo, "production": r.production or "", "status": status}
            if r.status == "failed":
                out.append({**blank, **base, "findings": f"could not be audited: {r.error}"})
                continue
            out += [{**blank, **{c: str(cue.get(c) or "") for c in COLUMNS}, **base}
                    for cue in r.cues]
    return out


def render_csv(report: Report) -> str:
    return _csv(COLUMNS, rows(report))


def render_audit_csv(merged: MergedReport) -> str:
    return _csv(AUDIT_COLUMNS, audit_rows(merged))


def _csv(columns: tuple[str, ...], table: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: _guard(v) for k, v in row.items()} for row in table)
    return buf.getvalue()


def require_openpyxl() -> None:
    """Fail before the run, not after it, when .xlsx cannot be written."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        from cutclear.config import ConfigError
        raise ConfigError("an .xlsx cue sheet needs openpyxl: pip install 'cutclear[xlsx]' "
                          "(or write a .csv)") from None


def write_xlsx(report: Report, path: str) -> None:
    _xlsx(COLUMNS, rows(report), path)


def write_audit_xlsx(merged: MergedReport, path: str) -> None:
    _xlsx(AUDIT_COLUMNS, audit_rows(merged), path)


def _xlsx(columns: tuple[str, ...], table: list[dict[str, str]], path: str) -> None:
    """The cue sheet as an Excel workbook: a header row, frozen, with a filter."""
    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "GenAI cue sheet"
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(table, 2):
        for c, name in enumerate(columns, 1):
            cell = ws.cell(r, c, row[name])
            cell.data_type = "s"  # text, never a formula, whatever a prompt begins with
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)


def _guard(text: str) -> str:
    """A spreadsheet opening the CSV must not take a prompt for a formula (CSV injection):
    a cell beginning with = + - or @ gets a leading apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
