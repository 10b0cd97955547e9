"""The timeline walker: every clip use, at its record timecode, in every format.

Formats are written by the real OTIO adapters and read back through cutclear; the shared
corpus of real Premiere, Avid, Final Cut Pro and Hiero exports is walked and its clip
counts compared with what the files really hold (counted by hand from their XML/AAF).
"""

from __future__ import annotations

import collections

import opentimelineio as otio
import pytest
from conftest import timeline

from cutclear.discovery import discover
from cutclear.model import Mode
from cutclear.readers import read_timeline


def uses(path, rate=None):
    read = read_timeline(str(path), path.name, Mode.LOCK, rate)
    assert read.error is None, read.error
    return read.clips


def rt(frames, rate=24):
    return otio.opentime.RationalTime(frames, rate)


def clip(name, url, frames, rate=24, start=0):
    return otio.schema.Clip(
        name=name, media_reference=otio.schema.ExternalReference(
            target_url=url, available_range=otio.opentime.TimeRange(rt(0, rate),
                                                                    rt(start + frames, rate))),
        source_range=otio.opentime.TimeRange(rt(start, rate), rt(frames, rate)))


def nested_cut() -> otio.schema.Timeline:
    """V1: a (2s), nested sequence [b (1s), c (2s)] trimmed to its last 2s, d (1s).
    V2: a gap of 1s then e (1s). A1: music (5s)."""
    inner = otio.schema.Stack(name="nest", source_range=otio.opentime.TimeRange(rt(24), rt(48)))
    inner_track = otio.schema.Track(kind=otio.schema.TrackKind.Video)
    inner_track.extend([clip("b", "file:///m/b.mov", 24), clip("c", "file:///m/c.mov", 48)])
    inner.append(inner_track)
    tl = timeline([("a", "file:///m/a.mov", 48)], start_tc="01:00:00:00")
    tl.tracks[0].extend([inner, clip("d", "file:///m/d.mov", 24)])
    v2 = otio.schema.Track(kind=otio.schema.TrackKind.Video)
    v2.extend([otio.schema.Gap(source_range=otio.opentime.TimeRange(rt(0), rt(24))),
               clip("e", "file:///m/e.mov", 24)])
    tl.tracks.append(v2)
    a1 = otio.schema.Track(kind=otio.schema.TrackKind.Audio)
    a1.append(clip("music", "file:///m/music.wav", 120))
    tl.tracks.append(a1)
    return tl


EXPECTED_NESTED = [
    ("V1", "a", "01:00:00:00", "01:00:02:00"),
    ("V1", "c", "01:00:02:00", "01:00:04:00"),  # b lies before the nest's trim: not seen
    ("V1", "d", "01:00:04:00", "01:00:05:00"),
    ("V2", "e", "01:00:01:00", "01:00:02:00"),
    ("A1", "music", "01:00:00:00", "01:00:05:00"),
]


def table(clips):
    return [(u.track, u.media.clip, u.record_in, u.record_out) for u in clips]


def test_nested_stacks_are_walked_at_top_level_timecode(tmp_path):
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(nested_cut(), str(path))
    assert table(uses(path)) == EXPECTED_NESTED


def test_fcp7_xml_written_by_the_adapter_reads_back_with_nested_sequence(tmp_path):
    """otio-fcp-adapter writes nested sequences but reads them back empty; cutclear
    recovers the nested clips."""
    path = tmp_path / "cut.xml"
    otio.adapters.write_to_file(nested_cut(), str(path), adapter_name="fcp_xml")
    got = table(uses(path))
    assert sorted(got) == sorted(EXPECTED_NESTED)
    assert [u.media.path for u in uses(path) if u.media.clip == "c"] == ["/m/c.mov"]


def test_edl_written_by_the_adapter_keeps_reel_path_and_record_timecode(tmp_path):
    tl = timeline([("a", "file:///m/A001C003.mov", 48), (None, None, 24),
                   ("b", "file:///m/vfx/sh042_sky_v3.mov", 24)], start_tc="01:00:00:00")
    path = tmp_path / "cut.edl"
    otio.adapters.write_to_file(tl, str(path), adapter_name="cmx_3600", rate=24)
    got = uses(path, rate=24)
    # the CMX writer starts record timecode at 00:00:00:00 whatever the timeline's start
    assert table(got) == [("V1", "a", "00:00:00:00", "00:00:02:00"),
                          ("V1", "b", "00:00:03:00", "00:00:04:00")]
    assert (got[1].media.name, got[1].media.reel) == ("sh042_sky_v3.mov", "sh042sky")


def test_fcpxml_written_by_the_adapter_reads_back(tmp_path):
    tl = timeline([("a", "file:///m/a.mov", 48), ("b", "file:///m/b.mov", 24)],
                  start_tc="00:00:00:00")
    path = tmp_path / "cut.fcpxml"
    otio.adapters.write_to_file(tl, str(path), adapter_name="fcpx_xml")
    got = uses(path)
    assert [(u.track, u.media.name, u.record_in) for u in got if u.track != "BIN"] == [
        ("V1", "a.mov", "00:00:00:00"), ("V1", "b.mov", "00:00:02:00")]
    # the adapter also writes each clip into the browser: checked there too
    assert sorted(u.media.name for u in got if u.track == "BIN") == ["a.mov", "b.mov"]


