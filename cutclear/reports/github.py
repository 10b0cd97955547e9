"""GitHub Actions workflow commands: an annotation per finding on the timeline's line.

    ::error file=cuts/locked/reel1.xml,line=154,title=GA001 genai-in-locked-cut::...

GitHub shows at most 10 annotations of each type (error, warning, notice) per step, so the
most severe come first and at most 10 of each type are written; a last plain line says how
many more there are. When `$GITHUB_STEP_SUMMARY` is set, the full table of findings is
appended to that file (the job summary). Values are escaped as the runner requires: `%`,
CR and LF everywhere, and `:` and `,` in properties too.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from cutclear.model import Finding, Severity
from cutclear.output import summary_line
from cutclear.reports.locate import Locator

if TYPE_CHECKING:
    from cutclear.engine import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
LIMIT = 10  # annotations GitHub shows per type and step
SUMMARY_ENV = "GITHUB_STEP_SUMMARY"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, locator: Locator) -> str:
    props = {"file": locator.uri(f.path), "line": str(locator.line(f)),
             "title": f"{f.rule} {f.name}"}
    what = f"{f.clip} ({f.track} {f.record_in}): " if f.clip else ""
    return (f"::{COMMANDS[f.severity]} "
            + ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
            + f"::{escape_data(what + f.message)}")


def render_github(report: Report) -> str:
    locator = Locator(report.config.root if report.config else None, report.timelines)
    ordered = sorted(report.findings, key=lambda f: -f.severity)  # stable: file order kept
    shown: dict[Severity, int] = {}
    lines = []
    for f in ordered:
        if f.severity not in COMMANDS:
            continue
        if shown.get(f.severity, 0) < LIMIT:
            lines.append(annotation(f, locator))
        shown[f.severity] = shown.get(f.severity, 0) + 1
    hidden = sum(max(0, n - LIMIT) for n in shown.values())
    if hidden:
        where = ("the job summary" if os.environ.get(SUMMARY_ENV)
                 else "cutclear check for the full list")
        lines.append(f"cutclear: {hidden} more finding{'s' if hidden > 1 else ''} not "
                     f"annotated (GitHub shows {LIMIT} per type); see {where}")
    lines.append(summary_line(report))
    summary = os.environ.get(SUMMARY_ENV)
    if summary:
        write_summary(summary, report, locator)
    return "\n".join(lines) + "\n"


def summary_markdown(report: Report, locator: Locator) -> str:
    rows = ["## cutclear", "", summary_line(report), ""]
    if report.findings:
        rows += ["| severity | rule | file | track | record in | clip | message |",
                 "|---|---|---|---|---|---|---|"]
        for f in sorted(report.findings, key=lambda f: -f.severity):
            place = f"{locator.uri(f.path)}:{locator.line(f)}"
            cells = (str(f.severity), f"{f.rule} {f.name}", place, f.track or "",
                     f.record_in or "", f.clip or "", f.message)
            rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_summary(path: str, report: Report, locator: Locator) -> None:
    """Append the table to the job summary; a summary that cannot be written is no
    reason to lose the annotations."""
    try:
        with open(path, "a", encoding="utf-8") as f:
            f.write(summary_markdown(report, locator))
    except OSError as e:
        print(f"cutclear: warning: cannot write {SUMMARY_ENV} {path}: {e.strerror}",
              file=sys.stderr)
