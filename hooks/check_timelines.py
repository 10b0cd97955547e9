"""The `cutclear` pre-commit hook: refuse a commit that puts uncleared GenAI in a locked cut.

pre-commit passes the staged files that match the hook's `files` pattern. A clip's verdict
depends on records and configuration as much as on the timeline, so a commit that changes
or deletes a record file, an XMP sidecar or the cutclear settings re-checks every timeline
of the edit repo it belongs to (that is how revoking a consent fails while a locked cut
still uses it); otherwise only the timelines passed are checked, each against its own
edit repo's records. A rename is a deletion of the old name (pre-commit passes only the
new one). One git repo may hold several edit repos: each one a change reaches is checked.

The plugins and adapters installed in the hook's environment decide verdicts too: when
they differ from those under which the git repo's edit repos last passed (a change of
`additional_dependencies`, a new hook environment), every edit repo is re-checked. A
commit touching none of this returns at once, without loading OpenTimelineIO.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Sequence

from cutclear.formats import RECORD_SUFFIX, is_timeline_file

SETTINGS_FILES = ("cutclear.toml", "pyproject.toml")


def git(*args: str) -> list[str]:
    """NUL-separated names from git; none when git cannot answer (not a git repo)."""
    try:
        out = subprocess.run(["git", *args], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return [name for name in out.split("\0") if name]


def not_committed() -> list[str]:
    """Record files, sidecars and settings in the work tree that the commit does not hold
    as they are there: untracked (also after `git rm --cached`), ignored, or changed but
    not staged. cutclear reads the work tree, so such a file would judge the commit by
    something it does not contain: an untracked approval would pass a cut that fails
    once committed. (pre-commit stashes unstaged changes of tracked files, not the rest.)"""
    # `--others` without exclude patterns lists untracked and ignored files alike; the
    # two calls (each a walk of the work tree) run side by side
    names = gits(("ls-files", "-z", "--others"), ("diff", "--name-only", "-z"))
    return sorted({n for n in names if not _hidden(n) and changes_verdicts(n)})


def gits(*calls: tuple[str, ...]) -> list[str]:
    """`git` for each call at once, their NUL-separated names together; a call that
    fails (not a git repo) answers none, as `git` does."""
    try:
        running = [subprocess.Popen(["git", *args], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True) for args in calls]
    except OSError:
        return []
    names: list[str] = []
    for call in running:
        out = call.communicate()[0]
        if call.returncode == 0:
            names += [name for name in out.split("\0") if name]
    return names


def orphaned_by_deletion(deletions: list[str]) -> list[str]:
    """Timelines left under the folder of a settings file this commit deletes: an edit
    repo's cuts would fall to an outer repo (which may exclude them) or to none."""
    orphans: list[str] = []
    for path in deletions:
        name = os.path.basename(path).lower()
        if name not in SETTINGS_FILES or os.path.exists(path):
            continue
        if name == "pyproject.toml" and b"[tool.cutclear" not in _committed(path):
            continue
        for dirpath, dirnames, filenames in os.walk(os.path.dirname(path) or "."):
            dirnames[:] = [d for d in dirnames if d != ".git"]
            orphans += [os.path.join(dirpath, f) for f in filenames if is_timeline_file(f)]
    return sorted(orphans)


