"""The OTIO reader: the shared corpus, its census, and one test per defect class
(docs/formats/otio.md): collections holding tracks, several media references, offline
media, and input that must be refused before OTIO's reader sees it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import opentimelineio as otio
import pytest

from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.otio_json import MAX_DEPTH, census_of, check_depth

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


def read(path, **kw):
    return read_timeline(str(path), path.name, Mode.LOCK, **kw)


def uses(path):
    got = read(path)
    assert got.error is None, got.error
    return got.clips


def table(clips):
    return [(u.track, u.media.clip, u.record_in, u.record_out) for u in clips]


def clip(name, url, frames=24, start=0):
    return otio.schema.Clip(name=name, media_reference=otio.schema.ExternalReference(
        target_url=url), source_range=TR(RT(start, 24), RT(frames, 24)))


def timeline(*clips) -> otio.schema.Timeline:
    return otio.schema.Timeline(tracks=[otio.schema.Track(children=list(clips))])


def write(tmp_path, obj, name="cut.otio"):
    path = tmp_path / name
    otio.adapters.write_to_file(obj, str(path))
    return path


# --- the shared corpus: counts and timecodes from the JSON, by hand ---------------

CORPUS = {
    # source_range durations in frames at 24: 3, 6, 4, then credits' available range (6)
    "simple_cut.otio": (4, [("V1", "Clip-001", "00:00:00:00", "00:00:00:03"),
                            ("V1", "Clip-002", "00:00:00:03", "00:00:00:09"),
                            ("V1", "Clip-004", "00:00:00:13", "00:00:00:19")]),
    # 238 frames; a stack of 31 frames trims its 37-frame clip; a track of 4 holds 1
    "nested_example.otio": (7, [
        ("V1", "Normal Clip 1", "00:00:00:00", "00:00:09:22"),
        ("V1", "Clip Inside A Stack 1", "00:00:09:22", "00:00:11:05"),
        ("V1", "Clip Inside A Track", "00:00:16:10", "00:00:16:11"),
        ("V1", "Normal Clip 4", "00:00:16:14", "00:00:26:12")]),
    "transition_test.otio": (3, [("V1", "A", "00:00:00:00", "00:00:02:02"),
                                 ("V1", "B", "00:00:02:02", "00:00:04:04"),
                                 ("V1", "C", "00:00:04:04", "00:00:06:06")]),
    "multitrack.otio": (5, [("V1", "tech.fux (loop)-HD.mp4", "00:00:00:00", "00:00:30:00"),
                            ("V2", "t-hawk (loop)-HD.mp4", "00:00:20:02", "00:00:40:02"),
                            ("V3", "KOLL-HD.mp4", "00:00:49:22", "00:01:16:14")]),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_uses_and_record_timecodes(corpus, name):
    count, expected = CORPUS[name]
    got = table(uses(corpus / "otio" / name))
    assert len(got) == count
    for row in expected:
        assert row in got


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_census_counts_the_clips_from_the_bytes(corpus, name):
    census = census_of((corpus / "otio" / name).read_bytes())
    assert (census.media, census.unplaced) == (CORPUS[name][0], {})


# --- the defect classes -------------------------------------------------------------

def test_collection_holding_a_track_is_read(tmp_path):
    """A bin kept as a collection of tracks, no timeline: 0 clips before."""
    track = otio.schema.Track(name="selects", children=[clip("a", "file:///m/a.mov"),
                                                         clip("b", "file:///m/b.mov")])
    path = write(tmp_path, otio.schema.SerializableCollection(name="bin", children=[track]))
    assert table(uses(path)) == [("BIN", "a", "00:00:00:00", "00:00:01:00"),
                                 ("BIN", "b", "00:00:01:00", "00:00:02:00")]


def proxied_sky() -> otio.schema.Clip:
    sky = clip("sh042", "file:///proxy/sh042_proxy.mov")
    sky.set_media_references({
        "DEFAULT_MEDIA": otio.schema.ExternalReference(
            target_url="file:///mnt/show/vfx/sh042/sh042_sky_v3.mov"),
        "proxy": otio.schema.ExternalReference(target_url="file:///proxy/sh042_proxy.mov"),
    }, "proxy")
    return sky


def test_every_media_reference_of_a_clip_is_its_media(tmp_path):
    media = uses(write(tmp_path, timeline(proxied_sky())))[0].media
    assert media.name == "sh042_proxy.mov"
    assert [a.name for a in media.alternates] == ["sh042_sky_v3.mov"]


def test_record_matching_an_inactive_reference_applies(repo):
    """With the proxy active, only the proxy was checked: the GenAI original passed."""
    tl = timeline(clip("a", "file:///m/a.mov"), proxied_sky())
    tl.global_start_time = RT(86400, 24)
    repo.timeline("cuts/locked/reel1.otio", tl)
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sh042_sky_v*.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert [(f["clip"], f["record_in"], f["asset"]) for f in result.findings()] == [
        ("sh042", "01:00:01:00", "AST-1")]


def test_the_cache_keeps_the_other_references(repo):
    tl = timeline(proxied_sky())
    repo.timeline("cuts/locked/reel1.otio", tl)
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sh042_sky_v3.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    for _ in range(2):  # the second run is answered from the cache
        result = repo.check("--as-of", "2026-01-15", "--select", "GA001", "--cache")
        assert [f["asset"] for f in result.findings()] == ["AST-1"]


def test_missing_reference_name_is_the_media_name(tmp_path):
    """Offline media (FCP7, Premiere) come in as a MissingReference named for the file."""
    offline = otio.schema.Clip(name="take 3", media_reference=otio.schema.MissingReference(
        name="A001C003_sky.mov"), source_range=TR(RT(0, 24), RT(24, 24)))
    media = uses(write(tmp_path, timeline(offline)))[0].media
    assert (media.name, media.clip) == ("A001C003_sky.mov", "take 3")


def test_generator_clips_are_not_media_but_a_clip_with_real_media_too_is(tmp_path):
    slug = otio.schema.Clip(name="slug", media_reference=otio.schema.GeneratorReference(
        generator_kind="SMPTEBars"), source_range=TR(RT(0, 24), RT(24, 24)))
    both = clip("bars over plate", "file:///m/plate.mov")
    both.set_media_references({
        "DEFAULT_MEDIA": otio.schema.GeneratorReference(generator_kind="SMPTEBars"),
        "plate": otio.schema.ExternalReference(target_url="file:///m/plate.mov")},
        "DEFAULT_MEDIA")
    path = write(tmp_path, timeline(slug, both))
    assert [u.media.clip for u in uses(path)] == ["bars over plate"]
    assert census_of(path.read_bytes()).media == 1


def deep_document(depth: int) -> str:
    text = otio.adapters.write_to_string(timeline(clip("a", "file:///m/a.mov")))
    deep = '{"x": ' * depth + "1" + "}" * depth
    return text.replace('"metadata": {}', f'"metadata": {{"deep": {deep}}}', 1)


def test_deeply_nested_json_is_pv005_not_a_crash(tmp_path):
    """OTIO's reader crashes the process (SIGSEGV) on such a file: run in a child so
    that a regression fails the test instead of killing the test run."""
    path = tmp_path / "deep.otio"
    path.write_text(deep_document(200_000))
    code = ("import sys; from cutclear.readers import read_timeline; "
            "from cutclear.model import Mode; "
            "print(read_timeline(sys.argv[1], 'deep.otio', Mode.LOCK).error)")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == (f"nests JSON more than {MAX_DEPTH} levels deep: refused "
                                  "before parsing (OTIO's reader cannot read it safely)")


def test_nesting_within_the_bound_is_read(tmp_path):
    path = tmp_path / "ok.otio"
    path.write_text(deep_document(MAX_DEPTH - 20))
    assert [u.media.clip for u in uses(path)] == ["a"]


@pytest.mark.parametrize(("text", "deep"), [
    (b'{"a": [[]]}', False),  # 3 levels: within 5, even taken as up to 2 more
    (b'{"a": [], "b": "[[[[[[[[", "c": "\\"[[[[[[[["}', False),  # strings do not nest
    (b'{"a": [[[[[]]]]]}', True),
    (b'{"a": ["]]]]]]", [[[[[]]]]]]}', True),
])
def test_depth_scan_ignores_brackets_in_strings(text, deep):
    if deep:
        with pytest.raises(Exception, match="more than 5 levels"):
            check_depth(text, 5)
    else:
        check_depth(text, 5)


@pytest.mark.parametrize("rate", ["0.0", "NaN", "Infinity", "-24.0"])
def test_zero_or_non_finite_rates_are_pv005(tmp_path, rate):
    text = otio.adapters.write_to_string(timeline(clip("a", "file:///m/a.mov")))
    path = tmp_path / "cut.otio"
    path.write_text(text.replace('"rate": 24.0', f'"rate": {rate}'))
    error = read(path).error
    assert error and ("not a usable" in error or "cannot be read" in error), error


@pytest.mark.parametrize(("value", "reason"), [
    ("1e300", "not a plausible time in a cut"), ("-1e300", "not a plausible time in a cut"),
    ("-5.0", "has a negative duration (-5 frames)"),
])
def test_absurd_or_negative_times_are_pv005(tmp_path, value, reason):
    text = otio.adapters.write_to_string(timeline(clip("a", "file:///m/a.mov")))
    path = tmp_path / "cut.otio"
    path.write_text(text.replace('"value": 24.0', f'"value": {value}', 1))
    assert reason in read(path).error


def test_clip_before_timecode_zero_is_pv005(tmp_path):
    tl = timeline(clip("a", "file:///m/a.mov"))
    tl.global_start_time = RT(-48, 24)
    assert read(write(tmp_path, tl)).error == (
        "a clip lies 2 s before 00:00:00:00, where no timecode can name it")


def test_clip_directly_in_the_timeline_stack_is_pv005(tmp_path):
    tl = otio.schema.Timeline()
    tl.tracks.append(clip("a", "file:///m/a.mov"))
    assert read(write(tmp_path, tl)).error == (
        "holds a Clip ('a') directly in the timeline's stack, not on a track: its record "
        "position is not defined")


def test_clip_hidden_where_the_walk_does_not_look_fails_the_census(tmp_path):
    """A clip kept in metadata is a Clip to OTIO but on no track: the census counts it."""
    tl = timeline(clip("a", "file:///m/a.mov"))
    tl.tracks[0].metadata["stash"] = clip("sky", "file:///m/sh042_sky_v3.mov")
    assert read(write(tmp_path, tl)).error == (
        "the file holds 2 clip uses but the reader placed 1: the read is incomplete, so "
        "nothing in it is trusted")


def test_unknown_schema_is_unplaced(tmp_path):
    doc = {"OTIO_SCHEMA": "SerializableCollection.1", "name": "bin", "metadata": {},
           "children": [{"OTIO_SCHEMA": "HologramClip.1", "name": "x"}]}
    path = tmp_path / "bin.otio"
    path.write_text(json.dumps(doc))
    assert read(path).error == ("holds items cutclear cannot place: 1 objects of schema "
                                "'HologramClip'")


def test_clips_trimmed_out_of_a_nested_stack_satisfy_the_census(tmp_path):
    inner = otio.schema.Stack(name="nest", source_range=TR(RT(24, 24), RT(24, 24)))
    inner.append(otio.schema.Track(children=[clip("b", "file:///m/b.mov"),
                                             clip("c", "file:///m/c.mov")]))
    path = write(tmp_path, timeline(clip("a", "file:///m/a.mov"), inner))
    assert [u.media.clip for u in uses(path)] == ["a", "c"]


def test_otioz_and_otiod_bundles_are_bounded_and_counted(tmp_path):
    tl = timeline(clip("a", "file:///m/a.mov"))
    for suffix in ("otioz", "otiod"):
        path = tmp_path / f"cut.{suffix}"
        otio.adapters.write_to_file(tl, str(path), media_policy=otio.adapters.file_bundle_utils
                                    .MediaReferencePolicy.AllMissing)
        assert [u.media.clip for u in uses(path)] == ["a"]
    deep = tmp_path / "deep.otioz"
    with zipfile.ZipFile(deep, "w") as z:
        z.writestr("content.otio", deep_document(100_000))
        z.writestr("version.txt", "1.0.0")
    assert "levels deep" in read(deep).error


def test_timeline_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = write(tmp_path, timeline(clip("a", "file:///m/a.mov")))
    assert read(path, max_bytes=100).error == (
        "larger than 100 bytes (max-timeline-size): refused before parsing; if it really "
        "is a cut, raise max-timeline-size in the cutclear settings")


def test_max_timeline_size_setting(repo):
    repo.timeline("cuts/locked/reel1.otio", timeline(clip("a", "file:///m/a.mov")))
    repo.config('locked = ["cuts/locked/**"]\nmax-timeline-size = "1 KiB"\n')
    result = repo.check("--as-of", "2026-01-15", "--select", "PV005")
    assert [(f["rule"], f["path"]) for f in result.findings()] == [
        ("PV005", "cuts/locked/reel1.otio")]
    assert "larger than 1 KiB (max-timeline-size)" in result.findings()[0]["message"]
    repo.config('locked = ["cuts/locked/**"]\nmax-timeline-size = "lots"\n')
    assert repo.check("--select", "PV005").code == 2


def test_bundles_are_held_to_the_size_limit_too(tmp_path):
    tl = timeline(clip("a", "file:///m/a.mov"))
    policy = otio.adapters.file_bundle_utils.MediaReferencePolicy.AllMissing
    otio.adapters.write_to_file(tl, str(tmp_path / "cut.otiod"), media_policy=policy)
    assert "(max-timeline-size)" in read(tmp_path / "cut.otiod", max_bytes=100).error
    tl.metadata["notes"] = "x" * 100_000  # a zip bomb in small: unpacks 100 times larger
    bomb = tmp_path / "cut.otioz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("content.otio", otio.adapters.write_to_string(tl))
        z.writestr("version.txt", "1.0.0")
    limit = bomb.stat().st_size + 100
    assert read(bomb, max_bytes=limit).error == (
        "content.otio unpacks to more than max-timeline-size: refused before parsing")
