"""The FCPXML reader: real Final Cut Pro exports, and one test per defect class of
otio-fcpx-xml-adapter that cutclear reads past (docs/formats/fcpx.md).

Expected uses and record timecodes are counted by hand from the XML (offset, start and
duration of every element up to the project, in rational seconds), never by OTIO.
"""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest

from cutclear.model import Mode
from cutclear.readers import load, read_timeline

REAL = Path(__file__).parent / "data" / "real" / "fcpx"


def read(path: Path):
    return read_timeline(str(path), path.name, Mode.LOCK)


def uses(path: Path):
    got = read(path)
    assert got.error is None, got.error
    return got.clips


def table(clips):
    return [(u.track, u.media.name, u.record_in, u.record_out) for u in clips]


# file: (number of uses, uses checked: track, media file, record in, record out)
REAL_FILES = {
    # mc-clip 1 shows angle D (Cam 4) from multicam time 10.05 s: Cam 4 starts at 4.21 s,
    # so it fills the clip; the project starts at 3603.6 s = 01:00:00:00 at 23.976.
    "MulticamMarkers.fcpxml": (2, [
        ("V1", "Cam 4.mp4", "01:00:00:00", "01:00:40:00"),
        ("V1", "Cam 2.mp4", "01:00:40:00", "01:00:50:00")]),
    # picture of angle B (its <audio> is not played), sound of the music angle
    "MulticamMarkers2.fcpxml": (2, [
        ("V1", "Cam 2.mp4", "01:00:00:00", "01:00:10:00"),
        ("A1", "Music Track.wav", "01:00:00:00", "01:00:10:00")]),
    # 738000/25000 s = 738 frames at 25; the audio (3744914/720000 s) 130 frames
    "SyncClip.fcpxml": (2, [
        ("V1", "TestVideo.m4v", "01:00:00:00", "01:00:29:13"),
        ("A1", "TestAudio.wav", "01:00:00:00", "01:00:05:05")]),
    # frames at 30000/1001: 103, +106, compound +108, ...; the secondary storyline sits
    # at 417 + 1325 - 1300 = 442 (14;22); the connected compound at 678 + 2697 - 2674
    "29.97d.fcpxml": (12, [
        ("V1", "TestVideo.mp4", "00:00:00;00", "00:00:03;13"),
        ("V1", "TestVideo.mp4", "00:00:06;29", "00:00:10;17"),
        ("V2", "TestVideo.mp4", "00:00:14;22", "00:00:14;28"),
        ("V2", "TestVideo.mp4", "00:00:15;16", "00:00:15;24"),
        ("V2", "TestVideo.mp4", "00:00:23;11", "00:00:25;12")]),
    # 3610 s and 3615 s at 24 fps; 9/4 s = 54 frames, 3551/24 s = 3551 frames
    "24With25Media.fcpxml": (2, [
        ("V1", "TestVideo.m4v", "01:00:10:00", "01:00:12:06"),
        ("V1", "TestVideo2.mp4", "01:00:15:00", "01:02:42:23")]),
    # the audition plays its pick, TestVideo2; its alternative (TestVideo) is not used
    "AuditionMarkers3.fcpxml": (2, [
        ("V1", "TestVideo.mp4", "00:00:00:00", "00:00:31:16"),
        ("V1", "TestVideo2.mp4", "00:00:31:16", "00:00:59:17")]),
    # project from 3590 s (00:59:50:00) at 25; sync-clip 2-1-5 at 3595.04 s shows its
    # clips from sync time 42835.88 s; TestAudio's 4 channel <audio> elements are 1 use
    "Occlusion3.fcpxml": (10, [
        ("V1", "B003C008_200304_RO6B.mov", "00:59:55:01", "00:59:58:09"),
        ("V1", "E004_C001_20200306_R1.mov", "00:59:58:09", "01:00:00:16"),
        ("A1", "Intro.wav", "00:59:50:00", "01:05:27:11"),
        ("A2", "TestAudio.WAV", "00:59:54:18", "01:00:01:01"),
        ("A3", "Helicopter Land Close And Wind Down.wav", "00:59:54:18", "01:00:09:23"),
        ("A4", "GM7884P7.WAV", "00:59:55:01", "00:59:58:09")]),
    # a compound clip in the browser: its 5 clips at the compound's own time, at 25 fps
    "StandaloneLibraryEventClip.fcpxml": (5, [
        ("BIN", "TestVideo2.mp4", "00:00:00:00", "00:00:05:13"),
        ("BIN", "TestVideo.mp4", "00:00:29:21", "00:01:03:20"),
        ("BIN", "TestVideo2.mp4", "00:01:24:23", "00:01:31:12")]),
}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_real_export_uses_and_record_timecodes(name):
    count, expected = REAL_FILES[name]
    got = table(uses(REAL / name))
    assert len(got) == count
    for row in expected:
        assert row in got


