"""AAF compositions through otio-aaf-adapter, checked by a pyaaf2 census.

Counts and record timecodes of the real files were read with pyaaf2 alone: the
positions of the source clips in the top-level sequence (fillers and clips add their
length, a transition steps back by its length and the cut sits at its CutPoint), from
the composition's Timecode start.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import aaf2
import opentimelineio as otio
import pytest

from cutclear.model import Mode
from cutclear.readers import aaf, read_timeline
from cutclear.readers.base import Source, TimelineError

REAL = Path(__file__).parent / "data" / "real" / "aaf"


def read(path: Path):
    return read_timeline(str(path), path.name, Mode.LOCK)


def uses(path: Path):
    got = read(path)
    assert got.error is None, got.error
    return got.clips


# uses, and some (track, clip, record in)
REAL_FILES = {
    # 24 fps from 01:00:00:00; stereo on two unnamed tracks: two uses each
    "30fps.aaf": (6, [("V1", "Frame Debugger 0h.mov", "01:00:00:00"),
                      ("V1", "Frame Debugger 0h.mov", "01:00:00:26"),
                      ("A2", "Frame Debugger 0h.mov", "01:00:00:26")]),
    "linear_speed_effects.aaf": (20, [("V1", "Frame Debugger 0h.mov", tc) for tc in (
        "01:00:00:00", "01:00:00:01", "01:00:00:03", "01:00:00:06", "01:00:01:22")]),
    # Premiere: two top-level sequences, 29.97 non-drop (Drop false), null source clips
    "multiple_top_level_mobs.aaf": (163, [
        ("nestTest2/V1", "DSv14.00_20150305_sm.mov", "00:00:00:00"),
        ("testNest30_2/V1", "TestMXF_FünnyChårsé", "00:00:00:12"),
        ("testNest30_2/A1", "BIRDSeagullsSthnBlackBackedCall1_JW.wav", "00:00:50:29")]),
    "one_clip.aaf": (2, [("V1", "ppjoshm_1 (SIM1)", "01:00:00:00"),
                         ("A1", "ppjoshm_1 (SIM1)", "01:00:00:00")]),
    # cut points: dissolve at 69 (cut 48), dissolve at 182 (cut 12), dip at 223 (cut 24)
    "transitions.aaf": (12, [("V1", "tech.fux (loop)-HD.mp4", "01:00:00:00"),
                             ("V1", "t-hawk (loop)-HD.mp4", "01:00:04:21"),
                             ("V1", "KOLL-HD.mp4", "01:00:10:07"),
                             ("V1", "brokchrd (loop)-HD.mp4", "01:00:16:07")]),
    # Avid, 23.976 from 01:00:00:00; the two titles' fill and matte are not uses
    "test_file_01.aaf": (52, [("V1", "morrwind_001.mov", "01:00:05:14"),
                              ("V1", "re-entry.mov", "01:00:14:17"),
                              ("V1", "shepard_002.mov", "01:00:27:00"),
                              ("A1", "Beverly", "01:00:00:00")]),
    "trims.aaf": (15, [("V1", "tech.fux (loop)-HD.mp4", "01:00:00:00"),
                       ("V1", "t-hawk (loop)-HD.mp4", "01:00:30:00"),
                       ("V1", "out-b (loop)-HD.mp4", "01:00:44:23"),
                       ("V1", "brokchrd (loop)-HD.mp4", "01:01:29:10")]),
}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_aafs_hold_their_uses_at_their_record_timecodes(name):
    count, expected = REAL_FILES[name]
    got = [(u.track, u.media.clip, u.record_in) for u in uses(REAL / name)]
    assert len(got) == count
    for use in expected:
        assert use in got


def test_premiere_51_clip_is_one_use_not_six(corpus):
    """2997fps-DFTC.aaf (Premiere): one 5.1 clip written as six slots named "Audio 1"
    on master-mob channels 2-7. One use, on the track's first channel."""
    audio = [u for u in uses(corpus / "aaf/2997fps-DFTC.aaf") if u.track.startswith("A")]
    assert [(u.track, u.track_name, u.record_in, u.record_out) for u in audio] == [
        ("A1", "Audio 1", "05:00:00;00", "05:01:39;21")]


def test_channels_on_separate_unnamed_tracks_stay_separate_uses(corpus):
    """Avid's stereo on A1 and A2 (unnamed slots) is a use per track, as in the EDL."""
    got = [(u.track, u.record_in) for u in uses(corpus / "aaf/simple.aaf") if u.track[0] == "A"]
    assert len(got) == 10 and got.count(("A1", "01:00:00:00")) == 1


def test_channels_of_one_clip_on_one_track_merge():
    """A channel combiner comes in as one clip per channel at one place on one track:
    one use remains, the others become gaps of the same length."""
    def channel():
        return otio.schema.Clip(
            name="cue", metadata={"AAF": {"MobID": "urn:smpte:umid:1"}},
            media_reference=otio.schema.MissingReference(),
            source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(10, 24),
                                                 otio.opentime.RationalTime(48, 24)))
    combiner = otio.schema.Stack(children=[otio.schema.Track(children=[channel()])
                                           for _ in range(6)])
    tl = otio.schema.Timeline(tracks=[otio.schema.Track(kind="Audio", children=[combiner])])
    aaf.merge_channels(tl)
    assert len(list(tl.find_clips())) == 1
    assert [t[0].duration().value for t in combiner] == [48] * 6


