"""The census of an AAF: its compositions' source clips, counted with pyaaf2 alone.

Independent of otio-aaf-adapter: the top-level compositions (as the adapter picks them)
are walked slot by slot, through sequences, effects, nested scopes, selectors and nested
compositions, and every source clip that reaches a master or source mob through what is
visible is one media item. The conventions match docs/formats/aaf.md:

- the channels of one clip on one track (an Avid channel combiner, or Premiere's 5.1
  written as six slots of the same name) are one use;
- the fill and matte of an Avid title effect are rendered graphics, not media (its
  background input still counts);
- a muted clip (a selector's alternate) counts, as every disabled clip does.

A source clip whose mob is missing from the file, and any structure not listed here,
is unplaced: the read fails rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import aaf2

NOTHING = ("Filler", "ScopeReference", "Timecode", "Pulldown", "EdgeCode", "Transition",
           "DescriptiveMarker", "CommentMarker", "Event", "GPITrigger", "EssenceGroup")
NULL_MOBS = frozenset({  # a source clip naming no mob (Premiere writes some): filler
    "urn:smpte:umid:00000000.00000000.00000000.00000000.00000000.00000000.00000000.00000000",
    "urn:smpte:umid:060a2b34.01010101.01010f00.13000000.00000000.00000000.00000000.00000000"})


@dataclass(frozen=True)
class Use:
    """A source clip at its position in the top-level composition, in edit units."""

    track: str
    start: int
    end: int
    mob: str
    source_start: int
    sound: bool


@dataclass
class AafCensus:
    uses: list[Use] = field(default_factory=list)
    unplaced: dict[str, int] = field(default_factory=dict)
    drop_frame: dict[str, bool] = field(default_factory=dict)  # by composition name
    title_mobs: set[str] = field(default_factory=set)  # the fill and matte of titles
    compositions: int = 0
    # mobs by source id, each read from the file once: media is used about four times
    # in a cut, and reading a mob costs pyaaf2 about 0.4 ms
    mobs: dict[str, object] = field(default_factory=dict, repr=False)

    def miss(self, kind: str, first: str = "") -> None:
        """Count an item that cannot be placed; the first one's detail names it."""
        key = next((k for k in self.unplaced if k == kind or k.startswith(kind + " (")),
                   f"{kind} (first: {first})" if first else kind)
        self.unplaced[key] = self.unplaced.get(key, 0) + 1

    @property
    def media(self) -> int:
        """Uses, the channels of one clip on one track counted once."""
        return len({channel_key(u) for u in self.uses})

    @property
    def merges_channels(self) -> bool:
        """Whether some clip has several channels on one track (counted as one use)."""
        return self.media != len(self.uses)


def channel_key(u: Use) -> tuple:
    """What the channels of one clip share: track, record span, media and source start.
    Picture uses are never merged."""
    return (u.track, u.start, u.end, u.mob, u.source_start) if u.sound else (id(u),)


def take(path: str) -> AafCensus:
    with aaf2.open(path, "r") as f:
        return take_open(f)


def take_open(f) -> AafCensus:
    """The census of an AAF already open in pyaaf2 (objects it has read are cached)."""
    census = AafCensus()
    content = f.content
    mobs = (list(content.toplevel()) or list(content.compositionmobs())
            or list(content.mastermobs()))
    census.compositions = len(mobs)
    for mob in mobs:
        drop = _drop_frame(mob)
        if drop is not None:
            census.drop_frame.setdefault(mob.name or "", drop)
        for slot in mob.slots:
            if isinstance(mob, aaf2.mobs.MasterMob):  # a file of clips, no sequence
                if slot.media_kind not in ("Picture", "Sound"):
                    continue
                census.uses.append(Use(f"{mob.mob_id}/{slot.slot_id}", 0, 1,
                                       str(mob.mob_id), 0, False))
                continue
            track = f"slot {slot.name}" if slot.name else f"#{slot.slot_id}"
            _segment(slot.segment, 0, None, track, census, depth=0)
    return census


