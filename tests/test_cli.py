"""The `cutclear` command: exit codes, report formats, options, rules and explain, which
files are checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import CONFIG, RUNWAY, SKY, SKY_APPROVAL, SKY_URL, timeline

import cutclear
from cutclear.cli import main

SKY = SKY + RUNWAY
APPROVAL = SKY_APPROVAL.replace("<covers>", "<expires>2026-03-01</expires>\n  <covers>")
CAMERA = """
<asset id="CAM">
  <match><path>media/camera/**</path></match>
  <origin>digitalCapture</origin>
</asset>
"""
ALL_CODES = {f"GA00{i}" for i in range(1, 5)} | {f"TL00{i}" for i in range(1, 10)} \
    | {f"DU00{i}" for i in range(1, 5)} | {"IP001", "DC001", "DC002"} \
    | {f"PV00{i}" for i in range(1, 6)}
EDL = textwrap.dedent("""\
    TITLE: reel1
    FCM: NON-DROP FRAME

    001  A042     V     C        01:00:00:00 01:00:02:00 01:00:00:00 01:00:02:00
    * FROM CLIP NAME: sky.mov
""")


@pytest.fixture
def cut(repo):
    """A locked cut with a gap, then a GenAI shot at 01:00:02:00 that has no approval."""
    repo.config(CONFIG)
    repo.records("records/sky.genai.xml", SKY)
    repo.timeline("cuts/locked/reel1.otio",
                  timeline([(None, None, 48), ("sky", SKY_URL, 48)]))
    return repo


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_exit(capsys, *argv: str) -> tuple[int, str]:
    """Run arguments that argparse refuses: it exits with status 2."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    return exc.value.code, capsys.readouterr().err


# --- exit codes ------------------------------------------------------------------------

def test_exit_0_when_clear(cut):
    cut.records("records/legal.genai.xml", APPROVAL)
    result = cut.check("--as-of", "2026-01-15", fmt="text")
    assert result.code == 0
    assert result.out == "All clear: 1 timeline (1 clip), 2 record files.\n"


def test_exit_1_when_an_error_is_found(cut):
    result = cut.check("--as-of", "2026-01-15")
    assert result.code == 1
    assert result.json["summary"] == {"error": 1, "warning": 0, "info": 0}


def test_exit_2_when_the_tool_cannot_do_its_job(cut):
    cut.config("genre = 'drama'\n")
    result = cut.check()
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("cutclear: error: ")


# --- text format -----------------------------------------------------------------------

def test_text_lines_and_summary(cut):
    cut.write("records/vendor.genai.xml",
              '<?xml version="1.0"?>\n<genai xmlns="urn:cutclear:genai:1" version="1">\n'
              '  <asset id="X"><origin>nonsense</origin></asset>\n</genai>\n')
    result = cut.check("--as-of", "2026-01-15", fmt="text")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sky: GenAI asset AST-1193 "
        "(Runway Gen-4) has no valid written approval for the final deliverable")
    assert lines[1].startswith("records/vendor.genai.xml:3: PV001 [error] origin 'nonsense' "
                               "of asset X is not an IPTC digital source type")
    assert lines[2] == ""
    assert lines[3] == "Found 2 errors in 1 timeline (1 clip), 2 record files."
    assert len(lines) == 4


def test_text_summary_counts_each_severity(cut):
    cut.records("records/sky.genai.xml", SKY.replace("<stage>final</stage>", "")
                .replace('enterprise="true"', 'enterprise="false"'))
    cut.timeline("cuts/locked/reel1.otio", timeline([("sky", SKY_URL, 48),
                                                     ("cam", "/nowhere/a.mov", 24)]))
    result = cut.check("--as-of", "2026-01-15", "--select", "GA001,GA002,GA003,DU002",
                       fmt="text")
    assert result.out.splitlines()[-1] == \
        "Found 2 errors, 2 warnings in 1 timeline (2 clips), 1 record file."
    result = cut.check("--wip", "--as-of", "2026-01-15", "--select", "GA001,GA002,DU002",
                       fmt="text")
    assert result.out.splitlines()[-1] == \
        "Found 1 warning, 2 info in 1 timeline (2 clips), 1 record file."
    assert result.code == 0


def test_output_file_gets_the_report_and_stdout_stays_empty(cut):
    result = cut.check("--as-of", "2026-01-15", "--output", "report.json")
    assert result.code == 1
    assert result.out == ""
    report = json.loads((cut.root / "report.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in report["findings"]] == ["GA001"]

    result = cut.check("--as-of", "2026-01-15", "--output", "report.txt", fmt="text")
    assert result.out == ""
    text = (cut.root / "report.txt").read_text(encoding="utf-8")
    assert text.startswith("cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sky: ")


def test_output_to_an_impossible_place(cut):
    result = cut.check("--output", "no/such/folder/report.json")
    assert result.code == 2
    assert "--output no/such/folder/report.json" in result.err


# --- options -------------------------------------------------------------------------

def test_fail_on_warning(cut):
    cut.records("records/legal.genai.xml", APPROVAL)
    cut.timeline("cuts/locked/reel1.otio", timeline([("cam", "/nowhere/a.mov", 24)]))
    result = cut.check("--as-of", "2026-01-15")
    assert [(f["rule"], f["severity"]) for f in result.findings()] == [("GA003", "warning")]
    assert result.code == 0
    assert cut.check("--as-of", "2026-01-15", "--fail-on", "warning").code == 1
    assert cut.check("--as-of", "2026-01-15", "--fail-on", "error").code == 0


def test_fail_on_info(cut):
    result = cut.check("--wip", "--as-of", "2026-01-15")
    assert result.findings("GA001")[0]["severity"] == "info"
    assert result.code == 0
    assert cut.check("--wip", "--as-of", "2026-01-15", "--fail-on", "info").code == 1


def test_bad_fail_on(cut, capsys):
    code, err = run_exit(capsys, "check", "--fail-on", "off")
    assert code == 2 and "--fail-on" in err


def test_lock_and_wip_override_the_configuration(cut):
    cut.timeline("cuts/work/reel1.otio", timeline([("sky", SKY_URL, 48)]))
    by_path = {t["path"]: t["mode"] for t in cut.check().json["timelines"]}
    assert by_path == {"cuts/locked/reel1.otio": "lock", "cuts/work/reel1.otio": "wip"}

    result = cut.check("--lock")
    assert {t["mode"] for t in result.json["timelines"]} == {"lock"}
    assert {f["severity"] for f in result.findings("GA001")} == {"error"}
    assert {f["mode"] for f in result.findings("GA001")} == {"lock"}

    result = cut.check("--wip")
    assert {t["mode"] for t in result.json["timelines"]} == {"wip"}
    assert {f["severity"] for f in result.findings("GA001")} == {"info"}
    assert result.code == 0


def test_lock_and_wip_together_are_refused(cut, capsys):
    code, err = run_exit(capsys, "check", "--lock", "--wip")
    assert code == 2 and "not allowed with" in err


def test_as_of(cut):
    cut.records("records/legal.genai.xml", APPROVAL)
    result = cut.check("--as-of", "2026-01-15")
    assert result.json["as_of"] == "2026-01-15"
    assert result.code == 0 and result.findings() == []

    result = cut.check("--as-of", "2026-03-01")
    assert result.json["as_of"] == "2026-03-01"
    (f,) = result.findings("GA004")
    assert "expired on 2026-03-01" in f["message"]
    assert result.findings("GA001") and result.code == 1

    result = cut.check("--as-of", "2025-09-01")  # before it was granted
    assert "is granted only from 2025-09-02" in result.findings("GA004")[0]["message"]


def test_as_of_defaults_to_today(cut):
    import datetime as dt
    before = dt.date.today()
    as_of = dt.date.fromisoformat(cut.check().json["as_of"])
    assert before <= as_of <= dt.date.today()


@pytest.mark.parametrize("value", ["2025-02-30", "2025-13-01", "tomorrow", "15/01/2026"])
def test_bad_as_of(cut, capsys, value):
    code, err = run_exit(capsys, "check", "--as-of", value)
    assert code == 2
    assert f"argument --as-of: {value!r} is not a date (YYYY-MM-DD)" in err


@pytest.mark.parametrize("rate", ["fast", "0", "24/0"])
def test_bad_rate(cut, rate):
    result = cut.check("--rate", rate)
    assert result.code == 2
    assert "--rate: " in result.err and "is not a frame rate" in result.err


# --- rules and explain -------------------------------------------------------------------

def test_rules_lists_the_whole_catalogue(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0
    lines = out.splitlines()
    codes = [line.split()[0] for line in lines]
    assert set(codes) >= ALL_CODES  # the 25 codes of catalogue version 1, and any newer
    assert len(codes) == len(set(codes))
    (ga001,) = [line for line in lines if line.startswith("GA001")]
    assert "genai-in-locked-cut" in ga001 and "info" in ga001 and "error" in ga001


def test_rules_as_json(capsys):
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    rules = json.loads(out)
    codes = [r["code"] for r in rules]
    assert set(codes) >= ALL_CODES and len(codes) == len(set(codes))
    by_code = {r["code"]: r for r in rules}
    assert set(by_code["GA001"]) == {"code", "name", "wip", "lock", "summary", "plugin"}
    assert (by_code["GA001"]["name"], by_code["GA001"]["wip"], by_code["GA001"]["lock"]) == \
        ("genai-in-locked-cut", "info", "error")
    assert (by_code["GA003"]["wip"], by_code["GA003"]["lock"]) == ("off", "warning")
    assert by_code["PV001"]["name"] == "invalid-record-file"
    assert all(r["summary"] for r in rules)


def test_explain(capsys):
    code, out, _ = run(capsys, "explain", "GA001")
    assert code == 0
    assert out.startswith("GA001 (genai-in-locked-cut)\n")
    assert "info in work in progress, error in a locked cut" in out
    assert "Netflix" in out  # the rationale cites its source
    assert '<approval id="APR-0057" status="approved">' in out  # the example
    assert "<covers>final-deliverable" in out


def test_explain_is_case_insensitive(capsys):
    assert run(capsys, "explain", "tl001")[1].startswith("TL001 (talent-without-consent)")


def test_explain_unknown_code(capsys):
    code, out, err = run(capsys, "explain", "XX999")
    assert code == 2
    assert out == ""
    assert "unknown rule code 'XX999'" in err


def test_version_through_python_m():
    proc = subprocess.run([sys.executable, "-m", "cutclear", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"cutclear {cutclear.__version__}"


def test_no_command(capsys):
    code, err = run_exit(capsys)
    assert code == 2 and "COMMAND" in err


# --- which files are checked -----------------------------------------------------------

def test_nonexistent_path(cut):
    result = cut.check("cuts/locked/reel9.otio")
    assert result.code == 2
    assert result.err == "cutclear: error: cuts/locked/reel9.otio: no such file or folder\n"


def test_path_outside_the_repo(cut, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.otio"
    elsewhere.write_text("{}")
    result = cut.check("cuts/locked/reel1.otio", str(elsewhere))
    assert result.code == 2
    assert "outside the edit repo" in result.err


def test_no_path_checks_every_timeline_of_the_repo(cut):
    cut.timeline("cuts/work/reel2.otio", timeline([("sky", SKY_URL, 24)]))
    cut.timeline("editorial/old/reel3.otio", timeline([("sky", SKY_URL, 24)]))
    cut.timeline(".hidden/reel4.otio", timeline([("sky", SKY_URL, 24)]))
    paths = [t["path"] for t in cut.check().json["timelines"]]
    assert paths == ["cuts/locked/reel1.otio", "cuts/work/reel2.otio",
                     "editorial/old/reel3.otio"]


def test_a_folder_checks_the_timelines_under_it(cut):
    cut.timeline("cuts/work/reel2.otio", timeline([("sky", SKY_URL, 24)]))
    paths = [t["path"] for t in cut.check("cuts/work").json["timelines"]]
    assert paths == ["cuts/work/reel2.otio"]


def test_paths_are_relative_to_the_repo_root_with_slashes(cut):
    result = cut.check(str(cut.root / "cuts" / "locked" / "reel1.otio"))
    assert result.json["timelines"][0]["path"] == "cuts/locked/reel1.otio"
    assert result.findings("GA001")[0]["path"] == "cuts/locked/reel1.otio"


def test_a_record_file_given_as_a_path_is_not_a_timeline(cut):
    cut.write("records/bad.genai.xml", "<genai")
    result = cut.check("records/bad.genai.xml", "records/sky.genai.xml")
    assert result.json["timelines"] == []
    assert result.findings("PV005") == []
    (f,) = result.findings("PV001")
    assert f["path"] == "records/bad.genai.xml"


def test_only_fcp7_xml_is_discovered_as_a_timeline(cut):
    cut.timeline("cuts/work/reel2.xml", timeline([("sky", SKY_URL, 24)]))
    cut.write("docs/notes.xml", '<?xml version="1.0"?>\n<notes><note>hi</note></notes>\n')
    cut.write("media/camera/A001.xml", '<?xml version="1.0"?>\n<NonRealTimeMeta/>\n')
    result = cut.check()
    assert [t["path"] for t in result.json["timelines"]] == ["cuts/locked/reel1.otio",
                                                             "cuts/work/reel2.xml"]
    assert result.findings("PV005") == []
    assert result.json["timelines"][1]["clips"] == 1


def test_an_unreadable_timeline_given_by_name_is_pv005(cut):
    cut.write("cuts/locked/broken.otio", '{"OTIO_SCHEMA": "Timeline.1", "tracks": ')
    result = cut.check("cuts/locked/broken.otio")
    (f,) = result.findings("PV005")
    assert f["path"] == "cuts/locked/broken.otio" and f["severity"] == "error"
    assert f["message"].startswith("timeline cannot be read: ")
    assert result.code == 1


def test_edl_without_a_rate(cut):
    cut.write("cuts/reel1.edl", EDL)
    result = cut.check("cuts/reel1.edl")
    (f,) = result.findings("PV005")
    assert f["message"] == ("timeline cannot be read: an EDL does not state its frame rate: "
                            "set edl-rate in the cutclear settings or pass --rate "
                            "(e.g. --rate 24)")
    assert result.code == 1
    text = cut.check("cuts/reel1.edl", fmt="text").out
    assert text.startswith("cuts/reel1.edl: PV005 [error] timeline cannot be read: an EDL "
                           "does not state its frame rate")


@pytest.mark.parametrize("rate", ["24", "23.976", "24000/1001"])
def test_edl_with_a_rate(cut, rate):
    cut.write("cuts/reel1.edl", EDL)
    result = cut.check("cuts/reel1.edl", "--rate", rate, "--select", "PV")
    assert result.findings() == []
    assert result.json["timelines"] == [{"path": "cuts/reel1.edl", "mode": "wip", "clips": 1}]


def test_edl_with_frames_beyond_the_rate(cut):
    cut.write("cuts/reel1.edl", EDL.replace("01:00:02:00 01:00:00:00", "01:00:01:24 01:00:00:00"))
    result = cut.check("cuts/reel1.edl", "--rate", "24")
    (f,) = result.findings("PV005")
    assert "line 4: timecode 01:00:01:24:" in f["message"]
    assert f["message"].endswith("the EDL's timecodes do not fit 24 fps; set the EDL's real "
                                 "rate with edl-rate or --rate")
    assert "Traceback" not in result.out + result.err


# --- JSON format -------------------------------------------------------------------------

def test_json_has_exactly_the_keys_of_version_1(cut):
    cut.write("records/bad.genai.xml", "<genai")
    doc = cut.check("--as-of", "2026-01-15").json
    assert set(doc) == {"version", "cutclear", "as_of", "timelines", "findings", "summary"}
    assert doc["version"] == 1
    assert doc["cutclear"] == cutclear.__version__
    assert doc["as_of"] == "2026-01-15"
    assert doc["timelines"] == [{"path": "cuts/locked/reel1.otio", "mode": "lock", "clips": 1}]
    assert doc["summary"] == {"error": 2, "warning": 0, "info": 0}
    keys = {"rule", "name", "severity", "path", "mode", "track", "clip", "record_in",
            "record_out", "asset", "message", "line"}
    for f in doc["findings"]:
        assert set(f) == keys

    clip, record = doc["findings"]
    assert clip == {
        "rule": "GA001", "name": "genai-in-locked-cut", "severity": "error",
        "path": "cuts/locked/reel1.otio", "mode": "lock", "track": "V1", "clip": "sky",
        "record_in": "01:00:02:00", "record_out": "01:00:04:00", "asset": "AST-1193",
        "message": clip["message"], "line": None}
    assert record["rule"] == "PV001" and record["path"] == "records/bad.genai.xml"
    assert record["line"] == 1
    for key in ("track", "clip", "record_in", "record_out", "asset"):
        assert record[key] is None


def test_json_is_valid_when_there_is_nothing_to_check(repo):
    doc = repo.check().json
    assert doc["timelines"] == [] and doc["findings"] == []
    assert doc["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_json_keeps_non_ascii_text(cut):
    cut.records("records/sky.genai.xml", SKY.replace("sh042_sky_v*.mov", "été_*.mov"))
    cut.timeline("cuts/locked/reel1.otio",
                 timeline([("ciel d'été", "file:///mnt/%C3%A9t%C3%A9_v1.mov", 24)]))
    result = cut.check()
    assert result.findings("GA001")[0]["clip"] == "ciel d'été"
    assert "ciel d'été" in result.out


def test_one_finding_per_use_of_a_clip(cut):
    cut.timeline("cuts/locked/reel1.otio",
                 timeline([("sky", SKY_URL, 24), ("cam", "/media/camera/a.mov", 24),
                           ("sky", SKY_URL, 24)]))
    cut.records("records/cam.genai.xml", CAMERA)
    found = [(f["record_in"], f["asset"]) for f in cut.check().findings("GA001")]
    assert found == [("01:00:00:00", "AST-1193"), ("01:00:02:00", "AST-1193")]


def test_cutclear_check_runs_from_a_sub_folder(cut):
    old = os.getcwd()
    try:
        os.chdir(cut.root / "cuts")
        proc = subprocess.run([sys.executable, "-m", "cutclear", "check", "--format", "json",
                               "locked/reel1.otio"], capture_output=True, text=True,
                              timeout=120)
    finally:
        os.chdir(old)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["timelines"][0]["path"] == "cuts/locked/reel1.otio"
