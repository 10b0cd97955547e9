"""The plugin inside `cutclear check`: consents from the registry, HR001, settings."""

from __future__ import annotations

import pytest
from cutclear.testing import Repo

from conftest import AS_OF, CONFIG, PROD, edit_repo

# The vendor's copy of the consent, in a record file.
RECORD_CONSENT = """\
<consent id="CNS-0142" person="P-0031" status="{status}">
  <grantor role="performer">Jane Doe</grantor>
  <production>PRD-778</production>
  <uses>likeness voice</uses>
  <description>Voice replica for two ADR lines in ep 3, sc 41.</description>
  <signed date="2025-08-20" separate="true"/>
  <term start="2025-09-01" end="2027-06-30"/>
</consent>
"""


def rules(result) -> list[str]:
    return sorted({f["rule"] for f in result.findings()})


def test_a_consent_only_the_registry_holds_clears_the_replica(cutclear_repo: Repo):
    result = edit_repo(cutclear_repo, {}).check(*AS_OF)
    assert (result.code, result.findings(), result.err) == (0, [], "")


@pytest.mark.parametrize("change, rule, message", [
    ({"status": "revoked"}, "TL003", "consent CNS-0142 of P-0031 (Jane Doe) for voice in "
     "AST-2001 is revoked"),
    ({"productions": "PRD-900"}, "TL002", "is for production PRD-900, not PRD-778"),
    ({"uses": "likeness"}, "TL002", "does not list the use 'voice'"),
    ({"signed": ""}, "TL004", "has no signed date"),
    ({"term_end": "2025-12-31"}, "TL003", "ended on 2025-12-31"),
])
def test_registry_consents_are_judged_as_record_consents(cutclear_repo, change, rule,
                                                         message):
    result = edit_repo(cutclear_repo, change).check(*AS_OF)
    assert result.code == 1 and rules(result) == [rule]
    assert message in result.findings(rule)[0]["message"]


def test_a_person_on_the_roster_without_consent_has_none(cutclear_repo):
    repo = edit_repo(cutclear_repo, {"person_id": "P-0040"},
                     persons="person_id,name\nP-0031,Jane Doe\n")
    result = repo.check(*AS_OF)
    assert rules(result) == ["TL001"]
    assert "voice of P-0031 (Jane Doe) in AST-2001 has no consent" in \
        result.findings("TL001")[0]["message"]


def test_a_person_the_registry_does_not_know_falls_through(cutclear_repo):
    result = edit_repo(cutclear_repo, {"person_id": "P-0099"}).check(*AS_OF)
    assert rules(result) == ["TL001"]


def test_hr001_a_consent_only_a_record_asserts(cutclear_repo):
    repo = edit_repo(cutclear_repo, {"person_id": "P-0099", "consent_id": "CNS-0900"},
                     records=RECORD_CONSENT.format(status="active"))
    result = repo.check(*AS_OF)
    assert result.code == 1 and rules(result) == ["HR001"]
    (finding,) = result.findings("HR001")
    assert finding["severity"] == "error" and finding["asset"] == "AST-2001"
    assert finding["message"].startswith(
        "consent CNS-0142 relied on for voice of P-0031 in AST-2001 is not in the studio "
        "rights registry (legal/rights.sqlite)")


def test_hr001_is_a_warning_in_work_in_progress(cutclear_repo):
    repo = edit_repo(cutclear_repo, {"consent_id": "CNS-0900", "person_id": "P-0099"},
                     records=RECORD_CONSENT.format(status="active"))
    result = repo.check(*AS_OF, "--wip")
    assert result.code == 0 and [f["severity"] for f in result.findings()] == ["warning"]


def test_hr001_legal_revoked_what_the_record_still_calls_active(cutclear_repo):
    repo = edit_repo(cutclear_repo, {"status": "revoked", "revoked": "2025-12-01",
                                     "uses": "likeness"},
                     records=RECORD_CONSENT.format(status="active"))
    result = repo.check(*AS_OF)
    assert rules(result) == ["HR001"]  # the records answered: cutclear alone would pass it
    assert "holds it but it is revoked, not active; is revoked from 2025-12-01; does not " \
           "list the use(s) voice" in result.findings("HR001")[0]["message"]


def test_hr001_quiet_when_record_and_registry_agree(cutclear_repo):
    repo = edit_repo(cutclear_repo, {}, records=RECORD_CONSENT.format(status="active"))
    assert repo.check(*AS_OF).findings() == []


def test_hr001_leaves_missing_consents_to_tl001(cutclear_repo):
    result = edit_repo(cutclear_repo, {"person_id": "P-0099"}).check(*AS_OF, "--select",
                                                                     "HR")
    assert result.findings() == []


@pytest.mark.parametrize("table, message", [
    ("", "plugin 'rights-registry': no registry configured: set database = "),
    ('database = "legal/none.sqlite"', "plugin 'rights-registry': database: "
     "legal/none.sqlite: no such file"),
    ("database = 7", "database: expected the path of the registry database, got 7"),
    ('database = "legal/rights.sqlite"\nurl = "x"', "unknown setting(s) url"),
])
def test_a_gate_never_runs_without_its_registry(cutclear_repo, table, message):
    config = f'production = "{PROD}"\n' + (f"[plugins.rights-registry]\n{table}\n"
                                           if table else "")
    result = edit_repo(cutclear_repo, {}, config=config).check(*AS_OF)
    assert result.code == 2 and message in result.err


def test_a_broken_registry_file_stops_the_run(cutclear_repo):
    repo = edit_repo(cutclear_repo, {})
    (repo.root / "legal/rights.sqlite").write_bytes(b"not a database")
    result = repo.check(*AS_OF)
    assert result.code == 2 and "not a rights registry database" in result.err


def test_each_run_reads_its_own_repos_registry(cutclear_repo, tmp_path_factory):
    cleared = edit_repo(cutclear_repo, {})
    other = tmp_path_factory.mktemp("other")
    (other / ".git").mkdir()
    revoked = edit_repo(Repo(other, cleared._capsys), {"status": "revoked"})
    assert cleared.check(*AS_OF).code == 0
    assert rules(revoked.check(*AS_OF)) == ["TL003"]
    assert cleared.check(*AS_OF).code == 0


def test_config_is_the_documented_one():
    assert "[plugins.rights-registry]" in CONFIG
