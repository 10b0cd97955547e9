"""The FCP7 interchange XML (xmeml) as the reader and the census both see it.

Only what both need: the definitions of id-referenced elements (a `<file>`, nested
`<sequence>` or `<multiclip>` is written in full once and referred to by an empty element
with the same id, before or after the definition), rates, and the record span of a
clipitem whose `start` or `end` is -1 because a transition covers that edge.
"""

from __future__ import annotations

from dataclasses import dataclass

# Premiere writes transition cut points in ticks: 254,016,000,000 per second.
TICKS_PER_SECOND = 254016000000
REFERENCED = ("file", "sequence", "multiclip")  # what a clipitem uses
# written in full once, then referred to by an empty element with the same id (OTIO's own
# FCP7 writer also refers to a clipitem written on another track this way)
INDEXED = (*REFERENCED, "clipitem")
ITEMS = ("clipitem", "generatoritem", "transitionitem")


class Fcp7Error(Exception):
    """The file cannot be read exactly (becomes the timeline's PV005)."""


def text(el, path: str, default: str = "") -> str:
    value = el.findtext(path)
    return value.strip() if value else default


def number(el, path: str) -> int | None:
    return as_number(text(el, path), path, el)


def as_number(value: str | None, path: str, el) -> int | None:
    """An FCP7 frame count or rate as written (`24`, `23.976`), None when absent."""
    if not value:
        return None
    try:
        return round(float(value))
    except ValueError:
        raise Fcp7Error(f"<{path}> of <{el.tag}> at line {el.sourceline} is not a number: "
                        f"{value!r}") from None


def rate(el, default: float | None = None) -> float:
    """The frame rate of an element's <rate>: timebase, times 1000/1001 when ntsc."""
    timebase = number(el, "rate/timebase")
    if not timebase:
        if default is None:
            raise Fcp7Error(f"<{el.tag}> at line {el.sourceline} has no <rate><timebase>")
        return default
    if timebase < 0 or timebase > 1000:
        raise Fcp7Error(f"<{el.tag}> at line {el.sourceline} has a rate of {timebase} fps")
    return timebase * 1000 / 1001 if text(el, "rate/ntsc").upper() == "TRUE" else timebase


def enabled(el) -> bool:
    return text(el, "enabled", "TRUE").upper() != "FALSE"


class Document:
    """An xmeml root with its id-referenced definitions indexed (one pass)."""

    def __init__(self, root):
        if root.tag != "xmeml":
            raise Fcp7Error(f"the root element is <{root.tag}>, not <xmeml>")
        self.root = root
        self.definitions: dict[tuple[str, str], object] = {}
        self.references: list = []
        self._items: dict = {}
        for el in root.iter(*INDEXED):
            key = el.get("id")
            if key is None:
                if not len(el):  # an empty <file/>: refers to nothing that can be checked
                    self.references.append(el)
                continue
            if len(el):
                self.definitions.setdefault((el.tag, key), el)
            else:
                self.references.append(el)

    def item(self, el) -> Item:
        """A clipitem's fields, media and links, read once for the builder and the census
        (lxml elements as keys stay alive, and so unique)."""
        found = self._items.get(el)
        if found is None:
            f: dict[str, str] = {}
            media = None
            links = []
            for child in el:
                tag = child.tag
                if not isinstance(tag, str):
                    continue
                if tag == "link":
                    ref = child.findtext("linkclipref")
                    if ref and ref.strip():
                        links.append(ref.strip())
                elif tag in REFERENCED and media is None:
                    media = child
                if tag not in f:
                    f[tag] = (child.text or "").strip()
            found = self._items[el] = Item(f, media, frozenset(links), span(el, f))
        return found

    def resolve(self, el):
        """The full definition of a <file>, <sequence>, <multiclip> or <clipitem>, or
        None."""
        if len(el) or el.get("id") is None:
            return el if len(el) else None
        return self.definitions.get((el.tag, el.get("id")))

    def unresolved(self) -> dict[str, int]:
        """References whose id has no definition in the file, by kind."""
        counts: dict[str, int] = {}
        for el in self.references:
            if (el.tag, el.get("id")) not in self.definitions:
                kind = f"unresolved <{el.tag}> id references"
                counts[kind] = counts.get(kind, 0) + 1
        return counts


