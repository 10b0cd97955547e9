"""CMX 3600 EDLs as Avid, Premiere and Resolve write them, read by cutclear's own parser.

Real files (tests/data/real/edl, the shared corpus) are checked against counts and
record timecodes read off their event lines by hand. The dialects no real file here
shows are small hand-written EDLs; each test says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cutclear.model import Mode
from cutclear.readers import edl, read_timeline

REAL = Path(__file__).parent / "data" / "real" / "edl"


def read(path: Path, rate=24):
    return read_timeline(str(path), path.name, Mode.LOCK, rate)


def uses(path: Path, rate=24):
    got = read(path, rate)
    assert got.error is None, got.error
    return got.clips


def write(tmp_path, text: str, name="cut.edl") -> Path:
    path = tmp_path / name
    path.write_text(text.lstrip("\n"))
    return path


def table(clips):
    return [(u.track, u.media.clip, u.record_in, u.record_out) for u in clips]


# (rate, uses, some (track, clip, record in) taken from the event lines by hand)
REAL_FILES = {
    "cdl.edl": (24, 2, [("V1", "ZZ100_501 (LAY3)", "00:00:00:00"),
                        ("V1", "ZZ100_501 (LAY3)", "00:00:01:07")]),
    # the "from" line of event 002 (source 06:00) does not continue Clip_A (out 06:12):
    # Clip_B is seen during the 30-frame dissolve, a use of its own
    "dissolve_test_3.edl": (24, 4, [("V1", "Clip_A.mov", "01:00:00:00"),
                                    ("V1", "Clip_B.mov", "01:00:02:13"),
                                    ("V1", "Clip_C.mov", "01:00:02:13"),
                                    ("V1", "Clip_D.mov", "01:00:03:19")]),
    # events 003 and 004 dissolve from reels the event before did not use
    "dissolve_test_4.edl": (24, 8, [("V1", "ABC0000.", "01:04:11:17"),
                                    ("V1", "ABC0020.", "01:04:15:02"),
                                    ("V1", "ABC0030.", "01:04:18:11"),
                                    ("V1", "ABC0050.", "01:04:25:23")]),
    "no_spaces_test.edl": (24, 9, [("V1", "ZZ100_501 (LAY3)", "00:59:53:11"),
                                   ("V1", "ZZ100_504C (LAY1)", "00:59:58:00"),
                                   ("V1", "ZZ100_510B (LAY1)", "01:00:26:11")]),
    # M2 speed changes and freeze frames keep their record span
    "speed_effects_small.edl": (24, 5, [("V1", "Z677_4C (ANIM10)", "01:00:00:00"),
                                        ("V1", "Z682_156 (LAY3) FF", "01:08:30:00"),
                                        ("V1", "Z682_157 (LAY2)", "01:08:30:18"),
                                        ("V1", "Z686_5A (LAY2) (47.56 FPS)", "01:11:31:16")]),
    "timecode_mismatch.edl": (25, 20, [("V1", "sq001_s001", "00:00:00:00"),
                                       ("V1", "sq001_s005", "00:00:19:21"),
                                       ("V1", "sq001_s0020", "00:01:09:01")]),
    "transition_duration.edl": (24, 4, [("V1", "ABC0100.", "01:00:48:20"),
                                        ("V1", "ABC0300.", "01:00:56:08"),
                                        ("V1", "ABC0400.", "01:00:59:09")]),
    "wipe_test.edl": (24, 3, [("V1", "clip_A", "01:00:00:00"), ("V1", "clip_B", "01:00:00:09"),
                              ("V1", "clip_B", "01:00:00:19")]),
}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_edls_hold_their_uses_at_their_record_timecodes(name):
    rate, count, expected = REAL_FILES[name]
    got = [(u.track, u.media.clip, u.record_in) for u in uses(REAL / name, rate)]
    assert len(got) == count
    for use in expected:
        assert use in got


CORPUS_TIMECODES = {
    "avid_example.edl": [("V1", "take_1", "00:59:53:11", "00:59:54:18"),
                         ("V1", "take_2", "00:59:54:18", "00:59:56:20")],
    "gap_test.edl": [("V1", "shot1", "00:00:00:00", "00:00:01:00"),
                     ("V1", "shot2", "00:00:01:16", "00:00:02:16"),
                     ("V1", "shot3", "00:00:04:06", "00:00:05:06")],
    "multi_audio.edl": [(f"A{n}", "AX", "00:00:00:00", "00:56:55:22") for n in (1, 2, 3)],
}


@pytest.mark.parametrize("name", sorted(CORPUS_TIMECODES))
def test_corpus_edls_at_their_record_timecodes(corpus, name):
    assert table(uses(corpus / "edl" / name)) == CORPUS_TIMECODES[name]


def test_corpus_avid_speed_changes_keep_their_record_span(corpus):
    """speed_effects.edl (548 events, Avid): event 474 runs 6 record frames at 68 fps
    over 15 source frames; event 183 is a freeze frame (M2 000.0)."""
    got = {(u.media.clip, u.record_in): u.record_out for u in uses(corpus / "edl/speed_effects.edl")}
    assert len(got) == 548
    assert got[("Z694_51B (LAY2) (68.00 FPS)", "01:17:20:04")] == "01:17:20:10"
    assert got[("Z682_156 (LAY3) FF", "01:08:30:00")] == "01:08:30:17"
    assert got[("Z677_4C (ANIM10)", "01:00:00:00")] == "01:00:05:06"


def test_avid_audio_edl_whose_source_and_record_durations_differ(tmp_path):
    """Hand-written after Avid audio EDLs: source durations are a frame off the record
    ones (audio edited below a frame), which otio-cmx3600-adapter refuses. The record
    span is the truth."""
    path = write(tmp_path, """
