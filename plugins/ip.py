"""IP: third-party material and real people (Netflix principle 1; escalation of prompts
that name copyrighted works, public figures or deceased people)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import Context, has_approval, named_terms
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset, Person

W, E = Severity.WARNING, Severity.ERROR


def _texts(asset: Asset) -> list[str]:
    """What a GenAI asset says about itself: prompts, inputs, notes, what it depicts."""
    return [*asset.prompts, *(i.text for i in asset.inputs), *asset.notes,
            *(d.text for d in asset.depicts)]


def protected_reference(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not asset.genai:
        return
    found = named_terms(ctx.config.protected_names, _texts(asset))
    if found and not has_approval(asset, "third-party-ip", ctx):
        yield Problem(f"{asset.id}'s prompt, inputs or notes name protected "
                      f"{'term' if len(found) == 1 else 'terms'} {', '.join(found)} without a "
                      "valid approval covering third-party-ip: clear the rights or regenerate "
                      "without the reference")


def real_person_reference(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not asset.genai:
        return
    people = []
    for d in asset.depicts:
        if d.person:
            person = ctx.db.get(Person, d.person)
            people.append(f"{d.person} ({person.name})" if person else d.person)
    named = named_terms(ctx.config.public_figures, _texts(asset))
    if not (people or named) or has_approval(asset, "creative-output", ctx):
        return
    what = []
    if people:
        what.append(f"depicts {', '.join(people)}")
    if named:
        what.append(f"names the public {'figure' if len(named) == 1 else 'figures'} "
                    f"{', '.join(named)}")
    yield Problem(f"{asset.id} {' and '.join(what)} without a valid approval covering "
                  f"creative-output: real people, public figures and deceased people need "
                  f"the studio's written approval; add one that lists {asset.id}")


TOOL = ('<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true"\n'
        '      trainsOnInputs="no" retainsInputs="no">Runway</tool>')
APPROVAL = """\
<approval id="APR-0058" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable {covers}</covers>
  <assets>AST-1231</assets>
</approval>"""
PROTECTED = sources.record_file("""\
<asset id="AST-1231">
  <match><name>sh063_poster_v1.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
  <prompt>cinema foyer with a Star Wars poster on the back wall</prompt>
  <approval ref="APR-0058"/>
</asset>
""" + TOOL + "\n" + APPROVAL.format(covers="third-party-ip"),
    'production = "PRD-778"\nprotected-names = ["Star Wars", "Mickey Mouse"]')
REAL_PERSON = sources.record_file("""\
<asset id="AST-1231">
  <match><name>sh063_newsreel_v1.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
  <prompt>1974 newsreel, mayor Harold Quinn cuts the ribbon at the ferry terminal</prompt>
  <presentedAs>recreation</presentedAs>
  <depicts person="P-0100"/>
  <approval ref="APR-0058"/>
  <disclosure ref="DSC-0012"/>
</asset>
<person id="P-0100" deceased="true">Harold Quinn</person>
<disclosure id="DSC-0012" kind="end-credit">
  <assets>AST-1231</assets>
  <text>The 1974 newsreel of Harold Quinn is a recreation made with generative AI.</text>
</disclosure>
""" + TOOL + "\n" + APPROVAL.format(covers="creative-output"),
    'production = "PRD-778"\npublic-figures = ["Harold Quinn"]')


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("IP001", "protected-reference",
             "a prompt, input or note of a GenAI asset names a configured protected term, "
             "with no valid approval covering third-party-ip", W, E,
             "Netflix GenAI guidance (2025), principle 1: outputs must not reproduce "
             "identifiable parts of unowned or copyrighted material; prompts that reference "
             "copyrighted works or public figures always need escalation.",
             PROTECTED, "asset", protected_reference, links=(sources.NETFLIX,),
             can_flag="genai"),
        Rule("IP002", "real-person-reference",
             "a GenAI asset depicts a real person, or its prompt, inputs or notes name a "
             "configured public-figures term, with no valid approval covering "
             "creative-output", W, E,
             "Netflix GenAI guidance (2025): prompts that reference public figures or "
             "deceased people, and content that could be mistaken for real people, always "
             "need escalation and written approval, in fiction as in non-fiction (Cal. AB "
             "1836 and NY CRL 50-f protect deceased performers' likeness).",
             REAL_PERSON, "asset", real_person_reference,
             links=(sources.NETFLIX, sources.NY_GOL), can_flag="genai"),
    ]
