"""TL: talent and union-covered work (Netflix principle 5; SAG-AFTRA, WGA, Equity)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import (
    GRANTORS,
    Context,
    currency_faults,
    exception_fault,
    form_gaps,
    grantor_faults,
    has_approval,
    relied_consents,
    scope_faults,
)
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset, Person, Talent

E, W = Severity.ERROR, Severity.WARNING
SAG = ("SAG-AFTRA 2023 TV/Theatrical agreement: digital replicas and digital alteration need "
       "the performer's clear and conspicuous consent with a reasonably specific description "
       "of the use, given anew for another project")
NETFLIX5 = ("Netflix GenAI guidance (2025), principle 5: GenAI does not replace or generate "
            "talent performances or union-covered work without consent")


def _who(talent: Talent, ctx: Context) -> str:
    person = ctx.db.get(Person, talent.person)
    return f"{talent.person} ({person.name})" if person else talent.person


def talent_without_consent(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for talent, consent in relied_consents(asset, ctx):
        if consent is not None:
            continue
        named = (f" (it names consent {talent.consent}, which no record defines)"
                 if talent.consent else "")
        why = f"; {exception_fault(talent, ctx)}" if talent.exception else ""
        yield Problem(f"{talent.use} of {_who(talent, ctx)} in {asset.id} has no consent"
                      f"{named}{why}: add the performer's signed consent covering "
                      f"'{talent.use}' for {ctx.production or 'this production'}, or remove "
                      "the shot")


def consent_out_of_scope(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for talent, consent in relied_consents(asset, ctx):
        faults = scope_faults(consent, talent, ctx) if consent else []
        if faults:
            yield Problem(f"consent {consent.id} used for {talent.use} of "
                          f"{_who(talent, ctx)} in {asset.id} {'; '.join(faults)}: get a "
                          "consent that covers this person, production, role and use")


def consent_not_current(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for talent, consent in relied_consents(asset, ctx):
        faults = currency_faults(consent, ctx) if consent else []
        if faults:
            yield Problem(f"consent {consent.id} of {_who(talent, ctx)} for {talent.use} in "
                          f"{asset.id} {'; '.join(faults)} (judged at {ctx.as_of}"
                          + (f" and delivery {ctx.delivery}" if ctx.delivery else "")
                          + "): remove the shot or obtain a current consent")


def consent_form_incomplete(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for talent, consent in relied_consents(asset, ctx):
        gaps = form_gaps(consent) if consent else []
        if gaps:
            yield Problem(f"consent {consent.id} of {_who(talent, ctx)} has {', '.join(gaps)}: "
                          "consent must be signed, separate and describe the use specifically")


def _grantor_rule(flag: str, what: str):
    def check(asset: Asset, ctx: Context) -> Iterator[Problem]:
        for talent, consent in relied_consents(asset, ctx):
            person = ctx.db.get(Person, talent.person)
            if consent and flag in grantor_faults(consent, person):
                yield Problem(f"{_who(talent, ctx)} is {what} but consent {consent.id} was "
                              f"granted by the {consent.grantor_role}: it must come from "
                              f"{' or '.join(GRANTORS[flag])}")
    return check


def synthetic_without_notice(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not asset.synthetic:
        return
    sent = [n for n in ctx.db.notices_for(asset)
            if n.sent <= ctx.as_of and n.subject == "synthetic-performer"]
    if not sent:
        yield Problem(f"synthetic performer in {asset.id} has no union notice sent: notify "
                      f"the union and record a <notice subject=\"synthetic-performer\"> "
                      f"listing {asset.id}")


def union_work_replaced(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if asset.replaces and not has_approval(asset, "union-work", ctx):
        yield Problem(f"{asset.id} replaces union-covered work ({', '.join(asset.replaces)}) "
                      "without a valid approval covering union-work: get the approval or "
                      "restore the original work")


def talent_without_approval(asset: Asset, ctx: Context) -> Iterator[Problem]:
    uses = sorted({t.use for t in asset.talent
                   if t.needs_consent and t.use != "training"})
    if uses and not has_approval(asset, "talent", ctx):
        yield Problem(f"{asset.id} uses talent ({', '.join(uses)}) without a valid approval "
                      "covering talent (a consent never replaces the studio's written "
                      f"approval): add an approval covering talent that lists {asset.id}")


SETTINGS = 'production = "PRD-778"'
TOOL = ('<tool id="TL-02" vendor="VoxForge" version="3.1" enterprise="true"\n'
        '      trainsOnInputs="no" retainsInputs="no">VoxForge</tool>')
APPROVAL = """\
<approval id="APR-0060" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable talent {covers}</covers>
  <assets>{asset}</assets>
</approval>"""
BODY = """\
<person id="P-0031" union="SAG-AFTRA">Jane Doe</person>
<asset id="AST-2001">
  <match><name>ruiz_adr_replica.wav</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-02"/>
  <talent person="P-0031" use="voice" consent="CNS-0142"/>
  <approval ref="APR-0060"/>
</asset>
<consent id="CNS-0142" person="P-0031" status="active">
  <grantor role="performer">Jane Doe</grantor>
  <production>PRD-778</production>
  <uses>likeness voice</uses>
  <description>Voice replica for two ADR lines in ep 3, sc 41.</description>
  <signed date="2025-08-20" separate="true"/>
  <term start="2025-09-01" end="2027-06-30"/>
