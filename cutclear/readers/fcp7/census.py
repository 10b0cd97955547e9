"""The FCP7 census: the clip uses a file holds, counted from the XML alone.

A second, plain count over the same lxml tree, by the conventions of
docs/formats/fcp7.md, that shares nothing with the OTIO builder but the XML helpers (ids,
rates, -1 edges). When the builder (or anything after it) loses or doubles a clip, the walk
and this count differ and the read fails (PV005). It also counts what cutclear cannot place:
item kinds it does not know, clipitems without media, references to ids the file never
defines.
"""

from __future__ import annotations

from cutclear.readers.base import Census
from cutclear.readers.fcp7.xml import ITEMS, Document, Fcp7Error, rate, span, text

MEDIA = ("file", "sequence", "multiclip")


def take(doc: Document, sequences: list) -> Census:
    unplaced = doc.unresolved()
    count = 0
    for seq in sequences:
        for kind in ("video", "audio"):
            count += _count(doc, seq, kind, None, 0, None, unplaced)
    return Census(count, unplaced)


def _count(doc: Document, container, kind: str, window: tuple[float, float] | None,
           depth: int, fallback: float | None, unplaced: dict) -> int:
    """Uses of `kind` in a sequence (or angle clip) seen through `window` (seconds of its
    own time; None: all of it)."""
    if depth > 64:
        raise Fcp7Error("nested sequences refer to each other in a cycle")
    own_rate = rate(container, 0.0) or fallback
    found = 0
    channels: set = set()
    for track in container.iterfind(f"media/{kind}/track"):
        for item in track:
            if not isinstance(item.tag, str) or item.tag in ("transitionitem", "generatoritem"):
                continue
            if item.tag.endswith("item") and item.tag not in ITEMS:
                _note(unplaced, f"<{item.tag}> items (an item kind cutclear does not know)")
                continue
            if item.tag != "clipitem":
                continue
            found += _count_item(doc, item, kind, window, depth,
                                 own_rate or rate(item), channels, unplaced)
    return found


def _count_item(doc, item, kind, window, depth, seq_rate, channels, unplaced) -> int:
    s = span(item)
    lo, hi = s.cut_in / seq_rate, s.cut_out / seq_rate
    if window is not None:
        lo, hi = max(lo, window[0]), min(hi, window[1])
    if hi - lo <= 1e-9:
        return 0
    refs = [el for el in item if el.tag in MEDIA]
    if not refs:
        _note(unplaced, "clipitems without a file, nested sequence or multicam clip")
        return 0
    target = doc.resolve(refs[0])
    if target is None:
        return 0  # counted as an unresolved reference
    links = tuple(sorted(text(link, "linkclipref") for link in item.iterfind("link")))
    if kind == "audio" and links:
        key = (links, refs[0].tag, refs[0].get("id") or id(target), s.extent_in)
        if key in channels:
            return 0
        channels.add(key)
    if refs[0].tag == "file":
        is_generator = not text(target, "pathurl") and bool(text(target, "mediaSource"))
        return 0 if is_generator else 1
    # the part of the nest seen: its own time from `in`, mapped through this use
    item_rate = rate(item, seq_rate)
    start = s.source_in / item_rate + (s.cut_in - s.extent_in) / seq_rate
    inner = (start + lo - s.cut_in / seq_rate, start + hi - s.cut_in / seq_rate)
    if refs[0].tag == "sequence":
        return _count(doc, target, kind, inner, depth + 1,
                      None, unplaced)
    total = 0
    for angle in target.iterfind("angle"):
        for clip in angle:
            if clip.tag in ("clip", "sequence"):
                clip = doc.resolve(clip)
                if clip is not None:
                    total += _count(doc, clip, kind, inner,
                                    depth + 1, item_rate, unplaced)
    return total


def _note(unplaced: dict, kind: str) -> None:
    unplaced[kind] = unplaced.get(kind, 0) + 1