def _committed(path: str) -> bytes:
    try:
        return subprocess.run(["git", "show", f"HEAD:{path}"], capture_output=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return b"[tool.cutclear"  # cannot tell: as if it held settings


def _hidden(path: str) -> bool:
    """In .git, which discovery never reads (other hidden and tooling folders it reads
    where the locked globs reach into them, so their files count here too)."""
    return ".git" in path.split("/")[:-1]


def git_state() -> tuple[list[str], str | None]:
    """The files this commit deletes, the old names of renamed files included (pre-commit
    never passes them, yet they can unclear a cut), and the git work tree (None outside
    one). The two git calls run side by side: the no-op commit waits for one, not two."""
    try:
        calls = [subprocess.Popen(["git", *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, text=True)
                 for args in (("diff", "--cached", "--name-only", "--no-renames",
                               "--diff-filter=D", "-z"), ("rev-parse", "--show-toplevel"))]
    except OSError:
        return [], None
    (deleted, code_d), (top, code_t) = ((c.communicate()[0], c.returncode) for c in calls)
    names = [name for name in deleted.split("\0") if name] if code_d == 0 else []
    return names, (top.strip() or None) if code_t == 0 else None


def changes_verdicts(path: str) -> bool:
    """A record file, an XMP sidecar or the cutclear settings: a change can alter any
    timeline's verdict."""
    name = os.path.basename(path).lower()  # suffixes in any case, as discovery reads them
    if name.endswith((RECORD_SUFFIX, ".xmp")) or name == "cutclear.toml":
        return True
    if name != "pyproject.toml":
        return False
    if not os.path.isfile(path):
        return True  # deleted: it may have held the settings
    try:
        with open(path, "rb") as f:
            return b"[tool.cutclear" in f.read()
    except OSError:
        return True


def edit_repo_of(path: str) -> str:
    """The root of the edit repo a (possibly deleted) file belongs to: the folder of the
    settings found walking up from it, else its own folder."""
    from cutclear.config import find_config_file

    found = find_config_file(path)
    folder = os.path.dirname(found[0]) if found else os.path.dirname(os.path.abspath(path))
    return os.path.relpath(folder) if folder != os.getcwd() else "."


def all_edit_repos() -> list[str]:
    """Every edit repo of the git repo: the folders of tracked or staged settings files."""
    from cutclear.config import find_config_file

    roots = set()
    for name in git("ls-files", "-z", "--cached"):
        if os.path.basename(name) in SETTINGS_FILES and os.path.isfile(name):
            found = find_config_file(name)
            if found and os.path.samefile(found[0], name):
                roots.add(os.path.relpath(os.path.dirname(os.path.abspath(name))))
    return sorted(roots)


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

    from cutclear.installed import changed_since_pass, quick_key, record_pass

    key = quick_key()  # before anything is read: a plugin installed meanwhile is a change
    deletions, scope = git_state()
    changed = [p for p in [*args.filenames, *deletions] if changes_verdicts(p)]
    timelines = [p for p in args.filenames if is_timeline_file(p)]
    installed = None if scope is None else changed_since_pass(scope, key)
    plugins_changed = installed is not None
    if not (changed or timelines or plugins_changed):
        return 0

    orphans = orphaned_by_deletion(deletions)
    if orphans:
        print("cutclear: error: the commit deletes the settings of an edit repo whose "
              f"timelines stay ({', '.join(orphans[:5])}{' ...' if len(orphans) > 5 else ''}"
              "): they would no longer be judged by its records and locked globs; delete "
              "the timelines too, or keep the settings", file=sys.stderr)
        return 2
    stray = not_committed()
    if stray:
        print("cutclear: error: the commit cannot be judged as it stands: "
              f"{', '.join(stray[:5])}{' ...' if len(stray) > 5 else ''} "
              f"{'is' if len(stray) == 1 else 'are'} in the work tree but not staged as "
              "they are (untracked, ignored or changed), and would decide verdicts the "
              "commit does not hold: stage them (git add) or move them away",
              file=sys.stderr)
        return 2
    from cutclear.api import few_collections
    from cutclear.config import ConfigError

    few_collections()
    # edit repo root -> None (check every timeline) or the timelines to check
    plan: dict[str, list[str] | None] = {}
    try:
        if args.root:  # the edit repo named: every path is judged against it
            plan[args.root] = None if changed or plugins_changed else timelines
        for root in all_edit_repos() if plugins_changed and not args.root else []:
            plan[root] = None
        for path in [] if args.root else changed:
            plan[edit_repo_of(path)] = None
        for path in [] if args.root else timelines:
            root = edit_repo_of(path)
            if plan.get(root, []) is not None:
                plan.setdefault(root, []).append(path)
    except ConfigError as e:
        print(f"cutclear: error: {e}", file=sys.stderr)
        return 2
    code = max((check(root, paths, args, several=len(plan) > 1)
                for root, paths in sorted(plan.items())), default=0)
    if code == 0 and installed is not None and scope is not None:
        record_pass(scope, installed, key)  # until the plugins change again
    return code


def check(root: str, timelines: list[str] | None, args: argparse.Namespace,
          several: bool) -> int:
    """`cutclear check` of one edit repo: all its timelines (None) or those given. With
    several edit repos in the commit, each report is headed by its edit repo, since its
    paths are relative to it."""
    from cutclear.cli import main as cutclear

    options = ["--quiet", "--cache"]  # unchanged timelines are not walked again
    options += ["--fail-on", args.fail_on] if args.fail_on else []
    options += ["--rate", args.rate] if args.rate else []
    options += ["--as-of", args.as_of] if args.as_of else []
    options += ["--root", args.root] if args.root else []
    if not several:
        return cutclear(["check", *options, *(timelines if timelines is not None else [root])])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cutclear(["check", *options, *(timelines if timelines is not None else [root])])
    if out.getvalue():
        print(f"cutclear: edit repo {root}{'' if root == '.' else '/'}:")
        sys.stdout.write(out.getvalue())
    return code


if __name__ == "__main__":
    sys.exit(main())