def test_real_disabled_clip_is_checked_and_marked():
    disabled = [u for u in uses(REAL / "Occlusion3.fcpxml") if not u.enabled]
    assert table(disabled) == [("A5", "TempMusic.wav", "00:59:50:00", "01:05:27:11")]


def test_every_project_of_a_library_its_events_and_beside_them_is_read():
    obj = load(str(REAL / "Structure.fcpxml")).obj
    assert [tl.name for tl in obj] == ["Test Project", "Test Project 2", "Test Project 3"]


# --- the defect classes, each on a minimal document -------------------------------

HEAD = """<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE fcpxml><fcpxml version="1.11">
<resources>
 <format id="f24" frameDuration="100/2400s"/><format id="f25" frameDuration="100/2500s"/>
 <format id="f2997" frameDuration="1001/30000s"/>
 <asset id="a" name="A001" start="0s" duration="600s" hasVideo="1" hasAudio="1" format="f24">
  <media-rep kind="original-media" src="file:///show/media/A001.mov"/>
  <media-rep kind="proxy-media" src="file:///show/proxy/A001_proxy.mov"/></asset>
 <asset id="b" name="B002" start="0s" duration="600s" hasVideo="1" hasAudio="1" format="f25">
  <media-rep kind="original-media" src="file:///show/media/B002.mov"/></asset>
 <asset id="s" name="sky" start="0s" duration="600s" hasVideo="1" format="f24"
        src="file:///show/vfx/sh042_sky_v3.mov"/>
 <asset id="m" name="music" start="0s" duration="600s" hasAudio="1"
        src="file:///show/audio/music.wav"/>
 {resources}
</resources>
{body}
</fcpxml>"""


def doc(tmp_path, body, resources="", project=True, rate="f24", tc_format="NDF",
        name="cut.fcpxml", tc_start="3600s"):
    if project:
        body = (f'<library><event name="E"><project name="P"><sequence format="{rate}" '
                f'tcStart="{tc_start}" tcFormat="{tc_format}" duration="900s"><spine>{body}'
                "</spine></sequence></project></event></library>")
    path = tmp_path / name
    path.write_text(HEAD.format(resources=resources, body=body))
    return path


MULTICAM = """<media id="mc" name="MC"><multicam format="f24" tcStart="0s">
  <mc-angle name="cam A" angleID="A"><asset-clip ref="a" offset="0s" duration="600s"/></mc-angle>
  <mc-angle name="cam B" angleID="B"><asset-clip ref="s" offset="10s" duration="100s"/></mc-angle>
  <mc-angle name="sound" angleID="S"><asset-clip ref="m" offset="0s" duration="600s"/></mc-angle>
</multicam></media>"""


def test_multicam_uses_the_angles_it_shows_and_plays(tmp_path):
    """The adapter read 0 clips from an mc-clip, without a PV005."""
    path = doc(tmp_path, '<mc-clip ref="mc" offset="3600s" start="20s" duration="5s">'
               '<mc-source angleID="B" srcEnable="video"/>'
               '<mc-source angleID="S" srcEnable="audio"/></mc-clip>', MULTICAM)
    assert table(uses(path)) == [("V1", "sh042_sky_v3.mov", "01:00:00:00", "01:00:05:00"),
                                 ("A1", "music.wav", "01:00:00:00", "01:00:05:00")]


def test_multicam_without_a_source_counts_every_angle(tmp_path):
    path = doc(tmp_path, '<mc-clip ref="mc" offset="3600s" start="20s" duration="5s"/>',
               MULTICAM)
    assert sorted(u.media.name for u in uses(path)) == ["A001.mov", "music.wav",
                                                       "sh042_sky_v3.mov"]


