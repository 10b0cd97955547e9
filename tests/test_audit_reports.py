"""The HTML report and the cue sheet of a studio-wide audit: real `cutclear audit` runs
over generated edit repos feeding real `cutclear report --audit` and `cutclear cuesheet
--audit` runs. Grouped by production and repo; a repo that failed is shown with its
error and counts against the result; a merged report that is truncated or damaged is
shown as such and never rendered as clean; a partial verdict (rules the settings switch
off for a locked cut) is carried through."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONFIG
from lxml import html as lxml_html
from test_audit import failing_studio, make_repo
from test_report_html import browser

from cutclear.cli import main

AS_OF = ("--as-of", "2026-01-15")


@pytest.fixture
def studio(tmp_path, capsys):
    """PRD-778: `cleared` (ok) and `typo` (a locked glob matching nothing: fails); PRD-900:
    `uncleared` (a GenAI shot without approval: blocked); `broken` (settings that do not
    parse: fails, production unknown); PRD-555: `lenient` (GA001 ignored by its settings:
    ok, but a partial verdict)."""
    root = tmp_path / "studio"
    make_repo(root / "cleared", capsys)
    make_repo(root / "uncleared", capsys, config='production = "PRD-900"\n'
              'locked = ["cuts/locked/**"]\n', approval=False)
    failing_studio(root, capsys)
    make_repo(root / "lenient", capsys, config='production = "PRD-555"\n'
              'locked = ["cuts/locked/**"]\nignore = ["GA001"]\n', approval=False)
    return root


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def audited(capsys, root: Path, out: Path, *more: str) -> list[dict]:
    code, _, err = run(capsys, "audit", *AS_OF, str(root), "-o", str(out), *more)
    assert code in (0, 1, 2)
    return [json.loads(x) for x in out.read_text().splitlines()]


def repos(page) -> dict[str, lxml_html.HtmlElement]:
    return {a.get("data-repo").rsplit("/", 1)[1]: a for a in page.xpath("//article")}


def text(el) -> str:
    return " ".join(el.text_content().split())


def test_rules_off_is_carried_through_the_merged_report(studio, capsys, tmp_path):
    lines = audited(capsys, studio, tmp_path / "audit.jsonl")
    repo = {x["repo"].rsplit("/", 1)[1]: x for x in lines if x["type"] == "repo"}
    assert repo["lenient"]["status"] == "ok" and repo["lenient"]["rules_off"] == ["GA001"]
    assert "rules_off" not in repo["cleared"]  # a full verdict's line stays as it was
    prod = {x["production"]: x for x in lines if x["type"] == "production"}
    assert prod["PRD-555"]["partial"] == 1 and prod["PRD-778"]["partial"] == 0
    assert lines[-1]["partial"] == 1
    _, _, err = run(capsys, "audit", *AS_OF, str(studio), "-o", str(tmp_path / "x.jsonl"))
    assert (f"cutclear: warning: {studio}/lenient: a partial verdict, judged without rules "
            "the settings switch off for locked cuts: GA001") in err


def test_the_studio_html_is_grouped_by_production_and_repo(studio, capsys, tmp_path):
    audited(capsys, studio, tmp_path / "audit.jsonl")
    out = tmp_path / "studio.html"
    code, _, err = run(capsys, "report", "--audit", str(tmp_path / "audit.jsonl"),
                       "-o", str(out))
    assert code == 2  # two repos could not be audited: as the audit's own status
    assert f"cutclear: error: {studio}/broken: could not be audited: " in err
    page = lxml_html.fromstring(out.read_bytes())
    assert text(page.get_element_by_id("verdict")) == \
        "Does not clear: 2 repos could not be audited"
    assert not page.xpath('//*[@id="problems"]')  # the file itself is whole
    rows = [[text(td) for td in tr.xpath("./td")]
            for tr in page.xpath('//table[@id="productions"]/tbody/tr')]
    assert rows == [["PRD-555", "ok", "1", "0", "0", "1", "1", "1"],
                    ["PRD-778", "failed", "2", "1", "0", "0", "1", "1"],
                    ["PRD-900", "blocked", "1", "0", "1", "0", "1", "1"],
                    ["(no production set)", "failed", "1", "1", "0", "0", "0", "0"]]
    sections = [(s.get("data-production"), [a.get("data-repo").rsplit("/", 1)[1]
                                            for a in s.xpath(".//article")])
                for s in page.xpath('//section[@class="production"]')]
    assert sections == [("PRD-555", ["lenient"]), ("PRD-778", ["cleared", "typo"]),
                        ("PRD-900", ["uncleared"]), ("", ["broken"])]
    by = repos(page)
    assert {k: a.get("data-status") for k, a in by.items()} == {
        "lenient": "ok", "cleared": "ok", "typo": "failed", "uncleared": "blocked",
        "broken": "failed"}
    assert "Could not be audited: " in text(by["broken"]) and \
        "broken/cutclear.toml: not valid TOML" in text(by["broken"])
    assert "locked: 'cuts/lokced/**' matches no file or folder" in text(by["typo"])
    [finding] = by["uncleared"].xpath('.//table[@class="findings"]/tbody/tr')
    cells = [text(td) for td in finding.xpath("./td")]
    assert cells[:6] == ["error", "GA001 genai-in-locked-cut", "cuts/locked/reel1.otio",
                         "V1", "01:00:00:00", "sky"]
    assert "blocking" in finding.get("class")
    [cue] = by["cleared"].xpath('.//table[@class="cues"]/tbody/tr')
    assert [text(td) for td in cue.xpath("./td")][:8] == [
        "cuts/locked/reel1.otio", "V1", "01:00:00:00", "01:00:02:00", "sky", "AST-1193",
        "trainedAlgorithmicMedia", "final"]
    note = by["lenient"].xpath('.//p[contains(@class, "partial-note")]')
    assert text(note[0]) == ("A partial verdict: judged without rules the settings switch "
                             "off for locked cuts: GA001.")
    assert not by["cleared"].xpath('.//p[contains(@class, "partial-note")]')
    assert (f"cutclear: warning: {studio}/lenient: a partial verdict, judged without rules "
            "the settings switch off for locked cuts: GA001") in err
    assert "<script" not in out.read_text() and "http" not in out.read_text().split(
        "<body>")[1]  # self-contained: nothing fetched


def test_an_all_clear_audit_clears_and_exits_0(tmp_path, capsys):
    make_repo(tmp_path / "nas" / "show", capsys)
    audited(capsys, tmp_path / "nas", tmp_path / "audit.jsonl")
    code, out, _ = run(capsys, "report", "--audit", str(tmp_path / "audit.jsonl"))
    assert code == 0
    page = lxml_html.fromstring(out)
    assert text(page.get_element_by_id("verdict")) == \
        "Clears: every repo audited, no finding at its fail level"


def test_exit_zero_covers_findings_not_failed_repos(tmp_path, capsys, studio):
    blocked = tmp_path / "blocked"
    make_repo(blocked / "uncleared", capsys, approval=False)
    audited(capsys, blocked, tmp_path / "blocked.jsonl")
    audited(capsys, studio, tmp_path / "studio.jsonl")
    for command in ("report", "cuesheet"):
        assert run(capsys, command, "--audit", str(tmp_path / "blocked.jsonl"))[0] == 1
        assert run(capsys, command, "--audit", str(tmp_path / "blocked.jsonl"),
                   "--exit-zero")[0] == 0
        assert run(capsys, command, "--audit", str(tmp_path / "studio.jsonl"),
                   "--exit-zero")[0] == 2


def cut(path: Path, how: str) -> None:
    """Damage a merged report the ways a real one gets damaged."""
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    if how == "mid-line":  # a full disk, an interrupted copy
        path.write_bytes(data[: len(data) - len(lines[-1]) - 40])
    elif how == "last-line":  # the audit line never written
        path.write_bytes(b"".join(lines[:-1]))
    elif how == "repo-line-lost":  # the last repo line (that of a repo with findings)
        last = max(i for i, x in enumerate(lines) if x.startswith(b'{"type": "repo"'))
        path.write_bytes(b"".join(lines[:last] + lines[last + 1:]))
    elif how == "finding-lost":
        path.write_bytes(b"".join(x for x in lines if b'"type": "finding"' not in x))
    elif how == "two-reports":
        path.write_bytes(data + data)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "a-check-report":
        path.write_text(json.dumps({"version": 1, "findings": []}) + "\n")
    elif how == "no-repo":  # only the closing line, rewritten to match
        path.write_text(json.dumps({"type": "audit", "version": 2, "repos": 0, "failed": 0,
                                    "blocking": 0, "partial": 0, "exit_code": 0, "summary": {
                                        "error": 0, "warning": 0, "info": 0}}) + "\n")
    elif how == "old-format":
        path.write_bytes(data.replace(b'"version": 2', b'"version": 1'))


DAMAGE = ("mid-line", "last-line", "repo-line-lost", "finding-lost", "two-reports",
          "empty", "a-check-report", "no-repo", "old-format")


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_merged_report_is_never_rendered_clean(tmp_path, capsys, how):
    # an audit whose repos all pass, so that only the damage can stop it
    nas = tmp_path / "nas"
    make_repo(nas / "show", capsys)
    make_repo(nas / "other", capsys, approval=False)  # one blocked, for lost findings
    (nas / "other" / "cutclear.toml").write_text(CONFIG + '[severity]\nGA001 = "warning"\n')
    report = tmp_path / "audit.jsonl"
    lines = audited(capsys, nas, report)
    assert lines[-1]["exit_code"] == 0
    assert run(capsys, "report", "--audit", str(report))[0] == 0  # whole, it clears
    cut(report, how)
    code, out, err = run(capsys, "report", "--audit", str(report))
    assert code == 2
    assert f"cutclear: error: {report}: " in err
    page = lxml_html.fromstring(out)
    assert text(page.get_element_by_id("verdict")).startswith(
        "Not shown clean: this audit report is incomplete or damaged")
    assert "cannot be trusted" in text(page.get_element_by_id("problems"))
    code, sheet, _ = run(capsys, "cuesheet", "--audit", str(report))
    assert code == 2
    first = list(csv.DictReader(io.StringIO(sheet)))[0]
    assert first["status"] == "invalid report"
    assert first["findings"].startswith(f"INCOMPLETE AUDIT: {report}: ")


def test_what_a_damage_says(tmp_path, capsys):
    make_repo(tmp_path / "nas" / "show", capsys, approval=False)
    report = tmp_path / "audit.jsonl"
    audited(capsys, tmp_path / "nas", report)
    cut(report, "repo-line-lost")
    _, _, err = run(capsys, "cuesheet", "--audit", str(report))
    assert (f"{report}: line 1: a finding of repo {tmp_path}/nas/show, which has no repo "
            "line: the report is damaged") in err
    assert f"{report}: the audit line says repos 1, the lines above it give 0" in err
    audited(capsys, tmp_path / "nas", report)
    cut(report, "last-line")
    _, _, err = run(capsys, "cuesheet", "--audit", str(report))
    assert "no closing audit line: the report is truncated" in err


def test_the_studio_cue_sheet_groups_by_production_and_keeps_failed_repos(
        studio, capsys, tmp_path):
    audited(capsys, studio, tmp_path / "audit.jsonl")
    code, out, _ = run(capsys, "cuesheet", "--audit", str(tmp_path / "audit.jsonl"))
    assert code == 2
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:4] == ["repo", "production", "status", "timeline"]
    assert [(r["repo"].rsplit("/", 1)[1], r["production"], r["status"], r["asset"])
            for r in rows] == [
        ("lenient", "PRD-555", "ok (partial verdict: see the audit report)", "AST-1193"),
        ("cleared", "PRD-778", "ok", "AST-1193"),
        ("typo", "PRD-778", "failed", ""),
        ("uncleared", "PRD-900", "blocked", "AST-1193"),
        ("broken", "", "failed", "")]
    assert rows[2]["findings"].startswith("could not be audited: ") and \
        "matches no file or folder" in rows[2]["findings"]
    assert rows[3]["findings"].startswith("GA001 [error] GenAI asset AST-1193")
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra is not installed")
    xlsx = tmp_path / "studio.xlsx"
    assert run(capsys, "cuesheet", "--audit", str(tmp_path / "audit.jsonl"),
               "-o", str(xlsx))[0] == 2
    sheet = openpyxl.load_workbook(xlsx).active
    got = [[c.value or "" for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[:3] for r in got] == [[r["repo"], r["production"], r["status"]] for r in rows]


def test_check_options_do_not_apply_to_an_audit(studio, capsys, tmp_path):
    audited(capsys, studio, tmp_path / "audit.jsonl")
    code, out, err = run(capsys, "report", "--audit", str(tmp_path / "audit.jsonl"),
                         "--lock", "cuts")
    assert code == 2 and out == ""
    assert "PATH, --lock do not apply (give them to `cutclear audit`)" in err
    code, _, err = run(capsys, "cuesheet", "--audit", str(tmp_path / "nope.jsonl"))
    assert code == 2 and f"--audit {tmp_path / 'nope.jsonl'}: No such file" in err


def test_audit_piped_into_report(studio, tmp_path):
    # two real processes: the audit's stdout is the report's stdin
    exe = Path(sys.executable).with_name("cutclear")
    audit = subprocess.Popen([str(exe), "audit", *AS_OF, str(studio)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    report = subprocess.run([str(exe), "report", "--audit", "-"], stdin=audit.stdout,
                            capture_output=True, text=True, timeout=120)
    assert audit.wait(timeout=120) == 2
    assert report.returncode == 2
    page = lxml_html.fromstring(report.stdout)
    assert sorted(repos(page)) == ["broken", "cleared", "lenient", "typo", "uncleared"]


PROBE = """<script>
document.body.dataset.probe = JSON.stringify(Array.prototype.map.call(
  document.querySelectorAll("#verdict, #problems, .repo-error"), function (el) {
    var b = el.getBoundingClientRect(), s = getComputedStyle(el);
    return [el.id || el.className, Math.round(b.width) > 0 && Math.round(b.height) > 0
            && s.visibility === "visible", s.color, s.backgroundColor];
  }));