def test_drop_frame_timecode_at_2997(tmp_path):
    rate = 30000 / 1001
    tl = timeline([("a", "file:///m/a.mov", 17982)], rate=rate, start_tc="00:00:00;00")
    tl.tracks[0].append(clip("b", "file:///m/b.mov", 30, rate))
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path))
    assert [u.record_in for u in uses(path)] == ["00:00:00;00", "00:10:00;00"]


def test_generators_and_gaps_are_not_media(tmp_path):
    tl = timeline([("a", "file:///m/a.mov", 24)])
    tl.tracks[0].append(otio.schema.Clip(
        name="slug", media_reference=otio.schema.GeneratorReference(generator_kind="Slug"),
        source_range=otio.opentime.TimeRange(rt(0), rt(24))))
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path))
    assert [u.media.clip for u in uses(path)] == ["a"]


def test_several_timelines_in_one_file_are_each_walked(tmp_path):
    coll = otio.schema.SerializableCollection(name="bin", children=[
        timeline([("a", "file:///m/a.mov", 24)], name="reel 1"),
        timeline([("b", "file:///m/b.mov", 24)], name="reel 2")])
    path = tmp_path / "bin.otio"
    otio.adapters.write_to_file(coll, str(path))
    assert [(u.sequence, u.track, u.media.clip) for u in uses(path)] == [
        ("reel 1", "reel 1/V1", "a"), ("reel 2", "reel 2/V1", "b")]


@pytest.mark.parametrize("content", [b"", b"\x00\x01garbage", b'{"OTIO_SCHEMA": "Nope.1"}'])
def test_corrupt_timeline_is_an_error_not_a_crash(tmp_path, content):
    path = tmp_path / "cut.otio"
    path.write_bytes(content)
    read = read_timeline(str(path), "cut.otio", Mode.LOCK)
    assert read.error and read.clips == []