</consent>
""" + TOOL + "\n" + APPROVAL.format(covers="", asset="AST-2001").replace(" </covers>", "</covers>")
EXAMPLE = sources.record_file(BODY, SETTINGS)
DECEASED = sources.record_file(BODY.replace(
    'union="SAG-AFTRA">Jane Doe', 'union="SAG-AFTRA" deceased="true">Jane Doe').replace(
    'role="performer">Jane Doe', 'role="estate">Estate of Jane Doe'), SETTINGS)
MINOR = sources.record_file(BODY.replace(
    'union="SAG-AFTRA">Jane Doe', 'union="SAG-AFTRA" minor="true">Jane Doe').replace(
    'role="performer">Jane Doe', 'role="guardian">R. Doe'), SETTINGS)
SYNTHETIC = sources.record_file("""\
<asset id="AST-2002">
  <match><name>crowd_sc12_synthetic.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-02"/>
  <synthetic notice="UN-0009"/>
  <approval ref="APR-0060"/>
</asset>
<notice id="UN-0009" union="SAG-AFTRA" sent="2025-09-10" subject="synthetic-performer">
  <assets>AST-2002</assets>
</notice>
""" + TOOL + "\n" + APPROVAL.format(covers="", asset="AST-2002").replace(" </covers>", "</covers>"),
    SETTINGS)
REPLACES = sources.record_file("""\
<asset id="AST-3001">
  <match><name>score_cue_4m2.wav</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-02"/>
  <replaces role="musician"/>
  <approval ref="APR-0060"/>
</asset>
""" + TOOL + "\n" + APPROVAL.format(covers="union-work", asset="AST-3001"), SETTINGS)


@hookimpl
def cutclear_rules() -> list[Rule]:
    deceased = _grantor_rule("deceased", "deceased")
    minor = _grantor_rule("minor", "a minor")
    netflix_sag = (sources.NETFLIX, sources.SAG_AFTRA)
    return [
        Rule("TL001", "talent-without-consent",
             "a talent use (other than a customary alteration) has no consent of that person "
             "and no valid exception (exceptions need a current consent for this "
             "production)", E, E, f"{NETFLIX5}. {SAG}. A replica needs no further consent "
             "when the result stays as scripted, shows something unsafe or leaves the "
             "performer unrecognizable, but only when it was made with a consent that still "
             "holds.", EXAMPLE, "asset", talent_without_consent, links=netflix_sag,
             can_flag="with-talent"),
        Rule("TL002", "consent-out-of-scope",
             "the consent used is for another person, production or role, or does not list "
             "the use", E, E, f"{SAG}; Netflix: talent models serve only the production "
             "they were made for.", EXAMPLE, "asset", consent_out_of_scope,
             links=netflix_sag, can_flag="with-talent"),
        Rule("TL003", "consent-not-current",
             "the consent is revoked, suspended, signed after the date judged, or outside its "
             "term at as-of or delivery", E, E,
             "UK Equity: licences are personal and time-limited; a revoked consent no "
             "longer covers the use, and a consent not yet signed has not been given "
             "(SAG-AFTRA 2023: consent before the use; NY GOL 5-302).", EXAMPLE, "asset",
             consent_not_current, links=(sources.SAG_AFTRA, sources.NY_GOL),
             can_flag="with-talent"),
        Rule("TL004", "consent-form-incomplete",
             "the consent has no signed date, an empty description, or separate=\"false\"",
             W, E, f"{SAG}, not buried in boilerplate (Cal. Labor Code 927, AB 2602).",
             EXAMPLE, "asset", consent_form_incomplete, links=(sources.SAG_AFTRA,),
             can_flag="with-talent"),
        Rule("TL005", "deceased-performer-grantor",
             "the person is deceased and the grantor is not estate, representative or union",
             E, E, "SAG-AFTRA 2023: for a deceased performer consent comes from an "
             "authorized representative or, if none, the union (Cal. AB 1836; NY CRL 50-f).",
             DECEASED, "asset", deceased, links=(sources.SAG_AFTRA, sources.NY_GOL),
             can_flag="with-talent"),
        Rule("TL006", "synthetic-performer-without-notice",
             "a synthetic performer has no union notice", W, E,
             "SAG-AFTRA 2023: using a synthetic performer in a human role requires notice to "
             "the union.", SYNTHETIC, "asset", synthetic_without_notice,
             links=(sources.SAG_AFTRA,), can_flag="with-synthetic"),
        Rule("TL007", "union-work-replaced",
             "a replaces has no valid approval covering union-work", W, E,
             f"{NETFLIX5}; WGA and DGA 2023 agreements restrict GenAI on covered work.",
             REPLACES, "asset", union_work_replaced,
             links=(sources.NETFLIX, sources.SAG_AFTRA, sources.WGA),
             can_flag="with-replaces"),
        Rule("TL008", "minor-without-guardian",
             "the person is a minor and the grantor is not guardian", E, E,
             "Consent for a minor is given by a parent or guardian (SAG-AFTRA 2023; state "
             "law).", MINOR, "asset", minor, links=(sources.SAG_AFTRA,), can_flag="with-talent"),
        Rule("TL009", "talent-without-approval",
             "a likeness, voice or non-customary alteration has no valid approval covering "
             "talent (consent is also needed)", W, E,
             "Netflix GenAI guidance (2025): written approval is required when the output "
             "includes talent likeness; digital replicas and 'visual ADR' always escalate.",
             EXAMPLE, "asset", talent_without_approval, links=(sources.NETFLIX,),
             can_flag="with-talent"),
    ]