def test_multicam_selecting_a_missing_angle_is_pv005(tmp_path):
    path = doc(tmp_path, '<mc-clip ref="mc" offset="3600s" duration="5s">'
               '<mc-source angleID="Z" srcEnable="all"/></mc-clip>', MULTICAM)
    assert "selects angle 'Z'" in read(path).error


def test_audition_uses_its_pick_only(tmp_path):
    path = doc(tmp_path, '<audition offset="3600s"><asset-clip ref="s" duration="2s"/>'
               '<asset-clip ref="a" duration="7s"/></audition>'
               '<asset-clip ref="b" offset="3602s" duration="1s"/>')
    assert table(uses(path)) == [("V1", "sh042_sky_v3.mov", "01:00:00:00", "01:00:02:00"),
                                 ("V1", "B002.mov", "01:00:02:00", "01:00:03:00")]


def test_every_event_and_a_project_beside_them(tmp_path):
    """The adapter read only the first event of a library and the first project."""
    seq = ('<sequence format="f24" tcStart="0s" duration="10s"><spine>'
           '<asset-clip ref="{}" offset="0s" duration="1s"/></spine></sequence>')
    body = (f'<library><event name="E1"><project name="P1">{seq.format("a")}</project>'
            f'</event><event name="E2"><project name="P2">{seq.format("b")}</project>'
            '<asset-clip ref="m" name="browser music" duration="3s"/></event></library>'
            f'<project name="P3">{seq.format("s")}</project>')
    got = [(u.sequence, u.track, u.media.name) for u in uses(doc(tmp_path, body,
                                                                 project=False))]
    assert got == [("P1", "P1/V1", "A001.mov"), ("P2", "P2/V1", "B002.mov"),
                   ("P3", "P3/V1", "sh042_sky_v3.mov"), ("E2", "BIN", "music.wav")]


def test_media_rep_paths_are_the_media_and_proxies_match_too(tmp_path):
    """FCPXML 1.9+ keeps paths in <media-rep>, which the adapter lost."""
    path = doc(tmp_path, '<asset-clip ref="a" offset="3600s" duration="1s"/>')
    media = uses(path)[0].media
    assert media.path == "/show/media/A001.mov"
    assert [a.path for a in media.alternates] == ["/show/proxy/A001_proxy.mov"]


def test_records_match_by_media_rep_path_and_by_a_proxy(repo):
    repo.write("cuts/locked/cut.fcpxml", HEAD.format(resources="", body=(
        '<project name="P"><sequence format="f24" tcStart="3600s" duration="60s"><spine>'
        '<asset-clip ref="a" offset="3600s" duration="2s"/>'
        '<asset-clip ref="b" offset="3602s" duration="1s"/></spine></sequence></project>')))
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><path>/show/media/B002.mov</path></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>
        <asset id="AST-2"><match><name>A001_proxy.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert [(f["track"], f["record_in"], f["asset"]) for f in result.findings()] == [
        ("V1", "01:00:00:00", "AST-2"), ("V1", "01:00:02:00", "AST-1")]
    assert result.code == 1


def test_sync_clip_contents_sit_at_their_record_position(tmp_path):
    """The adapter put sync-clip contents at 00:00:00:00."""
    path = doc(tmp_path, '<gap offset="3600s" duration="5s"/>'
               '<sync-clip offset="3605s" start="100s" duration="4s">'
               '<asset-clip ref="a" offset="98s" start="0s" duration="10s">'
               '<asset-clip ref="m" lane="-1" offset="3s" duration="2s"/></asset-clip>'
               '</sync-clip>')
    # a at sync time 98 s is at 3605 + 98 - 100 = 3603 s, seen from 3605 s; music at a's
    # own time 3 s, 3606 s
    assert table(uses(path)) == [("V1", "A001.mov", "01:00:05:00", "01:00:09:00"),
                                 ("A1", "music.wav", "01:00:06:00", "01:00:08:00")]


