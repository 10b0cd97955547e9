"""`cutclear cuesheet`: the GenAI cue sheet, one row per use of a GenAI asset.

    cutclear cuesheet -o cuesheet.csv
    cutclear cuesheet cuts/locked -o cuesheet.xlsx     # needs cutclear[xlsx] (openpyxl)
    cutclear cuesheet --audit audit.jsonl -o studio.csv   # every repo of an audit

The format follows the file's suffix (.xlsx, else CSV); the columns are in
docs/cuesheet.md. The same run as `cutclear check`, with its exit status (1 when a
finding reaches the fail level, unless --exit-zero). With --audit, the rows of every repo
of a merged audit report, with repo, production and status columns and the audit's
exit status.
"""

from __future__ import annotations

import argparse

from cutclear.commands.common import add_run_options, exit_code, run_check, write
from cutclear.commands.merged import add_audit_option, audit_exit_code, read_audit


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "cuesheet", help="write the GenAI cue sheet (CSV or .xlsx)",
        description="Check timelines and write the GenAI cue sheet: one row per use of a "
        "GenAI or generative-edit asset, in record order, with its tool, prompts, inputs, "
        "talent, consents, approvals, presentation, disclosure and findings.")
    add_run_options(cmd, "write the cue sheet to FILE: .csv or .xlsx (default: CSV on stdout)")
    add_audit_option(cmd)
    return cmd


def run(args: argparse.Namespace) -> int:
    from cutclear.reports import cuesheet

    xlsx = bool(args.output) and args.output.lower().endswith(".xlsx")
    if xlsx:
        cuesheet.require_openpyxl()
    if args.audit:
        merged = read_audit(args)
        _write(args, xlsx, cuesheet.render_audit_csv, cuesheet.write_audit_xlsx, merged)
        return audit_exit_code(merged, args)
    report = run_check(args)
    _write(args, xlsx, cuesheet.render_csv, cuesheet.write_xlsx, report)
    return exit_code(report, args)


def _write(args: argparse.Namespace, xlsx: bool, render_csv, write_xlsx, source) -> None:
    if not xlsx:
        write(args.output, render_csv(source))
        return
    from cutclear.config import ConfigError
    try:
        write_xlsx(source, args.output)
    except OSError as e:
        raise ConfigError(f"--output {args.output}: {e.strerror}") from None
