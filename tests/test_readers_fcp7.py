"""cutclear's FCP7 XML reader: every clip use at its record timecode, or PV005.

Real Premiere and Hiero exports (the shared corpus) with their uses counted and their
record timecodes worked out by hand from the XML (frame / timebase; noted beside each
value), then one test per defect class of otio-fcp-adapter 1.0 on a file that shows it:
a real one where the corpus has it, else a small hand-made file (said so in the test).
Last, the OTIO side: the `cutclear_fcp7` adapter and the conform gate under the real
`otioconvert`.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import RUNWAY, SKY

from cutclear import otio_adapters
from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.fcp7 import build, guard
from cutclear.readers.walk import walk

BIN = Path(sys.executable).parent


def read(path: Path):
    result = read_timeline(str(path), path.name, Mode.LOCK)
    assert result.error is None, result.error
    # the uses listed without OTIO objects are those the walk finds in the OTIO timeline
    walked = read_timeline(str(path), path.name, Mode.LOCK, keep_items=True)
    assert (walked.error, walked.clips) == (None, result.clips)
    return result.clips


def placed(clips) -> set[tuple]:
    return {(u.track, u.media.clip, u.record_in, u.record_out) for u in clips}


# --- real exports ----------------------------------------------------------------------

# file: (uses in the file, uses at their record timecodes as the file gives them)
REAL = {
    # Premiere, 30 fps NDF: stereo pairs, a nest used on V2 and (one clipitem per output
    # channel) on A3/A4, dissolves and a fade to black written as -1 edges, 8 video + 7 audio
    "premiere_example.xml": (15, {
        ("V1", "sc01_sh010_anim.mov", "00:00:17:26", "00:00:21:06"),  # clipitem-1: 536-636
        # clipitem-4: 322 to -1, ended by the end-black fade 538-557 (cut at 557)
        ("V2", "sc01_sh030_anim.mov", "00:00:10:22", "00:00:18:17"),
        ("V2", "sc01_sh030_anim.mov", "00:00:24:16", "00:00:31:26"),  # in sequence-2, 636+100
        # clipitem-11 956 to -1 and clipitem-12 -1 to 1246 meet at the dissolve's cut point:
        # 1152 + cutPointTicks 101606400000 / 254016000000 s * 30 = 1164
        ("V4", "sc01_master_layerA_sh030_temp.mov", "00:00:31:26", "00:00:38:24"),
        ("V4", "sc01_sh010_anim.mov", "00:00:38:24", "00:00:41:16"),
        # clipitem-24 (A7) 1164-1258; the pair A7/A8 is Premiere's stereo track A4
        ("A4", "sc01_sh010_anim.mov", "00:00:38:24", "00:00:41:28"),
        ("A2", "sc01_sh010_anim.mov", "00:00:21:06", "00:00:24:16"),  # nest audio, 636-736
    }),
    # Premiere, 23.976 NDF (timebase 24): two nests on V2, 94 disabled clips and tracks
    "empty_name_tags.xml": (185, {
        ("V1", "mymovie.mov", "00:00:00:15", "00:00:03:18"),  # clipitem-458: 15-90
        ("V1", "mymovie.mov", "00:02:17:19", "00:02:26:13"),  # clipitem-490: 3307-3517
        # clipitem-494 uses sequence-8 at 598-692 through its frames 1009-1103:
        # clipitem-496 (984-1127) shows from its frame 1009, at record 598
        ("V2", "mymovie.mov", "00:00:24:22", "00:00:28:20"),
        ("A1", "mymovie.mov", "00:00:00:15", "00:00:03:18"),  # clipitem-619
    }),
    # Premiere, 25 fps: disabled clips, a disabled track, stereo pairs
    "premiere_enable_property.xml": (11, {
        ("V1", "video_track_1_disabled_1", "00:00:03:06", "00:00:07:02"),  # 81-177
        ("V1", "video_track_1_disabled_2", "00:00:08:20", "00:00:10:06"),  # 220-256
        ("V3", "video_track_3_disabled_1", "00:00:03:06", "00:00:07:02"),  # 81-177
        ("A1", "source4.mp4", "00:00:08:20", "00:00:10:06"),  # clipitem-138/142: 220-256
    }),
    # Hiero, 24 fps, sequence at 01:00:00:00
    "hiero_xml_export.xml": (2, {
        ("V1", "A160C005_171213_R0MN", "01:00:00:14", "01:00:44:13"),  # 14-1069
        ("V1", "/", "01:00:45:05", "01:00:55:04"),  # 1085-1324
        # (only two clips in the file: both are checked above, and a third check below)
    }),
    # Premiere slugs, colour mattes, bars and a title: rendered, none is media
    "premiere_generators.xml": (0, set()),
    "sample_just_track.xml": (0, set()),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_fcp7_exports_every_use_at_its_record_timecode(corpus, name):
    count, expected = REAL[name]
    clips = read(corpus / "fcp7" / name)
    assert len(clips) == count
    assert expected <= placed(clips)


HERE = Path(__file__).resolve().parent / "data" / "real" / "fcp7"


def test_real_premiere_export_at_2997_drop_frame_with_exploded_stereo():
    """tests/data/real/fcp7/premiere_challenges_v004.xml (SOURCES.md): 64 video clipitems
    and 128 audio clipitems, 64 stereo pairs on the exploded pair A1/A2; drop-frame
    timecode worked out by hand (1,800 frames in minute 0 and each tenth minute, else
    1,798 with labels from ;02)."""
    clips = read(HERE / "premiere_challenges_v004.xml")
    assert collections.Counter(u.track for u in clips) == {"V1": 64, "A1": 64}
    name = "Jester Jesters Goes Viral s01e{}.mp4".format
    assert {
        ("V1", name("05 Slide Into My Dreams"), "00:00:00;00", "00:00:07;07"),  # 0-217
        ("V1", name("14 You Are What You Eat"), "00:02:53;00", "00:03:07;04"),  # 5186-5608
        ("V1", name("23 Bad Memory and the Waters of March"), "00:15:46;21",
         "00:16:07;02"),  # clipitem-64: 28373-28982
        ("A1", name("09 Jonsurrection"), "00:00:57;25", "00:01:03;07"),  # clipitem-75/139
    } <= placed(clips)


def test_real_hiero_export_starts_at_the_sequence_timecode(corpus):
    first = read(corpus / "fcp7" / "hiero_xml_export.xml")[0]
    assert (first.record_in, first.media.reel) == ("01:00:00:14", "")
    assert first.media.name == "A160C005_171213_R0MN.mxf"


# --- defect classes ----------------------------------------------------------------------

RATE = "<rate><timebase>24</timebase><ntsc>FALSE</ntsc></rate>"


def clipitem(ident: str, name: str, start: int, end: int, src_in: int, src_out: int,
             use: str, extra: str = "") -> str:
    return (f'<clipitem id="{ident}"><name>{name}</name>{RATE}<start>{start}</start>'
            f"<end>{end}</end><in>{src_in}</in><out>{src_out}</out>{extra}{use}</clipitem>")


def file(ident: str, url: str = "", frames: int = 480) -> str:
    if not url:
        return f'<file id="{ident}"/>'
    return (f'<file id="{ident}"><name>{url.rsplit("/", 1)[-1]}</name><pathurl>{url}</pathurl>'
            f"{RATE}<duration>{frames}</duration></file>")


def sequence(ident: str, name: str, video: list[str], audio: list[str] = (),
             tc: str = "") -> str:
    tracks = {kind: "".join(f"<track>{''.join(t)}</track>" for t in items)
              for kind, items in (("video", video), ("audio", audio))}
    return (f'<sequence id="{ident}"><name>{name}</name>{RATE}{tc}<media>'
            f"<video>{tracks['video']}</video><audio>{tracks['audio']}</audio>"
            f"</media></sequence>")


def xmeml(*sequences: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<xmeml version="4">{"".join(sequences)}</xmeml>'


TC = ("<timecode>" + RATE + "<string>01:00:00:00</string><frame>86400</frame>"
      "<displayformat>NDF</displayformat></timecode>")
SKY_FILE = "file:///show/vfx/sh042_sky_v3.mov"


def two_deep_nest() -> str:
    """Hand-made (no public export has nests two deep): V1 uses the nest `outer` at
    0-48 by reference, before V2 (at 100-148) and A1 write its definition; `outer` holds
    its own shot on V2 and the nest `inner` on V1 and A1; `inner` holds the GenAI sky."""
    inner = sequence("seq-inner", "inner",
                     [[clipitem("i1", "sh042 sky", 0, 24, 0, 24, file("f-sky", SKY_FILE)),
                       clipitem("i2", "deeper", 24, 48, 0, 24,
                                file("f-deep", "file:///show/media/deeper.mov"))]],
                     [[clipitem("i3", "room tone", 0, 48, 0, 48,
                                file("f-wav", "file:///show/media/room_tone.wav"))]])
    outer = sequence("seq-outer", "outer",
                     [[clipitem("o1", "inner", 0, 48, 0, 48, inner)],
                      [clipitem("o2", "outer own", 0, 48, 0, 48,
                                file("f-own", "file:///show/media/outer_own.mov"))]],
                     [[clipitem("o3", "inner", 0, 48, 0, 48, '<sequence id="seq-inner"/>')]])
    top = sequence("seq-top", "reel 1",
                   [[clipitem("t1", "outer", 0, 48, 0, 48, '<sequence id="seq-outer"/>')],
                    [clipitem("t2", "outer", 100, 148, 0, 48, outer)]],
                   [[clipitem("t3", "outer", 0, 48, 0, 48, '<sequence id="seq-outer"/>')]],
                   tc=TC)
    return xmeml(top)


def test_nests_two_deep_and_referenced_before_their_definition(tmp_path):
    path = tmp_path / "reel1.xml"
    path.write_text(two_deep_nest())
    got = placed(read(path))
    assert got == {
        ("V1", "sh042 sky", "01:00:00:00", "01:00:01:00"),  # outer -> inner, by reference
        ("V1", "deeper", "01:00:01:00", "01:00:02:00"),
        ("V1", "outer own", "01:00:00:00", "01:00:02:00"),
        ("V2", "sh042 sky", "01:00:04:04", "01:00:05:04"),  # frame 100 at 24 fps
        ("V2", "deeper", "01:00:05:04", "01:00:06:04"),
        ("V2", "outer own", "01:00:04:04", "01:00:06:04"),
        ("A1", "room tone", "01:00:00:00", "01:00:02:00"),  # outer's audio -> inner's audio
    }


def multicam(angles: str) -> str:
    use = (f'<multiclip id="mc-1"><name>MC sc12</name><collapsed>FALSE</collapsed>'
           f"{angles}</multiclip>")
    return xmeml(sequence("seq-1", "scene 12",
                          [[clipitem("mc-use", "MC sc12", 0, 48, 24, 72, use)]], tc=TC))


def angle(name: str, content: str) -> str:
    return (f'<angle><name>{name}</name><clip id="clip-{name}"><name>{name}</name>{RATE}'
            f"<media><video><track>{content}</track></video></media></clip></angle>")


def test_multicam_every_angle_is_checked_active_or_not(tmp_path):
    """Hand-made (no public multicam export found): a multicam clip (frames 24-72 of it)
    whose A angle is camera media and whose B angle is a nest holding the GenAI sky at the
    nest's frames 48-96. Any angle is one switch from the deliverable: all are checked."""
    nest = sequence("seq-b", "B nest", [[clipitem("sky", "sh042 sky", 48, 96, 0, 48,
                                                  file("f-sky", SKY_FILE))]])
    path = tmp_path / "mc.xml"
    path.write_text(multicam(
        angle("A", clipitem("a", "A001C001", 0, 240, 0, 240,
                            file("f-a", "file:///show/media/camera/A001C001.mov")))
        + angle("B", clipitem("b", "B nest", 0, 240, 0, 240, nest))))
    assert placed(read(path)) == {("V1", "A001C001", "01:00:00:00", "01:00:02:00"),
                                  ("V1", "sh042 sky", "01:00:01:00", "01:00:02:00")}