def test_connected_clips_and_storylines_are_in_their_parent_time(tmp_path):
    """Offsets of connected clips and secondary storylines are in the local time of
    the clip they hang from (which begins at its `start`), not in the project's."""
    path = doc(tmp_path, '<asset-clip ref="a" offset="3600s" start="50s" duration="10s">'
               '<asset-clip ref="s" lane="1" offset="52s" duration="2s"/>'
               '<spine lane="2" offset="55s"><asset-clip ref="b" offset="0s" duration="1s"/>'
               '<asset-clip ref="s" offset="1s" start="5s" duration="1s"/></spine>'
               '</asset-clip>')
    assert table(uses(path)) == [("V1", "A001.mov", "01:00:00:00", "01:00:10:00"),
                                 ("V2", "sh042_sky_v3.mov", "01:00:02:00", "01:00:04:00"),
                                 ("V3", "B002.mov", "01:00:05:00", "01:00:06:00"),
                                 ("V3", "sh042_sky_v3.mov", "01:00:06:00", "01:00:07:00")]


def test_2997_is_29_97_and_drop_frame_when_the_project_says_so(tmp_path):
    """The adapter read 1001/30000s as 29 fps."""
    # 10 minutes of 29.97 are 17982 frames (18000018/30000 s): 00:10:00;00 in drop-frame
    path = doc(tmp_path, '<asset-clip ref="a" offset="0s" duration="18000018/30000s"/>'
               '<asset-clip ref="s" offset="18000018/30000s" duration="1001/30000s"/>',
               rate="f2997", tc_format="DF", tc_start="0s")
    assert [(u.record_in, u.record_out) for u in uses(path)] == [
        ("00:00:00;00", "00:10:00;00"), ("00:10:00;00", "00:10:00;01")]
    ndf = doc(tmp_path, '<asset-clip ref="a" offset="0s" duration="18000018/30000s"/>',
              rate="f2997", tc_format="NDF", tc_start="0s", name="ndf.fcpxml")
    assert uses(ndf)[0].record_out == "00:09:59:12"  # 17982 frames counted at 30


def test_media_at_another_rate_is_placed_in_project_frames(tmp_path):
    """25 fps media in a 24 fps project: positions come from the project's seconds."""
    path = doc(tmp_path, '<asset-clip ref="b" offset="3600s" start="1/25s" duration="41/24s" '
               'format="f25"><conform-rate srcFrameRate="25"/></asset-clip>'
               '<asset-clip ref="a" offset="86441/24s" duration="1s"/>')
    assert table(uses(path)) == [("V1", "B002.mov", "01:00:00:00", "01:00:01:17"),
                                 ("V1", "A001.mov", "01:00:01:17", "01:00:02:17")]


COMPOUND = """<media id="cc" name="compound"><sequence format="f24" tcStart="0s" duration="20s">
  <spine><asset-clip ref="s" offset="0s" duration="10s"/>
  <asset-clip ref="a" offset="10s" duration="10s">
   <asset-clip ref="m" lane="-1" offset="2s" duration="4s"/></asset-clip></spine>
</sequence></media>"""


@pytest.mark.parametrize(("enable", "expected"), [
    (None, [("V1", "A001.mov", "01:00:00:00", "01:00:05:00"),
            ("A1", "music.wav", "01:00:02:00", "01:00:05:00")]),
    ("video", [("V1", "A001.mov", "01:00:00:00", "01:00:05:00")]),
    # the sound of A001 and the music overlap on the compound's lane: a second track
    ("audio", [("A1", "A001.mov", "01:00:00:00", "01:00:05:00"),
               ("A2", "music.wav", "01:00:02:00", "01:00:05:00")]),
])
def test_compound_clip_use_plays_what_its_src_enable_enables(tmp_path, enable, expected):
    attr = f' srcEnable="{enable}"' if enable else ""
    path = doc(tmp_path, f'<ref-clip ref="cc" offset="3600s" start="10s" duration="5s"{attr}/>',
               COMPOUND)
    assert sorted(table(uses(path))) == sorted(expected)


def test_compound_clip_that_contains_itself_is_pv005(tmp_path):
    loop = ('<media id="cc" name="loop"><sequence format="f24" tcStart="0s" duration="5s">'
            '<spine><ref-clip ref="cc" offset="0s" duration="5s"/></spine></sequence></media>')
    path = doc(tmp_path, '<ref-clip ref="cc" offset="3600s" duration="5s"/>', loop)
    assert "nested more than 64 deep" in read(path).error


