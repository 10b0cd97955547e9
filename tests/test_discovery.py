"""Discovery fails closed: nothing that could be a timeline or a record file is skipped.

Each case here was a way a locked cut holding an unapproved GenAI shot exited 0: a file
whose suffix was in capitals, an .xml that was sniffed and passed over, a folder reached
through a symlink, a cut that read as empty, a record file the globs missed.
"""

from __future__ import annotations

import os

import pytest
from conftest import CONFIG, RUNWAY, SKY, SKY_APPROVAL, SKY_URL, timeline
from cutclear.hooks.check_timelines import changes_verdicts

from cutclear.cli import main

AS_OF = ("--as-of", "2026-01-15")
SKY_CUT = [("sky", SKY_URL, 48)]


def sky_repo(repo, cut: str = "cuts/locked/reel1.otio"):
    repo.config(CONFIG)
    repo.records("records/sky.genai.xml", SKY + RUNWAY)  # no approval: GA001 at lock
    repo.timeline(cut, timeline(SKY_CUT))


def rules(result) -> list[tuple[str, str]]:
    return [(f["rule"], f["path"]) for f in result.findings()]


# --- suffixes in any case ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["REEL1.OTIO", "reel1.Otio", "REEL1.XML", "reel1.EDL"])
def test_timeline_suffix_in_capitals_is_checked(repo, name):
    repo.config(CONFIG + "edl-rate = 24\n")
    repo.records("records/sky.genai.xml", SKY + RUNWAY)
    lower = repo.timeline("cuts/locked/tmp." + name.rsplit(".", 1)[1].lower(),
                          timeline(SKY_CUT))
    os.rename(lower, repo.root / "cuts" / "locked" / name)
    result = repo.check(*AS_OF)
    assert rules(result) == [("GA001", f"cuts/locked/{name}")]
    assert result.code == 1


def test_record_file_with_a_capital_suffix_is_loaded(repo):
    """Before: `**/*.genai.xml` did not match SKY.GENAI.XML, so its approval was dropped
    (and GA001 fired); with the approval loaded the cut is clear."""
    sky_repo(repo)
    repo.records("records/APPROVALS.GENAI.XML", SKY_APPROVAL)
    result = repo.check(*AS_OF)
    assert result.findings() == [] and result.code == 0


def test_locked_glob_matches_folders_in_any_case(repo):
    """Before: cuts/Locked/reel1.otio was judged as work in progress under cuts/locked/**
    (macOS and SMB shares do not tell the two apart)."""
    repo.config(CONFIG)
    repo.records("records/sky.genai.xml", SKY + RUNWAY)
    repo.timeline("cuts/Locked/reel1.otio", timeline(SKY_CUT))
    result = repo.check(*AS_OF)
    assert result.json["timelines"][0]["mode"] == "lock"
    assert result.code == 1


@pytest.mark.parametrize("path", ["records/X.GENAI.XML", "media/CLIP.MOV.XMP",
                                  "show/CUTCLEAR.TOML"])
def test_hook_change_test_ignores_suffix_case(path):
    """Before: a commit changing records/X.GENAI.XML re-checked nothing."""
    assert changes_verdicts(path)


def test_xmp_sidecar_beside_the_media_in_capitals(repo, tmp_path_factory):
    """Before: storm.MOV.XMP beside the media was not found, so the clip was judged by the
    camera record alone and passed."""
    from test_plugins import XMP_ATTRIBUTES
    media = tmp_path_factory.mktemp("online")  # outside the edit repo
    (media / "storm.mov").write_bytes(b"")
    (media / "storm.MOV.XMP").write_text(XMP_ATTRIBUTES)
    repo.config(CONFIG)
    repo.records("records/camera.genai.xml", """<asset id="CAM"><match><name>storm.mov</name>
        </match><origin>digitalCapture</origin></asset>""")
    repo.timeline("cuts/locked/reel1.otio", timeline([("storm", (media / "storm.mov").as_uri(),
                                                       24)]))
    result = repo.check(*AS_OF, "--select", "GA001")
    assert [f["asset"] for f in result.findings()] == [
        f"XMP:{(media / 'storm.MOV.XMP').as_posix()}"]


# --- inside the locked globs, what is not a timeline is PV005 ---------------------------

UTF16_EDL = ("TITLE: reel1\r\n\r\n001  AX V C 00:00:00:00 00:00:02:00 01:00:00:00 "
             "01:00:02:00\r\n* FROM CLIP NAME: sky\r\n").encode("utf-16")


