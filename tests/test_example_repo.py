"""The bundled example edit repo (examples/edit-repo) reports what its README says.

Each test runs `cutclear check` in-process on a copy of the example, at a fixed --as-of,
and compares (rule, path, track, record_in, asset, severity) of every finding. The same
cut is there as OTIO, FCP7 XML and CMX 3600 EDL (picture and sound EDLs): each finding
must appear once per file, on the same track at the same record timecode.
"""

from __future__ import annotations

import hashlib
import json
import os
import runpy
import shutil
from pathlib import Path

import opentimelineio as otio
import pytest

from cutclear.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "edit-repo"
AS_OF = "2026-06-01"

REEL1_PICTURE = ("cuts/locked/reel1.otio", "cuts/locked/reel1.xml", "cuts/locked/reel1.edl")
REEL1_SOUND = ("cuts/locked/reel1.otio", "cuts/locked/reel1.xml",
               "cuts/locked/reel1_audio.edl")
REEL2_PICTURE = ("cuts/wip/reel2.otio", "cuts/wip/reel2.xml", "cuts/wip/reel2.edl")

# sh057_cranes_v2: GenAI set extension, final, no approval yet.
CRANES = {("GA001", p, "V1", "01:00:15:00", "AST-1207", "error") for p in REEL1_PICTURE}
# adr_kowalski_sc44_replica: voice replica, approved, but the actor revoked his consent.
KOWALSKI = {("TL003", p, "A1", "01:00:18:00", "AST-2002", "error") for p in REEL1_SOUND}
# sh071_storm_temp_v1: temp previz in the work-in-progress reel: information only.
STORM = {(rule, p, "V1", "01:00:06:00", "AST-1250", "info")
         for rule in ("GA001", "GA002") for p in REEL2_PICTURE}

TIMELINES = [  # path, mode, clips
    ("cuts/locked/reel1.edl", "lock", 7), ("cuts/locked/reel1.otio", "lock", 12),
    ("cuts/locked/reel1.xml", "lock", 12), ("cuts/locked/reel1_audio.edl", "lock", 5),
    ("cuts/wip/reel2.edl", "wip", 3), ("cuts/wip/reel2.otio", "wip", 5),
    ("cuts/wip/reel2.xml", "wip", 5), ("cuts/wip/reel2_audio.edl", "wip", 2),
]


@pytest.fixture
def example(tmp_path) -> Path:
    """A copy of the example edit repo, so that a test may change it."""
    if not EXAMPLE.is_dir():
        pytest.fail(f"the example edit repo is missing at {EXAMPLE}")
    return Path(shutil.copytree(EXAMPLE, tmp_path / "edit-repo"))


def check(repo: Path, capsys, *args: str) -> tuple[int, dict]:
    old = os.getcwd()
    os.chdir(repo)
    try:
        capsys.readouterr()
        code = main(["check", "--format", "json", "--as-of", AS_OF, *args])
        out = capsys.readouterr().out
    finally:
        os.chdir(old)
    return code, json.loads(out)


def findings(report: dict) -> set[tuple]:
    keys = [(f["rule"], f["path"], f["track"], f["record_in"], f["asset"], f["severity"])
            for f in report["findings"]]
    assert len(keys) == len(set(keys)), "a finding is reported twice"
    return set(keys)


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_locked_cut_fails_on_the_unapproved_shot_and_the_revoked_consent(example, capsys):
    before = snapshot(example)
    code, report = check(example, capsys)
    assert code == 1
    assert findings(report) == CRANES | KOWALSKI | STORM
    assert report["summary"] == {"error": 6, "warning": 0, "info": 6}
    assert [(t["path"], t["mode"], t["clips"]) for t in report["timelines"]] == TIMELINES
    assert snapshot(example) == before, "cutclear wrote into the edit repo"


def test_every_format_of_a_cut_reports_the_same_findings(example, capsys):
    _, report = check(example, capsys)
    by_cut: dict[str, set[tuple]] = {}
    for rule, path, track, record_in, asset, severity in findings(report):
        cut = Path(path).stem.removesuffix("_audio")
        by_cut.setdefault(f"{cut}{Path(path).suffix}", set()).add(
            (rule, track, record_in, asset, severity))
    for cut in ("reel1", "reel2"):
        # the picture EDL and the sound EDL together hold what the .otio and .xml hold
        assert by_cut[f"{cut}.otio"] == by_cut[f"{cut}.xml"] == by_cut[f"{cut}.edl"]


def test_wip_makes_the_unapproved_shot_information_but_not_the_revoked_consent(
        example, capsys):
    code, report = check(example, capsys, "--wip")
    assert code == 1  # a revoked consent is an error in any cut
    info = {(r, p, t, tc, a, "info") for r, p, t, tc, a, _ in CRANES}
    assert findings(report) == info | KOWALSKI | STORM


