"""DC: authenticity and disclosure (Netflix ethics; Archival Producers Alliance; EU AI Act)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import Context, describe
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset, Depiction, Person

APA = ("Archival Producers Alliance, GenAI best practices (2024): what is presented as real "
       "must be real, and synthetic material is disclosed to the audience; EU AI Act Art. 50 "
       "requires deep fakes to be disclosed. Cf. 'What Jennifer Did' (Netflix, 2024).")


def presented_as(asset: Asset, ctx: Context) -> str:
    return asset.presented_as or ("real" if ctx.config.non_fiction else "fiction")


def genai_presented_as_real(asset: Asset, ctx: Context) -> Iterator[Problem]:
    shown = presented_as(asset, ctx)
    if asset.genai and shown in ("archival", "real"):
        implied = "" if asset.presented_as else f" (no <presentedAs> in a {ctx.config.genre})"
        yield Problem(f"{describe(asset, ctx)} is presented as {shown}{implied}: synthetic "
                      "material may not pass as real; present it as recreation or "
                      "illustration with a disclosure, or use real material")


def undisclosed_recreation(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not (ctx.config.non_fiction and asset.genai):
        return
    shown = presented_as(asset, ctx)
    if (shown in ("recreation", "illustration") or asset.depicts) and \
            not ctx.db.disclosures_for(asset):
        yield Problem(f"{describe(asset, ctx)} ({shown}"
                      + (", depicts a real person or event" if asset.depicts else "")
                      + ") has no disclosure to the audience: add a <disclosure> (on-screen, "
                      f"lower-third, title-card, end-credit or narration) listing {asset.id}")


# What the audience sees while the material is on screen; an end credit comes after.
AT_EXPOSURE = ("on-screen", "lower-third", "title-card", "narration")
EU_AI_ACT = ("EU AI Act Art. 50(4), in force since 2 August 2026: whoever shows a deep fake "
             "(content that resembles real people, places or events and would falsely appear "
             "authentic) must disclose that it was generated or manipulated; for evidently "
             "artistic, fictional or satirical works the disclosure may be made in a way that "
             "does not hamper the work, such as the end credits. Art. 50(5): clearly, at the "
             "latest at first exposure.")


def _depicted(depiction: Depiction, ctx: Context) -> str:
    person = ctx.db.get(Person, depiction.person)
    if person is not None:
        return f"{depiction.person} ({person.name})"
    return depiction.person or repr(depiction.text)


def deepfake_undisclosed(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not (asset.genai and asset.depicts):
        return
    kinds = {d.kind for d in ctx.db.disclosures_for(asset)}
    if ctx.config.non_fiction:
        kinds &= set(AT_EXPOSURE)
    if kinds:
        return
    who = ", ".join(_depicted(d, ctx) for d in asset.depicts)
    if ctx.config.non_fiction:
        fix = ("add a <disclosure> shown with the material (on-screen, lower-third, "
               f"title-card or narration; in a {ctx.config.genre} an end credit alone comes "
               "too late)")
    else:
        fix = "add a <disclosure> (in fiction an end-credit disclosure suffices)"
    yield Problem(f"{describe(asset, ctx)} depicts a real person or event, {who}, and the "
                  f"audience is not told it is generated (EU AI Act Art. 50(4)): {fix} "
                  f"listing {asset.id}")


ASSET = """\
<asset id="AST-3310">
  <match><name>ph_0412_harbour_1974.tif</name></match>
  <origin>compositeWithTrainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
  <input rights="licensed">photograph of Harold Quinn, city archive, licence 2026-031</input>
  <presentedAs>{presented}</presentedAs>
  <depicts person="P-0100"/>
  <approval ref="APR-0090"/>
  <disclosure ref="DSC-0012"/>
</asset>
<person id="P-0100" deceased="true">Harold Quinn</person>
<disclosure id="DSC-0012" kind="lower-third">
  <assets>AST-3310</assets>
  <text>AI-generated illustration, not an archival photograph</text>
</disclosure>
<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true"
      trainsOnInputs="no" retainsInputs="no">Runway</tool>
<approval id="APR-0090" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-900</production>
  <granted>2026-03-02</granted>
  <covers>final-deliverable creative-output ethics</covers>
  <assets>AST-3310</assets>
</approval>"""
DOCUMENTARY = 'production = "PRD-900"\ngenre = "documentary"'
EXAMPLE = sources.record_file(ASSET.format(presented="illustration"), DOCUMENTARY)
FICTION = sources.record_file(ASSET.format(presented="recreation").replace(
    'kind="lower-third"', 'kind="end-credit"').replace("PRD-900", "PRD-778"),
    'production = "PRD-778"\ngenre = "fiction"')


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("DC001", "genai-presented-as-real",
             "a GenAI asset is presented as archival or real (in non-fiction, absent "
             "presentedAs means real); no approval clears this",
             Severity.ERROR, Severity.ERROR, APA, EXAMPLE, "asset",
             genai_presented_as_real, links=(sources.APA, sources.EU_AI_ACT_50), can_flag="genai"),
        Rule("DC002", "undisclosed-recreation",
             "in non-fiction, a GenAI asset presented as recreation or illustration, or that "
             "depicts someone, has no disclosure", Severity.WARNING, Severity.ERROR, APA,
             EXAMPLE, "asset", undisclosed_recreation,
             links=(sources.APA, sources.EU_AI_ACT_50), can_flag="genai"),
        Rule("DC003", "deepfake-undisclosed",
             "in any genre, a GenAI asset that depicts a real person or event has no "
             "disclosure (in fiction an end-credit disclosure suffices; in non-fiction it "
             "must be shown with the material)", Severity.WARNING, Severity.ERROR,
             EU_AI_ACT, FICTION, "asset", deepfake_undisclosed,
             links=(sources.EU_AI_ACT_50,), can_flag="genai"),
    ]
