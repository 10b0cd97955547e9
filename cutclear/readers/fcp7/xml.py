"""The FCP7 interchange XML (xmeml) as the reader and the census both see it.

Only what both need: the definitions of id-referenced elements (a `<file>`, nested
`<sequence>` or `<multiclip>` is written in full once and referred to by an empty element
with the same id, before or after the definition), rates, and the record span of a
clipitem whose `start` or `end` is -1 because a transition covers that edge.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

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
    """The stripped text of the first element at `path` (tags joined by "/"), as
    `el.findtext(path)` finds it; `default` when there is none or it is blank."""
    return stripped(first(el, path), default)


def first(el, path: str):
    """The first element at `path` in document order, as `el.find(path)` finds it, but by
    lxml's C-level child iteration: find's path engine is Python, and costs 5 µs a call
    where a feature makes tens of thousands."""
    return _first(el, _steps(path))


def stripped(node, default: str = "") -> str:
    """A found element's stripped text, as `text` gives it."""
    value = node.text if node is not None else None
    return value.strip() if value else default


@lru_cache(maxsize=256)
def _steps(path: str) -> tuple[str, ...]:
    return tuple(path.split("/"))


def _first(el, steps: tuple[str, ...]):
    tag, rest = steps[0], steps[1:]
    for child in el.iterchildren(tag):
        if not rest:
            return child
        found = _first(child, rest)
        if found is not None:
            return found
    return None


def number(el, path: str) -> int | None:
    return as_number(text(el, path), path, el)


def as_number(value: str | None, path: str, el) -> int | None:
    """An FCP7 frame count or rate as written (`24`, `23.976`), None when absent."""
    if not value:
        return None
    try:
        return int(value)  # as written, mostly: no float to round
    except ValueError:
        pass
    try:
        return round(float(value))
    except ValueError:
        raise Fcp7Error(f"<{path}> of <{el.tag}> at line {el.sourceline} is not a number: "
                        f"{value!r}") from None


def rate(el, default: float | None = None) -> float:
    """The frame rate of an element's <rate>: timebase, times 1000/1001 when ntsc. (As
    findtext("rate/timebase") and findtext("rate/ntsc") read it, the first of each under
    any <rate>, without their path parsing: a feature asks for thousands of rates.)"""
    timebase = ntsc = None
    for r in el.iterchildren("rate"):
        timebase, ntsc = rate_fields(r, timebase, ntsc)
    return rate_of(timebase, ntsc, el, default)


def rate_fields(r, timebase: str | None, ntsc: str | None) -> tuple:
    """The first <timebase> and <ntsc> text, looking in <rate> `r` for those not found."""
    for child in r:
        tag = child.tag
        if tag == "timebase":
            if timebase is None:
                timebase = child.text or ""
        elif tag == "ntsc" and ntsc is None:
            ntsc = child.text or ""
    return timebase, ntsc


def rate_of(timebase: str | None, ntsc: str | None, el, default: float | None) -> float:
    number = as_number(timebase.strip() if timebase else "", "rate/timebase", el)
    if not number:
        if default is None:
            raise Fcp7Error(f"<{el.tag}> at line {el.sourceline} has no <rate><timebase>")
        return default
    if number < 0 or number > 1000:
        raise Fcp7Error(f"<{el.tag}> at line {el.sourceline} has a rate of {number} fps")
    return number * 1000 / 1001 if ntsc and ntsc.strip().upper() == "TRUE" else number


def enabled(el) -> bool:
    return text(el, "enabled", "TRUE").upper() != "FALSE"


