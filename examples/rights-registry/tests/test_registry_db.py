"""The registry database: `cutclear-rights import` from CSV, and reading it back."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from conftest import CONSENT, consents_csv
from rights_registry.cli import main
from rights_registry.registry import Registry, RegistryError


@pytest.fixture
def registry_of(tmp_path):
    """Import CSV text (and an optional roster) and open the registry."""
    def make(text: str, roster: str | None = None) -> Registry:
        (tmp_path / "consents.csv").write_text(text, encoding="utf-8")
        args = ["import", str(tmp_path / "consents.csv"), "--db", str(tmp_path / "r.sqlite")]
        if roster is not None:
            (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
            args += ["--persons", str(tmp_path / "roster.csv")]
        assert main(args) == 0
        return Registry(tmp_path / "r.sqlite", "legal/r.sqlite")
    return make


def test_import_round_trips_every_field(registry_of, capsys):
    reg = registry_of(consents_csv({}, {"consent_id": "CNS-0150", "status": "revoked",
                                        "uses": "likeness;training", "separate": "",
                                        "term_end": "", "revoked": ""}))
    assert "2 consent(s) of 1 person(s) imported" in capsys.readouterr().out
    first, second = reg.consents_of("P-0031")
    assert first.id == "CNS-0142" and first.status == "active"
    assert first.grantor == "Jane Doe" and first.grantor_role == "performer"
    assert first.productions == ("PRD-778",) and first.uses == ("likeness", "voice")
    assert first.role == "Detective Ruiz" and first.description.startswith("Voice replica")
    assert first.signed == dt.date(2025, 8, 20) and first.separate is True
    assert first.document == "legal/consents/CNS-0142.pdf"
    assert (first.start, first.end) == (dt.date(2025, 9, 1), dt.date(2027, 6, 30))
    assert first.source.path == "legal/r.sqlite"
    assert second.uses == ("likeness", "training") and second.separate is None
    assert second.end is None and second.revoked is None
    assert reg.consent("CNS-0150") == second and reg.consent("CNS-9999") is None


def test_persons_known_without_consent(registry_of):
    reg = registry_of(consents_csv({}), roster="person_id,name\nP-0040,Sam Roe\n")
    assert reg.knows("P-0031") and reg.knows("P-0040") and not reg.knows("P-0099")
    assert reg.consents_of("P-0040") == []


def test_minimal_columns_and_a_spreadsheet_bom(registry_of):
    text = ("\ufeffconsent_id,person_id,status,grantor,grantor_role,productions,uses\n"
            "CNS-1,P-1,active,Jane Doe,performer,\"PRD-1, PRD-2\",voice\n\n")
    (consent,) = registry_of(text).consents_of("P-1")
    assert consent.productions == ("PRD-1", "PRD-2") and consent.signed is None


@pytest.mark.parametrize("change, message", [
    ({"status": "pending"}, ":2: status: 'pending' is not one of active, revoked, suspended"),
    ({"grantor_role": "agent"}, ":2: grantor_role: 'agent' is not one of"),
    ({"uses": "likeness dance"}, ":2: uses: 'dance' is not one of"),
    ({"uses": ""}, ":2: uses: empty"),
    ({"productions": " "}, ":2: productions: empty"),
    ({"person_id": ""}, ":2: person_id: empty"),
    ({"signed": "20.08.2025"}, ":2: signed: '20.08.2025' is not a date (YYYY-MM-DD)"),
    ({"separate": "maybe"}, ":2: separate: 'maybe' is not true or false"),
])
def test_a_bad_row_is_refused_with_its_line(tmp_path, capsys, change, message):
    (tmp_path / "c.csv").write_text(consents_csv(change), encoding="utf-8")
    assert main(["import", str(tmp_path / "c.csv"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r.sqlite").exists()


def test_a_mistyped_column_is_refused(tmp_path, capsys):
    text = consents_csv({}).replace("signed,", "sigend,", 1)
    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    assert main(["import", str(tmp_path / "c.csv"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert "c.csv:1: unknown column(s) sigend" in capsys.readouterr().err


def test_missing_columns_and_duplicate_ids_are_refused(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("consent_id,person_id\nCNS-1,P-1\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "a.csv"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert "missing column(s) status, grantor, grantor_role" in capsys.readouterr().err
    (tmp_path / "b.csv").write_text(consents_csv({}, {}), encoding="utf-8")
    assert main(["import", str(tmp_path / "b.csv"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert "b.csv:3: consent_id CNS-0142 is already on line 2" in capsys.readouterr().err


def test_a_failed_import_keeps_the_previous_registry(registry_of, tmp_path):
    registry_of(consents_csv({})).close()
    (tmp_path / "bad.csv").write_text(consents_csv({"status": "?"}), encoding="utf-8")
    assert main(["import", str(tmp_path / "bad.csv"), "--db", str(tmp_path / "r.sqlite")]) == 2
    assert Registry(tmp_path / "r.sqlite").knows("P-0031")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.sqlite")] == []


def test_the_registry_is_opened_read_only(registry_of):
    reg = registry_of(consents_csv({}))
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reg._con.execute("DELETE FROM consents")


def test_what_is_not_a_registry_is_refused(tmp_path):
    with pytest.raises(RegistryError, match="no such file"):
        Registry(tmp_path / "none.sqlite")
    (tmp_path / "junk.sqlite").write_text("not sqlite")
    with pytest.raises(RegistryError, match="not a rights registry database"):
        Registry(tmp_path / "junk.sqlite")
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE t (x)")
    other.close()
    with pytest.raises(RegistryError, match="not a rights registry database"):
        Registry(tmp_path / "other.sqlite")


def test_a_newer_schema_is_refused(registry_of, tmp_path):
    registry_of(consents_csv({})).close()
    con = sqlite3.connect(tmp_path / "r.sqlite")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    with pytest.raises(RegistryError, match="schema version 2, this plugin reads version 1"):
        Registry(tmp_path / "r.sqlite")


def test_csv_header_matches_the_documented_columns():
    assert set(CONSENT) <= {"consent_id", "person_id", "person_name", "status", "grantor",
                            "grantor_role", "productions", "role", "uses", "description",
                            "signed", "separate", "document", "term_start", "term_end",
                            "revoked"}
