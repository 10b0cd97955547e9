"""Helpers for the plugin's tests: an edit repo with a voice replica and a registry.

The edit repos come from cutclear's own pytest plugin (the `cutclear_repo` fixture,
installed with cutclear), so these tests run `cutclear check` exactly as a production's
pre-commit hook or conform gate does, with this plugin discovered through its entry point.
"""

from __future__ import annotations

import csv
import io
from importlib.metadata import entry_points

import pytest
from cutclear.testing import Repo

from rights_registry.cli import main as rights_main

AS_OF = ("--as-of", "2026-01-15")
PROD = "PRD-778"
DB = "legal/rights.sqlite"
CONFIG = f"""\
production = "{PROD}"
locked = ["cuts/locked/**"]

[plugins.rights-registry]
database = "{DB}"
"""

# The replica: a final GenAI voice asset of P-0031, approved by the studio. Its talent
# use names no consent, so any consent of P-0031 that fits is looked up.
RECORDS = """\
<person id="P-0031" union="SAG-AFTRA">Jane Doe</person>
<tool id="TL-02" vendor="ElevenLabs" version="v3" enterprise="true" trainsOnInputs="no"
      retainsInputs="no">ElevenLabs</tool>
<asset id="AST-2001">
  <match><name>ruiz_adr_replica.wav</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-02"/>
  <talent person="P-0031" use="voice"/>
  <approval ref="APR-0060"/>
</asset>
<approval id="APR-0060" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable talent</covers>
  <assets>AST-2001</assets>
</approval>
"""
CLIPS = [("ruiz adr", "file:///media/adr/ruiz_adr_replica.wav", 48)]

CONSENT = {
    "consent_id": "CNS-0142", "person_id": "P-0031", "person_name": "Jane Doe",
    "status": "active", "grantor": "Jane Doe", "grantor_role": "performer",
    "productions": PROD, "role": "Detective Ruiz", "uses": "likeness voice",
    "description": "Voice replica for two ADR lines in ep 3, sc 41.",
    "signed": "2025-08-20", "separate": "true", "document": "legal/consents/CNS-0142.pdf",
    "term_start": "2025-09-01", "term_end": "2027-06-30", "revoked": "",
}


def consents_csv(*rows: dict[str, str]) -> str:
    """A CSV export of `rows` (each a change to CONSENT), with every column."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CONSENT), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({**CONSENT, **row})
    return out.getvalue()


def import_registry(repo: Repo, *rows: dict[str, str], persons: str | None = None) -> int:
    """Build the repo's registry with `cutclear-rights import`, in-process."""
    csv_path = repo.write("legal/consents.csv", consents_csv(*rows))
    args = ["import", str(csv_path), "--db", str(repo.root / DB)]
    if persons is not None:
        args += ["--persons", str(repo.write("legal/roster.csv", persons))]
    return rights_main(args)


def edit_repo(repo: Repo, *rows: dict[str, str], records: str = "", config: str = CONFIG,
              persons: str | None = None) -> Repo:
    """The replica's edit repo, with a registry of `rows` and extra `records`."""
    repo.config(config)
    repo.records("records/ep3.genai.xml", RECORDS + records)
    repo.timeline("cuts/locked/reel1.otio", CLIPS)
    assert import_registry(repo, *rows, persons=persons) == 0
    return repo


def pytest_configure(config: pytest.Config) -> None:
    # The plugin is found through its entry point, so it must be installed (pip install
    # -e . or --target plus PYTHONPATH); without it every check would silently lack it.
    if not any(ep.name == "rights-registry" for ep in entry_points(group="cutclear")):
        raise pytest.UsageError("the rights-registry plugin is not installed: run "
                                "`pip install -e .` in examples/rights-registry first")
