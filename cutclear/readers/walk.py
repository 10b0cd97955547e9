"""Walking what a reader returned into clip uses at their record timecode.

The walker computes record positions in one pass per track (OTIO's own `range_in_parent`
walks the siblings again for every item, which is quadratic on a feature), descends into
nested stacks and tracks (nested sequences, compound clips), keeps only what is visible
through their trims, and places every clip in the top-level timeline's timecode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import opentimelineio as otio

from cutclear.media import identity
from cutclear.model import ClipUse, MediaIdentity
from cutclear.readers.base import TimelineError
from cutclear.readers.fcp7.guard import refuse_lossy_fcp7


@dataclass(frozen=True)
class _Walk:
    """What stays the same during one walk: where the clips come from and what to keep."""

    relpath: str
    ns: frozenset[str] | None
    keep_items: bool

    def use(self, clip, sequence: str, track: str, track_name: str, start: float, end: float,
            tc: Timecode, enabled: bool) -> ClipUse:
        return ClipUse(self.relpath, sequence, track, track_name, tc.format(start),
                       tc.format(end), clip_media(clip, self.ns), enabled,
                       clip if self.keep_items else None)


def walk(obj, relpath: str, namespaces: frozenset[str] | None = None, keep_items: bool = True
         ) -> Iterator[ClipUse]:
    """Every clip use in what an adapter returned: a timeline, or a collection (bins,
    FCPXML libraries) holding timelines and loose clips.

    The walk is format-blind: readers hand it OTIO objects that already mean what the
    file means (cutclear's FCP7 reader builds each nest with only the tracks its use plays).
    A timeline that otio-fcp-adapter read (an OTIO tool's in-memory timeline) is refused
    where that adapter is known to lose clips (`fcp7.guard`). `namespaces` names the
    adapter metadata the clips can carry (None: any), which spares failed look-ups.
    Without `keep_items`, uses do not hold on to their OTIO clips (nor so to the whole
    timeline).
    """
    w = _Walk(relpath, namespaces, keep_items)
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
    """Loose clips and compound clips of a collection (ALE logs, FCPXML event clips), at
    their source timecode on a pseudo-track BIN."""
    for item in collection:
        if isinstance(item, otio.schema.SerializableCollection):
            yield from _walk_bin(item, w)
        elif isinstance(item, (otio.schema.Clip, otio.schema.Stack)):
            rng = _range(item)
            tc = Timecode(rng.duration.rate or 24, None)
            for clip, start, end, enabled in _clips_in_item(item, rng.start_time.to_seconds()):
                yield w.use(clip, collection.name or "", "BIN", "", start, end, tc, enabled)


def _clips_in_item(item, start: float) -> Iterator[tuple]:
    if isinstance(item, otio.schema.Clip):
        if _is_media(item):
            yield item, start, start + _range(item).duration.to_seconds(), _enabled(item, False)
    else:
        yield from _clips_in(item, start, None, True)


def _walk_timeline(tl, w: _Walk, sequence: str, several: bool) -> Iterator[ClipUse]:
    fcp_md = refuse_lossy_fcp7(tl)  # otio-fcp-adapter's output: <enabled> in metadata
    tc = Timecode(_timeline_rate(tl), _drop_frame(tl))
    origin = tl.global_start_time.to_seconds() if tl.global_start_time is not None else 0.0
    counts = {"Video": 0, "Audio": 0}
    extra_seen: set[tuple] = set()  # the CMX adapter copies an AA event's comments to A1 and A2
    for track in tl.tracks:
        kind = track.kind if track.kind in counts else "Video"
        counts[kind] += 1
        prefix = f"{sequence}/" if several else ""
        label = f"{prefix}{kind[0]}{counts[kind]}"
        # The CMX adapter keeps an EDL's first record timecode as a negative track start.
        shift = track.source_range.start_time.to_seconds() if track.source_range else 0.0
        for clip, start, end, enabled in _clips_in(track, origin - shift, None, True, fcp_md):
            yield w.use(clip, sequence, label, track.name or "", start, end, tc, enabled)
            for channel in _extra_audio_channels(clip, w.ns):
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
              enabled: bool, fcp_md: bool = False) -> Iterator[tuple]:
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
            continue
        if isinstance(child, otio.schema.Clip):
            if _is_media(child):
                yield child, seen[0], seen[1], enabled and _enabled(child, fcp_md)
        elif isinstance(child, otio.core.Composition) and not _is_title(child):
            # a nested sequence: its own time rng.start_time sits at `start`
            inner = start - rng.start_time.to_seconds()
            yield from _clips_in(child, inner, seen, enabled, fcp_md)


def _enabled(item, fcp_md: bool) -> bool:
    """otio-fcp-adapter 1.0 leaves <enabled>FALSE</enabled> in metadata only."""
    return item.enabled and not (fcp_md and _get(item.metadata, "fcp_xml",
                                                   "enabled").upper() == "FALSE")


def _is_title(item) -> bool:
    """An Avid title effect: its fill and matte come in as clips, but they are rendered
    graphics, not media."""
    return any(_get(e.metadata, "AAF", "ComponentAttributeList", "_EFFECT_PLUGIN_CLASS")
               == "Title" for e in item.effects)


def _intersect(span: tuple[float, float], window: tuple[float, float] | None):
    if window is None:
        return span
    start, end = max(span[0], window[0]), min(span[1], window[1])
    return (start, end) if end - start > 1e-9 else None


def _range(item):
    try:
        return item.trimmed_range()
    except Exception as e:  # no source range and no available range to fall back on
        raise TimelineError(f"item {item.name!r} has no usable range ({e})") from None


def _is_media(clip) -> bool:
    return not isinstance(clip.media_reference, otio.schema.GeneratorReference)


def clip_media(clip, ns: frozenset[str] | None = None) -> MediaIdentity:
    """The media identity of an OTIO clip, from its reference and the metadata of the
    adapters in `ns` (None: all of them)."""
    ref = clip.media_reference
    path = ""
    if isinstance(ref, otio.schema.ExternalReference):
        path = ref.target_url or ""
    elif isinstance(ref, otio.schema.ImageSequenceReference):
        digits = ref.frame_zero_padding or len(str(ref.start_frame))
        path = f"{ref.target_url_base.rstrip('/')}/{ref.name_prefix}{'#' * digits}{ref.name_suffix}"
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
    if tl.global_start_time is not None and tl.global_start_time.rate > 0:
        return tl.global_start_time.rate
    for clip in tl.find_clips():
        rate = _range(clip).duration.rate
        if rate > 0:
            return rate
    return 24.0


def _drop_frame(tl) -> bool | None:
    """What the file says about drop-frame; None leaves it to the rate (29.97 is DF)."""
    fmt = _get(tl.metadata, "fcp_xml", "timecode", "displayformat").upper()
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
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, self.rate),
                                         self.rate, self.drop_frame)
