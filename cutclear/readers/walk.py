"""Walking what a reader returned into clip uses at their record timecode.

The walker computes record positions in one pass per track (OTIO's own `range_in_parent`
walks the siblings again for every item, which is quadratic on a feature), descends into
nested stacks and tracks (nested sequences, compound clips), keeps only what is visible
through their trims, and places every clip in the top-level timeline's timecode.

It runs once per clip of every format, so its per-clip path asks OTIO for as little as it
can: each item's own `source_range` (OTIO computes `trimmed_range` from it), the active
media reference once, and adapter metadata only where a dictionary holds the key, found
without OTIO's C++ exception for a missing key (`_child`).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

import opentimelineio as otio

from cutclear.media import cached_identity
from cutclear.model import ClipUse, MediaIdentity
from cutclear.readers.base import TimelineError
from cutclear.readers.fcp7.guard import refuse_lossy_fcp7

MAX_SECONDS = 1e7  # about 115 days: no time in a real cut comes near it

_Clip, _Gap, _Transition = otio.schema.Clip, otio.schema.Gap, otio.schema.Transition
_Stack, _Composition = otio.schema.Stack, otio.core.Composition
_External, _Generator = otio.schema.ExternalReference, otio.schema.GeneratorReference
_Missing, _Sequence = otio.schema.MissingReference, otio.schema.ImageSequenceReference
_AnyDictionary = otio._otio.AnyDictionary


@dataclass(frozen=True)
class _Walk:
    """What stays the same during one walk: where the clips come from and what to keep."""

    relpath: str
    ns: frozenset[str] | None
    keep_items: bool
    hidden: list = field(default_factory=list)  # media clips no trim lets be seen

    def use(self, clip, refs: tuple, sequence: str, track: str, track_name: str,
            start: float, end: float, tc: Timecode, enabled: bool) -> ClipUse:
        return ClipUse(self.relpath, sequence, track, track_name, tc.format(start),
                       tc.format(end), clip_media(clip, self.ns, refs), enabled,
                       clip if self.keep_items else None)


def walk(obj, relpath: str, namespaces: frozenset[str] | None = None, keep_items: bool = True,
         hidden: list | None = None) -> Iterator[ClipUse]:
    """Every clip use in what an adapter returned: a timeline, or a collection (bins,
    FCPXML libraries) holding timelines and loose clips.

    The walk is format-blind: readers hand it OTIO objects that already mean what the
    file means (cutclear's FCP7 reader builds each nest with only the tracks its use plays).
    A timeline that otio-fcp-adapter read (an OTIO tool's in-memory timeline) is refused
    where that adapter is known to lose clips (`fcp7.guard`). `namespaces` names the
    adapter metadata the clips can carry (None: any), which spares look-ups.
    Without `keep_items`, uses do not hold on to their OTIO clips (nor so to the whole
    timeline). Media clips that are in the file but out of sight (trimmed away by a
    nested stack, or inside a title effect) are appended to `hidden`, for a census that
    counts them.
    """
    w = _Walk(relpath, namespaces, keep_items,
              hidden if hidden is not None else [])
    if isinstance(obj, otio.schema.Timeline):
        yield from _walk_timeline(obj, w, "", False)
    elif isinstance(obj, otio.schema.SerializableCollection):
        timelines = list(obj.find_children(descended_from_type=otio.schema.Timeline))
        for tl in timelines:
            yield from _walk_timeline(tl, w, tl.name or "", len(timelines) > 1)
        yield from _walk_bin(obj, w)
    else:
        raise TimelineError(f"holds a {type(obj).__name__}, not a timeline")


def _walk_bin(collection, w: _Walk) -> Iterator[ClipUse]:
    """Loose clips, compound clips and tracks of a collection (ALE logs, FCPXML event
    clips, a sequence kept without a timeline), at their own time on a pseudo-track BIN."""
    for item in _items(collection):
        if isinstance(item, otio.schema.SerializableCollection):
            yield from _walk_bin(item, w)
        elif isinstance(item, (_Clip, _Stack, otio.schema.Track)):
            rng = _range(item)
            tc = Timecode(rng.duration.rate or 24, None)
            for clip, refs, start, end, enabled in _clips_in_item(
                    item, rng.start_time.to_seconds(), w.hidden):
                yield w.use(clip, refs, collection.name or "", "BIN", "", start, end, tc,
                            enabled)


def _clips_in_item(item, start: float, hidden: list) -> Iterator[tuple]:
    if isinstance(item, _Clip):
        refs = _references(item)
        if _is_media(refs):
            yield (item, refs, start, start + _span(item)[1], _enabled(item, False))
    else:
        yield from _clips_in(item, start, None, True, hidden)


def _walk_timeline(tl, w: _Walk, sequence: str, several: bool) -> Iterator[ClipUse]:
    fcp_md = refuse_lossy_fcp7(tl)  # otio-fcp-adapter's output: <enabled> in metadata
    tc = Timecode(_timeline_rate(tl), _drop_frame(tl))
    origin = tl.global_start_time.to_seconds() if tl.global_start_time is not None else 0.0
    counts = {"Video": 0, "Audio": 0}
    extra_seen: set[tuple] = set()  # the CMX adapter copies an AA event's comments to A1 and A2
    cmx = w.ns is None or "cmx_3600" in w.ns
    for track in _items(tl.tracks):
        if not isinstance(track, otio.schema.Track):
            raise TimelineError(f"holds a {type(track).__name__} ({track.name!r}) directly in "
                                "the timeline's stack, not on a track: its record position "
                                "is not defined")
        kind = track.kind if track.kind in counts else "Video"
        # otio-cmx3600-adapter puts a NONE channel (only AUD 3/4) on a video track "NONE"
        none = track.name == "NONE" and cmx
        counts[kind] += not none
        prefix = f"{sequence}/" if several else ""
        # cutclear's EDL reader names each track's channel (overlaps add tracks)
        label = prefix + (_get(track.metadata, "cmx_3600", "channel")
                          or f"{kind[0]}{counts[kind]}")
        track_name = track.name or ""
        # The CMX adapter keeps an EDL's first record timecode as a negative track start.
        shift = track.source_range.start_time.to_seconds() if track.source_range else 0.0
        for clip, refs, start, end, enabled in _clips_in(track, origin - shift, None, True,
                                                         w.hidden, fcp_md):
            extra = _extra_audio_channels(refs[2]) if cmx and len(refs[2]) else ()
            if not none or not extra:  # a NONE event without AUD channels is still checked
                yield w.use(clip, refs, sequence, label, track_name, start, end, tc, enabled)
            for channel in extra:
                key = (channel, start, clip.name)
                if key not in extra_seen:
                    extra_seen.add(key)
                    yield w.use(clip, refs, sequence, f"{prefix}A{channel}", "", start, end,
                                tc, enabled)


_AUD = re.compile(r"^AUD\s+([\d\s]+)$")


def _extra_audio_channels(md) -> list[int]:
    """EDL audio channels 3 and up (`AUD 3 4` lines), which the CMX adapter keeps only as
    comments in the clip's metadata `md`: each is a further use of the clip's media."""
    comments = _child(_child(md, "cmx_3600"), "comments")
    channels: list[int] = []
    for comment in _items(comments) if hasattr(comments, "__len__") else ():
        m = _AUD.match(str(comment).strip())
        if m:
            channels += [int(c) for c in m.group(1).split()]
    return channels


def _clips_in(composition, offset: float, window: tuple[float, float] | None,
              enabled: bool, hidden: list, fcp_md: bool = False) -> Iterator[tuple]:
    """Yield (clip, active media reference, start, end, enabled) in top-level seconds for
    a track or stack, in one pass over its children.

    `offset` maps the composition's own time to the top level; `window` is the part of
    the top level through which this composition is visible (None: all of it).
    """
    enabled = enabled and _enabled(composition, fcp_md)
    stacked = isinstance(composition, _Stack)
    position = 0.0
    for child in _items(composition):
        if isinstance(child, _Transition):
            continue  # transitions overlap their neighbours and take no time
        own_start, duration = _span(child)
        start = offset if stacked else offset + position
        if not stacked:
            position += duration
        if isinstance(child, _Gap):
            continue
        lo, hi = start, start + duration
        if window is not None:
            lo, hi = max(lo, window[0]), min(hi, window[1])
            if hi - lo <= 1e-9:
                if isinstance(child, _Clip):
                    hidden.extend([child] if _is_media(_references(child)) else [])
                elif isinstance(child, _Composition):
                    hidden.extend(c for c in child.find_clips() if _is_media(_references(c)))
                continue
        if isinstance(child, _Clip):
            refs = _references(child)
            if _is_media(refs):
                yield (child, refs, lo, hi,
                       enabled and child.enabled and (not fcp_md or _enabled(child, True)))
        elif isinstance(child, _Composition) and _is_title(child):
            # rendered graphics in an adapter's in-memory timeline; not counted as hidden,
            # so a census of the file (an .otio) still sees what they would hide
            continue
        elif isinstance(child, _Composition):
            # a nested sequence: its own time `own_start` sits at `start`
            yield from _clips_in(child, start - own_start, (lo, hi), enabled, hidden, fcp_md)


def _enabled(item, fcp_md: bool) -> bool:
    """otio-fcp-adapter 1.0 leaves <enabled>FALSE</enabled> in metadata only."""
    return item.enabled and not (fcp_md and _get(item.metadata, "fcp_xml",
                                                   "enabled").upper() == "FALSE")


def _is_title(item) -> bool:
    """An Avid title effect in an adapter's in-memory timeline: its fill and matte come in
    as clips, but they are rendered graphics, not media. (cutclear's AAF reader takes
    them out itself and keeps the background.) Older Media Composers mark a title by
    _TITLE_FORMATS only."""
    for e in _items(item.effects):
        attributes = _child(_child(e.metadata, "AAF"), "ComponentAttributeList")
        if (_get(attributes, "_EFFECT_PLUGIN_CLASS") == "Title"
                or "_TITLE_FORMATS" in _keys(attributes)):
            return True
    return False


def _span(item) -> tuple[float, float]:
    """An item's trimmed range as (start, duration) in seconds, checked to be usable.

    The item's own `source_range` is its trimmed range when set (OTIO's `trimmed_range`
    returns it); only items without one ask OTIO to compute it."""
    rng = item.source_range
    if rng is None:
        rng = _range(item)
    start, duration = rng.start_time, rng.duration
    s, d = start.to_seconds(), duration.to_seconds()
    # NaN fails every comparison, an infinite or zero rate leaves no finite seconds
    if (-MAX_SECONDS <= s <= MAX_SECONDS and 0.0 <= d <= MAX_SECONDS
            and 0.0 < start.rate < math.inf and 0.0 < duration.rate < math.inf):
        return s, d
    _check(item, rng)  # raises with what is wrong
    return s, d


def _range(item):
    try:
        rng = item.trimmed_range()
    except Exception as e:  # no source range and no available range to fall back on
        raise TimelineError(f"item {item.name!r} has no usable range ({e})") from None
    return _check(item, rng)


def _check(item, rng):
    for t in (rng.start_time, rng.duration):
        if not (math.isfinite(t.rate) and t.rate > 0 and math.isfinite(t.value)):
            raise TimelineError(f"item {item.name!r} has a time of {t.value:g} at rate "
                                f"{t.rate:g}: not a usable time (rates must be finite and "
                                "above zero)")
        if abs(t.value / t.rate) > MAX_SECONDS:
            raise TimelineError(f"item {item.name!r} has a time of {t.value:g} frames at "
                                f"{t.rate:g} fps: not a plausible time in a cut")
    if rng.duration.value < 0:
        raise TimelineError(f"item {item.name!r} has a negative duration "
                            f"({rng.duration.value:g} frames)")
    return rng


def _references(clip) -> tuple:
    """A clip's active media reference, all of them by key (in one call to OTIO) and its
    metadata: what the walk asks of every clip, asked once."""
    refs = clip.media_references()
    active = refs.get(clip.active_media_reference_key)
    return (active if active is not None else clip.media_reference), refs, clip.metadata


def _is_media(references: tuple) -> bool:
    """A clip plays media unless all its references are generators (slugs, bars)."""
    active, refs, _ = references
    if not isinstance(active, _Generator):
        return True
    return not all(isinstance(r, _Generator) for r in refs.values())


def clip_media(clip, ns: frozenset[str] | None = None,
               references: tuple | None = None) -> MediaIdentity:
    """The media identity of an OTIO clip, from its references (`_references`, if the
    caller has them) and the metadata of the adapters in `ns` (None: all of them).

    A clip with several media references (original media, proxies, a high-res master)
    also gets the identity of each inactive one as an alternate: a record matching any
    of them applies to the clip.
    """
    ref, refs, md = references if references is not None else _references(clip)
    main = _ref_media(clip, md, ref, ns)
    if len(refs) < 2:
        return main
    active = clip.active_media_reference_key
    others = tuple(_ref_media(clip, md, ref, ns) for key, ref in sorted(refs.items())
                   if key != active)
    return dataclasses.replace(main, alternates=tuple(m for m in others if m != main))


def _ref_media(clip, md, ref, ns: frozenset[str] | None) -> MediaIdentity:
    """The identity of one of a clip's media references (`md`: the clip's metadata)."""
    path = ""
    if isinstance(ref, _External):
        path = ref.target_url or ""
    elif isinstance(ref, _Sequence):
        digits = ref.frame_zero_padding or len(str(ref.start_frame))
        path = f"{ref.target_url_base.rstrip('/')}/{ref.name_prefix}{'#' * digits}{ref.name_suffix}"
    elif isinstance(ref, _Missing):
        path = ref.name or ""  # offline media (FCP7, Premiere): the file name is all there is
    ref_md = ref.metadata if ref is not None else None
    reel, source_ids = "", ()
    if len(md) or ref_md is not None and len(ref_md):  # most clips carry no metadata
        def wanted(name: str) -> bool:
            return ns is None or name in ns

        reel = (wanted("cmx_3600") and _get(md, "cmx_3600", "reel")
                or wanted("fcp_xml") and _get(ref_md, "fcp_xml", "timecode", "reel", "name")
                or "")
        if wanted("AAF"):
            source_ids = tuple(s for s in (_get(md, "AAF", "MobID"),
                                           _get(ref_md, "AAF", "MobID")) if s)
    return cached_identity(path, reel, clip.name or "", source_ids)


def _items(container) -> Iterator:
    """The items of an OTIO container (composition, vector, dictionary keys).

    OTIO ends an iteration, and answers a missing key (`md[k]`, `k in md`, `md.get(k)`),
    with a C++ exception: 15-40 us each, where an item costs under 1 us. Taking exactly
    `len()` items never asks for the one past the end."""
    return islice(iter(container), len(container))


def _keys(md) -> Iterator | tuple:
    """The keys of adapter metadata (nothing if `md` is no dictionary)."""
    if isinstance(md, _AnyDictionary):
        return _items(md)
    return md.keys() if isinstance(md, dict) else ()


def _child(md, key: str):
    """`md[key]` for adapter metadata, or None when `md` is no dictionary or lacks the key
    (looked for among its keys: a missing key costs OTIO an exception, `_items`)."""
    if isinstance(md, _AnyDictionary):
        return md[key] if len(md) and key in _items(md) else None
    return md.get(key) if isinstance(md, dict) else None


def _get(md, *keys) -> str:
    """A string from nested adapter metadata, or ""."""
    for key in keys:
        md = _child(md, key)
        if md is None:
            return ""
    return md if isinstance(md, str) else ""


def _timeline_rate(tl) -> float:
    if tl.global_start_time is not None:
        rate = tl.global_start_time.rate
        if not (math.isfinite(rate) and rate > 0 and math.isfinite(tl.global_start_time.value)):
            raise TimelineError(f"the timeline starts at rate {rate:g}: not a usable rate")
        return rate
    for clip in tl.find_clips():
        rate = _range(clip).duration.rate
        if rate > 0:
            return rate
    return 24.0


def _drop_frame(tl) -> bool | None:
    """What the file says about drop-frame; None leaves it to the rate (29.97 is DF)."""
    fmt = (_get(tl.metadata, "fcp_xml", "timecode", "displayformat")
           or _get(tl.metadata, "cutclear", "displayformat")  # EDL and AAF readers
           or _get(tl.metadata, "fcpx_xml", "tcFormat")).upper()
    if fmt in ("DF", "NDF"):
        return fmt == "DF"
    return None


_WHOLE_RATES = frozenset({24.0, 25.0, 30.0, 48.0, 50.0, 60.0})  # SMPTE rates without DF
_DIGITS = tuple(f"{n:02d}" for n in range(100))


class Timecode:
    """Formats top-level seconds as SMPTE timecode at the timeline's rate.

    At whole-number SMPTE rates (never drop-frame) the digits are computed here, as OTIO
    computes them (hours wrap at 24); other rates go through `otio.opentime.to_timecode`.
    """

    def __init__(self, rate: float, drop_frame: bool | None):
        self.exact = rate
        self.rate = otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate)
        # None lets OTIO infer from the rate: 29.97 and 59.94 count drop-frame
        self.drop_frame = False if float(self.rate).is_integer() else drop_frame
        self._fps = int(self.rate) if self.rate in _WHOLE_RATES else 0
        try:  # OTIO refuses some rates (drop-frame at 23.976) at the first clip, not here
            otio.opentime.to_timecode(otio.opentime.RationalTime(0, self.rate), self.rate,
                                      self.drop_frame)
        except ValueError as e:
            raise TimelineError(f"no SMPTE timecode can be written at {rate:g} fps"
                                f"{' drop-frame' if self.drop_frame else ''} ({e})") from None

    def format(self, seconds: float) -> str:
        frames = round(seconds * self.exact)
        if frames < 0:
            raise TimelineError(f"a clip lies {-seconds:g} s before 00:00:00:00, where no "
                                "timecode can name it")
        fps = self._fps
        if fps:
            s, f = divmod(frames, fps)
            m, s = divmod(s, 60)
            h, m = divmod(m, 60)
            return f"{_DIGITS[h % 24]}:{_DIGITS[m]}:{_DIGITS[s]}:{_DIGITS[f]}"
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, self.rate),
                                         self.rate, self.drop_frame)
