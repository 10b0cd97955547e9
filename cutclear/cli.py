"""The `cutclear` command: check, conform, rules, explain, plugins, init.

Exit codes as ruff's: 0 nothing reaches the fail level, 1 something does, 2 cutclear could
not do its job (bad arguments or configuration, a plugin that fails). Heavy imports
(OpenTimelineIO, lxml) happen inside the commands so that `--version` and `--help` stay
instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from cutclear import __version__
from cutclear.commands.common import iso_date, rule_codes


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
                       help="reuse timelines walked and record files parsed before with "
                       "the same content (kept in ~/.cache/cutclear; the pre-commit hook "
                       "uses it)")

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
    init.add_argument("--hook-repo", metavar="URL",
                      help="take the pre-commit hooks from this published hook repository "
                      "(pinned; needs network once) instead of the installed cutclear "
                      "(`repo: local`, the default: works offline)")
    init.add_argument("--hook-rev", metavar="TAG",
                      help=f"the release tag of --hook-repo (default: v{__version__})")
    init.add_argument("directory", nargs="?", default=".", help="the edit repo (default: .)")
    from cutclear.commands import audit, cuesheet, import_log, pin, report
    for command in (report, cuesheet, pin, import_log, audit):
        command.add_parser(sub).set_defaults(run=command.run)
    return parser


def _report_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--root", metavar="DIR",
                     help="the edit repo: the folder holding its cutclear.toml or "
                     "[tool.cutclear] (default: $CUTCLEAR_ROOT, else found from the paths)")
    cmd.add_argument("--as-of", type=iso_date, metavar="DATE",
                     help="judge consents and approvals on this date (default: today)")
    cmd.add_argument("--select", type=rule_codes, metavar="CODES",
                     help="comma-separated rule codes or prefixes to run (replaces the "
                     "configured selection)")
    cmd.add_argument("--ignore", type=rule_codes, default=(), metavar="CODES",
                     help="comma-separated rule codes or prefixes to skip")
    cmd.add_argument("--fail-on", choices=("error", "warning", "info"),
                     help="lowest severity that fails the run (default: error)")
    cmd.add_argument("--format", default="text", metavar="FORMAT",
                     help="text (default), json, sarif, junit, github, html, or a format a "
                     "plugin adds")
    cmd.add_argument("--output", metavar="FILE", help="write the report to FILE")
    cmd.add_argument("--statistics", action="store_true",
                     help="print the number of findings per rule instead (text or json)")
    cmd.add_argument("--rate", metavar="FPS",
                     help="frame rate of EDLs (they do not state it), e.g. 24 or 23.976")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        return _closed_pipe()


def _closed_pipe() -> int:
    """The reader went away (`cutclear check | head`): stop quietly, as cat or grep do,
    and exit as they do when SIGPIPE ends them; the report was cut short, so not 0."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # nothing left to flush at exit
    except (OSError, ValueError):
        pass
    return 128 + 13  # SIGPIPE


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    # Adapters log through the root logger ("Fraction(0,0) not plausible"); the report
    # is what the user reads. Imported here: `--version` and `--help` need no logging.
    import logging

    logging.basicConfig(level=logging.ERROR)
    from cutclear.config import ConfigError
    from cutclear.manager import PluginError
    from cutclear.watchdog import PluginTimeout
    try:
        code = args.run(args) if hasattr(args, "run") else COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe is found out here, not at interpreter exit
        return code
    except BrokenPipeError:
        raise
    except PluginTimeout:  # delivered just as a plugin call ran out: still its failure
        print("cutclear: error: a plugin did not finish within plugin-timeout",
              file=sys.stderr)
        return 2
    except (ConfigError, PluginError) as e:
        print(f"cutclear: error: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug must not look like a verdict (exit 1) or a pass
        print(f"cutclear: internal error, please report it: {type(e).__name__}: {e}",
              file=sys.stderr)
        return 2


def cmd_check(args: argparse.Namespace) -> int:
    from cutclear.api import check, few_collections, load_plugins

    few_collections()
    from cutclear.config import ConfigError, load_config, parse_fail_on, parse_rate
    from cutclear.model import Mode

    config = load_config(args.paths[0] if args.paths else ".", root=args.root)
    config = config.with_overrides(
        edl_rate=parse_rate(args.rate, "--rate") if args.rate else None,
        fail_on=parse_fail_on(args.fail_on, "--fail-on") if args.fail_on else None)
    plugins = load_plugins(config)
    formats = plugins.formats()
    if args.format not in formats:
        raise ConfigError(f"--format {args.format}: not a report format (available: "
                          f"{', '.join(sorted(formats))})")
    if args.statistics and args.format not in ("text", "json"):
        raise ConfigError(f"--statistics prints text or json, not {args.format}")
    conform = args.command == "conform"
    quiet = not conform and args.quiet
    mode = Mode.LOCK if conform or args.lock else Mode.WIP if args.wip else None
    from cutclear.reports import terminal
    progress = terminal.Progress(sys.stderr) if terminal.Progress.wanted(sys.stderr, quiet) \
        else None
    try:
        report = check(args.paths, config=config, as_of=args.as_of, mode=mode,
                       select=args.select, ignore=args.ignore,
                       media_root=args.media_root if conform else None, plugins=plugins,
                       cache=not conform and args.cache, progress=progress)
    finally:
        if progress is not None:
            progress.close()
    if conform:
        _conformable(report, args.paths)
    if quiet and not report.findings:
        _warn_partial(report)  # quiet, yet never silent about a partial verdict
        return 0
    colour = args.format == "text" and not args.output and terminal.use_colour(sys.stdout)
    if args.statistics:
        text = terminal.render_statistics(report, args.format == "json", colour)
    elif colour:
        text = terminal.render_colour(report)
    else:
        text = plugins.render(formats, args.format, report)
    if args.output or colour or args.format not in ("text", "json"):
        _warn_partial(report)  # not in what reaches the terminal otherwise
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            raise ConfigError(f"--output {args.output}: {e.strerror}") from None
    else:
        sys.stdout.write(text)
    return report.exit_code


def _warn_partial(report) -> None:
    from cutclear.output import warn_partial

    warn_partial(report)


def _conformable(report, paths: list[str]) -> None:
    """A conform of nothing is a mistake (a wrong folder, an empty export), not a pass."""
    from cutclear.config import ConfigError
    from cutclear.engine import NO_CLIP

    if not report.timelines:
        raise ConfigError(f"conform {' '.join(paths)}: no timeline found there: name the "
                          "exported cut to conform")
    for read in report.timelines:
        if not read.clips and (read.error is None or read.error == NO_CLIP
                               or read.error.startswith("not a timeline")):
            raise ConfigError(f"conform {read.path}: {read.error or NO_CLIP}: "
                              "export the cut again")


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
    from cutclear.reports.explain import explain_text

    print(explain_text(rule))
    return 0


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
    for line in write_starter(args.directory, args.production, args.hook_repo, args.hook_rev):
        print(line)
    return 0


COMMANDS = {"check": cmd_check, "conform": cmd_check, "rules": cmd_rules, "explain": cmd_explain,
            "plugins": cmd_plugins, "init": cmd_init}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
