"""The `cutclear` command: check, conform, rules, explain, plugins, init.

Exit codes as ruff's: 0 nothing reaches the fail level, 1 something does, 2 cutclear could
not do its job (bad arguments or configuration, a plugin that fails). Heavy imports
(OpenTimelineIO, lxml) happen inside the commands so that `--version` and `--help` stay
instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Sequence

from cutclear import __version__


def _codes(text: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in text.split(",") if c.strip())


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cutclear",
        description="Keep uncleared generative-AI material out of locked cuts.")
    parser.add_argument("--version", action="version", version=f"cutclear {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check timelines against the GenAI records",
                           description="Check timelines (all in the edit repo if none are "
                           "given) against the *.genai.xml records.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="timelines or folders")
    mode = check.add_mutually_exclusive_group()
    mode.add_argument("--lock", action="store_true",
                      help="check every timeline as a locked cut (the conform step)")
    mode.add_argument("--wip", action="store_true",
                      help="check every timeline as work in progress")
    _report_options(check)
    check.add_argument("--quiet", action="store_true",
                       help="print nothing when there is no finding (as in a git hook)")
    check.add_argument("--cache", action="store_true",
                       help="reuse timelines walked before with the same content (kept in "
                       "~/.cache/cutclear; the pre-commit hook uses it)")

    conform = sub.add_parser("conform", help="gate a conform: check a cut as locked",
                             description="Check the timeline being conformed as a locked "
                             "cut; exit 1 when it may not ship.")
    conform.add_argument("paths", nargs="+", metavar="TIMELINE")
    conform.add_argument("--media-root", metavar="DIR",
                         help="the media being conformed: every clip's media must be "
                         "found under DIR (PV006)")
    _report_options(conform)

    sub.add_parser("rules", help="list the rule catalogue").add_argument(
        "--format", choices=("text", "json"), default="text")
    explain = sub.add_parser("explain", help="explain one rule")
    explain.add_argument("code", metavar="CODE")
    plugins = sub.add_parser("plugins", help="list the installed plugins",
                             description="List the plugins cutclear loads: name, version, "
                             "hooks and rule codes.")
    plugins.add_argument("--format", choices=("text", "json"), default="text")
    init = sub.add_parser("init", help="start using cutclear in an edit repo",
                          description="Write a starter cutclear.toml and a "
                          ".pre-commit-config.yaml with cutclear's hooks; existing files "
                          "are never overwritten.")
    init.add_argument("--production", metavar="ID", help="the production id")
    init.add_argument("directory", nargs="?", default=".", help="the edit repo (default: .)")
    from cutclear.commands import import_log, pin
    for module in (pin, import_log):
        module.add_parser(sub).set_defaults(run=module.run)
    return parser


def _report_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--as-of", type=_date, metavar="DATE",
                     help="judge consents and approvals on this date (default: today)")
    cmd.add_argument("--select", type=_codes, metavar="CODES",
                     help="comma-separated rule codes or prefixes to run (replaces the "
                     "configured selection)")
    cmd.add_argument("--ignore", type=_codes, default=(), metavar="CODES",
                     help="comma-separated rule codes or prefixes to skip")
    cmd.add_argument("--fail-on", choices=("error", "warning", "info"),
                     help="lowest severity that fails the run (default: error)")
    cmd.add_argument("--format", default="text", metavar="FORMAT",
                     help="text (default), json, or a format a plugin adds")
    cmd.add_argument("--output", metavar="FILE", help="write the report to FILE")
    cmd.add_argument("--rate", metavar="FPS",
                     help="frame rate of EDLs (they do not state it), e.g. 24 or 23.976")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # Adapters log through the root logger ("Fraction(0,0) not plausible"); the report
    # is what the user reads.
    logging.basicConfig(level=logging.ERROR)
    from cutclear.config import ConfigError
    from cutclear.manager import PluginError
    try:
        return args.run(args) if hasattr(args, "run") else COMMANDS[args.command](args)
    except (ConfigError, PluginError) as e:
        print(f"cutclear: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug must not look like a verdict (exit 1) or a pass
        print(f"cutclear: internal error, please report it: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 2


def cmd_check(args: argparse.Namespace) -> int:
    from cutclear.api import check, load_plugins
    from cutclear.config import ConfigError, load_config, parse_fail_on, parse_rate
    from cutclear.model import Mode

    config = load_config(args.paths[0] if args.paths else ".")
    config = config.with_overrides(
        edl_rate=parse_rate(args.rate, "--rate") if args.rate else None,
        fail_on=parse_fail_on(args.fail_on, "--fail-on") if args.fail_on else None)
    plugins = load_plugins(config)
    formats = plugins.formats()
    if args.format not in formats:
        raise ConfigError(f"--format {args.format}: not a report format (available: "
                          f"{', '.join(sorted(formats))})")
    conform = args.command == "conform"
    mode = Mode.LOCK if conform or args.lock else Mode.WIP if args.wip else None
    report = check(args.paths, config=config, as_of=args.as_of, mode=mode,
                   select=args.select, ignore=args.ignore,
                   media_root=args.media_root if conform else None, plugins=plugins,
                   cache=not conform and args.cache)
    if not conform and args.quiet and not report.findings:
        return 0
    text = plugins.render(formats, args.format, report)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise ConfigError(f"--output {args.output}: {e.strerror}") from None
    else:
        sys.stdout.write(text)
    return report.exit_code


def cmd_rules(args: argparse.Namespace) -> int:
    import json

    from cutclear.manager import Plugins

    rules = Plugins().rules
    if args.format == "json":
        print(json.dumps([{"code": r.code, "name": r.name, "wip": str(r.wip),
                           "lock": str(r.lock), "summary": r.summary, "plugin": r.source}
                          for r in rules.values()], indent=2))
        return 0
    for r in rules.values():
        print(f"{r.code}  {r.name:<36} {str(r.wip):>7} / {str(r.lock):<7}  {r.summary}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from cutclear.manager import Plugins

    rule = Plugins().rules.get(args.code.upper())
    if rule is None:
        print(f"cutclear: error: unknown rule code {args.code!r} (see `cutclear rules`)",
              file=sys.stderr)
        return 2
    print(f"{rule.code} ({rule.name})\n\n"
          f"Fires when {rule.summary}.\n\n"
          f"Severity: {rule.wip} in work in progress, {rule.lock} in a locked cut "
          "(override with [severity] in cutclear.toml, [tool.cutclear.severity] in "
          "pyproject.toml).\n\n"
          f"Why: {rule.rationale}\n\n"
          f"Records that satisfy it:\n\n{_indent(rule.example)}\n\n"
          f"From plugin: {rule.source}")
    return 0


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())


def cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from cutclear.manager import Plugins

    loaded = Plugins()
    infos = list(loaded.info.values())
    # a plugin may say whether it is active (cutclear-c2pa: is c2pa-python installed?)
    status = {i.name: getattr(loaded.pm.get_plugin(i.name), "plugin_status", lambda: "")()
              for i in infos}
    if args.format == "json":
        print(json.dumps([{**vars(i), **({"status": status[i.name]} if status[i.name] else {})}
                          for i in infos], indent=2))
        return 0
    for i in infos:
        rules = f"  rules: {' '.join(i.rules)}" if i.rules else ""
        state = f"  [{status[i.name]}]" if status[i.name] else ""
        print(f"{i.name} {i.version} ({i.module})  hooks: {', '.join(i.hooks)}{rules}{state}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from cutclear.starter import write_starter

    if not os.path.isdir(args.directory):
        print(f"cutclear: error: {args.directory}: no such folder", file=sys.stderr)
        return 2
    for line in write_starter(args.directory, args.production):
        print(line)
    return 0


COMMANDS = {"check": cmd_check, "conform": cmd_check, "rules": cmd_rules, "explain": cmd_explain,
            "plugins": cmd_plugins, "init": cmd_init}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
