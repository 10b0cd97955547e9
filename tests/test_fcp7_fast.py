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
from pathlib import Path

import pytest
from conftest import CORPUS

from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.base import TimelineError
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


@pytest.mark.skipif(not FEATURE.is_file(),
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


@pytest.mark.parametrize("rate", [24.0, 25.0, 30.0, 48.0, 50.0, 60.0, 23.976023976023978,
                                  29.97002997002997, 12.0])
@pytest.mark.parametrize("drop", [None, True, False])
def test_timecodes_are_walks_to_the_character(rate, drop):
    """The fast path's integer timecodes are OTIO's (walk's Timecode) at every rate, frame
    boundaries, the 24-hour rollover and negative times included."""
    from cutclear.readers.walk import Timecode

    try:
        tc = Timecode(rate, drop)
    except TimelineError:  # drop-frame at 23.976 or 12: walk's Timecode refuses it up front
        return
    fmt = fast.formatter(tc, rate)
    try:
        tc.format(0.0)
    except ValueError:  # drop-frame at 23.976: OTIO refuses (the reader refuses the file)
        with pytest.raises(ValueError):
            fmt(0.0)
        return
    day = 86400
    instants = [n / rate for n in range(0, 5000, 7)]
    instants += [s + d for s in (59.0, 3599.0, 3600.0, 36000.0, day - 1.0, day, day + 3.5)
                 for d in (-1 / rate, -0.5 / rate, -1e-9, 0.0, 1e-9, 0.49 / rate, 0.5 / rate)]
    for seconds in instants:
        assert fmt(seconds) == tc.format(seconds), seconds
    for seconds in (-1.0, -0.5 / rate - 1e-6):
        with pytest.raises(TimelineError) as slow:
            tc.format(seconds)
        with pytest.raises(TimelineError) as quick:
            fmt(seconds)
        assert str(quick.value) == str(slow.value)


def test_drop_frame_at_a_rate_without_it_is_a_located_error_not_a_traceback(tmp_path):
    """A sequence timecode marked DF at 23.976 fps (no such timecode exists): PV005 naming
    the line, by either path, where OTIO's to_timecode raised a ValueError before."""
    path = tmp_path / "cut.xml"
    path.write_text(NEST.replace(
        "<rate><timebase>24</timebase></rate><media>",
        "<rate><timebase>24</timebase><ntsc>TRUE</ntsc></rate><timecode><rate><timebase>24"
        "</timebase><ntsc>TRUE</ntsc></rate><frame>0</frame><displayformat>DF"
        "</displayformat></timecode><media>", 1))
    quick, walked = both(path)
    assert quick.error == walked.error == ("<timecode> at line 3 says drop-frame (DF) at "
                                           "23.976 fps, a rate without drop-frame timecode")
