"""The HTML clearance report (`cutclear report`) on the example edit repo: what it draws,
lists and links, that it is self-contained, and, in a real headless browser (Debian's
chromium, which .ci/run installs when missing), that the blocked clip is drawn visible
and listed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from cutclear.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "edit-repo"
AS_OF = "2026-06-01"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path_factory.mktemp("html") / "edit-repo"))
    out = repo.parent / "clearance.html"
    old = os.getcwd()
    os.chdir(repo)
    try:
        code = main(["report", "--as-of", AS_OF, "-o", str(out)])
    finally:
        os.chdir(old)
    assert code == 1  # the cut does not clear: the same exit status as check
    return out


@pytest.fixture(scope="module")
def page(report_file):
    return lxml_html.fromstring(report_file.read_bytes())


def clips(page, path: str) -> list[tuple[str, str, str]]:
    [section] = page.xpath(f'//section[@data-path="{path}"]')
    lanes = {int(float(r.get("y"))): t.text for r, t in zip(
        section.xpath('.//rect[@class="lane"]'), section.xpath(".//text")[-len(
            section.xpath('.//rect[@class="lane"]')):], strict=True)}
    return [(lanes[int(float(r.get("y")))], r.get("data-n"), r.get("class").split()[1])
            for r in section.xpath('.//rect[contains(@class, "c ")]')]


def test_timelines_are_drawn_with_every_clip_coloured_by_verdict(page):
    assert clips(page, "cuts/locked/reel1.otio") == [
        ("V1", "A001C003", "cleared"), ("V1", "sh042_sky_v3", "approved"),
        ("V1", "A002C011", "cleared"), ("V1", "sh057_cranes_v2", "blocked"),
        ("V1", "A003C002", "cleared"), ("V1", "sh063_newsreel_v1", "approved"),
        ("V1", "A003C007", "cleared"),
        ("A1", "A001C003", "cleared"), ("A1", "adr_ruiz_sc41_replica", "talent"),
        ("A1", "A002C011", "cleared"), ("A1", "adr_kowalski_sc44_replica", "blocked"),
        ("A1", "A003C007", "cleared")]
    assert clips(page, "cuts/wip/reel2.edl") == [
        ("V1", "B001C004", "cleared"), ("V1", "sh071_storm_temp_v1", "pending"),
        ("V1", "B002C001", "cleared")]
    legend = [li.text_content().split("(")[0].strip() + " " + li.xpath("./span[2]")[0].text
              for li in page.xpath('//ul[@class="legend"]/li')[:7]]
    assert legend == ["Cleared media (33)", "GenAI approved (6)", "Talent use (3)",
                      "GenAI not cleared yet (3)", "Blocked (6)", "Undeclared (0)",
                      "Unreadable (0)"]
    ruler = page.xpath('//section[@data-path="cuts/locked/reel1.otio"]//text')
    assert [t.text for t in ruler[:7]] == [f"01:00:{s:02d}:00" for s in range(0, 35, 5)]


def test_findings_are_listed_filterable_and_linked_to_their_clip(page):
    rows = page.xpath('//table[@id="findings"]/tbody/tr')
    assert len(rows) == 12
    first = rows[0]
    assert [td.text_content() for td in first.xpath("./td")][:7] == [
        "error", "GA001 genai-in-locked-cut", "cuts/locked/reel1.edl", "V1", "01:00:15:00",
        "sh057_cranes_v2", "AST-1207"]
    rect = page.get_element_by_id(first.get("data-clip"))
    assert (rect.get("data-n"), rect.get("class")) == ("sh057_cranes_v2", "c blocked")
    assert sorted({r.get("data-rule") for r in rows}) == ["GA001", "GA002", "TL003"]
    filters = [s.get("data-filter") for s in page.xpath('//*[@data-filter]')]
    assert filters == ["rule", "sev", "track", "path", "text"]


def test_each_clip_leads_to_its_provenance_chain(page):
    rect = page.xpath('//section[@data-path="cuts/locked/reel1.otio"]'
                      '//rect[@data-n="adr_kowalski_sc44_replica"]')[0]
    card = page.get_element_by_id(rect.get("data-a"))
    rows = {tr[0].text: tr[1].text for tr in card.xpath(".//table/tr")}
    assert rows["origin"] == "trainedAlgorithmicMedia (generative)"
    assert rows["from"] == "records/talent.genai.xml:36"
    assert rows["tool"].startswith("TL-02 VoxForge 3.1 (trains on inputs: no")
    assert "consent CNS-0150 revoked, revoked 2026-05-12" in rows["talent"]
    assert rows["approval"].startswith("APR-0061 approved")
    links = [a.get("href") for a in card.xpath('.//a')]
    assert f"#{rect.get('id')}" in links


def test_production_dates_version_and_records_are_stated(page):
    meta = {tr[0].text: tr[1].text_content() for tr in page.xpath('//table[@class="meta"]/tr')}
    from cutclear import __version__
    assert meta["Production"] == "PRD-778 (fiction)"
    assert (meta["Judged as of"], meta["Delivery"]) == ("2026-06-01", "2027-03-31")
    assert meta["cutclear"] == __version__
    records = [li.text_content() for li in page.xpath('//h2[.="Records read"]'
                                                        '/following-sibling::ul[1]/li')]
    assert records == ["media/vfx/sh042_sky_v3.mov.genai.xml", "records/approvals.genai.xml",
                       "records/originals.genai.xml", "records/talent.genai.xml",
                       "records/tools.genai.xml", "records/vfx.genai.xml"]
    assert page.get_element_by_id("verdict").text == "Does not clear: 6 blocking findings"


def test_the_file_is_self_contained(report_file):
    text = report_file.read_text()
    page = lxml_html.fromstring(text)
    assert not page.xpath("//*[@src] | //link | //iframe | //object | //embed")
    assert "@import" not in text and "url(http" not in text
    assert not [a for a in page.xpath("//a/@href") if not a.startswith("#")]
    assert "@media print" in text


def test_what_records_say_is_escaped(tmp_path):
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "edit-repo"))
    vfx = repo / "records" / "vfx.genai.xml"
    vfx.write_text(vfx.read_text().replace("<prompt>row of 1970s",
                                           "<prompt>&lt;script>alert(1)&lt;/script> row", 1))
    old = os.getcwd()
    os.chdir(repo)
    try:
        main(["report", "--as-of", AS_OF, "-o", "../r.html", "cuts/locked/reel1.otio"])
    finally:
        os.chdir(old)
    text = (tmp_path / "r.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; row" in text
    assert "<script>alert" not in text


# --- in a real browser -------------------------------------------------------------------

def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no headless Chromium to render the report (.ci/run installs Debian's "
                "chromium with apt-get when missing; on this machine it is not installed "
                "and could not be: install chromium to run this test)")


PROBE = """<script>
(function () {
  var out = [];
  document.querySelectorAll("rect.c.blocked").forEach(function (r) {
    r.scrollIntoView({block: "center", inline: "center"});
    var b = r.getBoundingClientRect();
    var hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    var fill = getComputedStyle(r).fill;
    out.push([r.closest("section").dataset.path, r.dataset.n, Math.round(b.width),
              Math.round(b.height), hit === r || r.contains(hit), fill]);
  });
  document.body.dataset.probe = JSON.stringify(out);
})();
</script>"""


def test_the_blocked_clip_is_drawn_and_listed_in_a_real_browser(report_file, tmp_path):
    exe = browser()
    probed = tmp_path / "probed.html"
    probed.write_text(report_file.read_text().replace("</body>", PROBE + "</body>"))
    proc = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000",
         "--dump-dom", probed.as_uri()],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml_html.fromstring(proc.stdout)
    assert dom.get("data-ready") == "true", "the report's script did not run"
    assert dom.get_element_by_id("shown").text == "12 of 12 findings shown"
    import json
    drawn = json.loads(dom.xpath("//body/@data-probe")[0])
    blocked = {(path, name) for path, name, w, h, visible, fill in drawn
               if w > 10 and h == 18 and visible and fill.startswith("url(")}
    assert blocked == {("cuts/locked/reel1.edl", "sh057_cranes_v2"),
                       ("cuts/locked/reel1.otio", "sh057_cranes_v2"),
                       ("cuts/locked/reel1.xml", "sh057_cranes_v2"),
                       ("cuts/locked/reel1.otio", "adr_kowalski_sc44_replica"),
                       ("cuts/locked/reel1.xml", "adr_kowalski_sc44_replica"),
                       ("cuts/locked/reel1_audio.edl", "adr_kowalski_sc44_replica")}
    listed = [tr.xpath("./td")[5].text for tr in dom.xpath('//table[@id="findings"]/tbody/tr')
              if tr.get("data-sev") == "error" and tr.get("hidden") is None]
    assert listed.count("sh057_cranes_v2") == 3


def test_unreadable_timelines_and_undeclared_media_are_shown(tmp_path):
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "edit-repo"))
    (repo / "records" / "originals.genai.xml").unlink()  # the camera originals' records
    (repo / "cuts" / "locked" / "reel9.otio").write_text("{ not json")
    old = os.getcwd()
    os.chdir(repo)
    try:
        main(["report", "--as-of", AS_OF, "-o", "../r.html", "cuts/locked"])
    finally:
        os.chdir(old)
    page = lxml_html.fromstring((tmp_path / "r.html").read_bytes())
    [section] = page.xpath('//section[@data-path="cuts/locked/reel9.otio"]')
    assert section.xpath('.//rect[@class="unreadable-bar"]')
    assert section.xpath('.//p[@class="err"]')[0].text.startswith("Unreadable (PV005): ")
    assert clips(page, "cuts/locked/reel1.edl")[0] == ("V1", "A001C003", "undeclared")
    card = page.get_element_by_id("undeclared")
    assert card.xpath("./h3")[0].text == "Undeclared media"
    assert "/mnt/show/media/camera/A001C003.mov" in card.text_content()
    counts = {li.xpath("./span[1]")[0].get("class").split()[1]: li.xpath("./span[2]")[0].text
              for li in page.xpath('//ul[@class="legend"]/li')[:7]}
    assert counts["unreadable"] == "(1)" and counts["undeclared"] != "(0)"
