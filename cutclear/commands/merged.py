"""`--audit FILE`, shared by `cutclear report` and `cutclear cuesheet`: render the merged
report of `cutclear audit` (cutclear.reports.merged) instead of running a check."""

from __future__ import annotations

import argparse
import sys

# options of a check run that do not apply to a report already judged, repo by repo
_CHECK_ONLY = (("paths", "PATH"), ("lock", "--lock"), ("wip", "--wip"), ("root", "--root"),
               ("as_of", "--as-of"), ("select", "--select"), ("ignore", "--ignore"),
               ("fail_on", "--fail-on"), ("rate", "--rate"))


def add_audit_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--audit", metavar="FILE",
                     help="render the merged report of `cutclear audit` (JSON lines; - for "
                     "stdin), grouped by production and repo, instead of checking")


def read_audit(args: argparse.Namespace):
    """The merged report, its problems and failed repos said on stderr as well."""
    from cutclear.config import ConfigError
    from cutclear.reports.merged import read_merged

    given = [flag for key, flag in _CHECK_ONLY if getattr(args, key, None)]
    if given:
        raise ConfigError(f"--audit renders an audit as its repos were judged, each with its "
                          f"own settings: {', '.join(given)} do not apply (give them to "
                          "`cutclear audit`)")
    merged = read_merged(args.audit)
    for problem in merged.problems:
        print(f"cutclear: error: {problem}", file=sys.stderr)
    for r in merged.failed:
        print(f"cutclear: error: {r.repo}: could not be audited: {r.error}", file=sys.stderr)
    for r in merged.partial:
        print(f"cutclear: warning: {r.repo}: a partial verdict, judged without "
              f"{r.partial_note}", file=sys.stderr)
    return merged


def audit_exit_code(merged, args: argparse.Namespace) -> int:
    """The audit's status: 2 for a damaged report or a failed repo, whatever --exit-zero
    says (as ruff's: it zeroes findings, not errors); 1 for blocking findings."""
    code = merged.exit_code
    return 0 if code == 1 and args.exit_zero else code
