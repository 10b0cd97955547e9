"""Reading timelines through OpenTimelineIO and walking every clip use in them.

The walker computes record positions in one pass per track (OTIO's own `range_in_parent`
walks the siblings again for every item, which is quadratic on a feature), descends into
nested stacks and tracks (nested sequences, compound clips), keeps only what is visible
through their trims, and places every clip in the top-level timeline's timecode.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import opentimelineio as otio

from cutclear.globs import match_any
from cutclear.media import identity
from cutclear.model import ClipUse, MediaIdentity, Mode, TimelineRead
from cutclear.records import RECORD_SUFFIX

ADAPTERS = {
    ".otio": "otio_json", ".otioz": "otioz", ".otiod": "otiod",
    ".xml": "fcp_xml", ".fcpxml": "fcpx_xml", ".fcpxmld": "fcpx_xml",
    ".edl": "cmx_3600", ".aaf": "AAF", ".ale": "ale",
}
BUNDLES = (".otiod", ".fcpxmld")  # timelines stored as folders
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})


class TimelineError(Exception):
    """A timeline cannot be read or walked (PV005)."""


def adapter_for(path: str) -> str | None:
    """The OTIO adapter for a path; record files are never taken for FCP7 XML."""
    lower = path.lower().rstrip("/")
    if lower.endswith(RECORD_SUFFIX):
        return None
    return ADAPTERS.get(os.path.splitext(lower)[1])


def _is_xmeml(path: str) -> bool:
    """Only FCP7 interchange XML is a timeline; other .xml files in a repo are not."""
    try:
        with open(path, "rb") as f:
            return b"<xmeml" in f.read(4096)
    except OSError:
        return True  # let the reader report it


@dataclass(frozen=True)
class RepoFiles:
    timelines: list[str]
    records: list[str]


def discover(root: str, record_globs: tuple[str, ...], exclude: tuple[str, ...] = (),
             under: str | None = None) -> RepoFiles:
    """Every timeline and record file under `root` (or its sub-folder `under`), one walk.

    Hidden folders (.git) are skipped. Paths are repo-relative with '/'.
    """
    timelines: list[str] = []
    records: list[str] = []
    top = os.path.join(root, under) if under else root
    for dirpath, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            if d.lower().endswith(BUNDLES):
                filenames.append(d)
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = rel_dir + name
            if match_any(exclude, rel):
                continue
            if name.lower().endswith(RECORD_SUFFIX):
                if match_any(record_globs, rel):
                    records.append(rel)
                continue
            adapter = adapter_for(name)
            if adapter is None:
                continue
            if adapter == "fcp_xml" and not _is_xmeml(os.path.join(dirpath, name)):
                continue
            timelines.append(rel)
    return RepoFiles(sorted(timelines), sorted(records))


def read_timeline(fullpath: str, relpath: str, mode: Mode,
                  edl_rate: float | None = None) -> TimelineRead:
    """Read a timeline file and list its clip uses; failures become `error` (PV005)."""
    result = TimelineRead(relpath, mode)
    try:
        obj = load(fullpath, edl_rate)
        result.clips = list(walk(obj, relpath))
    except TimelineError as e:
        result.error = str(e)
    return result


def load(fullpath: str, edl_rate: float | None = None):
    """Read a file with its OTIO adapter; any adapter failure becomes a TimelineError."""
    adapter = adapter_for(fullpath)
    if adapter is None:
        raise TimelineError("not a timeline format cutclear reads (.otio, .otioz, .otiod, "
                            ".xml (FCP7), .fcpxml, .edl, .aaf, .ale)")
    kwargs = {}
    if adapter == "cmx_3600":
        if edl_rate is None:
            raise TimelineError("an EDL does not state its frame rate: set edl-rate in the "
                                "cutclear settings or pass --rate (e.g. --rate 24)")
        kwargs["rate"] = edl_rate
    if not os.path.exists(fullpath):
        raise TimelineError("no such file")
    try:
        return otio.adapters.read_from_file(fullpath, adapter_name=adapter, **kwargs)
    except Exception as e:  # adapters raise anything from KeyError to struct.error
        raise TimelineError(_adapter_message(adapter, e, edl_rate)) from None


def _adapter_message(adapter: str, error: Exception, edl_rate: float | None) -> str:
    text = str(error).strip() or type(error).__name__
    if adapter == "cmx_3600" and "rate" in text.lower():
        return (f"{text}: the EDL's timecodes do not fit {edl_rate:g} fps; set the EDL's "
                "real rate with edl-rate or --rate")
    return f"cannot be read as {adapter} ({type(error).__name__}: {text})"


# --- walking -------------------------------------------------------------------------

def walk(obj, relpath: str) -> Iterator[ClipUse]:
    """Every clip use in what an adapter returned: a timeline, or a collection (bins,
    FCPXML libraries) holding timelines and loose clips."""
    if isinstance(obj, otio.schema.Timeline):
        yield from _walk_timeline(obj, relpath, "", several=False)
    elif isinstance(obj, otio.schema.SerializableCollection):
        timelines = list(obj.find_children(descended_from_type=otio.schema.Timeline))
        several = len(timelines) > 1
        for tl in timelines:
            yield from _walk_timeline(tl, relpath, tl.name or "", several)
        yield from _walk_bin(obj, relpath)
    else:
        raise TimelineError(f"holds a {type(obj).__name__}, not a timeline")


def _walk_bin(collection, relpath: str) -> Iterator[ClipUse]:
    """Loose clips of a collection (ALE logs, FCPXML event clips), at their source timecode."""
    for item in collection:
        if isinstance(item, otio.schema.SerializableCollection):
            yield from _walk_bin(item, relpath)
        elif isinstance(item, otio.schema.Clip) and _is_media(item):
            rng = _range(item)
            rate = rng.duration.rate or 24
            tc = Timecode(rate, None)
            start = rng.start_time.to_seconds()
            yield _use(item, relpath, collection.name or "", "BIN", "",
                       tc.format(start), tc.format(start + rng.duration.to_seconds()), True)


def _walk_timeline(tl, relpath: str, sequence: str, several: bool) -> Iterator[ClipUse]:
    rate = _timeline_rate(tl)
    tc = Timecode(rate, _drop_frame(tl))
    origin = tl.global_start_time.to_seconds() if tl.global_start_time is not None else 0.0
    counts = {"Video": 0, "Audio": 0}
    for track in tl.tracks:
        kind = track.kind if track.kind in counts else "Video"
        counts[kind] += 1
        label = f"{kind[0]}{counts[kind]}"
        if several:
            label = f"{sequence}/{label}"
        # The CMX adapter keeps an EDL's first record timecode as a negative track start.
        shift = track.source_range.start_time.to_seconds() if track.source_range else 0.0
        for clip, start, end, enabled in _clips_in(track, origin - shift, None, True):
            yield _use(clip, relpath, sequence, label, track.name or "", tc.format(start),
                       tc.format(end), enabled)


def _clips_in(composition, offset: float, window: tuple[float, float] | None,
              enabled: bool) -> Iterator[tuple]:
    """Yield (clip, start, end, enabled) in top-level seconds for a track or stack.

    `offset` maps the composition's own time to the top level; `window` is the part of
    the top level through which this composition is visible (None: all of it).
    """
    enabled = enabled and composition.enabled
    stacked = isinstance(composition, otio.schema.Stack)
    position = 0.0
    for child in composition:
        if isinstance(child, otio.schema.Transition):
            continue  # transitions overlap their neighbours and take no time
        rng = _range(child)
        duration = rng.duration.to_seconds()
        start = offset + (0.0 if stacked else position)
        end = start + duration
        if not stacked:
            position += duration
        if isinstance(child, otio.schema.Gap):
            continue
        seen = _intersect((start, end), window)
        if seen is None:
            continue
        if isinstance(child, otio.schema.Clip):
            if _is_media(child):
                yield child, seen[0], seen[1], enabled and child.enabled
        elif isinstance(child, otio.core.Composition):
            # a nested sequence: its own time rng.start_time sits at `start`
            inner = start - rng.start_time.to_seconds()
            yield from _clips_in(child, inner, seen, enabled and child.enabled)


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


def _use(clip, relpath: str, sequence: str, track: str, track_name: str, record_in: str,
         record_out: str, enabled: bool) -> ClipUse:
    return ClipUse(relpath, sequence, track, track_name, record_in, record_out,
                   clip_media(clip), enabled)


def clip_media(clip) -> MediaIdentity:
    """The media identity of an OTIO clip, from its reference and adapter metadata."""
    ref = clip.media_reference
    path = ""
    if isinstance(ref, otio.schema.ExternalReference):
        path = ref.target_url or ""
    elif isinstance(ref, otio.schema.ImageSequenceReference):
        digits = ref.frame_zero_padding or len(str(ref.start_frame))
        path = f"{ref.target_url_base.rstrip('/')}/{ref.name_prefix}{'#' * digits}{ref.name_suffix}"
    md = clip.metadata
    ref_md = ref.metadata if ref is not None else {}
    reel = _get(md, "cmx_3600", "reel") or _get(ref_md, "fcp_xml", "timecode", "reel", "name")
    source_ids = (_get(md, "AAF", "MobID"), _get(ref_md, "AAF", "MobID"))
    return identity(path, reel, clip.name or "", source_ids)


def _get(md, *keys) -> str:
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
