"""What makes an approval valid and a consent usable: the catalogue's definitions, once.

Several rules ask the same questions ("is there a valid approval of this asset covering
talent?", "which consent covers this use?"); they all ask here, so that GA001, TL009 and
DU003 cannot drift apart on what "valid" means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from cutclear.config import Config
from cutclear.conform import MediaRoot
from cutclear.manager import Plugins
from cutclear.media import AssetIndex
from cutclear.records import Approval, Asset, Consent, Person, RecordDB, Talent, Tool


@dataclass(frozen=True)
class Context:
    """What every rule check may consult: settings, records and the date judged at."""

    config: Config
    db: RecordDB
    as_of: dt.date
    plugins: Plugins
    index: AssetIndex  # the records' <match> keys
    media_root: MediaRoot | None = None  # set by a conform: the media actually conformed
    # what plugins worked out during this run (look-ups, sidecars read): never reused by
    # another run, whose records may have changed
    cache: dict = field(default_factory=dict)

    @property
    def production(self) -> str | None:
        return self.config.production

    @property
    def delivery(self) -> dt.date | None:
        return self.config.delivery


def approval_faults(approval: Approval, asset: Asset, ctx: Context) -> list[str]:
    """Why `approval` is not a valid approval of `asset` (empty when it is valid)."""
    faults = []
    if approval.status in ("rejected", "revoked"):
        faults.append(f"is {approval.status}")
    if ctx.production and ctx.production not in approval.productions:
        faults.append(f"is for production {' '.join(approval.productions)}, "
                      f"not {ctx.production}")
    if approval.granted > ctx.as_of:
        faults.append(f"is granted only from {approval.granted}")
    if approval.expires is not None:
        if approval.expires <= ctx.as_of:
            faults.append(f"expired on {approval.expires}")
        elif ctx.delivery and approval.expires <= ctx.delivery:
            faults.append(f"expires on {approval.expires}, before delivery on {ctx.delivery}")
    if asset.id not in approval.assets:
        faults.append(f"does not list {asset.id} in its <assets>")
    return faults


def approvals_of(asset: Asset, ctx: Context) -> list[Approval]:
    """Approvals that apply to `asset`: from the records, else from a registry plugin.

    In id order, so that nothing said about them depends on the order of the records.
    """
    return sorted(ctx.plugins.approvals(asset, ctx) or [], key=lambda a: a.id)


def consents_of(person: str, ctx: Context) -> list[Consent]:
    """A performer's consents: from the records, else from a registry plugin (id order)."""
    return sorted(ctx.plugins.consents(person, ctx) or [], key=lambda c: c.id)


def valid_approvals(asset: Asset, category: str, ctx: Context) -> list[Approval]:
    """The valid approvals of `asset` that cover `category`."""
    return [a for a in approvals_of(asset, ctx)
            if category in a.covers and not approval_faults(a, asset, ctx)]


def has_approval(asset: Asset, category: str, ctx: Context) -> bool:
    return bool(valid_approvals(asset, category, ctx))


def scope_faults(consent: Consent, talent: Talent, ctx: Context) -> list[str]:
    """Why `consent` does not cover this talent use (TL002)."""
    faults = []
    if consent.person != talent.person:
        faults.append(f"is for person {consent.person}, not {talent.person}")
    if ctx.production and ctx.production not in consent.productions:
        faults.append(f"is for production {' '.join(consent.productions)}, "
                      f"not {ctx.production}")
    if talent.role and consent.role and talent.role.casefold() != consent.role.casefold():
        faults.append(f"is for the role {consent.role!r}, not {talent.role!r}")
    if talent.use not in consent.uses:
        faults.append(f"does not list the use {talent.use!r} (it lists {' '.join(consent.uses)})")
    return faults


def currency_faults(consent: Consent, ctx: Context) -> list[str]:
    """Why `consent` does not hold at as-of (or at delivery) (TL003)."""
    faults = []
    if consent.signed is not None and consent.signed > ctx.as_of:
        faults.append(f"is signed only on {consent.signed} (a consent not yet given is not "
                      "current)")
    if consent.status != "active":
        since = f" since {consent.revoked}" if consent.revoked else ""
        faults.append(f"is {consent.status}{since}")
    if consent.revoked is not None and consent.status == "active":
        if consent.revoked <= ctx.as_of:
            faults.append(f"was revoked on {consent.revoked}")
        elif ctx.delivery and consent.revoked <= ctx.delivery:
            faults.append(f"is revoked from {consent.revoked}, before delivery on "
                          f"{ctx.delivery}")
    if consent.start is not None and ctx.as_of < consent.start:
        faults.append(f"starts only on {consent.start}")
    if consent.end is not None:
        if consent.end < ctx.as_of:
            faults.append(f"ended on {consent.end}")
        elif ctx.delivery and consent.end < ctx.delivery:
            faults.append(f"ends on {consent.end}, before delivery on {ctx.delivery}")
    return faults


