"""`cutclear ... | head`: a reader that goes away ends the run quietly (issue 10, item 11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import CONFIG, SKY, timeline

CUTCLEAR = Path(sys.executable).parent / "cutclear"


def closed_pipe(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    """Run cutclear with its stdout a pipe nobody reads any more, as `| head -0` leaves it."""
    proc = subprocess.Popen([str(CUTCLEAR), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # the reader is gone before cutclear writes a byte
    err = proc.stderr.read()
    return proc.wait(timeout=60), err


def test_rules_into_a_closed_pipe_ends_without_internal_error():
    code, err = closed_pipe("rules")
    assert (code, err) == (141, "")  # as cat or grep ended by SIGPIPE: quiet, not 0


def test_a_report_into_a_closed_pipe_ends_without_internal_error(repo):
    repo.config(CONFIG)
    repo.records("records/vfx.genai.xml", SKY)
    repo.timeline("cuts/locked/reel1.otio", timeline(
        [("sky", "file:///mnt/show/vfx/sh042_sky_v3.mov", 24)] * 50))
    code, err = closed_pipe("check", "--as-of", "2026-01-15", cwd=repo.root)
    assert "internal error" not in err and "Traceback" not in err
    assert (code, err) == (141, "")


def test_head_reads_the_first_lines_and_the_rest_is_dropped_quietly(repo):
    repo.config(CONFIG)
    repo.records("records/vfx.genai.xml", SKY)
    repo.timeline("cuts/locked/reel1.otio", timeline(
        [("sky", "file:///mnt/show/vfx/sh042_sky_v3.mov", 24)] * 3000))
    result = subprocess.run(f"'{CUTCLEAR}' check --as-of 2026-01-15 | head -n 1",
                            shell=True, cwd=repo.root, capture_output=True, text=True)
    assert result.stdout.startswith("cuts/locked/reel1.otio:V1:01:00:00:00: DU001 [warning] sky")
    assert result.stderr == ""
