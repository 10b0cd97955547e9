"""GA: GenAI assets and the final deliverable (Netflix principle 4; written approval)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import Context, approval_faults, approvals_of, describe, has_approval
from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse, Problem, Rule, Severity
from cutclear.records import Asset

E, W, INFO, OFF = Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.OFF
NETFLIX = ("Netflix, 'Using Generative AI in Content Production' (partner guidance, 2025): "
           "generated material is temporary and not part of the final deliverables; written "
           "approval is required before proceeding when the output includes final deliverables.")


def genai_in_locked_cut(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if asset.genai and not has_approval(asset, "final-deliverable", ctx):
        yield Problem(f"{describe(asset, ctx)} has no valid written approval for the final "
                      f"deliverable: add an approval covering final-deliverable that lists "
                      f"{asset.id}, or replace the shot")


def temp_genai_at_lock(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if asset.genai and asset.stage == "temp":
        yield Problem(f"{describe(asset, ctx)} is temp material (<stage> temp or absent) and "
                      "may not ship: replace it with final material (<stage>final</stage> "
                      "once it is final and approved)")


def undeclared_media(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    if not assets:
        m = use.media
        key = (f"path {m.path}" if m.path else f"reel {m.reel}" if m.reel
               else f"clip name {m.clip}" if m.clip else "no path, reel or name")
        how = ("camera originals can be declared once by <path> glob" if m.path else
               "without a path, match it by <reel> or <clip>")
        yield Problem(f"no record declares this media ({key}): declare it in a *.genai.xml "
                      f"asset whose <match> covers it ({how})",
                      severity=E if ctx.config.require_provenance else None)


def invalid_approval(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for approval in approvals_of(asset, ctx):
        faults = approval_faults(approval, asset, ctx)
        if faults:
            yield Problem(f"approval {approval.id} for {asset.id} ({approval.source.path}) "
                          f"{'; '.join(faults)}: renew or correct the approval, or remove the "
                          "shot")
        elif approval.status == "conditional":
            yield Problem(f"approval {approval.id} for {asset.id} is conditional: "
                          + ("; ".join(approval.conditions) or "no condition stated"),
                          severity=INFO)


TOOL = sources.EXAMPLE_TOOL
APPROVAL = """\
<approval id="APR-0057" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable creative-output</covers>
  <assets>AST-1193</assets>
</approval>"""
ASSET = """\
<asset id="AST-1193">
  <match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
  <approval ref="APR-0057"/>
</asset>"""
SETTINGS = 'production = "PRD-778"'
EXAMPLE_APPROVED = sources.record_file("\n".join((TOOL, ASSET, APPROVAL)), SETTINGS)
EXAMPLE_FINAL = sources.record_file(
    "\n".join((TOOL, ASSET.replace('\n  <approval ref="APR-0057"/>', ""))))
EXAMPLE_CAMERA = sources.record_file('<asset id="CAM">\n  <match><path>media/camera/**</path>'
                                     "</match>\n  <origin>digitalCapture</origin>\n</asset>")


@hookimpl
def cutclear_rules() -> list[Rule]:
    netflix = (sources.NETFLIX,)
    return [
        Rule("GA001", "genai-in-locked-cut",
             "a GenAI asset is used and no valid approval of it covers final-deliverable",
             INFO, E, NETFLIX, EXAMPLE_APPROVED, "asset", genai_in_locked_cut, links=netflix,
             can_flag="genai"),
        Rule("GA002", "temp-genai-at-lock",
             "a GenAI asset has stage temp (or none); no approval clears this",
             INFO, E, NETFLIX + " Temp material is replaced before lock, whatever was approved.",
             EXAMPLE_FINAL, "asset", temp_genai_at_lock, links=netflix, can_flag="genai"),
        Rule("GA003", "undeclared-media",
             "a clip with media matches no asset (error with require-provenance)",
             OFF, W,
             "Provenance must be known for every shot that ships: Netflix asks partners to "
             "flag GenAI in the final cut early, 'even in the background', which needs every "
             "clip declared; IPTC digital source types make 'camera original' explicit too.",
             EXAMPLE_CAMERA, "clip", undeclared_media, links=(sources.NETFLIX, sources.IPTC),
             can_flag="without-assets", per_media=True),
        Rule("GA004", "invalid-approval",
             "an approval linked to a used asset is rejected, revoked, expired, for another "
             "production, or does not list the asset (conditional approvals: info)",
             E, E, NETFLIX + " An approval only counts for the production, assets and "
             "period it names.", EXAMPLE_APPROVED, "asset", invalid_approval, links=netflix),
    ]