TITLE: EP104 AUDIO
FCM: NON-DROP FRAME
001  A012C003 A     C        14:03:10:05 14:03:12:00 01:00:00:00 01:00:01:20
* FROM CLIP NAME:  A012C003_DX
002  A012C007 AA    C        14:07:00:00 14:07:02:01 01:00:01:20 01:00:03:20
* FROM CLIP NAME:  A012C007_DX
""")
    assert table(uses(path)) == [
        ("A1", "A012C003_DX", "01:00:00:00", "01:00:01:20"),
        ("A1", "A012C007_DX", "01:00:01:20", "01:00:03:20"),
        ("A2", "A012C007_DX", "01:00:01:20", "01:00:03:20")]


def test_overlapping_record_ins_are_all_read(tmp_path):
    """Hand-written: Avid writes events whose record-ins overlap the event before (a
    source laid over part of another on the same channel). Both are uses; neither is
    lost to the other."""
    path = write(tmp_path, """
TITLE: OVERLAP
001  REEL_A   V     C        10:00:00:00 10:00:04:00 01:00:00:00 01:00:04:00
002  REEL_B   V     C        11:00:00:00 11:00:02:00 01:00:03:00 01:00:05:00
003  REEL_C   V     C        12:00:00:00 12:00:01:00 01:00:05:00 01:00:06:00
""")
    assert sorted(table(uses(path))) == [
        ("V1", "REEL_A", "01:00:00:00", "01:00:04:00"),
        ("V1", "REEL_B", "01:00:03:00", "01:00:05:00"),
        ("V1", "REEL_C", "01:00:05:00", "01:00:06:00")]


def test_32_character_reels_without_an_fcm_line(tmp_path):
    """Hand-written after Avid's File_32 EDLs: 32-character source names as reels and
    no FCM line."""
    reel = "A001C003_220101_R1AB_GENAI_SKY_V3"[:32]
    path = write(tmp_path, f"""
