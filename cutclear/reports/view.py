"""What the visual report and the cue sheet show of a clip: its verdict, its findings, and
the provenance chain behind it (asset, origin, tool and data terms, talent and consent,
approvals, disclosures, the record file or sidecar it came from).

Everything is read from the run's `Report` (findings, provenance, records), never judged
again: a report shows what the gate decided.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cutclear.model import ClipUse, Finding, Severity, TimelineRead
from cutclear.records import Approval, Asset, Consent, Disclosure, Person, RecordDB, Tool

if TYPE_CHECKING:
    from cutclear.engine import Report

# verdict classes, in the order of the legend: (class, label, what it means)
VERDICTS = (
    ("cleared", "Cleared media", "declared camera originals and recordings, nothing found"),
    ("approved", "GenAI approved", "GenAI or generative edit with nothing found"),
    ("talent", "Talent use", "a performer's likeness or voice, consent and approval hold"),
    ("pending", "GenAI not cleared yet", "findings below the fail level (work in progress)"),
    ("blocked", "Blocked", "a finding at the fail level stops this cut"),
    ("undeclared", "Undeclared", "no record declares this media"),
    ("unreadable", "Unreadable", "the timeline could not be read completely (PV005)"),
)

_TC = re.compile(r"^(-?)(\d+):(\d\d):(\d\d)[:;.](\d+)$")
RATES = (24, 25, 30, 48, 50, 60, 96, 100, 120)


def guess_rate(clips: list[ClipUse]) -> int:
    """The nominal frame rate of a timeline's timecodes: the lowest common rate above every
    frame count they show (a use does not carry its rate; a frame off at most)."""
    top = 0
    for use in clips:
        for tc in (use.record_in, use.record_out):
            m = _TC.match(tc)
            if m:
                top = max(top, int(m.group(5)))
    return next((r for r in RATES if r > top), top + 1)


def frames(tc: str, rate: int) -> int:
    m = _TC.match(tc or "")
    if not m:
        return 0
    sign, h, mi, s, f = m.groups()
    n = ((int(h) * 60 + int(mi)) * 60 + int(s)) * rate + int(f)
    return -n if sign else n


def timecode(n: int, rate: int) -> str:
    sign = "-" if n < 0 else ""
    n = abs(n)
    s, f = divmod(n, rate)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}:{f:02d}"


def finding_key(f: Finding) -> tuple:
    return (f.path, f.track, f.record_in, f.clip)


def use_key(use: ClipUse) -> tuple:
    return (use.timeline, use.track, use.record_in, use.label)


@dataclass
class ClipView:
    use: ClipUse
    assets: list[Asset]
    findings: list[Finding]
    verdict: str
    start: int  # frames from the timeline's first frame
    end: int

    @property
    def warned(self) -> bool:
        return bool(self.findings) and self.verdict not in ("blocked", "undeclared")


@dataclass
class TimelineView:
    read: TimelineRead
    rate: int
    origin: int  # first frame shown
    length: int  # frames shown
    clips: list[ClipView] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # not about one clip (PV005...)

    @property
    def tracks(self) -> list[str]:
        """Lanes top to bottom as an NLE shows them: V tracks highest first, then A1 down."""
        names = list(dict.fromkeys(c.use.track for c in self.clips))

        def order(name: str) -> tuple:
            tail = name.rsplit("/", 1)[-1]
            num = int(re.sub(r"\D", "", tail) or 0)
            if tail.startswith("V"):
                return (name[: -len(tail)], 0, -num)
            return (name[: -len(tail)], 1 if tail.startswith("A") else 2, num)
        return sorted(names, key=order)


def verdict(assets: list[Asset], findings: list[Finding], fail_on: Severity) -> str:
    if any(f.severity >= fail_on for f in findings):
        return "blocked"
    if not assets:
        return "undeclared"
    genai = any(a.genai for a in assets)
    if genai and findings:
        return "pending"
    if any(a.talent for a in assets):
        return "talent"
    return "approved" if genai else "cleared"


def grouped_findings(report: Report) -> tuple[dict[tuple, list[Finding]],
                                                dict[str, list[Finding]]]:
    """The findings of clip uses by use (`finding_key`), and the others by file."""
    by_clip: dict[tuple, list[Finding]] = {}
    loose: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.record_in is not None:
            by_clip.setdefault(finding_key(f), []).append(f)
        else:
            loose.setdefault(f.path, []).append(f)
    return by_clip, loose


def timeline_views(report: Report) -> list[TimelineView]:
    by_clip, loose = grouped_findings(report)
    views = []
    for read in report.timelines:
        rate = guess_rate(read.clips)
        spans = [(frames(u.record_in, rate), frames(u.record_out, rate)) for u in read.clips]
        origin = min((s for s, _ in spans), default=0)
        length = max((e for _, e in spans), default=origin) - origin
        view = TimelineView(read, rate, origin, max(length, 1),
                            findings=loose.get(read.path, []))
        for use, (start, end) in zip(read.clips, spans, strict=True):
            found = by_clip.get(use_key(use), [])
            assets = report.assets_of(use)
            view.clips.append(ClipView(use, assets, found,
                                       verdict(assets, found, report.fail_on), start, end))
        views.append(view)
    return views


# --- the provenance chain of an asset --------------------------------------------------

@dataclass
class Chain:
    """An asset's provenance as the report prints it: (label, text) rows, in order."""

    asset: Asset
    rows: list[tuple[str, str]]