@pytest.mark.parametrize(("body", "reason"), [
    ('<asset-clip ref="nowhere" offset="3600s" duration="1s"/>',
     "1 <asset-clip> whose ref 'nowhere' names no resource"),
    ('<hologram-clip ref="a" offset="3600s" duration="1s"/>',
     "1 <hologram-clip> (an unknown clip kind)"),
    ('<ref-clip ref="a" offset="3600s" duration="1s"/>',
     "1 <ref-clip> whose media holds no sequence"),
])
def test_census_fails_what_cannot_be_placed(tmp_path, body, reason):
    error = read(doc(tmp_path, body)).error
    assert error == f"holds items cutclear cannot place: {reason}"


def test_channels_of_one_clip_count_once(tmp_path):
    path = doc(tmp_path, '<clip name="dual mono" offset="3600s" duration="2s">'
               '<audio ref="m" offset="0s" duration="2s" srcCh="1">'
               '<audio ref="m" lane="-1" offset="0s" duration="2s" srcCh="2"/></audio></clip>')
    assert table(uses(path)) == [("A1", "music.wav", "01:00:00:00", "01:00:02:00")]


@pytest.mark.parametrize(("change", "reason"), [
    (('frameDuration="100/2400s"', 'frameDuration="0/2400s"'), "not a usable rate"),
    (('frameDuration="100/2400s"', 'frameDuration="1/0s"'), "not an FCPXML time value"),
    (('frameDuration="100/2400s"', 'frameDuration="abc"'), "not an FCPXML time value"),
    (('offset="3600s"', 'offset="1e999s"'), "not a plausible time"),
])
def test_unusable_rates_and_times_are_pv005(tmp_path, change, reason):
    path = doc(tmp_path, '<asset-clip ref="a" offset="3600s" duration="1s"/>')
    path.write_text(path.read_text().replace(*change))
    assert reason in read(path).error


def test_fcpxmld_bundle_is_read_from_its_info_document(tmp_path):
    bundle = tmp_path / "cut.fcpxmld"
    bundle.mkdir()
    shutil.copy(REAL / "SyncClip.fcpxml", bundle / "Info.fcpxml")
    assert table(uses(bundle)) == table(uses(REAL / "SyncClip.fcpxml"))


def test_not_fcpxml_is_a_clear_error(tmp_path):
    path = tmp_path / "cut.fcpxml"
    path.write_text('<?xml version="1.0"?><xmeml version="4"/>')
    assert read(path).error == "not FCPXML (the root element is <xmeml>)"
    path.write_text('<?xml version="1.0"?><fcpxml version="2.0"/>')
    assert read(path).error.startswith("FCPXML version '2.0': cutclear reads FCPXML 1.x")


def test_corpus_compound_clip_uses_follow_src_enable(corpus):
    """fcpx_project.fcpxml uses compound_clip_1 whole at 80 s (start 3.63 s), picture
    only at 140 s (start 1.9 s) with its sound only connected at 140.0156 s."""
    got = table(uses(corpus / "fcpx" / "fcpx_project.fcpxml"))
    assert ("V1", "IMG_0233.MOV", "00:01:20:00", "00:01:26:11") in got  # whole: picture
    assert ("A1", "IMG_0233.MOV", "00:01:20:00", "00:01:26:11") in got  # whole: sound
    assert ("V1", "IMG_0233.MOV", "00:02:20:00", "00:02:28:03") in got  # picture only
    assert ("A2", "IMG_0233.MOV", "00:02:20:00", "00:02:30:00") in got  # sound only
    # what the compound holds after its 30 s (IMG_0857, IMG_0858) is not in the use
    assert collections.Counter(r[1] for r in got)["IMG_0858.MOV"] == 0


