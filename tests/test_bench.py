"""Smoke test of the benchmark (`bench/run --quick`: a tiny size), so that it cannot rot.

It checks that the fixtures are generated, that the floor and cutclear both run on every
case and format and see the same clips, and that the table is printed. No timing is
asserted: the figures belong in bench/README.md, not in a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
ROWS = [("feature", "otio"), ("feature", "fcp7"), ("feature", "edl"), ("series", "otio"),
        ("series", "fcp7"), ("series", "edl"), ("stress", "otio")]


@pytest.mark.skipif(not (BENCH / "run").exists(), reason="bench/ is not in this checkout")
def test_benchmark_runs_at_a_tiny_size(tmp_path):
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run"), "--quick", "--out", str(tmp_path / "out"),
         "--results", str(results)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert any(line.startswith("| case") and "cutclear s" in line and "ratio" in line
               for line in lines), proc.stdout
    for case, fmt in ROWS:
        assert any(line.startswith(f"| {case} ") and f"| {fmt} " in line for line in lines), \
            (case, fmt, proc.stdout)
    assert "start-up (cutclear --version)" in proc.stdout
    assert "pre-commit no-op" in proc.stdout
    assert "warning" not in proc.stderr, proc.stderr  # floor and cutclear saw the same clips

    doc = json.loads(results.read_text())
    assert [(r["case"], r["format"]) for r in doc["rows"]] == ROWS
    for row in doc["rows"]:
        assert row["clips"] > 0 and row["clips"] == row["cutclear_clips"]
        assert row["records"] > 0


def test_fixtures_are_deterministic(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(BENCH))
    a = make_fixtures.generate("feature", 0.002, out=tmp_path / "a", log=lambda _: None)
    b = make_fixtures.generate("feature", 0.002, out=tmp_path / "b", log=lambda _: None)
    for fmt in ("otio", "fcp7", "edl"):
        for rel in a["timelines"][fmt]:
            assert (tmp_path / "a" / "feature" / rel).read_bytes() == \
                (tmp_path / "b" / "feature" / rel).read_bytes(), rel
    assert a["clips"] == b["clips"] and a["records"] == b["records"]