def form_gaps(consent: Consent) -> list[str]:
    """What the consent form lacks (TL004)."""
    gaps = []
    if consent.signed is None:
        gaps.append("no signed date")
    if not consent.description:
        gaps.append("an empty description of the use")
    if consent.separate is False:
        gaps.append('separate="false" (consent buried in other terms)')
    return gaps


# who may grant a consent for a deceased performer (TL005) or a minor (TL008)
GRANTORS = {"deceased": ("estate", "representative", "union"), "minor": ("guardian",)}


def grantor_faults(consent: Consent, person: Person | None) -> list[str]:
    """The flags of `person` ("deceased", "minor") whose grantor rule `consent` breaks."""
    return [flag for flag, allowed in GRANTORS.items()
            if person is not None and getattr(person, flag)
            and consent.grantor_role not in allowed]


def consent_faults(consent: Consent, talent: Talent, ctx: Context) -> int:
    """How many faults TL002, TL003, TL004, TL005 and TL008 would find in `consent`."""
    person = ctx.db.get(Person, talent.person)
    return (len(scope_faults(consent, talent, ctx)) + len(currency_faults(consent, ctx))
            + len(form_gaps(consent)) + len(grantor_faults(consent, person)))


def consent_for(talent: Talent, ctx: Context) -> Consent | None:
    """The consent a talent use relies on: the one it names, else, of that person's
    consents, the one with the fewest faults (ties: the earliest signed, then the lowest
    id), so that the verdict never depends on the order of records or files."""
    if talent.consent:
        named = ctx.db.get(Consent, talent.consent)
        return named or next((c for c in consents_of(talent.person, ctx)
                              if c.id == talent.consent), None)
    candidates = consents_of(talent.person, ctx)
    return min(candidates, default=None, key=lambda c: (
        consent_faults(c, talent, ctx), c.signed is None, c.signed or dt.date.max, c.id))


def relied_consents(asset: Asset, ctx: Context) -> Iterator[tuple[Talent, Consent | None]]:
    """The talent uses of `asset` that rely on a consent, each with the consent found.

    Customary alterations need none, and a valid exception (as-scripted, unsafe,
    unrecognizable) needs no further one; TL001-TL005 and TL008 judge what is left. A use
    that claims an exception relies on the exception: when it does not hold, the use has
    no consent (TL001, saying why), whatever other consent the person has.
    """
    for talent in asset.talent:
        if not talent.needs_consent:
            continue
        if talent.exception:
            if exception_fault(talent, ctx) is not None:
                yield talent, None
            continue
        yield talent, consent_for(talent, ctx)


def exception_fault(talent: Talent, ctx: Context) -> str | None:
    """Why a claimed exception (as-scripted, unsafe, unrecognizable) does not hold.

    It holds only when reviewed by a named person and the performer has a consent for
    this production that is current (TL003-clean) at as-of and delivery: the replica
    itself was made with consent, and a revoked consent supports nothing.
    """
    if not talent.reviewed_by:
        return f"exception {talent.exception!r} has no reviewedBy"
    for consent in consents_of(talent.person, ctx):
        if consent.person == talent.person and (
                not ctx.production or ctx.production in consent.productions) and \
                not currency_faults(consent, ctx):
            return None
    return (f"exception {talent.exception!r} needs a current consent of {talent.person} "
            "for this production (the replica must have been made with consent, and a "
            "revoked, suspended, expired or not yet signed consent supports no exception)")


def describe(asset: Asset, ctx: Context) -> str:
    """'GenAI asset AST-1193 (Runway Gen-4)' for messages."""
    kind = "GenAI asset" if asset.genai else "asset"
    tools = [t.label for t in (ctx.db.get(Tool, ref) for ref in asset.tools) if t is not None]
    return f"{kind} {asset.id}" + (f" ({', '.join(tools)})" if tools else "")


@lru_cache(maxsize=64)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def named_terms(terms: tuple[str, ...], texts: Iterable[str]) -> list[str]:
    """The configured terms (protected names, public figures) that `texts` name, as
    written there: case-insensitive, whole words only ("Marvel" is not in "marvellous")."""
    if not terms:
        return []
    pattern = _terms_pattern(terms)
    return sorted({m.group(0) for t in texts for m in pattern.finditer(t)}, key=str.casefold)