def test_premiere_multicam_a_nest_of_angle_nests_counts_every_angle(tmp_path):
    """Hand-made, Premiere's layout: the multicam clip is a nest whose tracks are the
    angles, each a nest of camera media."""
    cam = {n: sequence(f"seq-{n}", f"cam {n}", [[clipitem(f"c{n}", f"{n}001", 0, 96, 0, 96,
                                                          file(f"f{n}", f"file:///m/{n}001.mov"))]])
           for n in "AB"}
    mc = sequence("seq-mc", "MC", [[clipitem("ua", "cam A", 0, 96, 0, 96, cam["A"])],
                                   [clipitem("ub", "cam B", 0, 96, 0, 96, cam["B"])]])
    path = tmp_path / "mc.xml"
    path.write_text(xmeml(sequence("seq-1", "scene", [[clipitem("u", "MC", 0, 48, 48, 96, mc)]],
                                   tc=TC)))
    assert placed(read(path)) == {("V1", "A001", "01:00:00:00", "01:00:02:00"),
                                  ("V1", "B001", "01:00:00:00", "01:00:02:00")}


def test_clip_between_two_dissolves_sits_between_their_cut_points(tmp_path):
    """Hand-made: b starts and ends at -1 under two centred dissolves (12 frames each);
    the cut points are the middles, and c starts where the second dissolve's ends."""
    dissolve = ("<transitionitem><start>{}</start><end>{}</end><alignment>center</alignment>"
                + RATE + "<effect><name>Cross Dissolve</name></effect></transitionitem>")
    track = [clipitem("a", "a", 0, -1, 0, 54, file("fa", "file:///m/a.mov")),
             dissolve.format(42, 54),
             clipitem("b", "b", -1, -1, 10, 94, file("fb", "file:///m/b.mov")),
             dissolve.format(114, 126),
             clipitem("c", "c", -1, 200, 0, 86, file("fc", "file:///m/c.mov"))]
    path = tmp_path / "d.xml"
    path.write_text(xmeml(sequence("s", "s", [track], tc=TC)))
    assert placed(read(path)) == {("V1", "a", "01:00:00:00", "01:00:02:00"),  # cut at 48
                                  ("V1", "b", "01:00:02:00", "01:00:05:00"),  # 48 to 120
                                  ("V1", "c", "01:00:05:00", "01:00:08:08")}  # 120 to 200


