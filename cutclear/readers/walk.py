"""Walking what a reader returned into clip uses at their record timecode.

The walker computes record positions in one pass per track (OTIO's own `range_in_parent`
walks the siblings again for every item, which is quadratic on a feature), descends into
nested stacks and tracks (nested sequences, compound clips), keeps only what is visible
through their trims, and places every clip in the top-level timeline's timecode.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import opentimelineio as otio

from cutclear.media import identity
from cutclear.model import ClipUse, MediaIdentity
from cutclear.readers.base import TimelineError
from cutclear.readers.fcp7.guard import refuse_lossy_fcp7

MAX_SECONDS = 1e7  # about 115 days: no time in a real cut comes near it


@dataclass(frozen=True)
class _Walk:
    """What stays the same during one walk: where the clips come from and what to keep."""

    relpath: str
    ns: frozenset[str] | None
    keep_items: bool
    hidden: list = field(default_factory=list)  # media clips no trim lets be seen

    def use(self, clip, sequence: str, track: str, track_name: str, start: float, end: float,
            tc: Timecode, enabled: bool) -> ClipUse:
        return ClipUse(self.relpath, sequence, track, track_name, tc.format(start),
                       tc.format(end), clip_media(clip, self.ns), enabled,
                       clip if self.keep_items else None)


def walk(obj, relpath: str, namespaces: frozenset[str] | None = None, keep_items: bool = True,
         hidden: list | None = None) -> Iterator[ClipUse]:
    """Every clip use in what an adapter returned: a timeline, or a collection (bins,
    FCPXML libraries) holding timelines and loose clips.

    The walk is format-blind: readers hand it OTIO objects that already mean what the
    file means (cutclear's FCP7 reader builds each nest with only the tracks its use plays).
    A timeline that otio-fcp-adapter read (an OTIO tool's in-memory timeline) is refused
    where that adapter is known to lose clips (`fcp7.guard`). `namespaces` names the
    adapter metadata the clips can carry (None: any), which spares failed look-ups.
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
    for item in collection:
        if isinstance(item, otio.schema.SerializableCollection):
            yield from _walk_bin(item, w)
        elif isinstance(item, (otio.schema.Clip, otio.schema.Stack, otio.schema.Track)):
            rng = _range(item)
            tc = Timecode(rng.duration.rate or 24, None)
            for clip, start, end, enabled in _clips_in_item(item, rng.start_time.to_seconds(),
                                                            w.hidden):
                yield w.use(clip, collection.name or "", "BIN", "", start, end, tc, enabled)


def _clips_in_item(item, start: float, hidden: list) -> Iterator[tuple]:
    if isinstance(item, otio.schema.Clip):
        if _is_media(item):
            yield item, start, start + _range(item).duration.to_seconds(), _enabled(item, False)
    else:
        yield from _clips_in(item, start, None, True, hidden)


def _walk_timeline(tl, w: _Walk, sequence: str, several: bool) -> Iterator[ClipUse]:
    fcp_md = refuse_lossy_fcp7(tl)  # otio-fcp-adapter's output: <enabled> in metadata
    tc = Timecode(_timeline_rate(tl), _drop_frame(tl))
    origin = tl.global_start_time.to_seconds() if tl.global_start_time is not None else 0.0
    counts = {"Video": 0, "Audio": 0}
    extra_seen: set[tuple] = set()  # the CMX adapter copies an AA event's comments to A1 and A2
    for track in tl.tracks:
        if not isinstance(track, otio.schema.Track):
            raise TimelineError(f"holds a {type(track).__name__} ({track.name!r}) directly in "
                                "the timeline's stack, not on a track: its record position "
                                "is not defined")
        kind = track.kind if track.kind in counts else "Video"
        # otio-cmx3600-adapter puts a NONE channel (only AUD 3/4) on a video track "NONE"
        none = track.name == "NONE" and (w.ns is None or "cmx_3600" in w.ns)
        counts[kind] += not none
        prefix = f"{sequence}/" if several else ""
        # cutclear's EDL reader names each track's channel (overlaps add tracks)
        label = prefix + (_get(track.metadata, "cmx_3600", "channel")
                          or f"{kind[0]}{counts[kind]}")
        # The CMX adapter keeps an EDL's first record timecode as a negative track start.
        shift = track.source_range.start_time.to_seconds() if track.source_range else 0.0
        for clip, start, end, enabled in _clips_in(track, origin - shift, None, True,
                                                   w.hidden, fcp_md):
            extra = _extra_audio_channels(clip, w.ns)
            if not none or not extra:  # a NONE event without AUD channels is still checked
                yield w.use(clip, sequence, label, track.name or "", start, end, tc, enabled)
            for channel in extra:
                key = (channel, start, clip.name)
                if key not in extra_seen:
                    extra_seen.add(key)
                    yield w.use(clip, sequence, f"{prefix}A{channel}", "", start, end, tc,
                                enabled)


_AUD = re.compile(r"^AUD\s+([\d\s]+)$")


def _extra_audio_channels(clip, ns: frozenset[str] | None) -> list[int]:
    """EDL audio channels 3 and up (`AUD 3 4` lines), which the CMX adapter keeps only as
    comments: each is a further use of the clip's media."""
    if ns is not None and "cmx_3600" not in ns or not len(clip.metadata):
        return []
    cmx = clip.metadata.get("cmx_3600")
    channels: list[int] = []
    for comment in (cmx.get("comments") or ()) if hasattr(cmx, "get") else ():
        m = _AUD.match(str(comment).strip())
        if m:
            channels += [int(c) for c in m.group(1).split()]
    return channels


def _clips_in(composition, offset: float, window: tuple[float, float] | None,
              enabled: bool, hidden: list, fcp_md: bool = False) -> Iterator[tuple]:
    """Yield (clip, start, end, enabled) in top-level seconds for a track or stack.

    `offset` maps the composition's own time to the top level; `window` is the part of
    the top level through which this composition is visible (None: all of it).
    """
    enabled = enabled and _enabled(composition, fcp_md)
    stacked = isinstance(composition, otio.schema.Stack)
    position = 0.0
    for child in composition:
        if isinstance(child, otio.schema.Transition):
            continue  # transitions overlap their neighbours and take no time
        rng = _range(child)
        duration = rng.duration.to_seconds()
        start = offset + (0.0 if stacked else position)
        if not stacked:
            position += duration
        if isinstance(child, otio.schema.Gap):
            continue
        seen = _intersect((start, start + duration), window)
        if seen is None:
            if isinstance(child, otio.schema.Clip):
                hidden.extend([child] if _is_media(child) else [])
            elif isinstance(child, otio.core.Composition):
                hidden.extend(c for c in child.find_clips() if _is_media(c))
            continue
        if isinstance(child, otio.schema.Clip):
            if _is_media(child):
                yield child, seen[0], seen[1], enabled and _enabled(child, fcp_md)
        elif isinstance(child, otio.core.Composition) and _is_title(child):
            # rendered graphics in an adapter's in-memory timeline; not counted as hidden,
            # so a census of the file (an .otio) still sees what they would hide
            continue
        elif isinstance(child, otio.core.Composition):
            # a nested sequence: its own time rng.start_time sits at `start`
            inner = start - rng.start_time.to_seconds()
            yield from _clips_in(child, inner, seen, enabled, hidden, fcp_md)


def _enabled(item, fcp_md: bool) -> bool:
    """otio-fcp-adapter 1.0 leaves <enabled>FALSE</enabled> in metadata only."""
    return item.enabled and not (fcp_md and _get(item.metadata, "fcp_xml",
                                                   "enabled").upper() == "FALSE")


def _is_title(item) -> bool:
    """An Avid title effect in an adapter's in-memory timeline: its fill and matte come in
    as clips, but they are rendered graphics, not media. (cutclear's AAF reader takes
    them out itself and keeps the background.) Older Media Composers mark a title by
    _TITLE_FORMATS only."""
    for e in item.effects:
        if _get(e.metadata, "AAF", "ComponentAttributeList", "_EFFECT_PLUGIN_CLASS") == "Title":
            return True
        md = e.metadata.get("AAF") if len(e.metadata) else None
        attributes = md.get("ComponentAttributeList") if hasattr(md, "get") else None
        if hasattr(attributes, "get") and "_TITLE_FORMATS" in attributes:
            return True
    return False


def _intersect(span: tuple[float, float], window: tuple[float, float] | None):
    if window is None:
        return span
    start, end = max(span[0], window[0]), min(span[1], window[1])
    return (start, end) if end - start > 1e-9 else None


def _range(item):
    try:
        rng = item.trimmed_range()
    except Exception as e:  # no source range and no available range to fall back on
        raise TimelineError(f"item {item.name!r} has no usable range ({e})") from None
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


def _is_media(clip) -> bool:
    """A clip plays media unless all its references are generators (slugs, bars)."""
    if not isinstance(clip.media_reference, otio.schema.GeneratorReference):
        return True  # the active one is media: no need to build the dict of references
    return not all(isinstance(r, otio.schema.GeneratorReference)
                   for r in clip.media_references().values())


def clip_media(clip, ns: frozenset[str] | None = None) -> MediaIdentity:
    """The media identity of an OTIO clip, from its reference and the metadata of the
    adapters in `ns` (None: all of them).

    A clip with several media references (original media, proxies, a high-res master)
    also gets the identity of each inactive one as an alternate: a record matching any
    of them applies to the clip.
    """
    main = _ref_media(clip, clip.media_reference, ns)
    refs = clip.media_references()
    if len(refs) < 2:
        return main
    active = clip.active_media_reference_key
    others = tuple(_ref_media(clip, ref, ns) for key, ref in sorted(refs.items())
                   if key != active)
    return dataclasses.replace(main, alternates=tuple(m for m in others if m != main))


def _ref_media(clip, ref, ns: frozenset[str] | None) -> MediaIdentity:
    """The identity of one of a clip's media references."""
    path = ""
    if isinstance(ref, otio.schema.ExternalReference):
        path = ref.target_url or ""
    elif isinstance(ref, otio.schema.ImageSequenceReference):
        digits = ref.frame_zero_padding or len(str(ref.start_frame))
        path = f"{ref.target_url_base.rstrip('/')}/{ref.name_prefix}{'#' * digits}{ref.name_suffix}"
    elif isinstance(ref, otio.schema.MissingReference):
        path = ref.name or ""  # offline media (FCP7, Premiere): the file name is all there is
    md = clip.metadata
    ref_md = ref.metadata if ref is not None else {}
    def wanted(name: str) -> bool:
        return ns is None or name in ns

    reel = (wanted("cmx_3600") and _get(md, "cmx_3600", "reel")
            or wanted("fcp_xml") and _get(ref_md, "fcp_xml", "timecode", "reel", "name") or "")
    source_ids = ((_get(md, "AAF", "MobID"), _get(ref_md, "AAF", "MobID"))
                  if wanted("AAF") else ())
    return identity(path, reel, clip.name or "", source_ids)


def _get(md, *keys) -> str:
    """A string from nested adapter metadata, or "". OTIO raises through its C++ binding
    for a missing key, which costs microseconds: empty dictionaries are skipped first."""
    if not len(md):
        return ""
    for key in keys:
        try:
            md = md[key]
        except (KeyError, TypeError, IndexError):
            return ""
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


class Timecode:
    """Formats top-level seconds as SMPTE timecode at the timeline's rate."""

    def __init__(self, rate: float, drop_frame: bool | None):
        self.exact = rate
        self.rate = otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate)
        # None lets OTIO infer from the rate: 29.97 and 59.94 count drop-frame
        self.drop_frame = False if float(self.rate).is_integer() else drop_frame

    def format(self, seconds: float) -> str:
        frames = round(seconds * self.exact)
        if frames < 0:
            raise TimelineError(f"a clip lies {-seconds:g} s before 00:00:00:00, where no "
                                "timecode can name it")
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, self.rate),
                                         self.rate, self.drop_frame)