def test_compound_clips_doubling_inside_each_other_are_pv005_not_a_hang(tmp_path):
    """30 compounds, each using the one below twice: 2**30 uses of one clip."""
    media = ['<media id="c0" name="c0"><sequence format="f24" tcStart="0s" duration="2s">'
             '<spine><asset-clip ref="a" offset="0s" duration="2s"/></spine></sequence></media>']
    for i in range(1, 31):
        media.append(f'<media id="c{i}" name="c{i}"><sequence format="f24" tcStart="0s" '
                     f'duration="4s"><spine><ref-clip ref="c{i - 1}" offset="0s" duration="2s"/>'
                     f'<ref-clip ref="c{i - 1}" offset="2s" duration="2s"/></spine></sequence>'
                     '</media>')
    path = doc(tmp_path, '<ref-clip ref="c30" offset="3600s" duration="4s"/>', "".join(media))
    assert "expands to more than 2,000,000 story elements" in read(path).error


def test_clip_in_an_event_audition_is_its_pick(tmp_path):
    body = ('<library><event name="E"><audition><asset-clip ref="s" name="pick" duration="2s"/>'
            '<asset-clip ref="a" duration="2s"/></audition></event></library>')
    assert table(uses(doc(tmp_path, body, project=False))) == [
        ("BIN", "sh042_sky_v3.mov", "00:00:00:00", "00:00:02:00")]


def test_corpus_library_reads_both_projects_and_the_event_clips(corpus):
    """fcpx_example.fcpxml: two projects (19 uses each, as fcpx_project.fcpxml) and an
    event holding compound_clip_1 (6 uses), compound_clip_2 (2) and 8 asset-clips."""
    got = uses(corpus / "fcpx" / "fcpx_example.fcpxml")
    per = collections.Counter(u.sequence for u in got)
    assert per == {"OpenTimeline_Project": 19, "OpenTimeline_Project 1": 19,
                   "OpenTimeline_Event": 16}
    rows = [(u.sequence, u.track, u.media.name, u.record_in, u.record_out) for u in got]
    assert ("OpenTimeline_Project 1", "OpenTimeline_Project 1/V3", "IMG_0857.MOV",
            "00:01:04:17", "00:01:14:17") in rows  # lane 2 at 108137/30 s in a 3600 s gap
    assert ("OpenTimeline_Event", "BIN", "IMG_0858.MOV", "00:01:08:04", "00:01:29:08") in rows
    assert ("OpenTimeline_Event", "BIN", "IMG_0857.MOV", "00:00:40:00", "00:00:50:00") in rows


def test_corpus_top_level_clips_are_in_the_bin(corpus):
    got = table(uses(corpus / "fcpx" / "fcpx_clips.fcpxml"))
    assert len(got) == 8  # compound_clip_1 whole (6) and two asset-clips
    assert ("BIN", "IMG_0857.MOV", "00:00:00:00", "00:01:08:04") in got
    assert ("BIN", "IMG_0268.MOV", "00:00:20:01", "00:00:30:01") in got  # its sound
    assert ("BIN", "IMG_0858.MOV", "00:01:00:00", "00:01:10:00") in got


def test_split_edit_sound_is_seen_beyond_the_picture(tmp_path):
    """A sync-clip with a J-cut: its sound starts 1 s before its picture (audioStart)."""
    path = doc(tmp_path, '<gap offset="3600s" duration="4s"/>'
               '<sync-clip offset="3604s" start="10s" duration="3s" audioStart="9s" '
               'audioDuration="4s"><asset-clip ref="s" offset="10s" duration="3s"/>'
               '<asset-clip ref="m" lane="-1" offset="9s" duration="4s"/></sync-clip>')
    assert table(uses(path)) == [("V1", "sh042_sky_v3.mov", "01:00:04:00", "01:00:07:00"),
                                 ("A1", "music.wav", "01:00:03:00", "01:00:07:00")]


def test_what_a_retimed_compound_holds_is_taken_as_seen_throughout_it(tmp_path):
    """At 200% the compound shows 10 s of its contents in 5 s: its clips are reported
    over the whole use rather than placed by a linear time that would lose the second."""
    path = doc(tmp_path, '<ref-clip ref="cc" offset="3600s" start="0s" duration="5s">'
               '<timeMap><timept time="0s" value="0s"/><timept time="5s" value="10s"/>'
               '</timeMap></ref-clip>', COMPOUND)
    assert table(uses(path)) == [("V1", "sh042_sky_v3.mov", "01:00:00:00", "01:00:05:00"),
                                 ("V2", "A001.mov", "01:00:00:00", "01:00:05:00"),
                                 ("A1", "music.wav", "01:00:00:00", "01:00:05:00")]