TITLE: FILE32
001  {reel} V     C        01:02:03:04 01:02:05:04 01:00:00:00 01:00:02:00
002  {reel} V     C        01:02:07:00 01:02:08:00 01:00:02:00 01:00:03:00
""")
    got = uses(path)
    assert [(u.media.reel, u.record_in) for u in got] == [(reel, "01:00:00:00"),
                                                          (reel, "01:00:02:00")]


@pytest.mark.parametrize(("fcm", "tc", "expected"), [
    ("FCM: NON-DROP FRAME", "01:00:10:00", "01:00:10:00"),
    ("", "01:00:10:00", "01:00:10:00"),  # no FCM, colons: non-drop
    ("FCM: DROP FRAME", "01:00:10;00", "01:00:10;00"),
    ("FCM: DROP FRAME", "01:00:10:00", "01:00:10;00"),  # colons under a DROP FRAME FCM
])
def test_2997_timecode_is_drop_frame_only_where_the_file_says_so(tmp_path, fcm, tc, expected):
    """Hand-written at 29.97: `:` separators without a DROP FRAME FCM are non-drop, and
    stay so in the report (the adapter printed them as drop-frame: 3.6 s an hour off)."""
    path = write(tmp_path, f"""
TITLE: NTSC
{fcm}
001  REEL_A   V     C        {tc} 01:00:20:00 {tc} 01:00:20:00
""")
    assert [u.record_in for u in uses(path, 29.97)] == [expected]


def test_drop_frame_positions_count_the_skipped_frame_numbers(tmp_path):
    """Hand-written: a drop-frame event at 00:10:00;00 sits 17982 frames after one at
    00:00:00;00, a non-drop one at 00:10:00:00 at 18000."""
    path = write(tmp_path, """
001  REEL_A   V     C        00:00:00;00 00:00:01;00 00:00:00;00 00:00:01;00
002  REEL_B   V     C        00:00:00;00 00:00:01;00 00:10:00;00 00:10:01;00
""")
    assert [u.record_in for u in uses(path, 29.97)] == ["00:00:00;00", "00:10:00;00"]


def test_none_channel_with_aud_3_4_is_audio_3_and_4(tmp_path):
    """Hand-written after Avid: channels 3 and 4 exist only in an `AUD 3 4` note; the
    channel field says NONE. The adapter put them on a video track named NONE."""
    path = write(tmp_path, """
TITLE: AUD34
001  MUSIC01  NONE  C        00:00:00:00 00:00:10:00 01:00:00:00 01:00:10:00
AUD  3    4
* FROM CLIP NAME:  score_cue_1M1
002  DX0102   AA/V  C        05:00:00:00 05:00:02:00 01:00:10:00 01:00:12:00
AUD  3
""")
    assert table(uses(path)) == [
        ("V1", "DX0102", "01:00:10:00", "01:00:12:00"),
        ("A1", "DX0102", "01:00:10:00", "01:00:12:00"),
        ("A2", "DX0102", "01:00:10:00", "01:00:12:00"),
        ("A3", "score_cue_1M1", "01:00:00:00", "01:00:10:00"),
        ("A3", "DX0102", "01:00:10:00", "01:00:12:00"),
        ("A4", "score_cue_1M1", "01:00:00:00", "01:00:10:00")]


def test_black_and_zero_length_events_are_not_media(tmp_path):
    """Hand-written: BL (black) and a zero-length cut show no media."""
    path = write(tmp_path, """
001  BL       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00
002  REEL_A   V     C        10:00:00:00 10:00:00:00 01:00:01:00 01:00:01:00
003  REEL_B   V     C        10:00:00:00 10:00:01:00 01:00:01:00 01:00:02:00
""")
    assert table(uses(path)) == [("V1", "REEL_B", "01:00:01:00", "01:00:02:00")]


def test_split_edit_delays_the_audio(tmp_path):
    """Hand-written: an audio delay of 10 frames on an A/V event (a J/L cut)."""
    path = write(tmp_path, """
