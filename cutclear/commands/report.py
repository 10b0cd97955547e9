"""`cutclear report`: the visual clearance report, one self-contained HTML file.

    cutclear report -o clearance.html            # every timeline of the edit repo
    cutclear report cuts/locked -o reel1.html --as-of 2026-06-01
    cutclear report --audit audit.jsonl -o studio.html   # a studio-wide audit's report

The same run as `cutclear check` (same options and exit status: 1 when a finding reaches
the fail level, unless --exit-zero), written with the `html` format. With --audit, the
merged report of `cutclear audit` grouped by production and repo, with the audit's exit
status (docs/audit.md).
"""

from __future__ import annotations

import argparse

from cutclear.commands.common import add_run_options, exit_code, run_check, write
from cutclear.commands.merged import add_audit_option, audit_exit_code, read_audit


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "report", help="write the visual clearance report (HTML)",
        description="Check timelines and write one self-contained HTML clearance report: "
        "each timeline drawn with its clips coloured by verdict, the findings, and every "
        "clip's provenance. It needs no network and prints.")
    add_run_options(cmd, "write the report to FILE (e.g. clearance.html; default: stdout)")
    add_audit_option(cmd)
    return cmd


def run(args: argparse.Namespace) -> int:
    if args.audit:
        from cutclear.reports.studio import render_audit_html

        merged = read_audit(args)
        write(args.output, render_audit_html(merged))
        return audit_exit_code(merged, args)
    from cutclear.reports.html import render_html

    report = run_check(args)
    write(args.output, render_html(report))
    return exit_code(report, args)
