"""The report formats on the example edit repo: SARIF, JUnit, GitHub annotations, the cue
sheet, each compared with its exact expected content (tests/data/reports)
and, where a standard schema exists, validated against it (SARIF 2.1.0 with jsonschema,
JUnit with the schema Jenkins' xUnit plugin uses).

The example is copied under a `git init`ed folder, so that the repo-relative paths that
code scanning needs (`edit-repo/cuts/...`) are tested too. Regenerate the expected files (and
the examples in docs/reports.md and docs/cuesheet.md) after an intended change with
CUTCLEAR_REGENERATE=1.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from cutclear import __version__
from cutclear.cli import main
from cutclear.manager import Plugins
from cutclear.reports.explain import explain_text

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "edit-repo"
DATA = Path(__file__).resolve().parent / "data"
EXPECTED = DATA / "reports"
AS_OF = "2026-06-01"


@pytest.fixture
def example(tmp_path) -> Path:
    """The example edit repo as `edit-repo/` of a git repository."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return Path(shutil.copytree(EXAMPLE, tmp_path / "edit-repo"))


def run(repo: Path, capsys, *args: str) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(repo)
    try:
        capsys.readouterr()
        code = main([*args[:1], "--as-of", AS_OF, *args[1:]])
        return code, capsys.readouterr().out
    finally:
        os.chdir(old)


