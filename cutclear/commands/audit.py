"""`cutclear audit`: check every edit repo under some folders, each with its own settings,
into one merged JSON-lines report (docs/audit.md).

    cutclear audit /mnt/productions -o audit.jsonl            # one repo after the other
    cutclear audit /mnt/productions --jobs 8                  # 8 processes here
    cutclear audit /mnt/productions --scheduler tcp://dask-scheduler:8786

Exit status: 2 when any repo could not be audited (its error is in the report), else 1
when any repo has a finding at its fail level, else 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from cutclear.commands.common import iso_date


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (1 or more)")
    return jobs


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "audit", help="check every edit repo under some folders (a studio-wide audit)",
        description="Find every edit repo (a folder holding cutclear.toml or "
        "[tool.cutclear]) under the ROOTs, check all its timelines with its own settings, "
        "and write one merged report: a JSON line per finding, per repo, per production, "
        "and a last summary line. Exit 2 when any repo could not be audited, else 1 when "
        "any repo has a blocking finding.")
    cmd.add_argument("roots", nargs="+", metavar="ROOT", help="folders to search for edit repos")
    mode = cmd.add_mutually_exclusive_group()
    mode.add_argument("--lock", action="store_true", help="judge every timeline as locked")
    mode.add_argument("--wip", action="store_true",
                      help="judge every timeline as work in progress")
    cmd.add_argument("--as-of", type=iso_date, metavar="DATE",
                     help="judge consents and approvals on this date (default: today)")
    cmd.add_argument("-o", "--output", metavar="FILE",
                     help="write the report to FILE (e.g. audit.jsonl; default: stdout)")
    where = cmd.add_mutually_exclusive_group()
    where.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                       help="audit N repos at a time in processes of this machine")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run the audit on the Dask cluster whose scheduler is at "
                       "ADDRESS (e.g. tcp://10.0.0.5:8786); needs cutclear[dask]")
    return cmd


def _progress():
    """A bar on a terminal (not in pre-commit, not in a pipe), for any number of repos:
    one repo can take minutes."""
    from cutclear.reports.terminal import Progress

    if not Progress.wanted(sys.stderr, False):
        return None
    bar = Progress(sys.stderr)
    bar.MIN_TIMELINES = 1
    return bar


def run(args: argparse.Namespace) -> int:
    from cutclear import audit
    from cutclear.commands.common import write

    tasks = audit.find_repos(args.roots)
    options = audit.AuditOptions(args.as_of or dt.date.today(),
                                 "lock" if args.lock else "wip" if args.wip else None)
    progress = _progress()
    try:
        if args.scheduler:
            results = audit.run_dask(tasks, options, args.scheduler, progress)
        elif args.jobs > 1 and len(tasks) > 1:
            results = audit.run_pool(tasks, options, args.jobs, progress)
        else:
            results = audit.run_serial(tasks, options, progress)
    finally:
        if progress is not None:
            progress.close()
    write(args.output, audit.render_jsonl(results, options))
    for r in sorted(results, key=lambda r: r.repo):
        if r.error:
            print(f"cutclear: error: {r.repo}: {r.error}", file=sys.stderr)
        elif r.partial:  # allowed, but the report goes to a file: said here too
            print(f"cutclear: warning: {r.repo}: a partial verdict, judged without "
                  f"{r.partial_note}", file=sys.stderr)
    code = audit.exit_code(results)
    blocked = sum(bool(r.blocking) for r in results)
    failed = sum(bool(r.error) for r in results)
    print(f"cutclear: audited {len(results)} edit repo{'' if len(results) == 1 else 's'}: "
          f"{blocked} with blocking findings, {failed} could not be audited",
          file=sys.stderr)
    return code
