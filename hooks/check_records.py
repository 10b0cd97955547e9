"""The `cutclear-records` pre-commit hook: refuse broken *.genai.xml record files.

Validates the staged record files against the schema (PV001), and, with the rest of the
repo's records, checks their references (PV002) and ids (PV004): an id may be defined or
referenced in another file, so the whole record database is loaded, and findings are
reported for the files of this commit. A git repo may hold several edit repos, the
edit repo in a subfolder: each staged record is judged with the records of the edit repo
whose settings it lies under, and named by its path there. Record files whose bytes were
parsed before come from the record cache (`cutclear.recordcache`), as in the `cutclear`
hook.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence

from cutclear.formats import RECORD_SUFFIX

RECORD_RULES = ("PV001", "PV002", "PV004")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cutclear-records-hook",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("filenames", nargs="*")
    parser.add_argument("--root", metavar="DIR",
                        help="the edit repo (default: $CUTCLEAR_ROOT, else found from the "
                        "files' settings)")
    args = parser.parse_args(argv)
    staged = sorted({p for p in args.filenames if p.lower().endswith(RECORD_SUFFIX)})
    if not staged:
        return 0

    from cutclear.config import ConfigError, find_config_file
    from cutclear.manager import PluginError

    # the edit repo each record belongs to (a git repo may hold several, in subfolders),
    # and the record's path inside it, as that repo's findings name it
    by_repo: dict[str, set[str]] = {}
    try:
        root_named = args.root or os.environ.get("CUTCLEAR_ROOT")
        for path in staged:
            if root_named:
                root = os.path.abspath(root_named)
            else:
                found = find_config_file(path)
                root = os.path.dirname(found[0]) if found else os.getcwd()
            rel = os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
            by_repo.setdefault(root, set()).add(rel)
        codes = [check(root, rels) for root, rels in sorted(by_repo.items())]
    except (ConfigError, PluginError) as e:
        print(f"cutclear: error: {e}", file=sys.stderr)
        return 2
    return max(codes)


def check(root: str, staged: set[str]) -> int:
    """Load every record of the edit repo at `root`; report the findings of `staged`
    (paths relative to `root`) and return 1 if any reaches the fail level."""
    from cutclear.api import load_plugins
    from cutclear.config import load_config
    from cutclear.engine import Engine, Selection, resolve_paths
    from cutclear.output import text_line
    from cutclear.recordcache import RecordCache
    from cutclear.recordfile import load_records

    config = load_config(root, root=root)
    plugins = load_plugins(config)
    selection = Selection(plugins.rules, RECORD_RULES)
    _, records = resolve_paths(config, [])
    # the files of the repo that this commit leaves as they were are not parsed again
    db = load_records(config.root, sorted(set(records) | staged),
                      cache=RecordCache(config.root, config))
    report = Engine(config, plugins, selection, dt.date.today()).run([], db)
    if plugins.disabled:
        print("cutclear: warning: Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
              f"{', '.join(plugins.disabled)}.", file=sys.stderr)
    findings = [f for f in report.findings if f.path in staged]
    for finding in findings:
        print(text_line(finding))
    return 1 if any(f.severity >= config.fail_on for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
