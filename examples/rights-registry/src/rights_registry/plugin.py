"""The cutclear plugin: performers' consents from the studio rights registry, and HR001.

Announced to cutclear by the distribution's entry point

    [project.entry-points.cutclear]
    rights-registry = "rights_registry.plugin"

and configured per edit repo:

    [tool.cutclear.plugins.rights-registry]
    database = "legal/rights.sqlite"    # relative to the edit repo's root

Hooks: `cutclear_configure` opens the registry (a gate must not run without it, so a
missing setting or an unreadable database stops the run, exit 2); `cutclear_consents`
answers consent lookups for the persons the registry knows, judged by cutclear exactly as
record consents are (TL001-TL004); `cutclear_rules` adds HR001.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cutclear import Problem, Rule, Severity, hookimpl
from cutclear.clearance import Context, relied_consents
from cutclear.config import Config, ConfigError
from cutclear.records import Asset, Consent

from rights_registry.registry import Registry, RegistryError

NAME = "rights-registry"
SETTINGS = ("database",)

# The registry of the current run. cutclear configures its plugins once per run, and a
# process may run several checks (an API user, a test suite), so each configure replaces it.
_registry: Registry | None = None


def registry() -> Registry:
    """The configured registry; a hook called before configuration is a bug to surface."""
    if _registry is None:
        raise RuntimeError("the rights registry is not configured (cutclear_configure was "
                           "not called)")
    return _registry


@hookimpl
def cutclear_configure(config: Config, settings: dict) -> None:
    global _registry
    if _registry is not None:
        _registry.close()
        _registry = None
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)} in [tool.cutclear.plugins."
                          f"{NAME}] (known: {', '.join(SETTINGS)})")
    database = settings.get("database")
    if database is None:
        raise ConfigError(f'no registry configured: set database = "legal/rights.sqlite" in '
                          f"[tool.cutclear.plugins.{NAME}] (create it with cutclear-rights "
                          f"import), or block this plugin with CUTCLEAR_DISABLE_PLUGINS={NAME}")
    if not isinstance(database, str) or not database.strip():
        raise ConfigError(f"database: expected the path of the registry database, got "
                          f"{database!r}")
    try:
        _registry = Registry(Path(config.root, database), database)
    except RegistryError as e:
        raise ConfigError(f"database: {e}") from None


@hookimpl
def cutclear_consents(person: str, ctx: Context) -> list[Consent] | None:
    """A known person's consents ([] when they have none); None for persons the registry
    has never heard of, so that another registry may be asked."""
    reg = registry()
    return reg.consents_of(person) if reg.knows(person) else None


# --- HR001 -------------------------------------------------------------------------------

def _differences(held: Consent, claimed: Consent) -> list[str]:
    """How a record's copy of a consent claims more than the registry holds."""
    diffs = []
    if held.person != claimed.person:
        diffs.append(f"is for person {held.person}, not {claimed.person}")
    if held.status != claimed.status:
        diffs.append(f"is {held.status}, not {claimed.status}")
    if held.revoked and held.revoked != claimed.revoked:
        diffs.append(f"is revoked from {held.revoked}")
    extra_uses = [u for u in claimed.uses if u not in held.uses]
    if extra_uses:
        diffs.append(f"does not list the use(s) {' '.join(extra_uses)}")
    extra_productions = [p for p in claimed.productions if p not in held.productions]
    if extra_productions:
        diffs.append(f"does not list production(s) {' '.join(extra_productions)}")
    if held.end and (claimed.end is None or claimed.end > held.end):
        diffs.append(f"ends on {held.end}")
    return diffs


def consent_not_registered(asset: Asset, ctx: Context) -> Iterator[Problem]:
    """HR001: every consent a talent use relies on is on file with legal, as filed.

    The *.genai.xml records answer consent lookups before any registry, so a vendor's
    record alone could clear a replica: this is where the registry gets the last word.
    """
    reg = registry()
    for talent, consent in relied_consents(asset, ctx):
        if consent is None:
            continue  # TL001 reports a use without consent
        held = reg.consent(consent.id)
        if held is None:
            yield Problem(f"consent {consent.id} relied on for {talent.use} of {talent.person} "
                          f"in {asset.id} is not in the studio rights registry "
                          f"({reg.label}): legal must register the signed consent before "
                          "the shot ships, or correct the consent id")
            continue
        diffs = _differences(held, consent)
        if diffs:
            yield Problem(f"consent {consent.id} relied on for {talent.use} of {talent.person} "
                          f"in {asset.id}: the studio rights registry ({reg.label}) holds it "
                          f"but it {'; '.join(diffs)}: correct the record from the registry "
                          "(legal's copy stands)")


EXAMPLE = """\
<!-- records/ep3.genai.xml: the talent use and the vendor's copy of the consent -->
<talent person="P-0031" use="voice" consent="CNS-0142"/>
<consent id="CNS-0142" person="P-0031" status="active">...<uses>voice</uses>...</consent>

# consents.csv, imported with: cutclear-rights import consents.csv --db legal/rights.sqlite
consent_id,person_id,status,grantor,grantor_role,productions,uses,signed,separate
CNS-0142,P-0031,active,Jane Doe,performer,PRD-778,likeness voice,2025-08-20,true"""


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("HR001", "consent-not-registered",
             "a talent use relies on a consent that the studio rights registry does not "
             "hold, or holds for another person, with another status, or with fewer uses, "
             "productions or a shorter term",
             Severity.WARNING, Severity.ERROR,
             "House rule: record files are written by vendors and editorial, signed consents "
             "are kept by legal. A consent only a record asserts has not been checked against "
             "the signed document, and a copy in a record must not outlive legal's "
             "revocation or narrowing of it (records answer consent lookups first).",
             EXAMPLE, "asset", consent_not_registered),
    ]

