"""The *.genai.xml records as a provenance and registry plugin.

cutclear's own records answer through the same hooks as a vendor's sources: provenance by
the assets' <match> keys, consents and approvals first (tryfirst), before any registry.
"""

from __future__ import annotations

from cutclear.clearance import Context
from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse
from cutclear.records import Approval, Asset, Consent


@hookimpl
def cutclear_provenance(clip: ClipUse, ctx: Context) -> list[Asset]:
    return ctx.index.lookup(clip.media)


@hookimpl(tryfirst=True)
def cutclear_consents(person: str, ctx: Context) -> list[Consent] | None:
    return ctx.db.consents_of(person) or None  # none in the records: a registry may know


@hookimpl(tryfirst=True)
def cutclear_approvals(asset: Asset, ctx: Context) -> list[Approval] | None:
    return ctx.db.approvals_for(asset) or None
