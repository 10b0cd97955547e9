"""`cutclear cuesheet`: the GenAI cue sheet, one row per use of a GenAI asset.

    cutclear cuesheet -o cuesheet.csv
    cutclear cuesheet cuts/locked -o cuesheet.xlsx     # needs cutclear[xlsx] (openpyxl)

The format follows the file's suffix (.xlsx, else CSV); the columns are in
docs/cuesheet.md. The same run as `cutclear check`, with its exit status (1 when a
finding reaches the fail level, unless --exit-zero).
"""

from __future__ import annotations

import argparse

from cutclear.commands.common import add_run_options, exit_code, run_check, write


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "cuesheet", help="write the GenAI cue sheet (CSV or .xlsx)",
        description="Check timelines and write the GenAI cue sheet: one row per use of a "
        "GenAI or generative-edit asset, in record order, with its tool, prompts, inputs, "
        "talent, consents, approvals, presentation, disclosure and findings.")
    add_run_options(cmd, "write the cue sheet to FILE: .csv or .xlsx (default: CSV on stdout)")
    return cmd


def run(args: argparse.Namespace) -> int:
    from cutclear.reports.cuesheet import render_csv, require_openpyxl, write_xlsx

    xlsx = bool(args.output) and args.output.lower().endswith(".xlsx")
    if xlsx:
        require_openpyxl()
    report = run_check(args)
    if xlsx:
        from cutclear.config import ConfigError
        try:
            write_xlsx(report, args.output)
        except OSError as e:
            raise ConfigError(f"--output {args.output}: {e.strerror}") from None
    else:
        write(args.output, render_csv(report))
    return exit_code(report, args)
