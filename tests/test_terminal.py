"""The terminal: colour as ruff's (NO_COLOR, FORCE_COLOR), `--statistics`, and a progress
bar on stderr only on a terminal, never in a pipe, a quiet run or pre-commit; checked on
the example edit repo, and on a real pseudo-terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_reports import AS_OF, EXAMPLE, run  # the example repo, run as an editor would


@pytest.fixture
def example(tmp_path) -> Path:
    return Path(shutil.copytree(EXAMPLE, tmp_path / "edit-repo"))


# --- the terminal ----------------------------------------------------------------------

def test_statistics_count_findings_per_rule(example, capsys):
    code, out = run(example, capsys, "check", "--statistics")
    assert code == 1
    assert out == ("6\tGA001\t[error] genai-in-locked-cut\n"
                   "3\tGA002\t[info] temp-genai-at-lock\n"
                   "3\tTL003\t[error] consent-not-current\n")
    _, out = run(example, capsys, "check", "--statistics", "--format", "json")
    assert json.loads(out)[0] == {"code": "GA001", "name": "genai-in-locked-cut", "count": 6,
                                  "severity": "error"}


def test_colour_only_on_a_terminal_or_when_forced(example, capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    _, plain = run(example, capsys, "check")
    assert "\x1b[" not in plain  # captured output is not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, coloured = run(example, capsys, "check")
    assert "\x1b[1mcuts/locked/reel1.edl:V1:01:00:15:00\x1b[0m: \x1b[1;31mGA001\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[\d;]*m", "", coloured) == plain  # the same words
    monkeypatch.setenv("NO_COLOR", "1")
    _, still = run(example, capsys, "check")
    assert still == coloured  # FORCE_COLOR wins, as in ruff
    monkeypatch.delenv("FORCE_COLOR")
    _, off = run(example, capsys, "check")
    assert off == plain
    _, written = run(example, capsys, "check", "--output", "report.txt")
    assert "\x1b[" not in (example / "report.txt").read_text()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_never_in_a_hook(monkeypatch):
    from cutclear.reports.terminal import Progress

    monkeypatch.delenv("PRE_COMMIT", raising=False)
    assert Progress.wanted(_Terminal(), quiet=False)
    assert not Progress.wanted(io.StringIO(), quiet=False)  # a pipe
    assert not Progress.wanted(_Terminal(), quiet=True)  # cutclear check --quiet (the hook)
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert not Progress.wanted(_Terminal(), quiet=False)  # inside pre-commit
    stream = _Terminal()
    bar = Progress(stream)
    for done in range(8):
        bar(done, 8, f"cuts/reel{done}.xml")
        bar.last = 0.0  # as if time had passed
    bar.close()
    text = stream.getvalue()
    assert "[###.....................] 1/8 cuts/reel1.xml" in text
    assert text.endswith("\r\x1b[2K")  # erased when done
    few = _Terminal()
    Progress(few)(0, 2, "a.xml")
    assert few.getvalue() == ""  # two timelines are read too fast for a bar


def test_no_progress_bar_in_a_pipe(example):
    proc = subprocess.run([sys.executable, "-m", "cutclear", "check", "--as-of", AS_OF],
                          cwd=example, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr == ""


def test_on_a_real_terminal_colour_and_a_progress_bar(example):
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "PRE_COMMIT")}
    proc = subprocess.Popen([sys.executable, "-m", "cutclear", "check", "--as-of", AS_OF],
                            cwd=example, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                            env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal is closed when the process ends
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 1
    text = b"".join(chunks).decode()
    assert "\x1b[1;31mGA001\x1b[0m" in text  # coloured on a terminal
    assert "] 0/8 cuts/locked/reel1.edl" in text  # 8 timelines: the bar is drawn
    assert "\r\x1b[2K" in text  # and erased
