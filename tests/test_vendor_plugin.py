"""The worked vendor plugin (examples/rights-registry), installed as a vendor's would be.

It is built and installed with pip into a folder of its own (`--target`, never into this
environment), and cutclear runs in a subprocess with that folder on PYTHONPATH: the
plugin is then found only through the entry point in its installed dist-info, exactly
as a studio's installation finds it. The edit repos are built with the same helpers
vendors get from `cutclear.testing`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cutclear.testing import Repo

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "rights-registry"
AS_OF = ("--as-of", "2026-01-15")
CONFIG = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'
TABLE = '\n[plugins.rights-registry]\ndatabase = "legal/rights.sqlite"\n'

# A voice replica of P-0031; its consent is in the registry only (the talent use names
# no consent, so any consent of P-0031 that fits is looked up).
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
CONSENTS_CSV = (
    "consent_id,person_id,status,grantor,grantor_role,productions,role,uses,description,"
    "signed,separate,term_start,term_end\n"
    "CNS-0142,P-0031,active,Jane Doe,performer,PRD-778,Detective Ruiz,likeness voice,"
    "Voice replica for two ADR lines in ep 3 sc 41.,2025-08-20,true,2025-09-01,2027-06-30\n")
# The same consent, as a vendor's record file declares it, with CNS-0777 for the registry.
RECORD_CONSENT = """\
<consent id="CNS-0777" person="P-0031" status="active">
  <grantor role="performer">Jane Doe</grantor>
  <production>PRD-778</production>
  <uses>voice</uses>
  <description>Voice replica for two ADR lines in ep 3, sc 41.</description>
  <signed date="2025-08-20" separate="true"/>
