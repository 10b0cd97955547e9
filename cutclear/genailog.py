"""The production's GenAI log (AI usage register) as *.genai.xml records.

Productions keep their GenAI use in a spreadsheet: shot, tool, prompt, inputs and rights,
talent and consents, approvals. `cutclear import` turns each row into an `<asset>` (and
each distinct tool into a `<tool>`), so that the log the production already keeps is what
the cut is checked against. Every cell is checked with the row and column named; a log
with any bad row gives no output at all, since a half-imported log would leave shots
undeclared without anyone noticing. The columns are documented in docs/provenance.md and
`cutclear import --template` writes them out.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from lxml import etree

from cutclear.recordfile import schema
from cutclear.records import NS, origin_class

MAX_ROWS = 100_000
LIST_SPLIT = re.compile(r"[;\n]")
ID = re.compile(r"^[A-Za-z0-9_.:\-]+$")
RIGHTS = ("owned", "licensed", "public-domain", "unowned", "personal-data", "confidential",
          "unknown")
USES = ("likeness", "voice", "performance-alteration", "training")
YES_NO_UNKNOWN = ("yes", "no", "unknown")

# column -> what it holds (the documented layout, in template order)
COLUMNS = {
    "asset": "asset id (default: LOG-<row number>)",
    "shot": "clip name as in the timelines (glob allowed) -> <match><clip>",
    "file": "media file name (glob allowed) -> <match><name>",
    "path": "media path or path glob -> <match><path>",
    "reel": "reel or tape name -> <match><reel>",
    "sha256": "SHA-256 of the media (cutclear pin) -> <match><sha256>",
    "origin": "IPTC digital source type, term or URI (required)",
    "stage": "temp or final (default temp)",
    "tool": "tool name (e.g. Runway) -> a <tool> record",
    "tool vendor": "the tool's vendor",
    "tool version": "the tool's version",
    "tool enterprise": "yes or no: an enterprise-secured account",
    "trains on inputs": "yes, no or unknown",
    "retains inputs": "yes, no or unknown",
    "prompt": "prompts, one per line or separated by ;",
    "inputs": "inputs as text [rights], separated by ; (e.g. plate A001 [owned])",
    "talent": "person use [consent], separated by ; (e.g. P-0031 likeness CNS-0142)",
    "approvals": "approval ids, separated by spaces or ;",
    "notes": "free text",
}
MATCH_COLUMNS = (("shot", "clip"), ("file", "name"), ("path", "path"), ("reel", "reel"),
                 ("sha256", "sha256"))
TEMPLATE_ROW = {
    "asset": "AST-1193", "shot": "sh042 sky v3", "file": "sh042_sky_v3.mov", "path": "",
    "reel": "", "sha256": "", "origin": "trainedAlgorithmicMedia", "stage": "final",
    "tool": "Runway", "tool vendor": "Runway", "tool version": "Gen-4",
    "tool enterprise": "yes", "trains on inputs": "no", "retains inputs": "no",
    "prompt": "storm clouds over harbour, 35mm", "inputs": "plate A042 [owned]",
    "talent": "", "approvals": "APR-0057", "notes": "sky replacement, approved 2025-09-02",
}


class LogError(Exception):
    """The log cannot be read at all (not a table, unknown columns): nothing is imported."""


@dataclass
class Imported:
    xml: bytes = b""
    assets: int = 0
    tools: int = 0
    errors: list[str] = field(default_factory=list)


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", str(header or "").strip().lower())


def read_table(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX log as (spreadsheet row number, {column: text})."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data, name)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise LogError(f"{name}: not UTF-8 text (byte {e.start}): save the log as CSV "
                           "UTF-8, or as .xlsx") from None
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count) if first else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows or not any(c.strip() for c in rows[0]):
        raise LogError(f"{name}: no header row (the first row names the columns: "
                       f"{', '.join(COLUMNS)})")
    header = [_key(h) for h in rows[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise LogError(f"{name}: row 1: unknown column{'s' if len(unknown) > 1 else ''} "
                       f"{', '.join(repr(u) for u in unknown)} (known: {', '.join(COLUMNS)})")
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise LogError(f"{name}: row 1: column {dupes[0]!r} is given twice")
    if "origin" not in header:
        raise LogError(f"{name}: row 1: the column 'origin' is required")
    if len(rows) > MAX_ROWS + 1:
        raise LogError(f"{name}: more than {MAX_ROWS} rows: split the log")
    table = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header) if h}
        if any(c.strip() for c in row[len(header):]):
            cells["\0extra"] = "x"
        if any(cells.values()):
            table.append((number, cells))
    return table


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise LogError(f"{name}: reading .xlsx needs openpyxl: pip install 'cutclear[xlsx]' "
                       "(or save the log as CSV)") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise LogError(f"{name}: not a readable .xlsx workbook ({type(e).__name__}: {e})") \
            from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _cell(v) for v in row])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _items(text: str) -> list[str]:
    return [t.strip() for t in LIST_SPLIT.split(text) if t.strip()]


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class _Row:
    """One row being turned into an asset, collecting its errors by column."""

    def __init__(self, number: int, cells: dict[str, str], name: str):
        self.number, self.cells, self.name = number, cells, name
        self.errors: list[str] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(f"{self.name}: row {self.number}, column {column!r}: {message}")

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def _tool_id(row: _Row) -> str:
    label = " ".join(x for x in (row.get("tool vendor") or row.get("tool"),
                                 row.get("tool version")) if x)
    return "TL-" + re.sub(r"[^A-Za-z0-9_.\-]+", "-", label).strip("-")


def _tool(row: _Row) -> dict[str, str] | None:
    if not any(row.get(c) for c in ("tool", "tool vendor", "tool version", "tool enterprise",
                                    "trains on inputs", "retains inputs")):
        return None
    if not (row.get("tool") or row.get("tool vendor")):
        row.error("tool", "the tool's data terms are given but not the tool: name it")
    attrs = {"name": row.get("tool") or row.get("tool vendor")}
    for column, attr in (("tool vendor", "vendor"), ("tool version", "version")):
        if row.get(column):
            attrs[attr] = row.get(column)
    enterprise = row.get("tool enterprise").lower()
    if enterprise:
        if enterprise not in ("yes", "no"):
            row.error("tool enterprise", f"{enterprise!r} is not yes or no")
        attrs["enterprise"] = "true" if enterprise == "yes" else "false"
    for column, attr in (("trains on inputs", "trainsOnInputs"),
                         ("retains inputs", "retainsInputs")):
        value = row.get(column).lower()
        if value:
            if value not in YES_NO_UNKNOWN:
                row.error(column, f"{value!r} is not yes, no or unknown")
            attrs[attr] = value
    return attrs


def _asset(row: _Row, tool_id: str | None) -> etree._Element:
    asset_id = row.get("asset") or f"LOG-{row.number}"
    if not ID.match(asset_id):
        row.error("asset", f"{asset_id!r} is not an id (letters, digits, _ . : -)")
    el = etree.Element(_q("asset"), id=asset_id)
    match = etree.SubElement(el, _q("match"))
    for column, tag in MATCH_COLUMNS:
        for value in _items(row.get(column)):
            if column == "sha256" and not re.fullmatch(r"[0-9A-Fa-f]{64}", value):
                row.error(column, f"{value!r} is not a SHA-256 (64 hex digits; cutclear pin "
                                  "prints them)")
            etree.SubElement(match, _q(tag)).text = value.lower() if column == "sha256" \
                else value
    if len(match) == 0:
        row.error("shot", "no shot, file, path, reel or sha256: the asset would match no "
                          "clip")
    origin = row.get("origin")
    if not origin:
        row.error("origin", "empty: give the IPTC digital source type (e.g. "
                            "trainedAlgorithmicMedia, digitalCapture)")
    elif origin_class(origin) is None:
        row.error("origin", f"{origin!r} is not an IPTC digital source type (e.g. "
                            "trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia, "
                            "digitalCapture)")
    etree.SubElement(el, _q("origin")).text = origin
    stage = row.get("stage").lower()
    if stage:
        if stage not in ("temp", "final"):
            row.error("stage", f"{stage!r} is not temp or final")
        etree.SubElement(el, _q("stage")).text = stage
    if tool_id:
        etree.SubElement(el, _q("tool"), ref=tool_id)
    for prompt in _items(row.get("prompt")):
        etree.SubElement(el, _q("prompt")).text = prompt
    for item in _items(row.get("inputs")):
        m = re.fullmatch(r"(.*?)\s*\[([^\]]*)\]", item)
        text, rights = (m.group(1), m.group(2).strip().lower()) if m else (item, "unknown")
        if rights not in RIGHTS:
            row.error("inputs", f"rights {rights!r} of {text!r} is not one of "
                                f"{', '.join(RIGHTS)}")
        etree.SubElement(el, _q("input"), rights=rights).text = text
    for item in _items(row.get("talent")):
        parts = item.split()
        if len(parts) not in (2, 3) or parts[1] not in USES or not all(
                ID.match(p) for p in parts[:1] + parts[2:]):
            row.error("talent", f"{item!r} is not 'person use [consent]' with use one of "
                                f"{', '.join(USES)} (e.g. P-0031 likeness CNS-0142)")
            continue
        attrs = {"person": parts[0], "use": parts[1]}
        if len(parts) == 3:
            attrs["consent"] = parts[2]
        etree.SubElement(el, _q("talent"), **attrs)
    for ref in re.split(r"[\s;,]+", row.get("approvals")):
        if ref:
            if not ID.match(ref):
                row.error("approvals", f"{ref!r} is not an approval id")
            etree.SubElement(el, _q("approval"), ref=ref)
    if row.get("notes"):
        etree.SubElement(el, _q("note")).text = row.get("notes")
    return el


def convert(data: bytes, name: str) -> Imported:
    """The records of a GenAI log, or every error found in it (then no XML)."""
    result = Imported()
    tools: dict[str, tuple[dict[str, str], int]] = {}
    assets: list[etree._Element] = []
    seen: dict[str, int] = {}
    for number, cells in read_table(data, name):
        row = _Row(number, cells, name)
        if "\0extra" in cells:
            row.error("(beyond the header)", "cells right of the last named column: name "
                                             "the column or clear them")
        attrs = _tool(row)
        tool_id = None
        if attrs is not None:
            tool_id = _tool_id(row)
            if tool_id in tools and tools[tool_id][0] != attrs:
                row.error("tool", f"tool {attrs['name']} {attrs.get('version', '')} is given "
                                  f"other data terms than in row {tools[tool_id][1]}: a tool "
                                  "has one set of terms".replace("  ", " "))
            tools.setdefault(tool_id, (attrs, number))
        asset = _asset(row, tool_id)
        if asset.get("id") in seen:
            row.error("asset", f"id {asset.get('id')} is already used in row "
                               f"{seen[asset.get('id')]}")
        seen.setdefault(asset.get("id"), number)
        result.errors += row.errors
        assets.append(asset)
    if not assets and not result.errors:
        result.errors.append(f"{name}: no rows below the header: nothing to import")
    if result.errors:
        return result
    root = etree.Element(_q("genai"), nsmap={None: NS}, version="1")
    root.append(etree.Comment(f" imported from {name} by cutclear import; edit the log and "
                              "import again rather than this file ".replace("--", "- -")))
    for tool_id, (attrs, _row) in tools.items():
        tool = etree.SubElement(root, _q("tool"), id=tool_id,
                                **{k: v for k, v in attrs.items() if k != "name"})
        tool.text = attrs["name"]
    root.extend(assets)
    xsd = schema()
    if not xsd.validate(root):  # the checks above should make this unreachable
        err = xsd.error_log[0]
        result.errors.append(f"{name}: the records would not be valid: "
                             f"{err.message.replace('{' + NS + '}', '')}")
        return result
    result.xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True)
    result.assets, result.tools = len(assets), len(tools)
    return result


def template_xlsx() -> bytes:
    """The template as a workbook (openpyxl), for productions that keep the log in Excel."""
    try:
        import openpyxl
    except ImportError:
        raise LogError("writing an .xlsx template needs openpyxl: pip install "
                       "'cutclear[xlsx]' (or write a .csv template)") from None
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "GenAI log"
    sheet.append(list(COLUMNS))
    sheet.append([TEMPLATE_ROW[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow([TEMPLATE_ROW[c] for c in COLUMNS])
    return out.getvalue()
