"""The FCP7 reader's fast path: clip uses listed from the plan, without OTIO objects.

`cutclear check` takes FCP7 clip uses straight from the reader's plan
(`cutclear/readers/fcp7/uses.py`); OTIO tools and `keep_items` get OTIO objects made of the
same plan and walked by `readers.walk`. The two must give the very same uses (track,
record in/out, media identity, enabled, nests trimmed) on every real export and on the
benchmark's feature, fail on the same files with the same message, and a use the fast
path lost must still fail the read.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest
from conftest import CORPUS

from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.fcp7 import uses as fast  # the module

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent / "bench"
REAL = sorted((CORPUS / "fcp7").glob("*.xml")) if CORPUS.is_dir() else []
REAL += sorted((HERE / "data" / "real" / "fcp7").glob("*.xml"))


def both(path: Path, relpath: str = "cut.xml"):
    """(fast read, read through OTIO objects and the walk) of one file."""
    quick = read_timeline(str(path), relpath, Mode.LOCK)
    walked = read_timeline(str(path), relpath, Mode.LOCK, keep_items=True)
    return quick, walked


def assert_same(path: Path) -> int:
    quick, walked = both(path)
    assert (quick.error, walked.error) == (None, None), (quick.error, walked.error)
    assert quick.clips == walked.clips  # every field but the OTIO item, in order
    assert all(u.item is None for u in quick.clips)
    return len(quick.clips)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_exports_give_the_same_uses_either_way(path):
    assert_same(path)


def test_every_real_export_is_compared():
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real NLE exports is not at {CORPUS}")
    assert len(REAL) >= 7  # the corpus's six FCP7 files and premiere_challenges_v004.xml


def test_the_benchmark_feature_gives_the_same_uses_either_way(tmp_path, monkeypatch):
    """The feature's shape (24 tracks, nests trimmed at both ends, media reused) at a
    twentieth of its size, written by otio-fcp-adapter as bench/make_fixtures.py writes it."""
    if not (BENCH / "make_fixtures.py").exists():
        pytest.skip("bench/ is not in this checkout")
    monkeypatch.syspath_prepend(str(BENCH))
    make_fixtures = importlib.import_module("make_fixtures")
    manifest = make_fixtures.generate("feature", 0.05, out=tmp_path, log=lambda *a: None)
    [rel] = manifest["timelines"]["fcp7"]
    assert assert_same(tmp_path / "feature" / rel) == manifest["clips"]["fcp7"]


FEATURE = BENCH / "out" / "feature" / "cuts" / "fcp7" / "feature.xml"


@pytest.mark.skipif(not FEATURE.is_file() or os.environ.get("CUTCLEAR_QUICK") == "1",
                    reason="the scale-1 feature is built by bench/run (bench/out/)")
def test_the_full_size_benchmark_feature_gives_the_same_uses_either_way():
    assert assert_same(FEATURE) == 10_000


# --- fail closed ---------------------------------------------------------------------

NEST = """<?xml version="1.0"?>
<xmeml version="4"><sequence id="top"><name>reel 1</name>
<rate><timebase>24</timebase></rate><media><video><track>
<clipitem id="c1"><name>plate</name><start>0</start><end>24</end><in>0</in><out>24</out>
<file id="f1"><name>plate.mov</name><pathurl>file:///m/plate.mov</pathurl></file></clipitem>
<clipitem id="c2"><name>nest</name><start>24</start><end>48</end><in>12</in><out>36</out>
<sequence id="n1"><name>nest</name><rate><timebase>24</timebase></rate><media><video><track>
<clipitem id="c3"><name>sky</name><start>0</start><end>20</end><in>0</in><out>20</out>
<file id="f2"><name>sh042_sky_v3.mov</name><pathurl>file:///m/sh042_sky_v3.mov</pathurl>
</file></clipitem>
<clipitem id="c4"><name>sea</name><start>20</start><end>40</end><in>0</in><out>20</out>
<file id="f3"><name>sea.mov</name><pathurl>file:///m/sea.mov</pathurl></file></clipitem>
</track></video></media></sequence></clipitem>
</track></video></media></sequence></xmeml>
"""


def test_a_nest_trimmed_at_both_ends_places_what_shows_either_way(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(NEST)
    assert_same(path)
    quick, _ = both(path)
    # the nest's frames 12-36 at record 24-48: sky 12-20 at 24-32, sea 20-36 at 32-48
    assert [(u.media.clip, u.record_in, u.record_out) for u in quick.clips] == [
        ("plate", "00:00:00:00", "00:00:01:00"),
        ("sky", "00:00:01:00", "00:00:01:08"),
        ("sea", "00:00:01:08", "00:00:02:00")]


def test_a_use_the_fast_path_loses_fails_the_read(tmp_path, monkeypatch):
    """Were the fast path to skip a nest (the clip the short-cut would miss is the GenAI
    sky inside it), the census still counts it and the read fails: PV005, no clips."""
    path = tmp_path / "cut.xml"
    path.write_text(NEST)
    monkeypatch.setattr(fast, "_nest", lambda *args: None)
    quick, walked = both(path)
    assert quick.error == ("the file holds 3 clip uses but the reader placed 1: the read is "
                           "incomplete, so nothing in it is trusted")
    assert quick.clips == [] and walked.error is None  # the walk is not the fast path


@pytest.mark.parametrize("change, message", [
    ("<start>24</start><end>48</end><in>12</in>",
     "<start>24</start><end>48</end><in>1200000000000</in>"),
    ("<start>20</start><end>40</end>", "<start>20</start><end>240000000000</end>"),
])
def test_implausible_times_fail_the_same_way(tmp_path, change, message):
    path = tmp_path / "cut.xml"
    path.write_text(NEST.replace(change, message, 1))
    quick, walked = both(path)
    assert quick.error is not None and "not a plausible time in a cut" in quick.error
    assert quick.error == walked.error and quick.clips == walked.clips == []
