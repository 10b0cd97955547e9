"""The conform gate: the OTIO plugin (real `otioconvert` and `write_to_file`), the Python
API and `cutclear conform`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import genai, timeline

import cutclear
from cutclear.cli import main as cutclear_main

BIN = Path(sys.executable).parent
AS_OF = "2026-01-15"
SKY = """
<asset id="CAM"><match><path>media/camera/**</path></match><origin>digitalCapture</origin></asset>
<asset id="AST-1193"><match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/></asset>
<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true" trainsOnInputs="no" retainsInputs="no">Runway</tool>
"""
APPROVAL = """
<approval id="APR-0057" status="approved"><production>PRD-778</production>
  <granted>2025-09-02</granted><covers>final-deliverable</covers><assets>AST-1193</assets>
</approval>
"""
BLOCKING = ("reel1:V1:01:00:02:00: GA001 [error] sh042 sky: GenAI asset AST-1193 (Runway "
            "Gen-4) has no valid written approval for the final deliverable")


def cut() -> otio.schema.Timeline:
    return timeline([("A001C003", "file:///show/media/camera/A001C003.mov", 48),
                     ("sh042 sky", "file:///show/vfx/sh042_sky_v3.mov", 24)], name="reel1")


@pytest.fixture
def show(tmp_path, monkeypatch):
    """An edit repo with the records; the working folder is elsewhere, as in a conform."""
    root = tmp_path / "show"
    (root / "records").mkdir(parents=True)
    (root / "cutclear.toml").write_text('production = "PRD-778"\nedl-rate = 24\n')
    (root / "records" / "vfx.genai.xml").write_text(genai(SKY))
    for adapter, suffix in (("otio_json", ".otio"), ("fcp_xml", ".xml"), ("cmx_3600", ".edl")):
        otio.adapters.write_to_file(cut(), str(root / f"reel1{suffix}"), adapter_name=adapter)
    out = tmp_path / "online"
    out.mkdir()
    monkeypatch.chdir(out)
    return root


def approve(root: Path) -> None:
    (root / "records" / "approvals.genai.xml").write_text(genai(APPROVAL))


def otioconvert(src: Path, dst: str, root: Path, **env: str) -> subprocess.CompletedProcess:
    args = [str(BIN / "otioconvert"), "-i", str(src), "-o", dst]
    if src.suffix == ".edl":
        args += ["-a", "rate=24"]
    environ = {**os.environ, "CUTCLEAR_ROOT": str(root), "CUTCLEAR_AS_OF": AS_OF, **env}
    return subprocess.run(args, capture_output=True, text=True, env=environ)


@pytest.mark.parametrize("suffix", [".xml", ".edl", ".otio"])
def test_otioconvert_is_stopped_by_the_gate_before_writing(show, suffix):
    result = otioconvert(show / f"reel1{suffix}", "online.edl", show, CUTCLEAR_GATE="1")
    assert result.returncode != 0
    assert result.stderr.startswith("ERROR: cutclear: 1 blocking finding:\n")
    assert "Traceback" not in result.stderr
    assert "GA001 [error] sh042 sky: GenAI asset AST-1193 (Runway Gen-4)" in result.stderr
    assert not Path("online.edl").exists()


@pytest.mark.parametrize("suffix", [".xml", ".edl", ".otio"])
def test_otioconvert_writes_when_the_gate_is_off_or_the_cut_is_cleared(show, suffix):
    off = otioconvert(show / f"reel1{suffix}", "off.edl", show)
    assert off.returncode == 0, off.stderr
    assert "sh042_sky_v3" in Path("off.edl").read_text()
    approve(show)
    cleared = otioconvert(show / f"reel1{suffix}", "online.edl", show, CUTCLEAR_GATE="1")
    assert cleared.returncode == 0, cleared.stderr
    assert Path("online.edl").exists()


def test_otioconvert_hook_argument_switches_the_gate_on(show):
    result = subprocess.run(
        [BIN / "otioconvert", "-i", show / "reel1.otio", "-o", "online.edl",
         "-H", "cutclear_gate=True", "-H", f"cutclear_root={show}",
         "-H", f"cutclear_as_of={AS_OF}"], capture_output=True, text=True)
    assert result.returncode == 1 and "ERROR: cutclear: 1 blocking finding" in result.stderr
    assert not Path("online.edl").exists()


def test_write_to_file_raises_gate_error_listing_the_findings(show):
    args = {"cutclear": {"gate": True, "root": str(show), "as_of": AS_OF}}
    with pytest.raises(cutclear.GateError) as raised:
        otio.adapters.write_to_file(cut(), "online.xml", hook_function_argument_map=args)
    assert BLOCKING in str(raised.value)
    assert [(f.rule, f.asset, f.record_in) for f in raised.value.findings] == [
        ("GA001", "AST-1193", "01:00:02:00")]
    assert not Path("online.xml").exists()
    otio.adapters.write_to_file(cut(), "online.xml")  # off by default: nothing changes
    assert Path("online.xml").exists()


def test_gate_fails_closed_when_it_cannot_check(show):
    (show / "cutclear.toml").write_text('production = "PRD-778"\nlockd = ["x"]\n')
    args = {"cutclear": {"gate": True, "root": str(show)}}
    with pytest.raises(cutclear.GateError, match="could not check the timeline.*'lockd'"):
        otio.adapters.write_to_file(cut(), "online.otio", hook_function_argument_map=args)
    assert not Path("online.otio").exists()


def test_gate_fails_closed_when_a_required_plugin_is_missing(show):
    (show / "cutclear.toml").write_text('production = "PRD-778"\n'
                                        'required-plugins = ["rights-registry"]\n')
    args = {"cutclear": {"gate": True, "root": str(show)}}
    with pytest.raises(cutclear.GateError, match="required plugin 'rights-registry' is not"):
        otio.adapters.write_to_file(cut(), "online.otio", hook_function_argument_map=args)
    assert not Path("online.otio").exists()


def test_gate_fails_closed_on_unreadable_records(show):
    approve(show)
    (show / "records" / "broken.genai.xml").write_text("<genai")
    args = {"cutclear": {"gate": True, "root": str(show), "as_of": AS_OF}}
    with pytest.raises(cutclear.GateError, match=r"records/broken.genai.xml:1: PV001 \[error\]"):
        otio.adapters.write_to_file(cut(), "online.otio", hook_function_argument_map=args)


def test_gate_refuses_fcp7_nested_sequences_the_adapter_dropped(show, tmp_path):
    """otio-fcp-adapter reads nested sequences as empty: the gate cannot see their clips
    and says so, instead of passing them."""
    approve(show)
    nested = cut()
    one_second = otio.opentime.TimeRange(duration=otio.opentime.RationalTime(24, 24))
    inner = otio.schema.Stack(name="nest", source_range=one_second)
    track = otio.schema.Track()
    track.append(otio.schema.Clip(
        name="hidden", media_reference=otio.schema.ExternalReference(
            target_url="file:///show/vfx/hidden.mov", available_range=one_second),
        source_range=one_second))
    inner.append(track)
    nested.tracks[0].append(inner)
    otio.adapters.write_to_file(nested, str(show / "nested.xml"))
    result = otioconvert(show / "nested.xml", "online.edl", show, CUTCLEAR_GATE="1")
    assert result.returncode != 0
    assert "PV005 [error] timeline cannot be read: read by otio-fcp-adapter, which drops " \
        "the clips inside nested sequences and multicam clips (here 1: 'nest')" in result.stderr
    assert "otioconvert -I cutclear_fcp7 -i CUT.xml -o OUT" in result.stderr


def test_annotated_otio_is_readable_without_cutclear(show):
    result = otioconvert(show / "reel1.xml", "annotated.otio", show, CUTCLEAR_ANNOTATE="1")
    assert result.returncode == 0, result.stderr
    # plain OTIO, with no plugin loaded from entry points (cutclear's included)
    code = textwrap.dedent("""
        import json, sys, opentimelineio as otio
        tl = otio.adapters.read_from_file(sys.argv[1])
        print(json.dumps([[c.name, [f["rule"] for f in c.metadata["cutclear"]["findings"]],
                           [a["id"] for a in c.metadata["cutclear"]["assets"]],
                           [m.name for m in c.markers]] for c in tl.find_clips()]))
        """)
    env = {**os.environ, "OTIO_DISABLE_ENTRYPOINTS_PLUGINS": "1"}
    out = subprocess.run([sys.executable, "-c", code, "annotated.otio"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [
        ["A001C003", [], ["CAM"], []],
        ["sh042 sky", ["GA001"], ["AST-1193"], ["cutclear GA001"]],
    ]
    raw = json.loads(Path("annotated.otio").read_text())
    assert '"OTIO_SCHEMA": "cutclear' not in json.dumps(raw)  # plain data, no schema


@pytest.mark.parametrize("dst", ["flagged.edl", "flagged.xml"])
def test_markers_carry_flags_into_formats_without_metadata(show, dst):
    assert otioconvert(show / "reel1.otio", dst, show, CUTCLEAR_ANNOTATE="1").returncode == 0
    read = otio.adapters.read_from_file(dst, **({"rate": 24} if dst.endswith(".edl") else {}))
    markers = {c.name: [m.name.lower() for m in c.markers] for c in read.find_clips()}
    assert markers == {"A001C003": [], "sh042 sky": ["cutclear ga001"]}


def test_annotating_leaves_the_callers_timeline_untouched(show):
    tl = cut()
    args = {"cutclear": {"annotate": True, "root": str(show), "as_of": AS_OF}}
    otio.adapters.write_to_file(tl, "annotated.otio", hook_function_argument_map=args)
    assert all("cutclear" not in c.metadata and not c.markers for c in tl.find_clips())


# --- the Python API ----------------------------------------------------------------

def test_api_checks_an_in_memory_timeline(show):
    report = cutclear.check([cut()], root=str(show), as_of=cutclear_date())
    assert [(u.track, u.media.clip) for u in report.clips] == [("V1", "A001C003"),
                                                               ("V1", "sh042 sky")]
    assert report.summary == {"error": 1, "warning": 0, "info": 0}
    assert [a.id for a in report.assets_of(report.clips[1])] == ["AST-1193"]
    with pytest.raises(cutclear.GateError, match="GA001"):
        report.raise_for_blocking()
    approve(show)
    cutclear.check([cut()], root=str(show), as_of=cutclear_date()).raise_for_blocking()


def test_api_checks_paths_in_their_configured_mode(show):
    report = cutclear.check([show / "reel1.xml"], as_of=cutclear_date())
    assert report.timelines[0].mode is cutclear.Mode.WIP
    assert report.exit_code == 0 and report.blocking == []
    locked = cutclear.check([show / "reel1.xml"], mode=cutclear.Mode.LOCK, as_of=cutclear_date())
    assert [f.rule for f in locked.blocking] == ["GA001"]


def cutclear_date():
    import datetime as dt
    return dt.date.fromisoformat(AS_OF)


# --- cutclear conform --------------------------------------------------------------

def test_conform_cli_checks_as_locked_and_finds_media(show, capsys):
    approve(show)
    media = show.parent / "online-media"
    (media / "camera").mkdir(parents=True)
    (media / "camera" / "A001C003.mov").write_bytes(b"")
    code = cutclear_main(["conform", str(show / "reel1.edl"), "--media-root", str(media),
                          "--as-of", AS_OF, "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert report["timelines"] == [{"path": "reel1.edl", "mode": "lock", "clips": 2}]
    assert [(f["rule"], f["clip"], f["record_in"]) for f in report["findings"]] == [
        ("PV006", "sh042 sky", "00:00:02:00")]
    assert "media not found under" in report["findings"][0]["message"]
    (media / "vfx").mkdir()
    (media / "vfx" / "sh042_sky_v3.mov").write_bytes(b"")
    assert cutclear_main(["conform", str(show / "reel1.edl"), "--media-root", str(media),
                          "--as-of", AS_OF]) == 0


def test_conform_cli_refuses_an_unapproved_shot(show, capsys):
    assert cutclear_main(["conform", str(show / "reel1.otio"), "--as-of", AS_OF]) == 1
    assert "reel1.otio:V1:01:00:02:00: GA001 [error] sh042 sky" in capsys.readouterr().out


def test_conform_cli_bad_media_root_is_a_usage_error(show, capsys):
    assert cutclear_main(["conform", str(show / "reel1.otio"), "--media-root", "nowhere"]) == 2
    assert "--media-root nowhere: no such folder" in capsys.readouterr().err


def test_gate_checks_a_timeline_again_when_it_is_written_again(show):
    """A pipeline that writes a cut, adds a shot and writes it again is checked again."""
    approve(show)
    args = {"cutclear": {"gate": True, "root": str(show), "as_of": AS_OF}}
    tl = cut()
    otio.adapters.write_to_file(tl, "online.otio", hook_function_argument_map=args)
    tl.tracks[0].append(otio.schema.Clip(
        name="storm", media_reference=otio.schema.ExternalReference(
            target_url="file:///show/vfx/sh042_sky_v3_storm.mov"),
        source_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(24, 24))))
    (show / "records" / "storm.genai.xml").write_text(genai(
        '<asset id="AST-9"><match><name>*storm.mov</name></match>'
        "<origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>"))
    with pytest.raises(cutclear.GateError, match="AST-9"):
        otio.adapters.write_to_file(tl, "online2.otio", hook_function_argument_map=args)


def test_gate_refuses_outside_an_edit_repo(tmp_path):
    args = {"cutclear": {"gate": True, "root": str(tmp_path)}}
    with pytest.raises(cutclear.GateError, match="no cutclear settings"):
        otio.adapters.write_to_file(cut(), str(tmp_path / "x.otio"),
                                    hook_function_argument_map=args)


@pytest.mark.parametrize("bad", [{"cutclear": {"gate": True, "as_of": "15.01.2026"}},
                                 {"cutclear": "gate"}])
def test_bad_gate_settings_refuse_the_write(show, bad):
    with pytest.raises(cutclear.GateError, match="gate settings are not valid"):
        otio.adapters.write_to_file(cut(), "x.otio", hook_function_argument_map=bad)
    assert not Path("x.otio").exists()


def test_markers_switch_takes_strings(show):
    args = {"cutclear_annotate": "true", "cutclear_markers": "false",
            "cutclear_root": str(show), "cutclear_as_of": AS_OF}
    otio.adapters.write_to_file(cut(), "a.otio", hook_function_argument_map=args)
    clips = list(otio.adapters.read_from_file("a.otio").find_clips())
    assert clips[1].metadata["cutclear"]["findings"] and not clips[1].markers


def test_annotating_again_replaces_the_earlier_annotation(show):
    args = {"cutclear": {"annotate": True, "root": str(show), "as_of": AS_OF}}
    otio.adapters.write_to_file(cut(), "first.otio", hook_function_argument_map=args)
    again = otio.adapters.read_from_file("first.otio")
    otio.adapters.write_to_file(again, "second.otio", hook_function_argument_map=args)
    sky = list(otio.adapters.read_from_file("second.otio").find_clips())[1]
    assert [m.name for m in sky.markers] == ["cutclear GA001"]