def test_discovery_skips_records_hidden_folders_and_non_xmeml_xml(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.otio").write_text("{}")
    (tmp_path / "cuts").mkdir()
    (tmp_path / "cuts" / "a.otio").write_text("{}")
    (tmp_path / "cuts" / "b.xml").write_text('<?xml version="1.0"?><xmeml version="4"/>')
    (tmp_path / "cuts" / "notes.xml").write_text('<?xml version="1.0"?><notes/>')
    (tmp_path / "cuts" / "a.mov.genai.xml").write_text("<genai/>")
    found = discover(str(tmp_path), ("**/*.genai.xml",))
    assert found.timelines == ["cuts/a.otio", "cuts/b.xml"]
    assert found.records == ["cuts/a.mov.genai.xml"]


# --- the shared corpus of real exports --------------------------------------------

# Media clip uses per file, counted from the files themselves (clipitems, SourceClips,
# events) by reading the XML/AAF/EDL directly; see the notes for the few conventions.
CORPUS_COUNTS = {
    # Avid Media Composer and Premiere AAFs: nesting, essence groups, muted clips
    # Premiere writes its 5.1 clip as six slots all named "Audio 1" on master-mob
    # channels 2-7 at one span: one use of the clip, not six (docs/formats/aaf.md)
    "aaf/2997fps-DFTC.aaf": (1, 1),
    "aaf/composite.aaf": (4, 1),
    "aaf/essence_group.aaf": (0, 0),  # an Avid title's rendered fill/matte is not media
    "aaf/multitrack.aaf": (5, 16),
    "aaf/nesting_test.aaf": (4, 0),
    "aaf/normalclip_sourceclip_references_compositionmob_with_usercomments_no_mastermob_"
    "usercomments.aaf": (0, 1),
    "aaf/simple.aaf": (5, 10),
    "aaf/test_muted_clip.aaf": (1, 0),
    "aaf/timecode_test.aaf": (2, 0),
    "aaf/utf8.aaf": (1, 1),
    # EDLs: AA is A1+A2, an `AUD 3` note adds a third audio use (docs/formats/edl.md)
    "edl/avid_example.edl": (2, 0),
    "edl/gap_test.edl": (3, 0),
    "edl/multi_audio.edl": (0, 3),
    "edl/nucoda_example.edl": (2, 0),
    "edl/premiere_example.edl": (2, 0),
    "edl/screening_example.edl": (9, 0),
    "edl/speed_effects.edl": (548, 0),
    # Premiere and Hiero FCP7 XML. Premiere writes a stereo clip as two channel
    # clipitems; as in Premiere's timeline, a stereo pair counts as one use.
    "fcp7/empty_name_tags.xml": (152, 33),  # 2 nested sequences, 94 disabled clips
    "fcp7/hiero_xml_export.xml": (2, 0),
    "fcp7/premiere_enable_property.xml": (6, 5),
    "fcp7/premiere_example.xml": (8, 7),  # one nested sequence used 3 times
    "fcp7/premiere_generators.xml": (0, 0),  # slugs, colour mattes, bars: not media
    "fcp7/sample_just_track.xml": (0, 0),
    # Final Cut Pro X projects with compound clips used whole, picture only and sound
    # only (srcEnable). An A/V asset-clip counts once, as picture; a compound's <audio>
    # elements are sound (docs/formats/fcpx.md). Counted by hand from the XML: 11
    # picture and 8 sound uses per project (the adapter put the compound's 2 sound uses
    # on V1, hence the earlier 13/6; the total, 19, is unchanged).
    "fcpx/fcpx_project.fcpxml": (11, 8),
    "fcpx/fcpx_example.fcpxml": (22, 16),  # two projects in one library (+16 event clips)
    # native OTIO with nested stacks and transitions
    "otio/multitrack.otio": (5, 0),
    "otio/nested_example.otio": (7, 0),
    "otio/simple_cut.otio": (4, 0),
    "otio/transition_test.otio": (3, 0),
}

@pytest.mark.parametrize("name", sorted(CORPUS_COUNTS))
def test_corpus_clip_counts_match_the_files(corpus, name):
    clips = uses(corpus / name, rate=24)
    kinds = collections.Counter(u.track.rsplit("/", 1)[-1][0] for u in clips)
    assert (kinds["V"], kinds["A"]) == CORPUS_COUNTS[name]


def test_corpus_disabled_clips_are_still_checked(corpus):
    clips = uses(corpus / "fcp7/empty_name_tags.xml")
    assert sum(not u.enabled for u in clips) == 94
    assert sum(not u.enabled for u in uses(corpus / "aaf/test_muted_clip.aaf")) == 1


def test_corpus_nested_sequence_clips_sit_at_their_top_level_timecode(corpus):
    """premiere_example.xml uses sequence-2 (sh010 frames 0-100, sh030 100-320) at
    frame 636 of V2, at 30 fps."""
    got = [(u.track, u.media.clip, u.record_in, u.record_out)
           for u in uses(corpus / "fcp7/premiere_example.xml") if u.track == "V2"]
    assert ("V2", "sc01_sh010_anim.mov", "00:00:21:06", "00:00:24:16") in got
    assert ("V2", "sc01_sh030_anim.mov", "00:00:24:16", "00:00:31:26") in got


def test_corpus_identity_from_each_format(corpus):
    fcp = uses(corpus / "fcp7/premiere_example.xml")[0].media
    assert fcp.path == "D:/media/sc01_sh010_anim.mov" and fcp.name == "sc01_sh010_anim.mov"
    edl = uses(corpus / "edl/avid_example.edl", rate=24)[0]
    assert (edl.media.reel, edl.media.clip, edl.record_in) == ("ZZ100_50", "take_1",
                                                               "00:59:53:11")
    assert edl.media.path == "S:/path/to/ZZ100_501.take_1.0001.exr"
    aaf = uses(corpus / "aaf/simple.aaf")[0].media
    assert "060a2b340101010101010f0013000000060e2b347f7f2a8059bab32dde88792e" in aaf.source_ids
    assert uses(corpus / "aaf/2997fps-DFTC.aaf")[0].record_in == "05:00:00;00"


def test_corpus_edl_at_the_wrong_rate_is_a_clear_error(corpus):
    read = read_timeline(str(corpus / "edl/25fps.edl"), "25fps.edl", Mode.LOCK, 24)
    assert "do not fit 24 fps" in read.error
    assert len(uses(corpus / "edl/25fps.edl", rate=25)) == 4


def test_corpus_bins_are_checked_clip_by_clip(corpus):
    assert [u.track for u in uses(corpus / "ale/sample.ale")] == ["BIN"] * 4


MOB_ID = "urn:smpte:umid:060a2b34.01010105.01010f20.13000000.4f3c2d1e.0a0b0c0d.0e0f1011.12131415"


def test_aaf_written_by_the_adapter_matches_records_by_mob_id(repo):
    tl = timeline([("a", "file:///m/a.mov", 48), ("genai sky", "file:///m/sky.mov", 24)],
                  audio=[("a", "file:///m/a.mov", 48)])
    for c in tl.find_clips():
        if c.name == "genai sky":
            c.metadata["AAF"] = {"MobID": MOB_ID}
    repo.timeline("cuts/locked/reel1.aaf", tl, use_empty_mob_ids=True)
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><sourceId>060A2B340101010501010F20130000004F3C2D1E0A0B0C0D0E0F101112131415</sourceId></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert [(f["track"], f["clip"], f["record_in"], f["asset"]) for f in result.findings()] == [
        ("V1", "genai sky", "01:00:02:00", "AST-1")]
    assert result.code == 1