SPLIT:   AUDIO DELAY=  00:00:00:10
001  REEL_A   AA/V  C        10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00
""")
    assert sorted(table(uses(path))) == [("A1", "REEL_A", "01:00:00:10", "01:00:02:00"),
                                         ("A2", "REEL_A", "01:00:00:10", "01:00:02:00"),
                                         ("V1", "REEL_A", "01:00:00:00", "01:00:02:00")]


@pytest.mark.parametrize(("line", "what"), [
    ("002  REEL_B   V     C        10:00:00:00 10:00:01:00 01:00:01:00",
     "unreadable event line (line 2: 3 timecodes where an event has 4"),
    ("002  REEL_B   V     X        10:00:00:00 10:00:01:00 01:00:01:00 01:00:02:00",
     "unreadable event line (line 2: no channel"),
    ("002  REEL_B   Q7    C        10:00:00:00 10:00:01:00 01:00:01:00 01:00:02:00",
     "event line with an unknown channel (line 2: 'Q7')"),
    ("002  REEL_B   V     C        10:00:00:00 10:00:01:00 01:00:02:00 01:00:01:00",
     "event line whose record out precedes its record in (line 2"),
])
def test_an_event_line_cutclear_cannot_read_fails_with_its_line_number(tmp_path, line, what):
    """Hand-written damaged EDLs: the event is never skipped."""
    path = write(tmp_path, "001  REEL_A   V     C        10:00:00:00 10:00:01:00 "
                           f"01:00:00:00 01:00:01:00\n{line}\n")
    got = read(path)
    assert got.clips == [] and "cannot place: 1 " + what in got.error


def test_timecode_beyond_the_rate_names_the_line_and_the_fix(tmp_path):
    path = tmp_path / "cut.edl"
    path.write_text("TITLE: X\n\n001  REEL_A   V     C        10:00:00:00 10:00:01:24 "
                    "01:00:00:00 01:00:01:00\n")
    error = read(path).error
    assert error.startswith("line 3: timecode 10:00:01:24: the EDL's timecodes do not fit 24 fps")
    assert "--rate" in error


def test_drop_frame_separators_at_a_rate_without_drop_frame(tmp_path):
    path = write(tmp_path, "001  REEL_A   V     C        10:00:00;00 10:00:01;00 "
                           "01:00:00;00 01:00:01;00\n")
    assert "line 1: drop-frame timecode 10:00:00;00 at 25 fps" in read(path, 25).error


@pytest.mark.parametrize("content", [b"", b"TITLE: nothing here\n", b"\x00\x01\x02",
                                     b"<xmeml version='4'/>"])
def test_a_file_without_events_is_not_an_empty_pass(tmp_path, content):
    path = tmp_path / "cut.edl"
    path.write_bytes(content)
    got = read(path)
    assert got.error and got.clips == []


def test_census_counts_event_lines_the_walk_must_place(tmp_path, monkeypatch):
    """If the OTIO tracks lost an event, the census of event lines catches it."""
    path = write(tmp_path, """
001  REEL_A   V     C        10:00:00:00 10:00:01:00 01:00:00:00 01:00:01:00
002  REEL_B   AA    C        10:00:00:00 10:00:01:00 01:00:01:00 01:00:02:00
""")
    build = edl._timeline

    def lossy(parsed):
        tl = build(parsed)
        del tl.tracks[-1]  # A2
        return tl

    monkeypatch.setattr(edl, "_timeline", lossy)
    assert "holds 3 clip uses but the reader placed 2" in read(path).error


def test_identity_from_avid_and_nucoda_notes(corpus):
    avid, nucoda = (uses(corpus / "edl" / f"{n}_example.edl")[1] for n in ("avid", "nucoda"))
    assert avid.media.path == nucoda.media.path == "S:/path/to/ZZ100_502A.take_2.0101.exr"
    assert (avid.media.reel, avid.media.clip) == ("ZZ100_50", "take_2")
    premiere = uses(corpus / "edl/premiere_example.edl")[0]
    assert (premiere.media.reel, premiere.media.clip) == ("", "ZZ100_501.take_1.0001.exr")


def test_adapter_timelines_put_none_channels_on_audio_3_and_4(tmp_path):
    """The conform gate walks what otio-cmx3600-adapter read: its "NONE" video track is
    no picture use, only the AUD channels (hand-written EDL as above)."""
    import opentimelineio as otio

    from cutclear.readers.walk import walk
    path = write(tmp_path, """
