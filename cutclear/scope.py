"""Which rules a clip use or an asset is put to, by what the rules declare.

A rule may declare the uses or assets it can flag (`Rule.can_flag`) and that its answer
depends on a use only through its media (`Rule.per_media`); docs/rule-scope.md. A rule is
left out only where its own declaration says it cannot flag: one that declares nothing
meets every clip use and every asset. The choice depends on a few facts about a media
(has it assets, a GenAI one, a file that can be seen) or an asset (GenAI, which parts it
has), so it is worked out once per combination and mode, in catalogue order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cutclear.model import ASSET_PARTS, ClipUse, Mode, Problem, Rule
from cutclear.records import Asset


@dataclass
class Media:
    """What the engine knows of one media of a timeline: its assets, the clip rules to
    call at each of its uses, and the findings to stamp on every use (per-media clip
    rules with no asset, asset rules with theirs)."""

    assets: list[Asset]
    use_rules: list[Rule]
    stamps: list[tuple[Rule, Asset | None, list[Problem]]]


class Scopes:
    """The active rules of a run by what they declare; `active(scope, mode)` gives the
    rules that run, in catalogue order."""

    def __init__(self, active: Callable[[str, Mode], list[Rule]]):
        self.active = active
        self._chosen: dict[tuple, object] = {}

    def clip_rules(self, mode: Mode, use: ClipUse, assets: list[Asset],
                   ctx) -> tuple[list[Rule], list[Rule]]:
        """The active clip rules that can flag a use whose media has these assets: those
        called at every use, and those declared per_media."""
        genai = any(a.genai for a in assets)
        seen = False
        if self._wants_file(mode):
            from cutclear.mediafile import media_file

            seen = media_file(use, ctx) is not None
        key = ("clip", mode, bool(assets), genai, seen)
        if key not in self._chosen:
            can = {"any": True, "with-assets": bool(assets), "without-assets": not assets,
                   "genai": genai, "with-media-file": seen}
            chosen = [r for r in self.active("clip", mode) if can[r.can_flag]]
            self._chosen[key] = ([r for r in chosen if not r.per_media],
                                 [r for r in chosen if r.per_media])
        return self._chosen[key]  # type: ignore[return-value]

    def _wants_file(self, mode: Mode) -> bool:
        """Whether an active clip rule declares "with-media-file": only then is the
        media file looked for here (the plugins that need it look anyway)."""
        key = ("file", mode)
        if key not in self._chosen:
            self._chosen[key] = any(r.can_flag == "with-media-file"
                                    for r in self.active("clip", mode))
        return self._chosen[key]  # type: ignore[return-value]

    def asset_rules(self, mode: Mode, asset: Asset) -> list[Rule]:
        """The active asset rules that can flag `asset`: "genai" only GenAI assets,
        "with-talent" (and the other parts) only assets with at least one."""
        can = {"any", "genai"} if asset.genai else {"any"}
        can.update(f"with-{part}" for part in ASSET_PARTS if getattr(asset, part))
        key = ("asset", mode, frozenset(can))
        if key not in self._chosen:
            self._chosen[key] = [r for r in self.active("asset", mode) if r.can_flag in can]
        return self._chosen[key]  # type: ignore[return-value]
