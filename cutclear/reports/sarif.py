"""SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

Every rule of the catalogue is described (name, short and full description, help as
`cutclear explain` prints it, default level); every finding is a result located at its
file (relative to the top of the git repository, as code scanning wants) and line (see
`cutclear.reports.locate`), with logical locations for the timeline, track, clip and
record timecode. `partialFingerprints` identify a finding across runs: rule, file, track,
clip, asset and the clip's occurrence, never its timecode or line, so that trimming an
earlier shot does not make code scanning see every later finding as new (for a record
file or a whole timeline: rule, file, asset and the message without its numbers).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import TYPE_CHECKING

from cutclear import __version__
from cutclear.model import Finding, Severity
from cutclear.reports.explain import explain_text
from cutclear.reports.locate import Locator

if TYPE_CHECKING:
    from cutclear.engine import Report

SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
          "sarif-schema-2.1.0.json")
INFORMATION_URI = "https://pypi.org/project/cutclear/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note",
          Severity.OFF: "none"}
FINGERPRINT = "cutclearFinding/v1"


def render_sarif(report: Report) -> str:
    locator = Locator(report.config.root if report.config else None, report.timelines)
    codes = sorted(set(report.rules) | {f.rule for f in report.findings})
    index = {code: i for i, code in enumerate(codes)}
    doc = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cutclear", "version": __version__, "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(code, report) for code in codes],
            }},
            "columnKind": "unicodeCodePoints",
            "properties": {"asOf": report.as_of.isoformat(),
                           "failOn": str(report.fail_on)},
            "results": _results(report, locator, index),
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _rule(code: str, report: Report) -> dict:
    rule = report.rules.get(code)
    if rule is None:  # a finding of a rule no longer in the catalogue
        return {"id": code, "shortDescription": {"text": code}}
    help_text = explain_text(rule)
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": f"Fires when {rule.summary}."},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text, "markdown": _markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.lock]},
        "properties": {"tags": ["cutclear", rule.code.rstrip("0123456789")],
                       "wip": str(rule.wip), "lock": str(rule.lock),
                       "plugin": rule.source},
    }


def _markdown(rule) -> str:
    example = "\n".join("    " + line for line in rule.example.splitlines())
    return (f"**{rule.code} {rule.name}**: fires when {rule.summary}.\n\n"
            f"Severity: {rule.wip} in work in progress, {rule.lock} in a locked cut.\n\n"
            f"Why: {rule.rationale}\n\nRecords that satisfy it:\n\n{example}\n")


def _results(report: Report, locator: Locator, index: dict[str, int]) -> list[dict]:
    results = []
    seen: dict[str, int] = {}
    for f in report.findings:
        key = _identity(f)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        uri = locator.uri(f.path)
        location: dict = {
            "physicalLocation": {"artifactLocation": {"uri": uri},
                                 "region": {"startLine": locator.line(f)}},
        }
        logical = _logical(f, uri)
        if logical:
            location["logicalLocations"] = logical
        result = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVELS[f.severity],
            "message": {"text": _message(f)},
            "locations": [location],
            "partialFingerprints": {
                FINGERPRINT: hashlib.sha256(f"{key}/{occurrence}".encode()).hexdigest()[:32],
            },
            "properties": {k: v for k, v in (
                ("severity", str(f.severity)), ("mode", str(f.mode) if f.mode else None),
                ("track", f.track), ("clip", f.clip), ("recordIn", f.record_in),
                ("recordOut", f.record_out), ("asset", f.asset)) if v is not None},
        }
        results.append(result)
    return results


def _identity(f: Finding) -> str:
    """What makes a finding the same finding in the next run."""
    if f.clip is None:  # record files and whole timelines: the message says what, but
        # not its numbers (lines, counts, dates), which move with unrelated edits
        return "\x1f".join((f.rule, f.path, f.asset or "", re.sub(r"\d+", "#", f.message)))
    return "\x1f".join((f.rule, f.path, f.track or "", f.clip, f.asset or ""))


def _message(f: Finding) -> str:
    where = f"{f.clip} ({f.track} {f.record_in}): " if f.clip else ""
    return f"{f.rule} {f.name}: {where}{f.message}"


def _logical(f: Finding, uri: str) -> list[dict]:
    if f.record_in is None:
        return []
    timeline = {"name": f.path, "fullyQualifiedName": uri, "kind": "module"}
    track = {"name": f.track, "fullyQualifiedName": f"{uri}/{f.track}", "kind": "namespace"}
    clip = {"name": f.clip or "", "fullyQualifiedName": f"{uri}/{f.track}/{f.clip}",
            "kind": "member"}
    tc = {"name": f.record_in, "fullyQualifiedName":
          f"{uri}/{f.track}/{f.clip}@{f.record_in}", "kind": "element"}
    return [timeline, track, clip, tc]
