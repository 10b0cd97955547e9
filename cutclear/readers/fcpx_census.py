"""The FCPXML census: the media uses a file holds, counted from its structure alone.

The count is taken with lxml over the parsed document and never looks at the OTIO
objects the reader builds nor at any time value: every media element (`asset-clip`,
`video` or `audio` of an asset) in every project and event clip counts once per use of
what holds it (a compound clip used three times counts its clips three times), except
what the FCPXML conventions say does not play (audition alternatives, inactive multicam
angles, the half of a clip its `srcEnable` leaves out; docs/formats/fcpx.md). Story
elements cutclear does not know and references that resolve to nothing are counted as
unplaced, which fails the read. The reader then subtracts the uses it found wholly
trimmed away by their containers, so any other difference is a use it lost.

Also the small vocabulary the reader shares with it: which elements are clips, which are
ignored, how `srcEnable` values combine and FCPXML time values.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from functools import lru_cache

from cutclear.readers.base import Census, TimelineError

# story elements: clips, and what holds clips
CLIPS = frozenset({"asset-clip", "clip", "ref-clip", "sync-clip", "mc-clip", "audition",
                   "gap", "title", "video", "audio"})
# elements inside story elements that are neither media nor hold media
IGNORED = frozenset({
    "marker", "chapter-marker", "analysis-marker", "keyword", "rating", "note", "metadata",
    "md", "param", "data", "text", "text-style-def", "conform-rate", "timeMap", "timept",
    "audio-channel-source", "audio-role-source", "sync-source", "mc-source", "bookmark",
    "hidden-clip-marker", "live-drawing", "caption", "transition", "reserved", "object-tracker",
    "tracking-shape", "mask-shape", "mask-isolation", "crop-rect", "trim-rect", "info-asc-cdl",
})
MAX_NESTING = 64


def is_element(node) -> bool:
    """lxml gives comments and processing instructions a non-string tag."""
    return isinstance(node.tag, str)


def time(text: str | None, default: str | None = None) -> Fraction:
    """An FCPXML time value (`1001/30000s`, `3600s`) as exact seconds."""
    value = text if text is not None else default
    if value is None:
        raise TimelineError("a story element has no duration")
    return _time(value)


@lru_cache(maxsize=1 << 14)  # durations and starts recur throughout a cut
def _time(value: str) -> Fraction:
    body = value.strip()
    if not body.endswith("s"):
        raise TimelineError(f"{value!r} is not an FCPXML time value (like 1001/30000s)")
    try:
        result = Fraction(body[:-1])
    except (ValueError, ZeroDivisionError):
        raise TimelineError(f"{value!r} is not an FCPXML time value (like 1001/30000s)") \
            from None
    if abs(result) > 10**9:
        raise TimelineError(f"{value!r} is not a plausible time in a cut")
    return result


SRC_ENABLE = ("all", "video", "audio")


def intersect(outer: str, inner: str) -> str:
    """What plays of a `srcEnable` (all, video, audio) inside a use that plays `outer`;
    any other value is refused, never read as "plays nothing"."""
    if inner not in SRC_ENABLE:
        raise TimelineError(f"srcEnable={inner!r} is not all, video or audio: what the clip "
                            "plays is unknown")
    if outer == "all":
        return inner
    if inner in ("all", outer):
        return outer
    return "none"


def _has(asset, half: str) -> bool:
    """hasVideo/hasAudio; an asset that states neither is taken to have both (fail-safe)."""
    if asset.get("hasVideo") is None and asset.get("hasAudio") is None:
        return True
    return asset.get(f"has{half}") == "1"


def plays(tag: str, asset, enable: str) -> bool:
    """Whether a media element of an asset plays anything under `enable`."""
    if tag == "video":
        return enable in ("all", "video")
    if tag == "audio":
        return enable in ("all", "audio")
    return (enable in ("all", "video") and _has(asset, "Video")) or \
        (enable in ("all", "audio") and _has(asset, "Audio"))


def media_kind(tag: str, asset, enable: str) -> str:
    """Video for picture (an A/V clip counts once, as picture), Audio for sound only."""
    if tag == "audio" or tag == "asset-clip" and not (
            enable in ("all", "video") and _has(asset, "Video")):
        return "Audio"
    return "Video"


def active_angles(mc_clip, multicam) -> list[tuple[object, str]]:
    """The angles an mc-clip shows or plays, each with what it plays (all, video, audio).

    The angles named by its `mc-source` elements count; without any `mc-source`, every
    angle counts (fail-safe). An angle id that names no angle raises, as the read cannot
    know what plays.
    """
    angles = {a.get("angleID"): a for a in multicam.iterfind("mc-angle")}
    sources = mc_clip.findall("mc-source")
    if not sources:
        return [(a, "all") for a in angles.values()]
    halves: dict[str, set[str]] = {}
    for source in sources:
        angle_id, enable = source.get("angleID"), source.get("srcEnable", "all")
        if enable not in (*SRC_ENABLE, "none"):
            raise TimelineError(f"multicam clip {mc_clip.get('name')!r}: srcEnable={enable!r} "
                                "is not all, video, audio or none")
        if angle_id not in angles:
            raise TimelineError(f"multicam clip {mc_clip.get('name')!r} selects angle "
                                f"{angle_id!r}, which its multicam does not have")
        halves.setdefault(angle_id, set()).update(
            ("video", "audio") if enable == "all" else (enable,) if enable != "none" else ())
    result = []
    for angle_id, angle in angles.items():
        got = halves.get(angle_id, set())
        if got:
            result.append((angle, "all" if got == {"video", "audio"} else next(iter(got))))
    return result


class _Counter:
    def __init__(self, by_id: dict):
        self.by_id = by_id
        self.unplaced: Counter[str] = Counter()
        self.expanded: dict[tuple[int, str], int] = {}  # a compound's count, per enable

    def count(self, el, enable: str, depth: int = 0) -> int:
        tag = el.tag
        if tag in IGNORED or tag.startswith(("filter-", "adjust-")):
            return 0
        if tag not in CLIPS and tag != "spine":
            if el.get("offset") is not None or el.get("ref") is not None:
                self.unplaced[f"<{tag}> (an unknown clip kind)"] += 1
            return 0
        if tag == "audition":
            pick = next((c for c in el if is_element(c) and c.tag in CLIPS), None)
            return self.count(pick, enable, depth) if pick is not None else 0
        own = intersect(enable, el.get("srcEnable", "all"))
        n = 0
        target = self.by_id.get(el.get("ref")) if el.get("ref") is not None else None
        if el.get("ref") is not None and target is None:
            self.unplaced[f"<{tag}> whose ref {el.get('ref')!r} names no resource"] += 1
        elif tag in ("asset-clip", "video", "audio") and target is not None:
            if target.tag == "asset":
                n += plays(tag, target, own)
            elif tag == "asset-clip" or target.tag != "effect":
                self.unplaced[f"<{tag}> whose ref names a <{target.tag}>"] += 1
        elif tag in ("ref-clip", "mc-clip") and target is not None:
            n += self._resource(el, target, own, depth)
        for child in el:
            if is_element(child):
                lane = child.get("lane", "0") != "0"
                content = not lane and tag not in ("ref-clip", "mc-clip", "asset-clip")
                n += self.count(child, own if content else enable, depth)
        return n

    def _resource(self, el, media, enable: str, depth: int) -> int:
        key = (id(media), enable) if el.tag == "ref-clip" else None
        if key in self.expanded:  # the same compound counts the same at every use
            return self.expanded[key]
        n = self._expand(el, media, enable, depth)
        if key is not None:
            self.expanded[key] = n
        return n

    def _expand(self, el, media, enable: str, depth: int) -> int:
        if depth >= MAX_NESTING:
            raise TimelineError(f"compound or multicam clips nested more than {MAX_NESTING} "
                                "deep (a clip that contains itself?)")
        if el.tag == "ref-clip":
            spine = media.find("sequence/spine")
            if spine is None:
                self.unplaced["<ref-clip> whose media holds no sequence"] += 1
                return 0
            return self.count(spine, enable, depth + 1)
        multicam = media.find("multicam")
        if multicam is None:
            self.unplaced["<mc-clip> whose media holds no multicam"] += 1
            return 0
        return sum(self.count(child, intersect(enable, half), depth + 1)
                   for angle, half in active_angles(el, multicam)
                   for child in angle if is_element(child))


def take(root, by_id: dict) -> Census:
    """Count the media uses of every project and of every clip in an event or at the top."""
    counter = _Counter(by_id)
    n = 0
    for spine in root.iterfind(".//project/sequence/spine"):
        n += counter.count(spine, "all")
    for holder in [root, *root.iter("event")]:
        for el in holder:
            if is_element(el) and el.tag in CLIPS and el.tag != "gap":
                n += counter.count(el, "all")
    return Census(n, dict(counter.unplaced))