def test_real_nest_audio_per_output_channel_and_stereo_pairs_are_one_use_each(corpus):
    """premiere_example.xml: clipitem-18 (A3) and -20 (A4), linked, both use sequence-2's
    audio: one use; clipitem-13/-15 (A1/A2) are a stereo pair: one use."""
    clips = read(corpus / "fcp7" / "premiere_example.xml")
    at = collections.Counter((u.track, u.record_in) for u in clips if u.track[0] == "A")
    assert at[("A2", "00:00:21:06")] == 1
    assert at[("A1", "00:00:00:13")] == 1
    assert sum(at.values()) == 7


def test_real_disabled_clips_and_tracks_are_checked_and_marked(corpus):
    clips = read(corpus / "fcp7" / "premiere_enable_property.xml")
    disabled = {(u.track, u.record_in) for u in clips if not u.enabled}
    assert disabled == {("V1", "00:00:03:06"), ("V1", "00:00:08:20"), ("V3", "00:00:03:06"),
                        ("A1", "00:00:07:02")}


def test_drop_frame_only_where_the_file_says_so(tmp_path):
    """Hand-made: the same 29.97 cut, displayed DF and NDF: frame 1800 after the start
    is 01:01:00;02 in drop-frame (frames 0 and 1 of minute 1 are dropped), 01:01:00:00
    in non-drop."""
    for fmt, frame, expected in (("DF", 107892, "01:01:00;02"), ("NDF", 108000, "01:01:00:00")):
        rate = "<rate><timebase>30</timebase><ntsc>TRUE</ntsc></rate>"
        tc = (f"<timecode>{rate}<string>01:00:00:00</string><frame>{frame}</frame>"
              f"<displayformat>{fmt}</displayformat></timecode>")
        seq = sequence("s", "s", [[clipitem("a", "a", 1800, 1830, 0, 30,
                                            file("fa", "file:///m/a.mov"))]]
                       ).replace(RATE, rate, 1).replace("<media>", tc + "<media>")
        path = tmp_path / f"{fmt}.xml"
        path.write_text(xmeml(seq).replace(RATE, rate))
        assert read(path)[0].record_in == expected, fmt