@pytest.mark.parametrize("name, data, why", [
    ("notes.xml", b'<?xml version="1.0"?><project><sky/></project>', "not FCP7 interchange XML"),
    ("reel1.xml", "<xmeml/>".encode("utf-16"), "UTF-16"),
    ("reel1.xml", b"\x89PNG\r\n\x1a\n\x00\x00garbage", "UTF-16 or binary"),
    ("reel1.xml", b"", "the file is empty"),
    ("reel1.edl", b"", "the file is empty"),
    ("reel1.edl", b"TITLE: reel1\nFCM: NON-DROP FRAME\n", "it holds no CMX 3600 event lines"),
    ("reel1.edl", UTF16_EDL, "UTF-16"),
    ("reel1.ale", b"", "the file is empty"),
    ("reel1.ale", b"Heading\nFIELD_DELIM\tTABS\nFPS\t24\n\nColumn\nName\tTape\n\nData\n",
     "it holds no clip"),
    ("reel1.otio", b"", "the file is empty"),
])
def test_what_is_not_a_timeline_in_the_locked_globs_is_pv005(repo, name, data, why):
    """Before: notes.xml, the UTF-16 and binary .xml were skipped by sniffing, and the
    empty and header-only files read as cuts with no clip: all exited 0."""
    repo.config(CONFIG + "edl-rate = 24\n")
    (repo.root / "cuts" / "locked").mkdir(parents=True)
    (repo.root / "cuts" / "locked" / name).write_bytes(data)
    result = repo.check(*AS_OF)
    [finding] = result.findings()
    assert (finding["rule"], finding["path"]) == ("PV005", f"cuts/locked/{name}")
    assert "not a timeline: " in finding["message"] and why in finding["message"]
    assert result.code == 1


def test_other_xml_outside_the_locked_globs_is_left_alone(repo):
    repo.config(CONFIG)
    repo.timeline("cuts/locked/reel1.otio", timeline([("cam", "file:///m/a.mov", 24)]))
    repo.write("project/settings.xml", '<?xml version="1.0"?><project/>')
    repo.write("project/empty.xml", "")
    result = repo.check(*AS_OF)
    assert [t["path"] for t in result.json["timelines"]] == ["cuts/locked/reel1.otio"]


def test_damaged_ale_in_the_locked_globs_is_pv005(repo):
    repo.config(CONFIG)
    repo.write("cuts/locked/reel1.ale", "Heading\nFIELD_DELIM\tTABS\nColumn\nName\tTape\n"
                                        "Data\nsky\n")
    assert rules(repo.check(*AS_OF)) == [("PV005", "cuts/locked/reel1.ale")]


# --- symlinked folders -------------------------------------------------------------------

def test_folder_reached_through_a_symlink_is_walked(repo, tmp_path):
    """Before: os.walk did not follow links, so a locked reel in a linked folder (a shared
    drive linked into the repo) was never checked: exit 0."""
    shared = tmp_path / "shared_drive"
    shared.mkdir()
    sky_repo(repo, "cuts/wip/reel0.otio")
    os.symlink(shared, repo.root / "cuts" / "locked")
    repo.timeline("cuts/locked/reel1.otio", timeline(SKY_CUT))  # written through the link
    result = repo.check(*AS_OF)
    assert [(t["path"], t["mode"]) for t in result.json["timelines"]] == [
        ("cuts/locked/reel1.otio", "lock"), ("cuts/wip/reel0.otio", "wip")]
    assert ("GA001", "cuts/locked/reel1.otio") in rules(result)


def test_symlink_loop_ends(repo):
    sky_repo(repo)
    os.symlink("..", repo.root / "cuts" / "locked" / "loop")
    os.symlink(repo.root / "cuts", repo.root / "cuts" / "locked" / "again")
    result = repo.check(*AS_OF)
    assert [t["path"] for t in result.json["timelines"]] == ["cuts/locked/reel1.otio"]


# --- record files the globs do not cover --------------------------------------------------

def test_record_file_outside_the_records_globs_is_reported(repo):
    """Before: media/vfx/sky.mov.genai.xml was silently dropped when `records` named only
    records/**: the approval in it did not count and nobody was told why."""
    repo.config(CONFIG + 'records = ["records/**"]\n')
    repo.records("records/sky.genai.xml", SKY + RUNWAY + SKY_APPROVAL)
    repo.records("media/vfx/sh042_sky_v3.mov.genai.xml",
                 '<asset id="AST-9"><origin>digitalCapture</origin></asset>')
    repo.timeline("cuts/locked/reel1.otio", timeline(SKY_CUT))
    result = repo.check(*AS_OF)
    [finding] = result.findings()
    assert (finding["rule"], finding["path"]) == ("PV001", "media/vfx/sh042_sky_v3.mov.genai.xml")
    assert "not covered by the `records` globs (records/**)" in finding["message"]
    assert result.code == 1


