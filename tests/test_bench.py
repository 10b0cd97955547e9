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
FORMATS = ("otio", "fcp7", "fcpx", "edl", "aaf")
ROWS = [*(("feature", f) for f in FORMATS), *(("series", f) for f in FORMATS),
        ("stress", "otio")]


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


def _make_fixtures():
    sys.path.insert(0, str(BENCH))
    try:
        import make_fixtures
    finally:
        sys.path.remove(str(BENCH))
    return make_fixtures


def test_fixtures_are_deterministic(tmp_path):
    """Same seed and scale, same bytes, in every format (the AAF writer's clock and
    uuid4s included)."""
    make_fixtures = _make_fixtures()
    a = make_fixtures.generate("feature", 0.002, out=tmp_path / "a", log=lambda _: None)
    b = make_fixtures.generate("feature", 0.002, out=tmp_path / "b", log=lambda _: None)
    assert sorted(a["timelines"]) == sorted(FORMATS)
    for fmt in FORMATS:
        assert a["timelines"][fmt], fmt
        for rel in a["timelines"][fmt]:
            assert (tmp_path / "a" / "feature" / rel).read_bytes() == \
                (tmp_path / "b" / "feature" / rel).read_bytes(), rel
    assert a["clips"] == b["clips"] and a["records"] == b["records"]


def test_the_fast_fcpxml_writer_writes_what_the_adapter_writes():
    """The index behind `fast_fcpx_writer` changes the writer's speed, not its output."""
    import random

    import opentimelineio as otio

    make_fixtures = _make_fixtures()
    rng = random.Random("2026:feature")
    tl = make_fixtures.fcpx_timeline(
        make_fixtures.make_timeline(make_fixtures.Pool(rng), rng, "T", 60, 140))
    assert sum(1 for _ in tl.find_children(descended_from_type=otio.schema.Stack))
    with make_fixtures.fast_fcpx_writer():
        fast = otio.adapters.write_to_string(tl, "fcpx_xml")
    assert fast == otio.adapters.write_to_string(tl, "fcpx_xml")
    assert fast.count("lane=") > 100  # connected clips: what the index answers for