# --- fail closed -------------------------------------------------------------------------

def error_of(path: Path) -> str:
    result = read_timeline(str(path), path.name, Mode.LOCK)
    assert result.error is not None and not result.clips
    assert read_timeline(str(path), path.name, Mode.LOCK, keep_items=True).error == result.error
    return result.error


_TRACKS = build.Builder.tracks


def test_a_lost_nest_fails_the_census(tmp_path, monkeypatch):
    """Were the builder to lose a nest's clips again (otio-fcp-adapter's defect), the
    census, counted from the XML, still sees them and the read fails."""
    path = tmp_path / "reel1.xml"
    path.write_text(two_deep_nest())

    def top_only(self, seq, kind, depth, *args, **kwargs):
        return [] if depth else _TRACKS(self, seq, kind, depth, *args, **kwargs)

    monkeypatch.setattr(build.Builder, "tracks", top_only)
    assert error_of(path) == ("the file holds 7 clip uses but the reader placed 0: the read "
                              "is incomplete, so nothing in it is trusted")


@pytest.mark.parametrize("use, kind", [
    (file("file-9"), "1 unresolved <file> id references"),
    ('<sequence id="seq-9"/>', "1 unresolved <sequence> id references"),
    ("", "1 clipitems without a file, nested sequence or multicam clip"),
])
def test_what_cannot_be_placed_fails_the_read_by_kind(tmp_path, use, kind):
    path = tmp_path / "cut.xml"
    path.write_text(xmeml(sequence("s", "s", [[clipitem("a", "a", 0, 24, 0, 24, use)]])))
    assert error_of(path) == f"holds items cutclear cannot place: {kind}"


