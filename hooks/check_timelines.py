"""The `cutclear` pre-commit hook: refuse a commit that puts uncleared GenAI in a locked cut.

pre-commit passes the staged files that match the hook's `files` pattern. A clip's verdict
depends on records and configuration as much as on the timeline, so a commit that changes
or deletes a record file or the cutclear settings re-checks every timeline of the repo
(that is how revoking a consent fails while a locked cut still uses it); otherwise only
the timelines passed are checked. A commit touching none of these returns at once.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence

from cutclear.formats import RECORD_SUFFIX, is_timeline_file


def staged_deletions() -> list[str]:
    """Files this commit deletes: pre-commit never passes them, yet they can unclear a cut."""
    try:
        out = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=D", "-z"],
                             capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [name for name in out.split("\0") if name]


def changes_verdicts(path: str) -> bool:
    """A record file, an XMP sidecar or the cutclear settings: a change can alter any
    timeline's verdict."""
    name = os.path.basename(path).lower()  # suffixes in any case, as discovery reads them
    if name.endswith((RECORD_SUFFIX, ".xmp")) or name == "cutclear.toml":
        return True
    if name != "pyproject.toml":
        return False
    if not os.path.exists(path):
        return True  # deleted: it may have held the settings
    try:
        with open(path, "rb") as f:
            return b"[tool.cutclear" in f.read()
    except OSError:
        return True  # cannot be read: the check run reports it


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cutclear-hook", description=__doc__.split("\n")[0])
    parser.add_argument("filenames", nargs="*")
    parser.add_argument("--fail-on", choices=("error", "warning", "info"))
    parser.add_argument("--rate", metavar="FPS", help="frame rate of EDLs when not configured")
    parser.add_argument("--as-of", metavar="DATE", help="judge consents and approvals then")
    parser.add_argument("--root", metavar="DIR", default=os.environ.get("CUTCLEAR_ROOT"),
                        help="the edit repo (default: $CUTCLEAR_ROOT, else found from the "
                        "files' settings)")
    args = parser.parse_args(argv)

    changed = [p for p in [*args.filenames, *staged_deletions()] if changes_verdicts(p)]
    recheck_all = bool(changed)
    if not recheck_all:
        timelines = [p for p in args.filenames if is_timeline_file(p)]
        if not timelines:
            return 0

    from cutclear.cli import main as cutclear

    options = ["--quiet", "--cache"]  # unchanged timelines are not walked again
    options += ["--fail-on", args.fail_on] if args.fail_on else []
    options += ["--rate", args.rate] if args.rate else []
    options += ["--as-of", args.as_of] if args.as_of else []
    options += ["--root", args.root] if args.root else []
    if recheck_all and args.root:
        timelines = []  # every timeline of the edit repo named
    elif recheck_all:  # every timeline of the edit repo the change belongs to
        from cutclear.config import ConfigError, find_config_file

        try:
            found = find_config_file(changed[0])
        except ConfigError as e:
            print(f"cutclear: error: {e}", file=sys.stderr)
            return 2
        timelines = [os.path.dirname(found[0]) or "."] if found else []
    return cutclear(["check", *options, *timelines])


if __name__ == "__main__":
    sys.exit(main())