def test_approval_and_recut_make_the_locked_cut_pass(example, capsys):
    # The studio approves the crane shot ...
    (example / "records" / "approvals-2026-05.genai.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<genai xmlns="urn:cutclear:genai:1" version="1">\n'
        '  <approval id="APR-0059" status="approved">\n'
        '    <issuer org="Northlight Streaming">R. Amari, production executive</issuer>\n'
        "    <production>PRD-778</production>\n"
        "    <granted>2026-05-28</granted>\n"
        "    <covers>final-deliverable creative-output</covers>\n"
        "    <assets>AST-1207</assets>\n"
        "  </approval>\n"
        "</genai>\n", encoding="utf-8")
    # ... and the editor replaces the revoked replica with the actor's own ADR take and
    # exports the locked reel again, in every format.
    make_cuts = runpy.run_path(str(example / "make_cuts.py"))
    reel1 = make_cuts["reel1"]()
    (replica,) = [c for c in reel1.find_clips() if c.name == "adr_kowalski_sc44_replica"]
    replica.name = "adr_kowalski_sc44_take3"
    replica.media_reference.target_url = (
        "file:///mnt/show/media/sound/adr/adr_kowalski_sc44_take3.wav")
    make_cuts["write_cut"](reel1, example / "cuts" / "locked" / "reel1")

    code, report = check(example, capsys)
    assert code == 0
    assert findings(report) == STORM
    code, report = check(example, capsys, "--lock")  # the conform, reel 2 included
    assert code == 1
    assert findings(report) == {(r, p, t, tc, a, "error") for r, p, t, tc, a, _ in STORM}


def test_an_edl_without_paths_still_finds_the_genai_shots_by_clip_name(example, capsys):
    edls = ("cuts/locked/reel1.edl", "cuts/locked/reel1_audio.edl")
    for rel in edls:  # as many systems write them: reel and clip name only
        edl = example / rel
        edl.write_text("".join(
            line for line in edl.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith(("* FROM CLIP: ", "* OTIO TRUNCATED REEL NAME"))),
            encoding="utf-8")
    code, report = check(example, capsys, *edls)
    assert code == 1
    errors = {f for f in findings(report) if f[5] == "error"}
    assert errors == {f for f in CRANES | KOWALSKI if f[1] in edls}
    # What is declared only by path (camera originals) or by file name (the sidecar)
    # can no longer be identified: undeclared media, a warning at lock.
    assert {(f["rule"], f["path"], f["record_in"], f["clip"]) for f in report["findings"]
            if f["severity"] == "warning"} == {
        ("GA003", edls[0], "01:00:00:00", "A001C003"),
        ("GA003", edls[0], "01:00:05:00", "sh042_sky_v3"),
        ("GA003", edls[0], "01:00:09:00", "A002C011"),
        ("GA003", edls[0], "01:00:18:00", "A003C002"),
        ("GA003", edls[0], "01:00:27:00", "A003C007"),
        ("GA003", edls[1], "01:00:00:00", "A001C003"),
        ("GA003", edls[1], "01:00:12:00", "A002C011"),
        ("GA003", edls[1], "01:00:27:00", "A003C007"),
    }


def test_documentary_rules_pass_the_disclosed_recreation(example, capsys):
    config = example / "cutclear.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'genre = "fiction"', 'genre = "documentary"'), encoding="utf-8")
    code, report = check(example, capsys, "--select", "DC")
    assert code == 1
    # Without <presentedAs>, non-fiction presents every GenAI asset as real (DC001) ...
    assert {(f["rule"], f["asset"]) for f in report["findings"]} == {
        ("DC001", a) for a in ("AST-1193", "AST-1207", "AST-1250", "AST-2001", "AST-2002")}
    # ... while the newsreel, presented as recreation with a disclosure, passes; without
    # its disclosure it would not.
    vfx = example / "records" / "vfx.genai.xml"
    text = vfx.read_text(encoding="utf-8")
    vfx.write_text(text.replace('    <disclosure ref="DSC-0012"/>\n', "").replace(
        "    <assets>AST-1231</assets>\n", ""), encoding="utf-8")
    _, report = check(example, capsys, "--select", "DC002")
    assert findings(report) == {("DC002", p, "V1", "01:00:22:00", "AST-1231", "error")
                                for p in REEL1_PICTURE}


def test_make_cuts_regenerates_the_committed_cuts(example):
    """The cut files are what make_cuts.py writes, nothing edited by hand. Compared as
    timelines, not bytes, so that a newer adapter's formatting does not fail the test."""
    def read_cuts() -> dict[str, otio.schema.Timeline]:
        return {str(p.relative_to(example)): otio.adapters.read_from_file(
                    str(p), **({"rate": 24} if p.suffix == ".edl" else {}))
                for p in sorted((example / "cuts").rglob("*")) if p.is_file()}

    committed = read_cuts()
    shutil.rmtree(example / "cuts")
    runpy.run_path(str(example / "make_cuts.py"), run_name="__main__")
    regenerated = read_cuts()
    assert sorted(regenerated) == sorted(committed) == sorted(
        p for p, _, _ in TIMELINES)
    for path, timeline in regenerated.items():
        assert timeline.is_equivalent_to(committed[path]), f"{path} differs from make_cuts.py"