def timelines(root) -> list:
    """Top-level sequences: those not used as a nest (inside a clipitem or an angle)."""
    return [s for s in root.iter("sequence")
            if not _inside(s, ("clipitem", "generatoritem", "angle", "multiclip"))]


def _inside(el, tags) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


@dataclass(frozen=True)
class Item:
    """What the reader and the census need of a clipitem or generatoritem."""

    fields: dict[str, str]  # text of the direct children, by tag (the first of each)
    media: object | None  # the <file>, <sequence> or <multiclip> child as written
    links: frozenset[str]  # ids of the linked clipitems (itself included)
    span: Span


@dataclass(frozen=True)
class Span:
    """A clipitem's record span in its sequence's frames: `extent` is what the item covers
    including the media under its transitions, `cut_in`/`cut_out` the cut points the NLE
    shows as the clip's edges; `source_in` is the source frame at `extent_in`."""

    extent_in: int
    extent_out: int
    cut_in: int
    cut_out: int
    source_in: int


def transition_cut(transition) -> tuple[int, int, int]:
    """(start, end, cut point) of a transitionitem, in its sequence's frames."""
    start, end = number(transition, "start"), number(transition, "end")
    if start is None or end is None or end < start:
        raise Fcp7Error(f"transitionitem at line {transition.sourceline} has no valid "
                        "<start>/<end>")
    ticks = number(transition, "cutPointTicks")
    if ticks is not None:
        cut = start + round(ticks * rate(transition, 1.0) / TICKS_PER_SECOND) \
            if transition.find("rate") is not None else None
        if cut is not None and start <= cut <= end:
            return start, end, cut
    alignment = text(transition, "alignment").lower()
    if alignment in ("start", "start-black"):
        return start, end, start
    if alignment in ("end", "end-black"):
        return start, end, end
    return start, end, start + (end - start) // 2


def _neighbour_transition(item, step: int):
    """The transitionitem right before (step -1) or after (+1) an item on its track."""
    sibling = item.getprevious() if step < 0 else item.getnext()
    while sibling is not None and sibling.tag not in ITEMS:
        sibling = sibling.getprevious() if step < 0 else sibling.getnext()
    return sibling if sibling is not None and sibling.tag == "transitionitem" else None


def span(item, f: dict[str, str]) -> Span:
    """Where a clipitem sits on its track, with -1 edges resolved through the transition
    beside it (Premiere and FCP 7 write -1 when a dissolve or fade covers the edge).
    `f` holds the text of the item's children by tag."""
    start, end = as_number(f.get("start"), "start", item), as_number(f.get("end"), "end", item)
    src_in, src_out = as_number(f.get("in"), "in", item), as_number(f.get("out"), "out", item)
    written_start, written_end = start, end
    if start is None or end is None:
        raise Fcp7Error(f"<{item.tag}> {item.get('id') or ''} at line {item.sourceline} has "
                        "no <start>/<end>")
    length = src_out - src_in if src_in is not None and src_out is not None else None
    cut_in = cut_out = None
    if start == -1:
        before = _neighbour_transition(item, -1)
        if before is None:
            raise Fcp7Error(f"clipitem at line {item.sourceline} starts at -1 with no "
                            "transition before it")
        t_start, _, cut_in = transition_cut(before)
        start = t_start
    if end == -1:
        after = _neighbour_transition(item, +1)
        if after is None:
            raise Fcp7Error(f"clipitem at line {item.sourceline} ends at -1 with no "
                            "transition after it")
        _, t_end, cut_out = transition_cut(after)
        end = t_end
    if length is not None and written_start == -1 and written_end != -1:
        start = end - length  # the media under the transition starts at `in`
    elif length is not None and written_end == -1 and written_start != -1:
        end = start + length
    if end < start:
        raise Fcp7Error(f"clipitem at line {item.sourceline} ends before it starts")
    return Span(start, end, start if cut_in is None else max(cut_in, start),
                end if cut_out is None else min(cut_out, end),
                src_in if src_in is not None else 0)
