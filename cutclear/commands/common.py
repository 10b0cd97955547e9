"""What `cutclear report` and `cutclear cuesheet` share with `cutclear check`: the same
paths, modes, dates and rule selection, one run of the engine, and the exit status."""

from __future__ import annotations

import argparse
import datetime as dt
import sys


def rule_codes(text: str) -> tuple[str, ...]:
    """`--select GA,TL003`: comma-separated rule codes or prefixes."""
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def iso_date(text: str) -> dt.date:
    """`--as-of 2026-06-01`."""
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_run_options(cmd: argparse.ArgumentParser, output_help: str) -> None:
    cmd.add_argument("paths", nargs="*", metavar="PATH",
                     help="timelines or folders (default: every timeline of the edit repo)")
    mode = cmd.add_mutually_exclusive_group()
    mode.add_argument("--lock", action="store_true", help="judge every timeline as locked")
    mode.add_argument("--wip", action="store_true",
                      help="judge every timeline as work in progress")
    cmd.add_argument("-o", "--output", metavar="FILE", help=output_help)
    cmd.add_argument("--root", metavar="DIR",
                     help="the edit repo: the folder holding its cutclear.toml or "
                     "[tool.cutclear] (default: $CUTCLEAR_ROOT, else found from the paths)")
    cmd.add_argument("--as-of", type=iso_date, metavar="DATE",
                     help="judge consents and approvals on this date (default: today)")
    cmd.add_argument("--select", type=rule_codes, metavar="CODES",
                     help="comma-separated rule codes or prefixes to run")
    cmd.add_argument("--ignore", type=rule_codes, default=(), metavar="CODES",
                     help="comma-separated rule codes or prefixes to skip")
    cmd.add_argument("--fail-on", choices=("error", "warning", "info"),
                     help="lowest severity that fails the run (default: error)")
    cmd.add_argument("--rate", metavar="FPS", help="frame rate of EDLs, e.g. 24 or 23.976")
    cmd.add_argument("--exit-zero", action="store_true",
                     help="exit 0 even when findings reach the fail level (as ruff's)")


def run_check(args: argparse.Namespace):
    """The Report of one run, as `cutclear check` would make it."""
    from cutclear.api import check, load_plugins
    from cutclear.config import load_config, parse_fail_on, parse_rate
    from cutclear.model import Mode
    from cutclear.reports.terminal import Progress

    config = load_config(args.paths[0] if args.paths else ".", root=args.root)
    config = config.with_overrides(
        edl_rate=parse_rate(args.rate, "--rate") if args.rate else None,
        fail_on=parse_fail_on(args.fail_on, "--fail-on") if args.fail_on else None)
    plugins = load_plugins(config)
    mode = Mode.LOCK if args.lock else Mode.WIP if args.wip else None
    progress = Progress(sys.stderr) if Progress.wanted(sys.stderr, False) else None
    try:
        report = check(args.paths, config=config, as_of=args.as_of, mode=mode,
                       select=args.select, ignore=args.ignore, plugins=plugins,
                       progress=progress)
    finally:
        if progress is not None:
            progress.close()
    from cutclear.output import warn_partial

    warn_partial(report)  # the report goes to a file: the partial verdict is said here
    return report


def write(path: str | None, text: str) -> None:
    """Write to FILE (asked for with -o), or to stdout."""
    if not path or path == "-":
        sys.stdout.write(text)
        return
    from cutclear.config import ConfigError
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    except OSError as e:
        raise ConfigError(f"--output {path}: {e.strerror}") from None


def exit_code(report, args: argparse.Namespace) -> int:
    return 0 if args.exit_zero else report.exit_code