# --- conform of nothing --------------------------------------------------------------------

def conform(repo, capsys, *args: str) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(repo.root)
    try:
        capsys.readouterr()
        code = main(["conform", *AS_OF, *args])
        return code, capsys.readouterr().err
    finally:
        os.chdir(old)


def test_conform_of_a_folder_without_timelines_exits_2(repo, capsys):
    """Before: `cutclear conform exports/` of an empty export folder exited 0."""
    repo.config('production = "PRD-778"\n')
    repo.write("exports/readme.txt", "the online goes here")
    code, err = conform(repo, capsys, "exports")
    assert code == 2
    assert err == ("cutclear: error: conform exports: no timeline found there: name the "
                   "exported cut to conform\n")


def test_conform_of_a_cut_with_no_clip_exits_2(repo, capsys):
    """Before: an EDL export holding only its header conformed with exit 0."""
    repo.config('production = "PRD-778"\nedl-rate = 24\n')
    repo.write("exports/reel1.edl", "TITLE: reel1\nFCM: NON-DROP FRAME\n")
    code, err = conform(repo, capsys, "exports/reel1.edl")
    assert code == 2
    assert err.startswith("cutclear: error: conform exports/reel1.edl: not a timeline: it "
                          "holds no CMX 3600 event lines")


# --- XMP-derived assets can be approved ----------------------------------------------------

def test_asset_from_an_xmp_sidecar_can_be_approved(repo):
    """Before: `XMP:media/vfx/storm%20v2.mov.xmp` broke the record id pattern (PV001), so the
    GenAI shot a sidecar declared could never be cleared."""
    from test_plugins import XMP_ATTRIBUTES
    repo.config(CONFIG)
    repo.write("media/vfx/storm v2.mov.xmp", XMP_ATTRIBUTES)
    repo.records("records/approvals.genai.xml", """
        <approval id="APR-0090" status="approved"><issuer org="Netflix">A. Contact</issuer>
          <production>PRD-778</production><granted>2025-09-02</granted>
          <covers>final-deliverable</covers><assets>XMP:media/vfx/storm%20v2.mov.xmp</assets>
        </approval>""")
    repo.timeline("cuts/locked/reel1.otio",
                  timeline([("storm", "file:///show/media/vfx/storm v2.mov", 24)]))
    result = repo.check(*AS_OF, "--select", "GA001,PV")
    assert result.findings() == [], result.findings()
    assert result.code == 0


@pytest.mark.parametrize("settings", ['exclude = ["cuts/old/"]\n', ""])
def test_a_locked_glob_with_a_wildcard_reaches_into_skipped_folders(repo, settings):
    """Before: a folder excluded or hidden was walked only if `<folder>/x` matched a locked
    glob, which `cuts/**/*.otio` never does: the failing cut in it passed, exit 0."""
    folder = "old" if settings else ".old"
    repo.config('production = "PRD-778"\nlocked = ["cuts/**/*.otio"]\n' + settings)
    repo.records("records/sky.genai.xml", SKY + RUNWAY)
    repo.timeline(f"cuts/{folder}/reel1.otio", timeline(SKY_CUT))
    result = repo.check(*AS_OF)
    assert result.code != 0
    if settings:  # the exclude contradicts the locked glob: said, exit 2
        assert "exclude: hides cuts/old/reel1.otio" in result.err
    else:
        assert rules(result) == [("GA001", "cuts/.old/reel1.otio")]


@pytest.mark.parametrize("target", [".", None])
def test_the_edit_repo_as_a_folder_finds_what_a_bare_check_finds(repo, target):
    """`cutclear check .` (the hook's re-check of a whole edit repo) takes the timelines
    of the one walk that also finds the records, not a second one: a locked cut in a
    hidden folder, a capitalised suffix and one behind a symlink are all still checked."""
    repo.config('production = "PRD-778"\nlocked = ["cuts/**"]\n')
    repo.records("records/sky.genai.xml", SKY + RUNWAY)
    repo.timeline("cuts/.hidden/reel1.otio", timeline(SKY_CUT))
    lower = repo.timeline("cuts/reel2.otio", timeline(SKY_CUT))
    os.rename(lower, repo.root / "cuts" / "REEL2.OTIO")
    outside = repo.root.parent / f"linked-{target}"
    repo.timeline(str(outside / "reel3.otio"), timeline(SKY_CUT))
    os.symlink(outside, repo.root / "cuts" / "linked")
    result = repo.check(*AS_OF, *([target] if target else []))
    assert sorted(rules(result)) == [("GA001", "cuts/.hidden/reel1.otio"),
                                     ("GA001", "cuts/REEL2.OTIO"),
                                     ("GA001", "cuts/linked/reel3.otio")]
