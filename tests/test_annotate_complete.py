"""Annotations are complete (issue 10, item 10): with CUTCLEAR_ANNOTATE=1 every clip of the
cut carries its provenance and findings, and flagged clips carry markers in the FCP7 XML
and EDL written. Real `otioconvert` runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import genai, timeline

BIN = Path(sys.executable).parent
AS_OF = "2026-01-15"
RECORDS = """
<asset id="CAM"><match><path>media/camera/**</path></match><origin>digitalCapture</origin></asset>
<asset id="AST-1193"><match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/></asset>
<asset id="AST-1194"><match><name>sh050_crowd.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/></asset>
<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true" trainsOnInputs="no"
      retainsInputs="no">Runway</tool>
"""
FLAGGED = {"sh042 sky", "sh050 crowd"}


def twelve_clips() -> list[tuple[str, str, int]]:
    """Twelve clips, three of them unapproved GenAI (one media used twice)."""
    clips = []
    for n in range(12):
        if n in (3, 9):
            clips.append(("sh042 sky", "file:///show/vfx/sh042_sky_v3.mov", 24))
        elif n == 6:
            clips.append(("sh050 crowd", "file:///show/vfx/sh050_crowd.mov", 24))
        else:
            clips.append((f"A001C{n:03d}", f"file:///show/media/camera/A001C{n:03d}.mov", 24))
    return clips


@pytest.fixture
def show(tmp_path, monkeypatch):
    root = tmp_path / "show"
    (root / "records").mkdir(parents=True)
    (root / "cutclear.toml").write_text('production = "PRD-778"\nedl-rate = 24\n')
    (root / "records" / "vfx.genai.xml").write_text(genai(RECORDS))
    otio.adapters.write_to_file(timeline(twelve_clips(), name="reel1"), str(root / "reel1.otio"))
    (tmp_path / "out").mkdir()
    monkeypatch.chdir(tmp_path / "out")
    return root


def annotate(show: Path, dst: str) -> None:
    env = {**os.environ, "CUTCLEAR_ROOT": str(show), "CUTCLEAR_AS_OF": AS_OF,
           "CUTCLEAR_ANNOTATE": "1"}
    env.pop("CUTCLEAR_GATE", None)
    result = subprocess.run([str(BIN / "otioconvert"), "-i", str(show / "reel1.otio"), "-o",
                             dst], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr


def test_every_clip_of_an_annotated_otio_carries_its_provenance_and_findings(show):
    annotate(show, "annotated.otio")
    clips = list(otio.adapters.read_from_file("annotated.otio").find_clips())
    assert len(clips) == 12
    seen = [(c.name, [a["id"] for a in c.metadata["cutclear"]["assets"]],
             sorted({f["rule"] for f in c.metadata["cutclear"]["findings"]}))
            for c in clips]
    expected = []
    for name, _, _ in twelve_clips():
        if name == "sh042 sky":
            expected.append((name, ["AST-1193"], ["GA001"]))
        elif name == "sh050 crowd":
            expected.append((name, ["AST-1194"], ["GA001"]))
        else:
            expected.append((name, ["CAM"], []))
    assert seen == expected
    assert all(c.metadata["cutclear"]["mode"] == "lock" for c in clips)


@pytest.mark.parametrize("dst", ["flagged.xml", "flagged.edl"])
def test_every_flagged_clip_has_its_marker_in_fcp7_xml_and_edl(show, dst):
    annotate(show, dst)
    read = otio.adapters.read_from_file(dst, **({"rate": 24} if dst.endswith(".edl") else {}))
    markers = [(c.name, [m.name.lower() for m in c.markers]) for c in read.find_clips()]
    assert len(markers) == 12
    assert markers == [(name, ["cutclear ga001"] if name in FLAGGED else [])
                       for name, _, _ in twelve_clips()]