class Document:
    """An xmeml root with its id-referenced definitions indexed (one pass)."""

    def __init__(self, root):
        if root.tag != "xmeml":
            raise Fcp7Error(f"the root element is <{root.tag}>, not <xmeml>")
        self.root = root
        self.definitions: dict[tuple[str, str], object] = {}
        self.references: list = []  # the empty ones (kept alive, so `in` is by identity)
        self._items: dict = {}
        self.sequences: list = []  # every <sequence>, in document order
        for el in root.iter(*INDEXED):
            if el.tag == "sequence":
                self.sequences.append(el)
            key = el.get("id")
            if key is None:
                if not len(el):  # an empty <file/>: refers to nothing that can be checked
                    self.references.append(el)
                continue
            if len(el):
                self.definitions.setdefault((el.tag, key), el)
            else:
                self.references.append(el)
        self._empty = set(self.references)

    def item(self, el) -> Item:
        """A clipitem's fields, rate, media and links, read once for the builder and the
        census (lxml elements as keys stay alive, and so unique)."""
        found = self._items.get(el)
        if found is None:
            found = self._items[el] = _read_item(el)
        return found

    def resolve(self, el):
        """The full definition of a <file>, <sequence>, <multiclip> or <clipitem>, or
        None."""
        if el in self._empty:
            return self.definitions.get((el.tag, el.get("id")))
        if el.tag in INDEXED:
            return el  # written in full
        return el if len(el) else None  # an angle's <clip>: never referred to by id

    def unresolved(self) -> dict[str, int]:
        """References whose id has no definition in the file, by kind."""
        counts: dict[str, int] = {}
        for el in self.references:
            if (el.tag, el.get("id")) not in self.definitions:
                kind = f"unresolved <{el.tag}> id references"
                counts[kind] = counts.get(kind, 0) + 1
        return counts


def timelines(doc: Document) -> list:
    """Top-level sequences: those not used as a nest (inside a clipitem or an angle)."""
    return [s for s in doc.sequences
            if not _inside(s, ("clipitem", "generatoritem", "angle", "multiclip"))]


def _inside(el, tags) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.getparent()
    return False


# the children of a clipitem read as text, by their place in _read_item's list
_FIELDS = {"name": 0, "enabled": 1, "start": 2, "end": 3, "in": 4, "out": 5}
_NO_LINKS: frozenset[str] = frozenset()


def _read_item(el) -> Item:
    """One pass over a clipitem's children (a feature has 10,000 clipitems of a dozen
    children each: only the few read here are looked at twice); of each tag the first."""
    texts: list[str | None] = [None] * 6
    media = links = timebase = ntsc = None
    for child in el:
        tag = child.tag
        slot = _FIELDS.get(tag)
        if slot is not None:
            if texts[slot] is None:
                texts[slot] = child.text or ""
        elif tag == "rate":
            if timebase is None or ntsc is None:
                timebase, ntsc = rate_fields(child, timebase, ntsc)
        elif tag in REFERENCED:
            if media is None:
                media = child
        elif tag == "link":
            ref = child.findtext("linkclipref")
            if ref and ref.strip():
                links = (links or []) + [ref.strip()]
    name, on, start, end, src_in, src_out = texts
    return Item(name.strip() if name else "", not on or on.strip().upper() != "FALSE",
                rate_of(timebase, ntsc, el, 0.0), media,
                frozenset(links) if links else _NO_LINKS,
                span(el, start, end, src_in, src_out))


class Item(NamedTuple):
    """What the reader and the census need of a clipitem or generatoritem (a tuple: made
    once per clipitem, and cheaper to make than a frozen dataclass)."""

    name: str  # its <name>, stripped
    enabled: bool  # unless <enabled>FALSE</enabled>
    rate: float  # of its <rate>; 0.0: none (it plays at its sequence's)
    media: object | None  # the <file>, <sequence> or <multiclip> child as written
    links: frozenset[str]  # ids of the linked clipitems (itself included)
    span: Span


class Span(NamedTuple):
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


def span(item, start: str | None, end: str | None, src_in: str | None,
         src_out: str | None) -> Span:
    """Where a clipitem sits on its track, with -1 edges resolved through the transition
    beside it (Premiere and FCP 7 write -1 when a dissolve or fade covers the edge), from
    the text of its <start>, <end>, <in> and <out> (None: absent)."""
    start, end = _frame(start, "start", item), _frame(end, "end", item)
    src_in, src_out = _frame(src_in, "in", item), _frame(src_out, "out", item)
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


def _frame(value: str | None, path: str, item) -> int | None:
    try:
        return int(value)  # as written, mostly (int() ignores the whitespace around it)
    except (TypeError, ValueError):
        return as_number(value.strip() if value else "", path, item)
