"""The FCP7 census: the clip uses a file holds, counted from the XML alone.

A second, plain count over the same lxml tree, by the conventions of
docs/formats/fcp7.md, that shares nothing with the OTIO builder but what both read of the
XML (ids, rates, each clipitem's fields and its -1 edges, read once). When the builder (or
anything after it) loses or doubles a clip, the walk and this count differ and the read
fails (PV005). It also counts what cutclear cannot place: item kinds it does not know,
clipitems without media, references to ids the file never defines.
"""

from __future__ import annotations

from cutclear.readers.base import Census
from cutclear.readers.fcp7.xml import Document, Fcp7Error, rate, text

MAX_DEPTH = 64


def take(doc: Document, sequences: list) -> Census:
    counter = _Counter(doc, doc.unresolved())
    count = sum(counter.count(seq, kind, None, 0, None)
                for seq in sequences for kind in ("video", "audio"))
    return Census(count, counter.unplaced)


class _Counter:
    def __init__(self, doc: Document, unplaced: dict[str, int]):
        self.doc = doc
        self.unplaced = unplaced
        self._is_media: dict = {}
        self._counted: dict = {}  # a nest used many times is counted once per window

    def count(self, container, kind: str, window: tuple[float, float] | None, depth: int,
              fallback: float | None) -> int:
        """Uses of `kind` in a sequence (or angle clip) seen through `window` (seconds of
        its own time; None: all of it)."""
        if depth > MAX_DEPTH:
            raise Fcp7Error("nested sequences refer to each other in a cycle")
        key = (container, kind, window, fallback)
        if key not in self._counted:
            self._counted[key] = self._count(container, kind, window, depth, fallback)
        return self._counted[key]

    def _count(self, container, kind, window, depth, fallback) -> int:
        own_rate = rate(container, 0.0) or fallback
        found = 0
        channels: set = set()
        for track in container.iterfind(f"media/{kind}/track"):
            for item in track:
                tag = item.tag
                if not isinstance(tag, str) or tag in ("transitionitem", "generatoritem"):
                    continue
                if tag == "clipitem":
                    item = self.doc.resolve(item)
                    if item is not None:  # else an unresolved reference, counted as such
                        found += self._item(item, kind, window, depth,
                                            own_rate or rate(item), channels)
                elif tag.endswith("item"):
                    self._note(f"<{tag}> items (an item kind cutclear does not know)")
        return found

    def _item(self, el, kind, window, depth, seq_rate, channels) -> int:
        item = self.doc.item(el)
        s = item.span
        lo, hi = s.cut_in / seq_rate, s.cut_out / seq_rate
        if window is not None:
            lo, hi = max(lo, window[0]), min(hi, window[1])
        if hi - lo <= 1e-9:
            return 0
        if item.media is None:
            self._note("clipitems without a file, nested sequence or multicam clip")
            return 0
        target = self.doc.resolve(item.media)
        if target is None:
            return 0  # counted as an unresolved reference
        what = item.media.tag
        if kind == "audio" and item.links:
            key = (item.links, what, target, s.extent_in)
            if key in channels:
                return 0  # another channel of the same use
            channels.add(key)
        if what == "file":
            return self._file(target)
        # the part of the nest seen: its own time from `in`, mapped through this use
        item_rate = item.rate or seq_rate
        start = s.source_in / item_rate + (s.cut_in - s.extent_in) / seq_rate
        inner = (start + lo - s.cut_in / seq_rate, start + hi - s.cut_in / seq_rate)
        if what == "sequence":
            return self.count(target, kind, inner, depth + 1, None)
        total = 0
        for angle in target.iterfind("angle"):
            for clip in angle:
                if clip.tag in ("clip", "sequence"):
                    clip = self.doc.resolve(clip)
                    if clip is not None:
                        total += self.count(clip, kind, inner, depth + 1, item_rate)
        return total

    def _file(self, file) -> int:
        """1 for media; 0 for Premiere's rendered slugs, mattes, bars and titles."""
        found = self._is_media.get(file)
        if found is None:
            found = self._is_media[file] = int(bool(text(file, "pathurl"))
                                                or not text(file, "mediaSource"))
        return found

    def _note(self, kind: str) -> None:
        self.unplaced[kind] = self.unplaced.get(kind, 0) + 1