def _segment(seg, start: int, window: tuple[int, int] | None, track: str,
             census: AafCensus, depth: int) -> None:
    kind = type(seg).__name__
    if depth > 64:
        census.miss("compositions nested more than 64 deep")
        return
    if kind == "Sequence":
        position = start
        for component in seg.components:
            if type(component).__name__ == "Transition":
                position -= component.length  # a transition overlaps its neighbours
                continue
            _segment(component, position, window, track, census, depth + 1)
            position += component.length or 0
    elif kind == "SourceClip":
        _source_clip(seg, start, window, track, census, depth)
    elif kind == "OperationGroup":
        inputs = list(seg.segments)
        if _is_title(seg):  # the background counts; the fill and matte are the title
            census.title_mobs.update(str(c["SourceID"].value) for c in inputs[1:]
                                     if type(c).__name__ == "SourceClip" and "SourceID" in c)
            inputs = inputs[:1]
        for child in inputs:
            _segment(child, start, window, track, census, depth + 1)
    elif kind == "NestedScope":
        for child in seg["Slots"].value:
            _segment(child, start, window, track, census, depth + 1)
    elif kind == "Selector":
        _segment(seg["Selected"].value, start, window, track, census, depth + 1)
        for child in seg["Alternates"].value or ():
            _segment(child, start, window, track, census, depth + 1)
    elif kind not in NOTHING:
        census.miss(f"AAF {kind} segments")


def _source_clip(clip, start: int, window, track: str, census: AafCensus, depth: int) -> None:
    length = clip.length or 0
    span = _intersect((start, start + length), window)
    if span is None:
        return
    source_id = str(clip["SourceID"].value) if "SourceID" in clip else ""
    if not source_id or source_id in NULL_MOBS:
        return  # a null source clip is filler
    if source_id not in census.mobs:
        census.mobs[source_id] = clip.mob
    mob = census.mobs[source_id]
    if mob is None:
        census.miss("source clips whose master mob is missing from the file",
                    f"mob {source_id} on track {track.removeprefix('slot ')} at edit unit {start}")
    elif isinstance(mob, aaf2.mobs.CompositionMob):
        slot = next((s for s in mob.slots if s.slot_id == clip.slot_id), None)
        if slot is None:
            census.miss("source clips naming a slot their composition does not have",
                        f"slot {clip.slot_id} of {mob.name or mob.mob_id}")
            return
        _segment(slot.segment, start - (clip.start or 0), span, track, census, depth + 1)
    else:
        census.uses.append(Use(track, span[0], span[1], source_id, clip.start or 0,
                               clip.media_kind == "Sound"))


def _drop_frame(mob) -> bool | None:
    """The Drop flag of a composition's first timecode, which says how the NLE shows
    its record timecode (29.97 is not always drop-frame)."""
    for slot in mob.slots:
        seg = slot.segment
        for component in seg.components if type(seg).__name__ == "Sequence" else (seg,):
            if type(component).__name__ == "Timecode" and "Drop" in component:
                return bool(component["Drop"].value)
    return None


def _is_title(group) -> bool:
    """An Avid title: the Title_2 operation, or _EFFECT_PLUGIN_CLASS "Title" (newer Media
    Composers) or _TITLE_FORMATS (older ones) in its attributes."""
    operation = group.operation
    if operation is not None and str(operation.name or "").startswith("Title"):
        return True
    try:
        attributes = group["ComponentAttributeList"].value or ()
    except KeyError:
        return False
    return any(a.name == "_TITLE_FORMATS" or a.name == "_EFFECT_PLUGIN_CLASS"
               and a.value == "Title" for a in attributes)


def _intersect(span, window):
    if window is None:
        return span
    start, end = max(span[0], window[0]), min(span[1], window[1])
    return (start, end) if end > start else None
