"""A user can write records from the repository alone: the docs under docs/ say what the
code does, their example files are valid, and nothing points outside the repository."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from cutclear.manager import Plugins
from cutclear.output import finding_dict
from cutclear.recordfile import load_records, parse_record_file
from cutclear.records import (
    Approval,
    Asset,
    Consent,
    Disclosure,
    Notice,
    Person,
    RecordDB,
    Tool,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = sorted((DOCS / "examples").glob("*.genai.xml"))
KINDS = {"asset": Asset, "person": Person, "consent": Consent, "approval": Approval,
         "tool": Tool, "notice": Notice, "disclosure": Disclosure}
# Catalogue 1.1: GA005 (media plugin), PV008 and PV009 (C2PA reader) come with the
# provenance work; docs and README list the whole catalogue.
CATALOGUE = ([f"GA00{i}" for i in range(1, 6)] + [f"TL00{i}" for i in range(1, 10)]
             + [f"DU00{i}" for i in range(1, 7)] + ["IP001", "IP002", "DC001", "DC002", "DC003"]
             + [f"PV00{i}" for i in range(1, 10)])


def test_one_complete_example_file_per_record_kind():
    assert [p.name for p in EXAMPLES] == sorted(f"{kind}.genai.xml" for kind in KINDS)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_file_validates_and_holds_its_kind(path):
    records = parse_record_file(path.read_bytes(), f"docs/examples/{path.name}")
    kind = KINDS[path.name.removesuffix(".genai.xml")]
    assert records and all(isinstance(r, kind) for r in records)


def test_example_files_together_form_a_database_without_dangling_references():
    db: RecordDB = load_records(str(DOCS / "examples"), [p.name for p in EXAMPLES])
    assert db.errors == [] and db.duplicates == []
    assert [ref for ref in db.references() if ref.id not in db.records] == []


def test_the_asset_example_shows_every_child_element_of_an_asset():
    text = (DOCS / "examples" / "asset.genai.xml").read_text(encoding="utf-8")
    xsd = (ROOT / "cutclear" / "schema" / "genai-1.xsd").read_text(encoding="utf-8")
    asset_type = xsd.split('<xs:complexType name="Asset">')[1].split("</xs:complexType>\n")[0]
    match_type = xsd.split('<xs:complexType name="Match">')[1].split("</xs:complexType>")[0]
    for name in re.findall(r'<xs:element name="(\w+)"', asset_type + match_type):
        assert f"<{name}" in text, name


def rule_rows(text: str) -> dict[str, tuple[str, str]]:
    """code -> (name, 'wip / lock') from the markdown tables of docs/rules.md."""
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"[A-Z]{2}\d{3}", cells[0]):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def test_docs_rules_list_catalogue_1_1_with_the_code_s_names_and_severities():
    rows = rule_rows((DOCS / "rules.md").read_text(encoding="utf-8"))
    assert sorted(rows) == sorted(CATALOGUE)
    for code, rule in Plugins().rules.items():
        if rule.source.startswith("cutclear-"):
            name, severities = rows[code]
            assert name == rule.name, code
            assert severities.split(" (")[0] == f"{rule.wip} / {rule.lock}", code


def test_readme_rule_list_is_the_catalogue_1_1_list():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    listed = set()
    for prefix, first, last in re.findall(r"\b([A-Z]{2})(\d{3})-[A-Z]{2}(\d{3})\b", section):
        listed |= {f"{prefix}{n:03d}" for n in range(int(first), int(last) + 1)}
    listed |= set(re.findall(r"\b(?:IP|DC|GA|TL|DU|PV)\d{3}\b(?!-)", section))
    assert listed == set(CATALOGUE)


@pytest.mark.parametrize("path", [ROOT / "README.md", *sorted(DOCS.glob("*.md")),
                                  ROOT / "examples" / "edit-repo" / "README.md"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_point_only_inside_the_repository(path):
    text = path.read_text(encoding="utf-8")
    assert "shared/" not in text
    for target in re.findall(r"\]\(([^)#]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), target


def test_readme_links_the_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/records.md", "docs/rules.md", "docs/json-report.md", "docs/plugins.md"):
        assert f"]({doc})" in readme, doc


def test_json_report_doc_shows_every_field_of_a_report():
    doc = (DOCS / "json-report.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    assert list(example) == ["version", "cutclear", "as_of", "timelines", "findings",
                             "summary"]
    from cutclear.model import Finding, Severity
    real = finding_dict(Finding("GA001", "genai-in-locked-cut", Severity.ERROR, "x", None, "m"))
    for finding in example["findings"]:
        assert list(finding) == list(real)
    table = doc.split("## A finding", 1)[1].split("\n## ", 1)[0]
    for field in real:
        assert f"`{field}`" in table, field


def test_sdist_ships_the_docs_and_their_examples(tmp_path):
    pytest.importorskip("build", reason="the sdist is built with `build` (the test extra)")
    subprocess.run([sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (sdist,) = tmp_path.glob("cutclear-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for doc in ("docs/records.md", "docs/rules.md", "docs/json-report.md", "docs/plugins.md",
                *(f"docs/examples/{p.name}" for p in EXAMPLES),
                "examples/edit-repo/README.md", "cutclear/schema/genai-1.xsd"):
        assert doc in names, doc