</script>"""


def test_failed_repos_and_damage_are_visible_in_a_real_browser(studio, capsys, tmp_path):
    exe = browser()
    report = tmp_path / "audit.jsonl"
    audited(capsys, studio, report)
    cut(report, "last-line")
    page = tmp_path / "studio.html"
    assert run(capsys, "report", "--audit", str(report), "-o", str(page))[0] == 2
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    proc = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000",
         "--dump-dom", probed.as_uri()],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml_html.fromstring(proc.stdout)
    shown = json.loads(dom.xpath("//body/@data-probe")[0])
    assert [(what, visible) for what, visible, _, _ in shown] == [
        ("verdict", True), ("problems", True), ("err repo-error", True),
        ("err repo-error", True)]
    assert shown[0][3] == "rgb(209, 38, 59)"  # the red of a cut that does not clear


def test_the_clearance_report_of_one_repo_states_a_partial_verdict(tmp_path, capsys,
                                                                   monkeypatch):
    make_repo(tmp_path / "show", capsys, config=CONFIG + 'ignore = ["GA001"]\n',
              approval=False)
    monkeypatch.chdir(tmp_path / "show")
    code, out, err = run(capsys, "report", *AS_OF)
    assert code == 0  # GA001 is off: allowed, but the page must say what it lacks
    page = lxml_html.fromstring(out)
    assert text(page.get_element_by_id("partial")) == \
        "Rules the settings switch off for locked cuts: GA001."
    (tmp_path / "show" / "cutclear.toml").write_text(CONFIG)
    code, out, _ = run(capsys, "report", *AS_OF)
    assert code == 1 and not lxml_html.fromstring(out).xpath('//*[@id="partial"]')
