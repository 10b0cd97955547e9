"""The HTML report of a studio-wide audit (`cutclear report --audit audit.jsonl`): one
self-contained file, grouped by production and then by repo, from the merged report of
`cutclear audit` (cutclear.reports.merged).

For whoever signs off a slate: which productions clear, which repos block and why (each
finding), which could not be audited (each with its error, never left out), which were
judged without some plugins or rules, and every GenAI use (the cue sheet rows). A merged
report that is truncated, damaged or of another format says so above everything else,
and its verdict is never "clears". Like the clearance report it needs no network.
"""

from __future__ import annotations

from functools import cache

from cutclear import __version__
from cutclear.reports.merged import MergedReport, RepoEntry

CUE_COLUMNS = ("timeline", "track", "record_in", "record_out", "clip", "asset", "origin",
               "stage", "tool", "talent", "consents", "approvals", "findings")


@cache
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("cutclear.reports", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("audit.html.j2")


def headline(merged: MergedReport) -> str:
    """The verdict line: a damaged report, then failed repos, come before any finding."""
    if merged.problems:
        return ("Not shown clean: this audit report is incomplete or damaged "
                f"({len(merged.problems)} problem{'' if len(merged.problems) == 1 else 's'})")
    failed = len(merged.failed)
    if failed:
        return (f"Does not clear: {failed} repo{'' if failed == 1 else 's'} could not be "
                "audited")
    if merged.blocking:
        repos = sum(bool(r.blocking) for r in merged.repos)
        return (f"Does not clear: {merged.blocking} blocking finding"
                f"{'' if merged.blocking == 1 else 's'} in {repos} repo"
                f"{'' if repos == 1 else 's'}")
    return "Clears: every repo audited, no finding at its fail level"


def render_audit_html(merged: MergedReport) -> str:
    return _template().render(
        m=merged, version=__version__, headline=headline(merged),
        productions=merged.productions, cue_columns=CUE_COLUMNS, blocks=_blocks,
        anchors={r.repo: f"r{n}" for n, r in enumerate(merged.repos)})


_RANK = {"info": 0, "warning": 1, "error": 2}


def _blocks(finding: dict, repo: RepoEntry) -> bool:
    """At or above the repo's own fail level."""
    return _RANK.get(finding.get("severity"), 2) >= _RANK.get(repo.fail_on or "error", 2)
