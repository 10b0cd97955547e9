"""Wall time of the `cutclear` pre-commit hook on a real-size edit repo.

Builds a git repo from the series fixture (10 episodes of about 3,300 clips each, as OTIO,
and one per-media record file per distinct media file), then times the hook as pre-commit
calls it: on a commit touching nothing it reads (no file names), on a commit touching
one timeline (that timeline is checked), and on a commit touching one record file (every
timeline of the repo is re-checked, since a record can change any verdict; the records
hook, `cutclear-records-hook`, runs on that commit too and is timed as well). Each run is
a fresh process; the first finds the hook's caches (timelines, records) empty, the others
(median) find the unchanged files in them; the "edited anew" rows change the touched file
before each warm run, as consecutive commits do, so that only it is read again. Wall time
and CPU time (user + sys of the hook and its git calls: on a shared machine the fairer
figure) are printed for each.

    python bench/precommit.py [--repeat 5]      (after bench/run has made the fixtures)
    python bench/precommit.py --hook A/bin/cutclear-hook --hook B/bin/cutclear-hook
                                                (two installations, runs interleaved)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERIES = HERE / "out" / "series"
REPO = HERE / "out" / "precommit-series"
HOOK = Path(sys.executable).parent / "cutclear-hook"


def git(*args: str) -> None:
    subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True)


def build() -> tuple[str, str]:
    """The repo, committed; returns a timeline and a record file to touch."""
    if REPO.exists():
        shutil.rmtree(REPO)
    REPO.mkdir(parents=True)
    shutil.copy(SERIES / "cutclear.toml", REPO)
    shutil.copytree(SERIES / "records", REPO / "records")
    shutil.copytree(SERIES / "media", REPO / "media")
    shutil.copytree(SERIES / "cuts" / "otio", REPO / "cuts")
    git("init", "-q")
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "add", "-A")
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q",
        "-m", "series")
    timeline = sorted((REPO / "cuts").glob("*.otio"))[0]
    record = sorted((REPO / "media").rglob("*.genai.xml"))[0]
    return str(timeline.relative_to(REPO)), str(record.relative_to(REPO))


def touch(rel: str) -> None:
    """A real change, staged: what the hook sees in a commit."""
    path = REPO / rel
    text = path.read_text(encoding="utf-8")
    if rel.endswith(".genai.xml"):
        text = text.replace("</asset>", "<note>checked</note></asset>", 1)
    else:
        text = text.replace('"name": "', '"name": "x', 1)
    path.write_text(text, encoding="utf-8")
    git("add", rel)


CACHE = HERE / "out" / "precommit-cache"  # the hooks' caches, for this bench only


PASSED = ("from cutclear.installed import fingerprint, record_pass; "
          "record_pass('{repo}', fingerprint())")


@dataclass
class Times:
    """One hook's runs of one commit: the first (caches cold), then the warm ones."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + sys, the hook and its git calls
    code: int = 0

    def line(self) -> str:
        warm_wall, warm_cpu = statistics.median(self.wall[1:]), statistics.median(self.cpu[1:])
        return (f"first {self.wall[0]:.2f} s ({self.cpu[0]:.2f} s CPU), warm "
                f"{warm_wall:.2f} s ({warm_cpu:.2f} s CPU) (exit {self.code})")


def timed(args: list[str], repeat: int, hooks: list[Path], passed: bool = False,
          edit: str | None = None) -> list[Times]:
    """Each hook's first run (caches cold: every timeline and record read) and the median
    of the others, the hooks' runs interleaved so that the machine's load falls on all.

    The hook re-checks every edit repo until they pass under the installed plugins; the
    fixture's cuts have findings, so they never do. `passed` records a pass before the
    first run, as a repo whose committed cuts are clear has (a no-op for a cutclear
    without that record); the hook keeps it (and the first run adds the installation's
    quick key to it, as the first commit after a pass does). With `edit`, that file is
    changed again (and staged) before each warm round, outside the timing: a real commit
    brings bytes no cache has seen, while the rest of the repo stays cached."""
    envs = []
    for i, hook in enumerate(hooks):
        cache = CACHE / str(i)
        shutil.rmtree(cache, ignore_errors=True)
        envs.append({**os.environ, "XDG_CACHE_HOME": str(cache)})
        if passed:
            subprocess.run([str(hook.parent / "python"), "-c", PASSED.format(repo=REPO)],
                           env=envs[-1], cwd=REPO, capture_output=True)
    results = [Times() for _ in hooks]
    for round_ in range(repeat + 1):
        if edit and round_:
            touch(edit)
        for hook, env, times in zip(hooks, envs, results, strict=True):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            times.code = subprocess.run([str(hook), *args], cwd=REPO, capture_output=True,
                                        env=env).returncode
            times.wall.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.cpu.append(after.ru_utime - before.ru_utime
                             + after.ru_stime - before.ru_stime)
    return results


def report(what: str, hooks: list[Path], results: list[Times]) -> None:
    print(what)
    for hook, times in zip(hooks, results, strict=True):
        name = f"  {hook}: " if len(hooks) > 1 else "  "
        print(name + times.line())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--hook", action="append", type=Path,
                        help="a cutclear-hook script to time (repeatable, to compare "
                        "installations side by side; default: the one beside this Python)")
    args = parser.parse_args()
    hooks = [h.absolute() for h in args.hook] if args.hook else [HOOK]
    if not (SERIES / "manifest.json").exists():
        print("run bench/run first: the series fixture is missing", file=sys.stderr)
        return 2
    timeline, record = build()
    records = sum(1 for _ in REPO.rglob("*.genai.xml"))
    timelines = len(list((REPO / "cuts").glob("*.otio")))
    print(f"repo: {timelines} timelines (OTIO), {records} record files")
    for passed in (False, True):
        note = ", the repo passed before" if passed else ""
        report(f"commit touching nothing cutclear reads (no file names{note}):", hooks,
               timed(["--as-of", "2026-06-01"], args.repeat, hooks, passed))
    touch(timeline)
    for passed in (False, True):
        note = ", the repo passed before" if passed else ""
        report(f"commit touching one timeline ({timeline}{note}):", hooks,
               timed(["--as-of", "2026-06-01", timeline], args.repeat, hooks, passed))
    report("commit touching one timeline, edited anew before each warm run, the repo passed "
           "before:", hooks,
           timed(["--as-of", "2026-06-01", timeline], args.repeat, hooks, True, timeline))
    git("reset", "-q", "--hard")
    touch(record)
    report(f"commit touching one record file ({record}), every timeline re-checked:", hooks,
           timed(["--as-of", "2026-06-01", record], args.repeat, hooks))
    report("commit touching one record file, edited anew before each warm run:", hooks,
           timed(["--as-of", "2026-06-01", record], args.repeat, hooks, False, record))
    # the same commit also runs the records hook (schema, references, ids of the repo)
    records_hooks = [h.parent / "cutclear-records-hook" for h in hooks]
    report("cutclear-records-hook on that commit, edited anew before each warm run:",
           records_hooks, timed([record], args.repeat, records_hooks, False, record))
    return 0


if __name__ == "__main__":
    sys.exit(main())