001  MUSIC01  NONE  C        00:00:00:00 00:00:10:00 01:00:00:00 01:00:10:00
AUD  3    4
* FROM CLIP NAME:  score_cue_1M1
002  DX0102   V     C        05:00:00:00 05:00:02:00 01:00:10:00 01:00:12:00
""")
    tl = otio.adapters.read_from_file(str(path), adapter_name="cmx_3600", rate=24)
    assert sorted((u.track, u.media.clip, u.record_in) for u in walk(tl, "cut.edl")) == [
        ("A3", "score_cue_1M1", "01:00:00:00"), ("A4", "score_cue_1M1", "01:00:00:00"),
        ("V1", "002", "01:00:10:00")]


def test_split_edit_with_aud_3_delays_channel_3_too(tmp_path):
    """Hand-written: the AUD note after a split event applies to its delayed audio."""
    path = write(tmp_path, """
SPLIT:   AUDIO DELAY=  00:00:00:12
001  REEL_A   A/V   C        10:00:00:00 10:00:02:00 01:00:00:00 01:00:02:00
AUD  3
* FROM CLIP NAME:  sc12_tk3
""")
    assert sorted(table(uses(path))) == [("A1", "sc12_tk3", "01:00:00:12", "01:00:02:00"),
                                         ("A3", "sc12_tk3", "01:00:00:12", "01:00:02:00"),
                                         ("V1", "sc12_tk3", "01:00:00:00", "01:00:02:00")]


def test_genai_music_on_aud_channels_is_found_at_its_record_timecode(repo):
    """End to end: a generated music cue on channels 3 and 4 only (NONE + AUD 3 4) of an
    Avid audio EDL at 29.97 non-drop, matched by clip name, without approval."""
    repo.config('locked = ["cuts/**"]\nedl-rate = 29.97\n')
    repo.write("cuts/ep104_audio.edl", """TITLE: EP104 AUDIO
FCM: NON-DROP FRAME
001  MUSIC01  NONE  C        00:00:00:00 00:00:10:00 01:00:30:00 01:00:40:00
AUD  3    4
* FROM CLIP NAME:  score_cue_1M1
002  DX0102   AA    C        05:00:00:00 05:00:02:01 01:00:40:00 01:00:42:00
""")
    repo.records("records/music.genai.xml", """
        <asset id="AST-9"><match><clip>score_cue_1M1</clip></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert [(f["track"], f["clip"], f["record_in"]) for f in result.findings()] == [
        ("A3", "score_cue_1M1", "01:00:30:00"), ("A4", "score_cue_1M1", "01:00:30:00")]
    assert result.code == 1


def _rate_otio_json_reads_off() -> float:
    """A frame rate OTIO's JSON reader does not read back as the same double."""
    import json

    import opentimelineio as otio
    for n in range(1, 10_000):
        rate = 12 + n / 997
        doc = json.dumps({"OTIO_SCHEMA": "RationalTime.1", "rate": rate, "value": 0})
        if otio.core.deserialize_json_from_string(doc).rate != rate:
            return rate
    raise AssertionError("OTIO's JSON reader read every rate back exactly")