</consent>
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The plugin installed with pip into a folder of its own."""
    tmp = tmp_path_factory.mktemp("vendor")
    # Build from a copy: building in place would leave build/ and *.egg-info in examples/.
    source = tmp / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache"))
    target = tmp / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--disable-pip-version-check", "--target", str(target),
                           str(source)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"pip could not install the example:\n{done.stderr}"
    return target


def run(cwd: Path, *argv: str, site: Path | None = None, disable: str | None = None,
        program: tuple[str, ...] = (sys.executable, "-m", "cutclear")
        ) -> subprocess.CompletedProcess:
    """A command in a subprocess, with the plugin's folder on PYTHONPATH when `site`."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CUTCLEAR_DISABLE_PLUGINS")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if site is not None:
        env["PYTHONPATH"] = str(site)
    if disable is not None:
        env["CUTCLEAR_DISABLE_PLUGINS"] = disable
    return subprocess.run([*program, *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def check(repo: Repo, *args: str, **kw) -> tuple[int, list[dict], str]:
    """`cutclear check --format json` in a subprocess: (exit code, findings, stderr)."""
    done = run(repo.root, "check", "--format", "json", *AS_OF, *args, **kw)
    findings = json.loads(done.stdout)["findings"] if done.stdout else []
    return done.returncode, findings, done.stderr


def rules(findings: list[dict]) -> list[str]:
    return sorted({f["rule"] for f in findings})


@pytest.fixture
def edit(cutclear_repo: Repo, site: Path) -> Repo:
    """The replica's edit repo, its registry built by the plugin's own command."""
    repo = cutclear_repo
    repo.config(CONFIG + TABLE)
    repo.records("records/ep3.genai.xml", RECORDS)
    repo.timeline("cuts/locked/reel1.otio",
                  [("ruiz adr", "file:///media/adr/ruiz_adr_replica.wav", 48)])
    repo.write("legal/consents.csv", CONSENTS_CSV)
    done = run(repo.root, "import", "legal/consents.csv", "--db", "legal/rights.sqlite",
               site=site, program=(str(site / "bin" / "cutclear-rights"),))
    assert done.returncode == 0, done.stderr
    assert "1 consent(s) of 1 person(s) imported" in done.stdout
    return repo


def test_the_registry_clears_a_replica_only_it_has_a_consent_for(edit, site):
    assert check(edit, site=site) == (0, [], "")


def test_without_the_plugin_the_replica_has_no_consent(edit):
    edit.config(CONFIG)
    code, findings, _ = check(edit)
    assert code == 1 and rules(findings) == ["TL001"]
    assert "voice of P-0031 (Jane Doe) in AST-2001 has no consent" in findings[0]["message"]


def test_its_settings_without_the_plugin_are_an_error(edit):
    code, _, err = check(edit)
    assert code == 2
    assert "plugins.rights-registry: no plugin of that name is loaded" in err


def test_cutclear_plugins_lists_it(edit, site):
    done = run(edit.root, "plugins", "--format", "json", site=site)
    info = {p["name"]: p for p in json.loads(done.stdout)}["rights-registry"]
    assert info["version"] == "0.1.0" and info["module"] == "rights_registry.plugin"
    assert sorted(info["hooks"]) == ["cutclear_configure", "cutclear_consents",
                                     "cutclear_rules"]
    assert info["rules"] == ["HR001"]
    text = run(edit.root, "plugins", site=site).stdout
    assert "rights-registry 0.1.0 (rights_registry.plugin)" in text
    done = run(edit.root, "explain", "HR001", site=site)
    assert done.returncode == 0 and "From plugin: rights-registry" in done.stdout


def test_required_but_not_installed_stops_the_run(edit):
    edit.config('required-plugins = ["rights-registry"]\n' + CONFIG)
    code, findings, err = check(edit)
    assert (code, findings) == (2, [])
    assert "required plugin 'rights-registry' is not installed" in err


def test_required_and_installed_runs(edit, site):
    edit.config('required-plugins = ["rights-registry"]\n' + CONFIG + TABLE)
    assert check(edit, site=site) == (0, [], "")


def test_cutclear_disable_plugins_blocks_it(edit, site):
    listed = run(edit.root, "plugins", "--format", "json", site=site,
                 disable="rights-registry").stdout
    assert "rights-registry" not in {p["name"] for p in json.loads(listed)}
    edit.config(CONFIG)  # settings for a plugin that is not loaded are an error
    code, findings, _ = check(edit, site=site, disable="rights-registry")
    assert code == 1 and rules(findings) == ["TL001"]
    edit.config('required-plugins = ["rights-registry"]\n' + CONFIG)
    code, _, err = check(edit, site=site, disable="rights-registry")
    assert code == 2 and "required plugin 'rights-registry' is blocked" in err


def test_the_house_rule_fires_on_a_consent_legal_never_registered(edit, site):
    edit.records("records/vendor.genai.xml", RECORD_CONSENT)
    code, findings, _ = check(edit, site=site)
    assert code == 1 and rules(findings) == ["HR001"]
    (finding,) = findings
    assert finding["severity"] == "error" and finding["clip"] == "ruiz adr"
    assert finding["message"].startswith(
        "consent CNS-0777 relied on for voice of P-0031 in AST-2001 is not in the studio "
        "rights registry (legal/rights.sqlite)")
    code, findings, _ = check(edit, "--wip", site=site)
    assert code == 0 and [f["severity"] for f in findings] == ["warning"]


def test_a_missing_registry_stops_the_gate(edit, site):
    (edit.root / "legal" / "rights.sqlite").unlink()
    code, findings, err = check(edit, site=site)
    assert (code, findings) == (2, [])
    assert "plugin 'rights-registry': database: legal/rights.sqlite: no such file" in err


def test_the_plugins_own_tests_pass(site, tmp_path):
    """The example's suite, run as its author runs it, against the installed plugin."""
    project = tmp_path / "rights-registry"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache"))
    shutil.rmtree(project / "src")  # the tests must use the installed distribution
    done = run(project, "-p", "no:cacheprovider", "-q", site=site,
               program=(sys.executable, "-m", "pytest"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert " passed" in done.stdout and "failed" not in done.stdout
