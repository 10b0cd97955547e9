"""Reading the merged report of `cutclear audit` back (docs/audit.md), for the HTML report
and the cue sheet of a whole studio (`cutclear report --audit`, `cutclear cuesheet --audit`).

The file is checked before anything is drawn from it: a report cut short (a full disk, a
copy interrupted, a worker's output lost), a damaged or hand-edited line, counts that do
not add up, or a format this cutclear does not know are `problems`, shown at the top of
what is rendered and made exit 2. A repo that failed is never dropped: it is shown with
its error and counts against the result, as in the audit itself. Nothing is judged again.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

from cutclear.audit import Partial
from cutclear.config import ConfigError

VERSION = 2  # the format written by cutclear.audit.render_jsonl (REPORT_VERSION)
STATUSES = ("ok", "blocked", "failed")
SEVERITIES = ("error", "warning", "info")
_MAX_PROBLEMS = 50  # a file that is not an audit report at all says so in a few lines


@dataclass
class RepoEntry(Partial):
    """One repo of the audit, as its `repo` line says, with its finding and cue lines."""

    repo: str
    production: str | None
    status: str
    error: str | None
    timelines: int = 0
    clips: int = 0
    record_files: int = 0
    fail_on: str | None = None
    blocking: int = 0
    summary: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    disabled_plugins: list[str] = field(default_factory=list)
    rules_off: list[str] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    cues: list[dict] = field(default_factory=list)
    cue_lines: int | None = None  # how many cue lines the repo line says it has


@dataclass
class Production:
    production: str | None
    repos: list[RepoEntry]

    @property
    def status(self) -> str:
        return _status(self.repos)

    def total(self, key: str) -> int:
        return sum(getattr(r, key) for r in self.repos)


@dataclass
class MergedReport:
    source: str  # the file as given
    audit: dict  # the closing `audit` line ({} when it is missing)
    repos: list[RepoEntry]
    problems: list[str]  # why the file cannot be trusted as a whole verdict

    @property
    def failed(self) -> list[RepoEntry]:
        return [r for r in self.repos if r.status == "failed"]

    @property
    def blocking(self) -> int:
        return sum(r.blocking for r in self.repos)

    @property
    def partial(self) -> list[RepoEntry]:
        return [r for r in self.repos if r.partial]

    @property
    def summary(self) -> dict[str, int]:
        total = dict.fromkeys(SEVERITIES, 0)
        for r in self.repos:
            for f in r.findings:
                total[f["severity"]] += 1
        return total

    @property
    def productions(self) -> list[Production]:
        """Repos grouped by production, sorted by id, repos without one last."""
        groups: dict[str | None, list[RepoEntry]] = {}
        for r in self.repos:
            groups.setdefault(r.production, []).append(r)
        return [Production(p, groups[p])
                for p in sorted(groups, key=lambda p: (p is None, p or ""))]

    @property
    def verdict(self) -> str:
        """`invalid` (the file itself), `failed`, `blocked` or `ok`."""
        return "invalid" if self.problems else _status(self.repos)

    @property
    def exit_code(self) -> int:
        """As the audit's: 2 when the report or a repo could not be trusted, 1 when some
        repo has blocking findings."""
        if self.problems or self.failed:
            return 2
        return 1 if self.blocking else 0


def _status(repos: list[RepoEntry]) -> str:
    if any(r.status == "failed" for r in repos):
        return "failed"
    return "blocked" if any(r.blocking or r.status == "blocked" for r in repos) else "ok"


def read_merged(path: str) -> MergedReport:
    """The merged report at `path` (`-`: stdin). A file that cannot be opened is a
    ConfigError (exit 2); what is wrong inside it becomes `problems`."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        raise ConfigError(f"--audit {path}: {e.strerror}") from None
    return parse_merged(data, path)