def test_a_rate_otio_json_reads_one_bit_off_is_set_exactly_on_every_item(tmp_path):
    """The EDL's tracks are built through OTIO's JSON reader, which parses some doubles
    one bit off; the rate of every clip and gap is still exactly the EDL's, so that no
    position shifts (hand-written EDL, an odd rate found at run time, whose timecodes
    count frames by its nominal rate, 12)."""
    from cutclear.readers import load
    rate = _rate_otio_json_reads_off()
    path = write(tmp_path, """
001  REEL_A   V     C        10:00:00:00 10:00:01:00 01:00:00:00 01:00:01:00
002  REEL_B   V     C        10:00:00:00 10:00:01:00 01:00:02:00 01:00:03:00
""")
    tl = load(str(path), rate).obj
    items = [item for track in tl.tracks for item in track]
    assert [type(i).__name__ for i in items] == ["Clip", "Gap", "Clip"]
    for item in items:
        assert item.source_range.start_time.rate == rate
        assert item.source_range.duration.rate == rate
    assert [(i.source_range.start_time.value, i.source_range.duration.value)
            for i in items] == [(10 * 3600 * 12, 12), (0, 12), (10 * 3600 * 12, 12)]


def test_speeds_are_exact_in_metadata_and_effect(tmp_path):
    """Speeds do not go through OTIO's JSON reader: 47.6 fps at 24 is 47.6 / 24 exactly,
    and a freeze frame is a FreezeFrame (hand-written M2 lines)."""
    import opentimelineio as otio

    from cutclear.readers import load
    path = write(tmp_path, """
001  Z677     V     C        01:00:00:00 01:00:02:00 01:00:00:00 01:00:02:00
M2   Z677       047.6                01:00:00:00
002  Z682     V     C        02:00:00:00 02:00:01:00 01:00:02:00 01:00:03:00
M2   Z682       000.0                02:00:00:00
003  Z690     V     C        03:00:00:00 03:00:01:00 01:00:03:00 01:00:04:00
""")
    tl = load(str(path), 24).obj
    clips = [c for track in tl.tracks for c in track]
    assert [c.metadata["cmx_3600"].get("speed") for c in clips[:2]] == [47.6, 0.0]
    assert "speed" not in clips[2].metadata["cmx_3600"]
    assert isinstance(clips[0].effects[0], otio.schema.LinearTimeWarp)
    assert clips[0].effects[0].time_scalar == 47.6 / 24
    assert isinstance(clips[1].effects[0], otio.schema.FreezeFrame)
    assert list(clips[2].effects) == []


def test_every_event_of_a_long_edl_is_a_use_and_the_last_one_is_flagged(repo):
    """2,000 events on V1 and A1-A2, with gaps: every one placed (the census would fail
    the read otherwise), and the GenAI clip of the last event is found at its record
    timecode, named as its note says."""
    lines = ["TITLE: LONG", "FCM: NON-DROP FRAME"]
    for n in range(1, 2001):
        rec = 90_000 + n * 50  # a frame of gap after every event of 48
        tc = [f"{f // 86400:02d}:{f // 1440 % 60:02d}:{f // 24 % 60:02d}:{f % 24:02d}"
              for f in (n * 48, n * 48 + 48, rec, rec + 48)]
        lines.append(f"{n:03d}  R{n:05d}  {'B' if n % 2 else 'AA'}    C        "
                     + " ".join(tc))
        lines.append(f"* FROM CLIP NAME:  shot_{n:05d}")
    repo.config('locked = ["cuts/**"]\nedl-rate = 24\n')
    repo.write("cuts/long.edl", "\n".join(lines) + "\n")
    repo.records("records/gen.genai.xml", """
        <asset id="GEN-1"><match><clip>shot_02000</clip></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert result.code == 1
    assert [(f["track"], f["clip"], f["record_in"]) for f in result.findings()] == [
        ("A1", "shot_02000", "02:11:56:16"), ("A2", "shot_02000", "02:11:56:16")]
