"""Wall time of the `cutclear` pre-commit hook on a real-size edit repo.

Builds a git repo from the series fixture (10 episodes of about 3,300 clips each, as OTIO,
and one per-media record file per distinct media file), then times the hook as pre-commit
calls it: on a commit touching nothing it reads (no file names), on a commit touching
one timeline (that timeline is checked), and on a commit touching one record file (every
timeline of the repo is re-checked, since a record can change any verdict). Each run is
a fresh process; the first finds the hook's timeline cache empty, the others (median)
find the unchanged timelines in it.

    python bench/precommit.py [--repeat 5]      (after bench/run has made the fixtures)
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
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


CACHE = HERE / "out" / "precommit-cache"  # the hook's timeline cache, for this bench only


PASSED = ("from cutclear.installed import fingerprint, record_pass; "
          "record_pass('{repo}', fingerprint())")


def timed(args: list[str], repeat: int, passed: bool = False) -> tuple[float, float, int]:
    """The first run (cache cold: every timeline read) and the median of the others.

    The hook re-checks every edit repo until they pass under the installed plugins; the
    fixture's cuts have findings, so they never do. `passed` records a pass before the
    first run, as a repo whose committed cuts are clear has (a no-op for a cutclear
    without that record); the hook keeps it (and the first run adds the installation's
    quick key to it, as the first commit after a pass does)."""
    shutil.rmtree(CACHE, ignore_errors=True)
    env = {**os.environ, "XDG_CACHE_HOME": str(CACHE)}
    times, code = [], 0
    if passed:
        subprocess.run([sys.executable, "-c", PASSED.format(repo=REPO)], env=env,
                       cwd=REPO, capture_output=True)
    for _ in range(repeat + 1):
        start = time.perf_counter()
        code = subprocess.run([str(HOOK), *args], cwd=REPO, capture_output=True,
                              env=env).returncode
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:]), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (SERIES / "manifest.json").exists():
        print("run bench/run first: the series fixture is missing", file=sys.stderr)
        return 2
    timeline, record = build()
    records = sum(1 for _ in REPO.rglob("*.genai.xml"))
    timelines = len(list((REPO / "cuts").glob("*.otio")))
    print(f"repo: {timelines} timelines (OTIO), {records} record files")
    for passed in (False, True):
        note = ", the repo passed before" if passed else ""
        cold, warm, code = timed(["--as-of", "2026-06-01"], args.repeat, passed)
        print(f"commit touching nothing cutclear reads (no file names{note}): {cold:.2f} s, "
              f"{warm:.2f} s (exit {code})")
    touch(timeline)
    for passed in (False, True):
        note = ", the repo passed before" if passed else ""
        cold, warm, code = timed(["--as-of", "2026-06-01", timeline], args.repeat, passed)
        print(f"commit touching one timeline ({timeline}{note}): {cold:.2f} s, {warm:.2f} s "
              f"with the timeline cache warm (exit {code})")
    git("reset", "-q", "--hard")
    touch(record)
    cold, warm, code = timed(["--as-of", "2026-06-01", record], args.repeat)
    print(f"commit touching one record file ({record}), every timeline re-checked: "
          f"{cold:.2f} s, {warm:.2f} s with the timeline cache warm (exit {code})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