def parse_merged(data: bytes, source: str) -> MergedReport:
    problems: list[str] = []

    def problem(text: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(f"{source}: {text}")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        problem(f"not UTF-8 at byte {e.start}: not a merged audit report, or damaged")
        text = data.decode("utf-8", "replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    elif lines != [""]:
        problem(f"line {len(lines)} has no line end: the report is truncated")
    if not lines or lines == [""]:
        problem("empty: not a merged audit report (cutclear audit -o FILE writes one)")
        lines = []
    repos: dict[str, RepoEntry] = {}
    loose: list[tuple[int, dict]] = []  # finding and cue lines, matched to repos below
    audit: dict = {}
    for n, raw in enumerate(lines, 1):
        try:
            line = json.loads(raw)
        except ValueError:
            problem(f"line {n} is not JSON: the report is damaged or truncated")
            continue
        kind = line.get("type") if isinstance(line, dict) else None
        if audit:
            problem(f"line {n} follows the closing audit line: two reports run together, "
                    "or a damaged file")
        if kind in ("finding", "cue"):
            loose.append((n, line))
        elif kind == "repo":
            entry = _repo(line, n, problem)
            if entry.repo in repos:
                problem(f"line {n}: repo {entry.repo} is listed twice")
            repos[entry.repo] = entry
        elif kind == "production":
            pass  # the sums over its repos, worked out again from the repo lines
        elif kind == "audit":
            audit = line
            if line.get("version") != VERSION:
                problem(f"line {n}: an audit report of format version "
                        f"{line.get('version')!r}, this cutclear reads version {VERSION}: "
                        "run the audit again with this cutclear")
        else:
            problem(f"line {n} is not a line of a merged audit report (type {kind!r})")
    for n, line in loose:
        name = line.get("repo")
        entry = repos.get(name) if isinstance(name, str) else None
        if entry is None:
            problem(f"line {n}: a {line['type']} of repo {name}, which has no "
                    "repo line: the report is damaged")
            continue
        if line["type"] == "finding" and line.get("severity") not in SEVERITIES:
            problem(f"line {n}: a finding without a severity")
            continue
        (entry.findings if line["type"] == "finding" else entry.cues).append(line)
    if not audit and lines:
        problem("no closing audit line: the report is truncated (the audit did not finish "
                "writing it)")
    report = MergedReport(source, audit, sorted(repos.values(), key=lambda r: r.repo),
                          problems)
    _check_counts(report, problem)
    return report


def _repo(line: dict, n: int, problem) -> RepoEntry:
    """A repo line; one that does not say what it must is shown as a failed repo."""
    name = line.get("repo")
    if not isinstance(name, str) or line.get("status") not in STATUSES:
        problem(f"line {n}: a repo line without a repo name or status")
        return RepoEntry(str(name), None, "failed", f"line {n} of the report is damaged")
    entry = RepoEntry(name, line.get("production"), line["status"], line.get("error"))
    for key in ("timelines", "clips", "record_files", "blocking"):
        value = line.get(key)
        if not isinstance(value, int):
            problem(f"line {n}: repo {name}: {key} is not a count")
            value = 0
        setattr(entry, key, value)
    entry.fail_on = line.get("fail_on")
    entry.disabled_plugins = list(line.get("disabled_plugins") or [])
    entry.rules_off = list(line.get("rules_off") or [])
    entry.summary = line.get("summary") or {}
    entry.cue_lines = line.get("cues")
    if entry.status == "failed" and not entry.error:
        entry.error = "failed, and the report gives no reason"
    if entry.error and entry.status != "failed":
        problem(f"line {n}: repo {name} has an error but is marked {entry.status}")
        entry.status = "failed"
    return entry


def _check_blocking(r: RepoEntry, problem) -> None:
    """A judged repo's blocking count is its findings at or above its fail-on level: a
    repo line edited to 0 (and ok) must not hide the error findings listed under it."""
    if r.status == "failed":
        return
    if r.fail_on not in SEVERITIES:
        problem(f"repo {r.repo}: its repo line gives no fail-on level ({r.fail_on!r}), so "
                "its blocking findings cannot be told: the report is damaged")
        r.blocking = max(r.blocking, len(r.findings))
        return
    level = SEVERITIES.index(r.fail_on)  # SEVERITIES run from the highest
    counted = sum(SEVERITIES.index(f["severity"]) <= level for f in r.findings)
    if counted != r.blocking:
        problem(f"repo {r.repo}: {counted} of its finding lines are at or above its fail-on "
                f"level ({r.fail_on}) where its repo line says {r.blocking} blocking: lines "
                "are missing or edited")
        r.blocking = max(r.blocking, counted)


def _check_counts(report: MergedReport, problem) -> None:
    """Counts that do not add up mean lines were lost or edited."""
    for r in report.repos:
        counted = dict.fromkeys(SEVERITIES, 0)
        for f in r.findings:
            counted[f["severity"]] += 1
        if r.summary != counted:
            problem(f"repo {r.repo}: its summary {r.summary} does not match its "
                    f"{len(r.findings)} finding lines: finding lines are missing or edited")
        expected = r.cue_lines
        if r.status != "failed" and expected != len(r.cues):
            problem(f"repo {r.repo}: {len(r.cues)} cue lines where its repo line says "
                    f"{expected}: cue lines are missing or edited")
        _check_blocking(r, problem)
        if r.status == "ok" and r.blocking:
            problem(f"repo {r.repo} is marked ok with {r.blocking} blocking findings")
            r.status = "blocked"
        if r.status == "blocked" and not r.blocking:
            problem(f"repo {r.repo} is marked blocked with no blocking finding")
    if not report.repos and report.audit:
        problem("the report lists no repo: an audit of nothing shows nothing clean")
    audit = report.audit
    if not audit:
        return
    said = {"repos": len(report.repos), "failed": len(report.failed),
            "blocking": report.blocking, "partial": len(report.partial),
            "summary": report.summary, "exit_code": 2 if report.failed else
            1 if report.blocking else 0}
    for key, value in said.items():
        if audit.get(key) != value:
            problem(f"the audit line says {key} {audit.get(key)!r}, the lines above it "
                    f"give {value!r}: lines are missing or edited")