def test_title_fill_and_matte_are_not_media(corpus):
    """essence_group.aaf: an Avid title (Title_2) whose fill and matte are source clips
    of its own rendered media; the background is a scope reference."""
    assert uses(corpus / "aaf/essence_group.aaf") == []


def test_older_avid_title_fill_and_matte_are_not_media():
    """test_file_01.aaf: Title_2 effects without _EFFECT_PLUGIN_CLASS (the walk's check
    missed them: four uses of the title's own media)."""
    assert not [u for u in uses(REAL / "test_file_01.aaf") if "Title" in u.media.clip]


def test_an_aaf_without_compositions_is_not_an_empty_pass(tmp_path):
    path = tmp_path / "cut.aaf"
    with aaf2.open(str(path), "w"):
        pass
    assert read(path).error == "holds no composition and no clip: not an exported sequence"


def test_source_clip_whose_master_mob_is_missing_fails_closed(tmp_path):
    """one_clip.aaf with its MasterMob removed (by pyaaf2): the adapter would make gaps
    of both uses; the census names them."""
    path = tmp_path / "cut.aaf"
    shutil.copy(REAL / "one_clip.aaf", path)
    with aaf2.open(str(path), "rw") as f:
        master = next(iter(f.content.mastermobs()))
        f.content.mobs.pop(master.mob_id)
    got = read(path)
    assert got.clips == []
    assert "cannot place: 2 source clips whose master mob is missing from the file" in got.error
    assert "on track #9 at edit unit 0" in got.error


def test_nothing_the_adapter_prints_reaches_stdout_or_stderr(capfd):
    """The adapter prints "Unable find slot_id ..." for null source clips."""
    assert len(uses(REAL / "multiple_top_level_mobs.aaf")) == 163
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_the_bytes_read_are_the_bytes_checked():
    """The reader parses Source.data, not whatever the path holds by then."""
    data = (REAL / "trims.aaf").read_bytes()
    got = aaf.read(Source(str(REAL / "one_clip.aaf"), data), {})
    assert got.census.media == 15 and len(list(got.obj.find_clips())) == 15


def test_an_other_adapter_version_is_refused(monkeypatch):
    monkeypatch.setattr(aaf.metadata, "version", lambda name: "2.1.0")
    with pytest.raises(TimelineError, match="otio-aaf-adapter 2.1.0 is installed.*==2.0.0"):
        aaf.read(Source("cut.aaf", (REAL / "one_clip.aaf").read_bytes()), {})


def test_census_catches_what_the_adapter_lost(monkeypatch):
    """If the adapter's timeline lost a track, the pyaaf2 census makes it a PV005."""
    def lossy(obj, title_mobs):
        del obj.tracks[-1]

    monkeypatch.setattr(aaf, "drop_title_graphics", lossy)
    assert "holds 12 clip uses but the reader placed 8" in read(REAL / "transitions.aaf").error


@pytest.mark.parametrize("content", [b"", b"not an aaf", b"\xd0\xcf\x11\xe0" + b"\x00" * 600])
def test_a_damaged_aaf_is_an_error_not_a_crash(tmp_path, content):
    path = tmp_path / "cut.aaf"
    path.write_bytes(content)
    got = read(path)
    assert got.error and got.clips == []


def test_json_report_stays_json_when_the_adapter_prints(repo):
    """`cutclear check --format json` on an AAF for which otio-aaf-adapter prints."""
    (repo.root / "cuts").mkdir()
    shutil.copy(REAL / "multiple_top_level_mobs.aaf", repo.root / "cuts" / "reel1.aaf")
    repo.config('locked = ["cuts/**"]\n')
    result = repo.check("--as-of", "2026-01-15")
    assert [t["path"] for t in result.json["timelines"]] == ["cuts/reel1.aaf"]
    assert not result.findings("PV005") and result.err == ""


def test_a_channel_the_census_did_not_merge_fails_the_read(monkeypatch):
    """Channels are merged only when the census of the file found some; a second channel
    of a clip that only the adapter's timeline holds (here added to it) is not merged
    away unseen: the uses outnumber the census and the read fails."""
    def with_a_second_channel(path, handle):
        tl = adapter_read(path, handle)
        track = next(t for t in tl.tracks if t.kind == otio.schema.TrackKind.Audio)
        index, clip = next((i, c) for i, c in enumerate(track)
                           if isinstance(c, otio.schema.Clip))
        track[index] = otio.schema.Stack(children=[
            otio.schema.Track(kind=otio.schema.TrackKind.Audio, children=[clip.clone()])
            for _ in range(2)])
        return tl

    assert not read(REAL / "transitions.aaf").error
    adapter_read = aaf._adapter_read
    monkeypatch.setattr(aaf, "_adapter_read", with_a_second_channel)
    assert "holds 12 clip uses but the reader placed 13" in read(REAL / "transitions.aaf").error
