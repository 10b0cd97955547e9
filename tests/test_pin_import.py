"""Media pinned by hash (`cutclear pin`, `<match><sha256>`, GA005) and `cutclear import`."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from conftest import CONFIG, RUNWAY, SKY_APPROVAL
from media_files import mov

from cutclear.cli import main
from cutclear.recordfile import parse_record_file

AS_OF = ("--as-of", "2026-01-10")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- cutclear pin ---------------------------------------------------------------------

def test_pin_prints_a_sha256_line_per_file_and_walks_folders(tmp_path, capsys):
    (tmp_path / "vfx").mkdir()
    (tmp_path / "vfx" / "sh042_sky_v3.mov").write_bytes(b"v3 render")
    (tmp_path / "vfx" / ".DS_Store").write_bytes(b"finder")
    (tmp_path / "a.wav").write_bytes(b"")
    code, out, _ = run(capsys, "pin", str(tmp_path / "a.wav"), str(tmp_path / "vfx"))
    assert code == 0
    assert out.splitlines() == [
        f"<sha256>{hashlib.sha256(b'').hexdigest()}</sha256>  <!-- {tmp_path}/a.wav -->",
        f"<sha256>{hashlib.sha256(b'v3 render').hexdigest()}</sha256>  "
        f"<!-- {tmp_path}/vfx/sh042_sky_v3.mov -->"]


def test_pin_of_a_missing_file_exits_2_naming_it(tmp_path, capsys):
    code, out, err = run(capsys, "pin", str(tmp_path / "nope.mov"))
    assert (code, out) == (2, "") and f"{tmp_path}/nope.mov: no such file or folder" in err


# --- GA005 at conform -----------------------------------------------------------------

def pinned_sky(repo, digest: str):
    repo.config(CONFIG)
    repo.records("records/sky.genai.xml", f"""
        <asset id="AST-1193">
          <match><name>sh042_sky_v3.mov</name><sha256>{digest.upper()}</sha256></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/>
        </asset>""" + RUNWAY + SKY_APPROVAL)
    repo.timeline("cuts/locked/reel1.otio",
                  [("sh042 sky", "file:///mnt/vfx/sh042_sky_v3.mov", 48)])


def conform(repo, media, capsys):
    old = os.getcwd()
    os.chdir(repo.root)
    try:
        code, out, err = run(capsys, "conform", "--format", "json", *AS_OF,
                             "cuts/locked/reel1.otio", "--media-root", str(media))
    finally:
        os.chdir(old)
    return code, json.loads(out)["findings"] if out else [], err


def test_a_new_render_at_the_approved_name_is_ga005_at_conform(repo, tmp_path, capsys):
    media = tmp_path / "online"
    media.mkdir()
    reviewed, rerender = mov(mdat=64), mov(mdat=96)  # real QuickTime files, other bytes
    (media / "sh042_sky_v3.mov").write_bytes(reviewed)
    pinned_sky(repo, hashlib.sha256(reviewed).hexdigest())
    code, findings, _ = conform(repo, media, capsys)
    assert (code, findings) == (0, []), [f["message"] for f in findings]
    (media / "sh042_sky_v3.mov").write_bytes(rerender)
    code, findings, _ = conform(repo, media, capsys)
    assert code == 1
    assert [(f["rule"], f["severity"], f["asset"]) for f in findings] == [
        ("GA005", "error", "AST-1193")]
    new = hashlib.sha256(rerender).hexdigest()
    assert "sh042_sky_v3.mov is not the version AST-1193 describes" in findings[0]["message"]
    assert new[:12] in findings[0]["message"] and "cutclear pin" in findings[0]["message"]


def test_ga005_is_a_warning_in_work_in_progress_and_silent_without_the_file(repo, capsys):
    pinned_sky(repo, "0" * 64)
    repo.timeline("cuts/wip/reel1.otio", [("sh042 sky", "media/sh042_sky_v3.mov", 48)])
    result = repo.check(*AS_OF, "--select", "GA005")
    assert result.findings() == []  # the file is nowhere to be seen: nothing to compare
    (repo.root / "media").mkdir()
    (repo.root / "media/sh042_sky_v3.mov").write_bytes(mov())
    result = repo.check(*AS_OF, "--select", "GA005", "cuts/wip")
    assert [(f["rule"], f["severity"]) for f in result.findings()] == [("GA005", "warning")]


def test_a_sha256_that_is_not_64_hex_digits_is_pv001(repo):
    repo.config(CONFIG)
    repo.records("records/sky.genai.xml", """
        <asset id="AST-1"><match><sha256>9f86d08</sha256></match>
          <origin>digitalCapture</origin></asset>""")
    repo.write("cuts/locked/.gitkeep", "")  # the locked glob matches a folder
    result = repo.check("--select", "PV001")
    assert "sha256" in result.findings("PV001")[0]["message"]


# --- cutclear import ------------------------------------------------------------------

HEADER = ("Asset,Shot,File,Origin,Stage,Tool,Tool Version,Trains on inputs,Retains inputs,"
          "Tool enterprise,Prompt,Inputs,Talent,Approvals\n")
GOOD = (HEADER
        + 'AST-1193,sh042 sky v3,sh042_sky_v3.mov,trainedAlgorithmicMedia,final,Runway,Gen-4,'
          'no,no,yes,"storm clouds; harbour at dusk",plate A042 [owned],,APR-0057\n'
        + ',sh050 crowd,,compositeWithTrainedAlgorithmicMedia,,Runway,Gen-4,no,no,yes,,'
          '"cast photos [personal-data]",P-0031 likeness CNS-0142,\n'
        + ",,,,,,,,,,,,,\n")


def test_import_turns_a_csv_log_into_valid_records(tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "genai-log.genai.xml"
    code, text, err = run(capsys, "import", str(log), "-o", str(out))
    assert code == 0, err
    assert text == f"wrote 2 assets and 1 tool to {out}\n"
    records = parse_record_file(out.read_bytes(), "records/genai-log.genai.xml")  # XSD-valid
    tool, sky, crowd = records
    assert (tool.id, tool.vendor, tool.version, tool.enterprise, tool.trains_on_inputs) == (
        "TL-Runway-Gen-4", None, "Gen-4", True, "no")
    assert (sky.id, sky.match.clips, sky.match.names, sky.stage, sky.tools, sky.approvals) == (
        "AST-1193", ("sh042 sky v3",), ("sh042_sky_v3.mov",), "final", ("TL-Runway-Gen-4",),
        ("APR-0057",))
    assert sky.prompts == ("storm clouds", "harbour at dusk")
    assert [(i.text, i.rights) for i in sky.inputs] == [("plate A042", "owned")]
    assert crowd.id == "LOG-3" and crowd.origin_class == "generative-edit"
    assert [(t.person, t.use, t.consent) for t in crowd.talent] == [
        ("P-0031", "likeness", "CNS-0142")]


def test_a_bad_row_names_row_and_column_and_nothing_is_written(tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text(HEADER
                   + "AST-1,sh001,,trainedAlgorithmicMedia,final,,,,,,,,,\n"
                   + "AST-2,sh002,,aiGenerated,later,Runway,4,maybe,,,,x [stolen],"
                     "P-1 cameo,\n"
                   + "AST-1,,,digitalCapture,,,,,,,,,,\n", encoding="utf-8")
    out = tmp_path / "genai-log.genai.xml"
    code, text, err = run(capsys, "import", str(log), "-o", str(out))
    assert (code, text, out.exists()) == (1, "", False)
    lines = err.splitlines()
    assert lines[:-1] == [
        "log.csv: row 3, column 'trains on inputs': 'maybe' is not yes, no or unknown",
        "log.csv: row 3, column 'origin': 'aiGenerated' is not an IPTC digital source type "
        "(e.g. trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia, digitalCapture)",
        "log.csv: row 3, column 'stage': 'later' is not temp or final",
        "log.csv: row 3, column 'inputs': rights 'stolen' of 'x' is not one of owned, "
        "licensed, public-domain, unowned, personal-data, confidential, unknown",
        "log.csv: row 3, column 'talent': 'P-1 cameo' is not 'person use [consent]' with use "
        "one of likeness, voice, performance-alteration, training (e.g. P-0031 likeness "
        "CNS-0142)",
        "log.csv: row 4, column 'shot': no shot, file, path, reel or sha256: the asset would "
        "match no clip",
        "log.csv: row 4, column 'asset': id AST-1 is already used in row 2"]
    assert lines[-1] == f"cutclear: 7 errors in {log}; nothing was written"


@pytest.mark.parametrize("text, error", [
    ("Shot,Orgin\nsh1,digitalCapture\n", "row 1: unknown column 'orgin'"),
    ("Shot,File\nsh1,a.mov\n", "the column 'origin' is required"),
    ("", "no header row"),
])
def test_a_log_with_bad_columns_exits_2(tmp_path, capsys, text, error):
    log = tmp_path / "log.csv"
    log.write_text(text)
    code, _, err = run(capsys, "import", str(log), "-o", str(tmp_path / "x.genai.xml"))
    assert code == 2 and error in err


def test_import_never_overwrites_without_force(tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text(GOOD)
    out = tmp_path / "genai-log.genai.xml"
    out.write_text("hand-written records")
    code, _, err = run(capsys, "import", str(log), "-o", str(out))
    assert code == 2 and "exists: give --force" in err
    assert out.read_text() == "hand-written records"
    assert run(capsys, "import", str(log), "-o", str(out), "--force")[0] == 0
    assert b"AST-1193" in out.read_bytes()


def test_the_template_lists_every_column_and_imports_cleanly(tmp_path, capsys):
    code, text, _ = run(capsys, "import", "--template")
    assert code == 0 and text.startswith("asset,shot,file,path,reel,sha256,origin,stage,")
    (tmp_path / "log.csv").write_text(text)
    assert run(capsys, "import", str(tmp_path / "log.csv"), "-o",
               str(tmp_path / "t.genai.xml"))[0] == 0


def test_the_xlsx_template_is_a_workbook_that_imports(tmp_path, capsys):
    pytest.importorskip("openpyxl", reason="openpyxl is not installed: pip install "
                        "'cutclear[xlsx]' (.ci/run installs it)")
    template = tmp_path / "genai-log.xlsx"
    assert run(capsys, "import", "--template", "-o", str(template))[0] == 0
    assert run(capsys, "import", "--template", "-o", str(template))[0] == 2  # no --force
    code, text, _ = run(capsys, "import", str(template), "-o", str(tmp_path / "t.genai.xml"))
    assert (code, text) == (0, f"wrote 1 asset and 1 tool to {tmp_path}/t.genai.xml\n")


def test_import_reads_xlsx_with_openpyxl(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl", reason="openpyxl is not installed: pip "
                                   "install 'cutclear[xlsx]' (.ci/run installs it)")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Shot", "Origin", "Stage", "Approvals"])
    sheet.append(["sh042 sky v3", "trainedAlgorithmicMedia", "final", "APR-0057"])
    sheet.append(["sh043", "dataDrivenMedia ", None, None])
    sheet.append(["sh044", "synthetic", None, None])
    book.save(tmp_path / "log.xlsx")
    out = tmp_path / "log.genai.xml"
    code, _, err = run(capsys, "import", str(tmp_path / "log.xlsx"), "-o", str(out))
    assert code == 1 and not out.exists()
    assert "log.xlsx: row 4, column 'origin': 'synthetic' is not an IPTC" in err
    sheet.delete_rows(4)
    book.save(tmp_path / "log.xlsx")
    assert run(capsys, "import", str(tmp_path / "log.xlsx"), "-o", str(out))[0] == 0
    assert [r.id for r in parse_record_file(out.read_bytes(), "x.genai.xml")] == [
        "LOG-2", "LOG-3"]
