"""Red-team reproductions for issue 14's short-cuts (speed): each test tries a way the
faster code could let a clip through, mis-time it, or trust what it should not.

Tests marked `hole` (strict xfail) are holes not closed yet; the others were closed and
now guard the fix (their docstrings say what was found)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cutclear.model import Mode
from cutclear.readers import read_timeline

BIN = Path(sys.executable).parent
hole = pytest.mark.xfail(strict=True, reason="red-team hole (see docstring)")

SETTINGS = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'
SKY = """<?xml version="1.0" encoding="UTF-8"?>
<genai xmlns="urn:cutclear:genai:1" version="1">
<asset id="AST-1193">
  <match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
</asset>
</genai>
"""

# A nest whose inner clips start before the nest's frame 0 (<start> negative): OTIO (and
# walk) lay the first one from frame 0 on, without a gap.
NEST = """<?xml version="1.0"?>
<xmeml version="4"><sequence id="s1"><name>top</name><rate><timebase>24</timebase></rate>
<media><video><track>
<clipitem id="c2"><name>nest</name><start>0</start><end>48</end><in>0</in><out>48</out>
<sequence id="s3"><name>inner</name><rate><timebase>24</timebase></rate><media><video><track>
%s
</track></video></media></sequence></clipitem></track></video></media></sequence></xmeml>
"""
CLIP = """<clipitem id="%s"><name>%s</name><start>%d</start><end>%d</end><in>0</in>
<out>%d</out><file id="f%s"><name>%s</name><pathurl>file:///m/%s</pathurl>
<duration>1000</duration></file></clipitem>"""


def clip(cid: str, name: str, media: str, start: int, end: int) -> str:
    return CLIP % (cid, name, start, end, end - start, cid, media, media)


def edit_repo(tmp_path: Path, cut: str, name: str = "cut.xml") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "cutclear.toml").write_text(SETTINGS)
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "sky.genai.xml").write_text(SKY)
    (tmp_path / "cuts" / "locked").mkdir(parents=True)
    (tmp_path / "cuts" / "locked" / name).write_text(cut)
    return tmp_path


def check_json(repo: Path, *args: str) -> tuple[int, dict]:
    run = subprocess.run([str(BIN / "cutclear"), "check", "--format", "json", *args, "."],
                         cwd=repo, capture_output=True, text=True)
    return run.returncode, json.loads(run.stdout)


def sky_findings(doc: dict) -> list[tuple]:
    return sorted({(f["rule"], f["record_in"], f["record_out"]) for f in doc["findings"]
                   if f.get("clip") == "sky"})


# --- fcp7-speed: the fast FCP7 path (cutclear/readers/fcp7/uses.py) -----------------------

def test_fcp7_fast_path_times_a_nested_clip_that_starts_before_frame_0_as_the_walk(tmp_path):
    """Found: `uses._track_duration` took a single-rate track's length to be its last cut
    point, but an item that starts before frame 0 is laid from 0 (as to_otio and walk lay
    it), so the track is longer: the nest's window cut the GenAI sky short. `cutclear
    check` reported GA001 at 00:00:00:00-00:00:00:14 where the walk (and main) say
    00:00:00:22: a mis-timed clip without any PV005."""
    repo = edit_repo(tmp_path, NEST % clip("c6", "sky", "sh042_sky_v3.mov", -8, 14))
    path = str(repo / "cuts" / "locked" / "cut.xml")
    quick = read_timeline(path, "cut.xml", Mode.LOCK)
    walked = read_timeline(path, "cut.xml", Mode.LOCK, keep_items=True)
    assert quick.error is walked.error is None
    assert quick.clips == walked.clips
    code, doc = check_json(repo)
    assert code == 1
    assert ("GA001", "00:00:00:00", "00:00:00:22") in sky_findings(doc)


def test_fcp7_fast_path_does_not_lose_the_clip_after_one_that_starts_before_frame_0(
        tmp_path):
    """Found with the same cause: after a plate that starts at frame -20 of the nest, the
    GenAI sky fell outside the (too short) track and was hidden; the census caught it, so
    the cut failed PV005 ("holds 2 clip uses but the reader placed 1") where main reads
    it and flags the sky (GA001 at 00:00:00:21-00:00:01:06)."""
    repo = edit_repo(tmp_path, NEST % (clip("c5", "plate", "plate.mov", -20, 1)
                                       + clip("c6", "sky", "sh042_sky_v3.mov", 1, 10)))
    code, doc = check_json(repo)
    assert code == 1
    assert not [f for f in doc["findings"] if f["rule"] == "PV005"]
    assert ("GA001", "00:00:00:21", "00:00:01:06") in sky_findings(doc)


# --- audit-reports: `cutclear report --audit` / `cuesheet --audit` (reports/merged.py) ----

def test_a_merged_report_whose_repo_line_hides_its_error_findings_is_not_clean(tmp_path):
    """Found: the merged report's reader checked a repo's summary against its finding
    lines and `blocking` against its status, but never `blocking` against the findings:
    with the repo, production and audit lines edited to blocking 0 / ok / exit_code 0
    (the GA001 error line left as it is), `cutclear report --audit` and `cuesheet
    --audit` rendered the studio as ok and exited 0."""
    studio = tmp_path / "studio"
    edit_repo(studio / "show", NEST % clip("c6", "sky", "sh042_sky_v3.mov", 0, 14))
    audit = subprocess.run([str(BIN / "cutclear"), "audit", "-o", "audit.jsonl", "."],
                           cwd=studio, capture_output=True, text=True)
    assert audit.returncode == 1, audit.stderr
    lines = [json.loads(line) for line in (studio / "audit.jsonl").read_text().splitlines()]
    assert any(line.get("rule") == "GA001" for line in lines)
    for line in lines:
        if line["type"] in ("repo", "production", "audit"):
            line["blocking"] = 0
        if line["type"] in ("repo", "production"):
            line["status"] = "ok"
        if line["type"] == "audit":
            line["exit_code"] = 0
    (studio / "edited.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    for command in (["report", "-o", "r.html"], ["cuesheet", "-o", "c.csv"]):
        run = subprocess.run([str(BIN / "cutclear"), *command, "--audit", "edited.jsonl"],
                             cwd=studio, capture_output=True, text=True)
        assert run.returncode == 2, (command, run.stderr)
        assert ("repo show: 1 of its finding lines are at or above its fail-on level "
                "(error) where its repo line says 0 blocking") in run.stderr


# --- the timeline cache (cutclear/cache.py) -------------------------------------------------

def test_a_timeline_cache_entry_of_other_reader_code_is_not_served(tmp_path, monkeypatch):
    """Found: the timeline cache keyed by cutclear's version and WALKER but not by the
    readers' code (the record cache has its parser digest): an entry written by a reader
    with the nest bug above, under the same version (an editable install, a patched copy,
    a fix that forgot to bump WALKER), kept serving the clip cut short after the fix.
    Simulated by running the buggy `_track_duration` under another code digest."""
    from cutclear import cache
    from cutclear.readers.fcp7 import uses

    repo = edit_repo(tmp_path / "repo", NEST % clip("c6", "sky", "sh042_sky_v3.mov", -8, 14))
    path = str(repo / "cuts" / "locked" / "cut.xml")
    store = cache.TimelineCache(str(tmp_path / "cache"))
    fixed = uses._track_duration

    def buggy(track):  # the length as the last cut point, as before the fix
        return uses.otio.opentime.RationalTime(track.items[-1].cut_out, track.rate)

    monkeypatch.setattr(cache, "reader_code", lambda: "the code before the fix")
    monkeypatch.setattr(uses, "_track_duration", buggy)
    stale = read_timeline(path, "cut.xml", Mode.LOCK, cache=store)
    assert [u.record_out for u in stale.clips] == ["00:00:00:14"]  # the bug, kept
    monkeypatch.setattr(uses, "_track_duration", fixed)
    monkeypatch.undo()
    fresh = read_timeline(path, "cut.xml", Mode.LOCK, cache=store)
    assert [u.record_out for u in fresh.clips] == ["00:00:00:22"]
