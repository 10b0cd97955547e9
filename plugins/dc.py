"""DC: authenticity and disclosure (Netflix ethics; Archival Producers Alliance; EU AI Act)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear.clearance import Context, describe
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset

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


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("DC001", "genai-presented-as-real",
             "a GenAI asset is presented as archival or real (in non-fiction, absent "
             "presentedAs means real); no approval clears this",
             Severity.ERROR, Severity.ERROR, APA,
             "<presentedAs>recreation</presentedAs> with a <disclosure>", "asset",
             genai_presented_as_real),
        Rule("DC002", "undisclosed-recreation",
             "in non-fiction, a GenAI asset presented as recreation or illustration, or that "
             "depicts someone, has no disclosure", Severity.WARNING, Severity.ERROR, APA,
             '<disclosure id="DSC-0012" kind="lower-third">\n  <assets>AST-3310</assets>\n'
             "  <text>AI-generated illustration, not an archival photograph</text>\n"
             "</disclosure>", "asset", undisclosed_recreation),
    ]