def expect(name: str, text: str) -> None:
    path = EXPECTED / name
    if os.environ.get("CUTCLEAR_REGENERATE"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_bytes().decode("utf-8"), f"differs from {path}"


# --- SARIF ---------------------------------------------------------------------------

def test_sarif_is_valid_sarif_2_1_0_and_exactly_as_expected(example, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    code, out = run(example, capsys, "check", "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(doc)
    [run_] = doc["runs"]
    expect("example.sarif-results.json",
           json.dumps(run_["results"], indent=2, ensure_ascii=False) + "\n")
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cutclear", __version__)
    rules = Plugins().rules
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    for described in driver["rules"]:
        rule = rules[described["id"]]
        assert described["name"] == rule.name
        assert described["shortDescription"]["text"] == f"Fires when {rule.summary}."
        assert described["fullDescription"]["text"] == rule.rationale
        assert described["help"]["text"] == explain_text(rule)
    for result in run_["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_points_at_the_clip_element_or_event_line(example, capsys):
    _, out = run(example, capsys, "check", "--format", "sarif")
    seen = set()
    for result in json.loads(out)["runs"][0]["results"]:
        [loc] = result["locations"]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        line = loc["physicalLocation"]["region"]["startLine"]
        assert uri.startswith("edit-repo/cuts/"), "not relative to the git repository"
        text = (example.parent / uri).read_text().splitlines()
        clip = result["properties"]["clip"]
        if uri.endswith(".edl"):  # the event line, its clip name in the comment below
            assert text[line - 1].split()[0].isdigit()
            assert f"FROM CLIP NAME:  {clip}" in text[line]
        elif uri.endswith(".xml"):  # the <clipitem> whose <name> is the clip
            assert "<clipitem" in text[line - 1]
            assert f"<name>{clip}</name>" in "\n".join(text[line:line + 40])
        else:  # the OTIO Clip object
            assert text[line - 1].strip() == "{"
            assert '"OTIO_SCHEMA": "Clip.' in text[line]
            assert f'"name": "{clip}"' in "\n".join(text[line:line + 3])
        seen.add(uri.rsplit(".", 1)[1])
        names = [(x["kind"], x["name"]) for x in loc["logicalLocations"]]
        assert names == [("module", uri.removeprefix("edit-repo/")),
                         ("namespace", result["properties"]["track"]), ("member", clip),
                         ("element", result["properties"]["recordIn"])]
    assert seen == {"edl", "xml", "otio"}


def test_sarif_fingerprints_survive_an_unrelated_edit(example, capsys):
    _, before = run(example, capsys, "check", "--format", "sarif")
    # An unrelated edit above the findings: metadata added to the first clip of reel1
    # moves every later line, and a re-export changes nothing else.
    otio_file = example / "cuts" / "locked" / "reel1.otio"
    text = otio_file.read_text()
    note = '"metadata": {\n"note": "graded",\n"colourist": "K. Ito"\n},'
    otio_file.write_text(text.replace('"metadata": {},', note, 1))
    _, after = run(example, capsys, "check", "--format", "sarif")

    def prints(out):
        return [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                 r["partialFingerprints"]["cutclearFinding/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in json.loads(out)["runs"][0]["results"]]
    old, new = prints(before), prints(after)
    assert [p[:3] for p in old] == [p[:3] for p in new]
    moved = [(o[3], n[3]) for o, n in zip(old, new, strict=True) if o[1].endswith("reel1.otio")]
    assert moved and all(n == o + 3 for o, n in moved)
    assert len({p[2] for p in new}) == len(new), "two findings share a fingerprint"


def test_record_file_findings_point_at_their_file_and_line(example, capsys):
    broken = example / "records" / "broken.genai.xml"
    broken.write_text('<?xml version="1.0"?>\n<genai xmlns="urn:cutclear:genai:1" '
                      'version="1">\n  <asset id="X"><origin>nonsense</origin></asset>\n'
                      "</genai>\n")
    _, out = run(example, capsys, "check", "--format", "sarif", "--select", "PV001")
    [result] = json.loads(out)["runs"][0]["results"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "edit-repo/records/broken.genai.xml"
    assert loc["region"]["startLine"] == 3


# --- JUnit ---------------------------------------------------------------------------

def test_junit_is_valid_for_jenkins_and_exactly_as_expected(example, capsys):
    code, out = run(example, capsys, "check", "--format", "junit")
    assert code == 1
    xsd = etree.XMLSchema(etree.parse(str(DATA / "schemas" / "junit-10.xsd")))
    doc = etree.fromstring(out.encode())
    assert xsd.validate(doc), xsd.error_log
    expect("example.junit.xml", out)
    suites = doc.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "cuts/locked/reel1.edl", "cuts/locked/reel1.otio", "cuts/locked/reel1.xml",
        "cuts/locked/reel1_audio.edl", "cuts/wip/reel2.edl", "cuts/wip/reel2.otio",
        "cuts/wip/reel2.xml", "cuts/wip/reel2_audio.edl", "record files"]
    assert sum(int(s.get("tests")) for s in suites[:-1]) == 51  # every clip use, passing too
    failed = [(c.getparent().get("name"), c.get("classname"), c.get("name"))
              for c in doc.iter("testcase") if c.find("failure") is not None]
    assert failed == [
        ("cuts/locked/reel1.edl", "cuts/locked/reel1.edl.V1", "sh057_cranes_v2 01:00:15:00"),
        ("cuts/locked/reel1.otio", "cuts/locked/reel1.otio.V1", "sh057_cranes_v2 01:00:15:00"),
        ("cuts/locked/reel1.otio", "cuts/locked/reel1.otio.A1",
         "adr_kowalski_sc44_replica 01:00:18:00"),
        ("cuts/locked/reel1.xml", "cuts/locked/reel1.xml.V1", "sh057_cranes_v2 01:00:15:00"),
        ("cuts/locked/reel1.xml", "cuts/locked/reel1.xml.A1",
         "adr_kowalski_sc44_replica 01:00:18:00"),
        ("cuts/locked/reel1_audio.edl", "cuts/locked/reel1_audio.edl.A1",
         "adr_kowalski_sc44_replica 01:00:18:00")]
    storm = [c for c in doc.iter("testcase") if c.get("name") == "sh071_storm_temp_v1 01:00:06:00"]
    assert len(storm) == 3
    for case in storm:  # below the fail level: written out, not failed
        assert case.find("failure") is None
        assert [line.split(" ")[1] for line in case.findtext("system-out").splitlines()] == \
            ["GA001", "GA002"]


def test_junit_unreadable_timeline_is_a_failed_case(example, capsys):
    (example / "cuts" / "locked" / "reel9.otio").write_text("{ not json")
    _, out = run(example, capsys, "check", "--format", "junit", "cuts/locked/reel9.otio")
    [suite] = etree.fromstring(out.encode()).findall("testsuite")[:1]
    [case] = suite.findall("testcase")
    assert (case.get("name"), case.find("failure").get("type")) == ("(timeline)", "PV005")


# --- GitHub ----------------------------------------------------------------------------

def test_github_annotations_and_job_summary_exactly_as_expected(example, capsys, tmp_path,
                                                                 monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out = run(example, capsys, "check", "--format", "github")
    assert code == 1
    expect("example.github.txt", out)
    text = summary.read_text()
    assert text.startswith("earlier step\n## cutclear\n")  # appended, as GitHub wants
    expect("example.github-summary.md", text.removeprefix("earlier step\n"))


def test_github_shows_the_most_severe_first_and_at_most_ten_per_type(example, capsys,
                                                                    monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    _, out = run(example, capsys, "check", "--format", "github", "--lock")
    lines = out.splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert kinds == ["::error"] * 10  # 12 errors at --lock: 10 shown ...
    assert lines[-2] == ("cutclear: 2 more findings not annotated (GitHub shows 10 per type); "
                         "see cutclear check for the full list")


def test_github_escapes_what_the_runner_would_parse():
    from cutclear.reports.github import escape_data, escape_property

    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"


# --- cue sheet -------------------------------------------------------------------------

def test_cuesheet_csv_exactly_as_expected_and_xlsx_the_same(example, capsys, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    code, out = run(example, capsys, "cuesheet", "cuts/locked/reel1.otio", "cuts/wip/reel2.otio")
    assert code == 1  # the cut does not clear: same exit status as check
    expect("example.cuesheet.csv", out)
    rows = list(csv.reader(io.StringIO(out)))
    assert [r[5] for r in rows[1:]] == [  # GenAI uses only, in record order
        "sh042_sky_v3", "adr_ruiz_sc41_replica", "sh057_cranes_v2",
        "adr_kowalski_sc44_replica", "sh063_newsreel_v1", "sh071_storm_temp_v1"]
    xlsx = tmp_path / "cuesheet.xlsx"
    code, _ = run(example, capsys, "cuesheet", "--exit-zero", "-o", str(xlsx),
                  "cuts/locked/reel1.otio", "cuts/wip/reel2.otio")
    assert code == 0
    sheet = openpyxl.load_workbook(xlsx).active
    assert [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)] == rows


def test_cuesheet_never_hands_a_spreadsheet_a_formula(example, capsys, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    vfx = example / "records" / "vfx.genai.xml"
    vfx.write_text(vfx.read_text().replace(
        "<prompt>row of 1970s", "<prompt>=HYPERLINK(\"x\") row of 1970s", 1))
    _, out = run(example, capsys, "cuesheet", "cuts/locked/reel1.otio")
    assert "'=HYPERLINK" in out
    xlsx = tmp_path / "c.xlsx"
    run(example, capsys, "cuesheet", "-o", str(xlsx), "cuts/locked/reel1.otio")
    cells = [c for row in openpyxl.load_workbook(xlsx).active.iter_rows() for c in row]
    [cell] = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert cell.data_type == "s"


# --- the documented examples are the real outputs ----------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs"


def documented_examples() -> list[tuple[str, str, str]]:
    import re
    found = []
    for doc in ("reports.md", "cuesheet.md"):
        text = (DOCS / doc).read_text()
        for name, block in re.findall(r"<!-- example: (\S+) -->\n```\w*\n(.*?)```", text,
                                      re.S):
            found.append((doc, name, block))
    return found


def test_documented_examples_are_the_expected_outputs(example, capsys):
    examples = documented_examples()
    assert {name for _, name, _ in examples} == {
        "example.github.txt", "example.github-summary.md", "statistics", "example.cuesheet.csv"}
    for doc, name, block in examples:
        if name == "statistics":
            _, actual = run(example, capsys, "check", "--statistics")
        else:
            actual = (EXPECTED / name).read_bytes().decode().replace("\r\n", "\n")
        # the docs run from the project's root, where the edit repo is examples/edit-repo
        actual = actual.replace("edit-repo/", "examples/edit-repo/")
        if os.environ.get("CUTCLEAR_REGENERATE") and block != actual:
            path = DOCS / doc
            marker = f"<!-- example: {name} -->\n"
            text = path.read_text()
            start = text.index("\n", text.index(marker) + len(marker)) + 1
            path.write_text(text[:start] + actual + text[start + len(block):])
            block = actual
        assert block == actual, f"the {name} example in docs/{doc} is not the real output"


def test_a_line_the_reader_knows_is_used(example):
    from dataclasses import replace

    import cutclear
    from cutclear.reports.locate import Locator

    report = cutclear.check([str(example / "cuts" / "locked" / "reel1.otio")])
    use = report.timelines[0].clips[3]
    locator = Locator(report.config.root, report.timelines)
    assert locator.clip_line(use) == 165  # found in the file
    assert locator.clip_line(replace(use, line=7)) == 7  # given by a reader


def test_a_timeline_finding_points_at_line_1(example, capsys):
    (example / "cuts" / "locked" / "reel9.otio").write_text("{ not json")
    _, out = run(example, capsys, "check", "--format", "sarif", "cuts/locked/reel9.otio")
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["ruleId"] == "PV005"
    loc = result["locations"][0]
    assert loc["physicalLocation"] == {
        "artifactLocation": {"uri": "edit-repo/cuts/locked/reel9.otio"},
        "region": {"startLine": 1}}
    assert "logicalLocations" not in loc



def test_a_report_written_to_a_file_says_which_rules_the_settings_switch_off(example, capsys,
                                                                           tmp_path):
    """Before: `cutclear report` and `cuesheet` showed a verdict without GA001 at lock and
    said nothing, where `check` says it."""
    with open(example / "cutclear.toml", "a") as f:
        f.write('ignore = ["GA001"]\n')
    old = os.getcwd()
    os.chdir(example)
    try:
        code = main(["report", "--as-of", AS_OF, "-o", str(tmp_path / "clearance.html")])
    finally:
        os.chdir(old)
    assert code == 1  # the revoked voice consent (TL003) still blocks
    assert ("cutclear: warning: Rules the settings switch off for locked cuts: GA001."
            in capsys.readouterr().err)