def chain(asset: Asset, db: RecordDB | None) -> Chain:
    rows = [("origin", f"{asset.origin} ({asset.origin_class})")]
    if asset.genai:
        rows.append(("stage", asset.stage))
    rows.append(("from", f"{asset.source.path}:{asset.source.line}"))
    rows += [("tool", t) for t in tools(asset, db)]
    rows += [("prompt", p) for p in asset.prompts]
    rows += [("input", f"{i.text} [{i.rights}]") for i in asset.inputs]
    rows += [("talent", t) for t in talent(asset, db)]
    if asset.presented_as:
        rows.append(("presented as", asset.presented_as))
    rows += [("depicts", f"{person_name(d.person, db)} {d.text}".strip())
             for d in asset.depicts]
    rows += [("approval", a) for a in approvals(asset, db)]
    rows += [("disclosure", d) for d in disclosures(asset, db)]
    rows += [("note", n) for n in asset.notes]
    return Chain(asset, rows)


def tools(asset: Asset, db: RecordDB | None) -> list[str]:
    out = []
    for ref in asset.tools:
        tool = db.get(Tool, ref) if db else None
        if tool is None:
            out.append(f"{ref} (no such tool record)")
            continue
        terms = [f"trains on inputs: {tool.trains_on_inputs}",
                 f"retains inputs: {tool.retains_inputs}"]
        if tool.enterprise is not None:
            terms.append("enterprise" if tool.enterprise else "not enterprise")
        out.append(f"{tool.id} {tool.label} ({', '.join(terms)})")
    return out


def person_name(person: str | None, db: RecordDB | None) -> str:
    record = db.get(Person, person) if db and person else None
    return f"{person} ({record.name})" if record else (person or "")


def consent_state(consent_id: str | None, person: str, db: RecordDB | None) -> str:
    consents = []
    if consent_id:
        found = db.get(Consent, consent_id) if db else None
        if found is None:
            return f"{consent_id} (not in the records)"
        consents = [found]
    elif db:
        consents = db.consents_of(person)
    if not consents:
        return "no consent recorded"
    return "; ".join(_consent(c) for c in consents)


def _consent(c: Consent) -> str:
    term = f", term {c.start or '...'} to {c.end or '...'}" if c.start or c.end else ""
    revoked = f", revoked {c.revoked}" if c.revoked else ""
    return f"{c.id} {c.status}{revoked}{term}"


def talent(asset: Asset, db: RecordDB | None) -> list[str]:
    out = []
    for t in asset.talent:
        role = f" as {t.role}" if t.role else ""
        kind = f"{t.use} ({t.alteration})" if t.alteration else t.use
        exception = f", exception {t.exception}" if t.exception else ""
        out.append(f"{person_name(t.person, db)}{role}: {kind}, consent "
                   f"{consent_state(t.consent, t.person, db)}{exception}")
    return out


def approvals(asset: Asset, db: RecordDB | None) -> list[str]:
    if db is None:
        return list(asset.approvals)
    found = db.approvals_for(asset)
    out = [_approval(a) for a in found]
    out += [f"{ref} (not in the records)" for ref in asset.approvals
            if db.get(Approval, ref) is None]
    return out


def _approval(a: Approval) -> str:
    expires = f", expires {a.expires}" if a.expires else ""
    issuer = ", ".join(x for x in (a.issuer, a.org) if x)
    by = f" by {issuer}" if issuer else ""
    return (f"{a.id} {a.status}{by}, granted {a.granted}{expires}, covers "
            f"{' '.join(a.covers)}")


def disclosures(asset: Asset, db: RecordDB | None) -> list[str]:
    if db is None:
        return list(asset.disclosures)
    return [f"{d.id} {d.kind}: {d.text}" for d in db.disclosures_for(asset)] + \
        [f"{ref} (not in the records)" for ref in asset.disclosures
         if db.get(Disclosure, ref) is None]
