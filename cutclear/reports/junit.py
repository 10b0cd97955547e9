"""JUnit XML, as GitLab (`artifacts:reports:junit`) and Jenkins (`junit`) read it.

One testsuite per timeline and one testcase per clip use, the clips that pass included, so
that a pipeline's test view counts the cut's clips. `classname` is `<timeline>.<track>`
(Jenkins shows the part before the last dot as the package: the timeline file); the name
is the clip and its record timecode, made unique within its class. Each finding at or above
the fail level is a `<failure>`; findings below it are written to the case's
`<system-out>`. Findings about a whole timeline (PV005) are a testcase `(timeline)`, and
the record files make one more testsuite, `record files`, with a testcase per file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from cutclear.model import Finding
from cutclear.output import text_line
from cutclear.reports.locate import Locator
from cutclear.reports.view import grouped_findings, use_key

if TYPE_CHECKING:
    from cutclear.engine import Report

RECORDS_SUITE = "record files"


def render_junit(report: Report) -> str:
    locator = Locator(report.config.root if report.config else None, report.timelines)
    by_clip, loose = grouped_findings(report)
    root = etree.Element("testsuites", name="cutclear")
    timelines = {t.path for t in report.timelines}
    for read in report.timelines:
        suite = _suite(root, read.path)
        if read.path in loose or read.error:
            _case(suite, report, f"{read.path}", "(timeline)", loose.pop(read.path, []),
                  locator.uri(read.path), 1)
        names: dict[tuple[str, str], int] = {}
        for use in read.clips:
            classname = f"{read.path}.{use.track}"
            name = f"{use.label} {use.record_in}"
            n = names[(classname, name)] = names.get((classname, name), 0) + 1
            if n > 1:
                name += f" ({n})"
            _case(suite, report, classname, name, by_clip.get(use_key(use), []),
                  locator.uri(read.path), locator.clip_line(use))
    files = list(report.db.files) if report.db else []
    files += [p for p in loose if p not in files and p not in timelines]
    if files:
        suite = _suite(root, RECORDS_SUITE)
        for path in files:
            _case(suite, report, RECORDS_SUITE, path, loose.get(path, []), locator.uri(path),
                  None)
    _count(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          pretty_print=True).decode("utf-8")


def _suite(root, name: str):
    return etree.SubElement(root, "testsuite", name=name)


def _case(suite, report: Report, classname: str, name: str, findings: list[Finding],
          file: str, line: int | None) -> None:
    case = etree.SubElement(suite, "testcase", classname=classname, name=name, file=file)
    if line:
        case.set("line", str(line))
    quiet = []
    for f in findings:
        if f.severity >= report.fail_on:
            failure = etree.SubElement(case, "failure", type=f.rule,
                                       message=f"{f.rule} {f.name} [{f.severity}]: {f.message}")
            failure.text = text_line(f)
        else:
            quiet.append(text_line(f))
    if quiet:
        etree.SubElement(case, "system-out").text = "\n".join(quiet)


def _count(root) -> None:
    total = failures = 0
    for suite in root:
        cases = suite.findall("testcase")
        failed = sum(1 for c in cases if c.find("failure") is not None)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(failed))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(cases)
        failures += failed
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