def test_an_unknown_item_kind_fails_the_read(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(xmeml(sequence("s", "s", [["<holoitem><start>0</start></holoitem>"]])))
    assert error_of(path) == ("holds items cutclear cannot place: 1 <holoitem> items (an item "
                              "kind cutclear does not know)")


def test_a_nest_inside_itself_is_an_error_not_a_hang(tmp_path):
    loop = sequence("seq-a", "a", [[clipitem("x", "a", 0, 24, 0, 24, '<sequence id="seq-a"/>')]])
    path = tmp_path / "cut.xml"
    path.write_text(xmeml(sequence("s", "s", [[clipitem("u", "a", 0, 24, 0, 24, loop)]])))
    assert "nested in itself" in error_of(path) or "cycle" in error_of(path)


def test_a_broken_edge_is_located(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(xmeml(sequence("s", "s", [[clipitem("a", "a", -1, 24, 0, 24,
                                                        file("fa", "file:///m/a.mov"))]])))
    assert error_of(path) == ("clipitem at line 2 starts at -1 with no transition before it")


# --- OTIO: the cutclear_fcp7 adapter and the conform gate ---------------------------------

def test_the_adapter_claims_no_suffix_and_reads_what_cutclear_reads(corpus):
    assert otio.adapters.from_filepath("cut.xml").name == "fcp_xml"
    manifest = json.loads((Path(otio_adapters.__file__).parent /
                           "plugin_manifest.json").read_text())
    assert [a["suffixes"] for a in manifest["adapters"]] == [[]]
    path = corpus / "fcp7" / "premiere_example.xml"
    tl = otio.adapters.read_from_file(str(path), adapter_name="cutclear_fcp7")
    assert placed(walk(tl, path.name)) == placed(read(path))


def otioconvert(*args: str, root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUTCLEAR_ROOT": str(root), "CUTCLEAR_AS_OF": "2026-01-15",
           "CUTCLEAR_GATE": "1"}
    return subprocess.run([str(BIN / "otioconvert"), *args], capture_output=True, text=True,
                          env=env, cwd=root)


@pytest.fixture
def nested_show(repo):
    """An edit repo whose GenAI sky has no approval, cut two nests deep."""
    repo.config('production = "PRD-778"\n')
    repo.records("records/vfx.genai.xml", SKY.replace("sh042_sky_v*.mov", "sh042_sky_v3.mov")
                 + RUNWAY)
    repo.write("reel1.xml", two_deep_nest())
    return repo.root


def test_gate_refuses_the_plain_adapters_nests_with_the_command(nested_show):
    result = otioconvert("-i", "reel1.xml", "-o", "online.otio", root=nested_show)
    assert result.returncode != 0
    assert ("PV005 [error] timeline cannot be read: read by otio-fcp-adapter, which drops the "
            "clips inside nested sequences and multicam clips (here 3: ") in result.stderr
    assert "read the file with otioconvert -I cutclear_fcp7 -i CUT.xml -o OUT" in result.stderr
    assert not (nested_show / "online.otio").exists()


def test_gate_checks_nested_clips_read_by_cutclear_fcp7(nested_show):
    result = otioconvert("-I", "cutclear_fcp7", "-i", "reel1.xml", "-o", "online.otio",
                         root=nested_show)
    assert result.returncode != 0
    assert "GA001 [error] sh042 sky: GenAI asset AST-1193 (Runway Gen-4)" in result.stderr
    assert "reel 1:V1:01:00:00:00" in result.stderr and "reel 1:V2:01:00:04:04" in result.stderr
    assert not (nested_show / "online.otio").exists()


def test_gate_refuses_timelines_of_an_adapter_version_it_does_not_know(monkeypatch, corpus):
    tl = otio.adapters.read_from_file(str(corpus / "fcp7" / "hiero_xml_export.xml"),
                                      adapter_name="fcp_xml")
    assert len(list(walk(tl, "hiero"))) == 2
    monkeypatch.setattr(guard, "_adapter_version", lambda: "1.1.0")
    with pytest.raises(Exception, match=r"read by otio-fcp-adapter 1\.1\.0, whose FCP7 reading"):
        list(walk(tl, "hiero"))


def test_nests_that_expand_exponentially_are_refused_not_left_running(tmp_path):
    """Hand-made: 24 levels of a nest used twice in the next (2**24 clips, all shown)."""
    nest = sequence("n0", "n0", [[clipitem("c", "c", 0, 2, 0, 2, file("f", "file:///m/a.mov"))]])
    for level in range(1, 25):
        nest = sequence(f"n{level}", f"n{level}", [[
            clipitem(f"a{level}", "a", 0, 2 ** level, 0, 2 ** level, nest),
            clipitem(f"b{level}", "b", 2 ** level, 2 ** (level + 1), 0, 2 ** level,
                     f'<sequence id="n{level - 1}"/>')]])
    path = tmp_path / "bomb.xml"
    path.write_text(xmeml(sequence("s", "s", [[clipitem("u", "u", 0, 2 ** 25, 0, 2 ** 25, nest)]])))
    assert error_of(path) == ("its nested sequences expand to 16,777,216 clip uses, more than "
                              "any real cut holds (at most 2,000,000 are read)")


def test_the_adapter_raises_rather_than_return_less_than_the_file_holds():
    good = xmeml(sequence("s", "s", [[clipitem("a", "a", 0, 24, 0, 24,
                                               file("fa", "file:///m/a.mov"))]]))
    tl = otio.adapters.read_from_string(good, adapter_name="cutclear_fcp7")
    assert [c.name for c in tl.find_clips()] == ["a"]
    broken = good.replace(file("fa", "file:///m/a.mov"), file("fa"))
    with pytest.raises(Exception, match=r"^cutclear_fcp7: <string>: holds items cutclear "
                                        r"cannot place: 1 unresolved <file> id references$"):
        otio.adapters.read_from_string(broken, adapter_name="cutclear_fcp7")
