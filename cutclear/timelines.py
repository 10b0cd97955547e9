"""Reading timelines through OpenTimelineIO and walking every clip use in them.

The walker computes record positions in one pass per track (OTIO's own `range_in_parent`
walks the siblings again for every item, which is quadratic on a feature), descends into
nested stacks and tracks (nested sequences, compound clips), keeps only what is visible
through their trims, and places every clip in the top-level timeline's timecode.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

import opentimelineio as otio
from lxml import etree

from cutclear.formats import BUNDLES, RECORD_SUFFIX, SKIP_DIRS, adapter_for, is_timeline_file
from cutclear.globs import match_any
from cutclear.media import identity
from cutclear.model import ClipUse, MediaIdentity, Mode, TimelineRead

# The adapter metadata each reader leaves on clips; OTIO JSON can carry any of them.
NAMESPACES = {"fcp_xml": frozenset({"fcp_xml"}), "cmx_3600": frozenset({"cmx_3600"}),
              "AAF": frozenset({"AAF"}), "fcpx_xml": frozenset(), "ale": frozenset()}


class TimelineError(Exception):
    """A timeline cannot be read or walked (PV005)."""


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
            if is_timeline_file(os.path.join(dirpath, name)):
                timelines.append(rel)
    return RepoFiles(sorted(timelines), sorted(records))


def read_timeline(fullpath: str, relpath: str, mode: Mode, edl_rate: float | None = None,
                  keep_items: bool = False) -> TimelineRead:
    """Read a timeline file and list its clip uses; failures become `error` (PV005).

    The OTIO timeline is let go of once walked, unless `keep_items` keeps each use's clip
    (and so the whole timeline) in `ClipUse.item`.
    """
    result = TimelineRead(relpath, mode)
    try:
        obj = load(fullpath, edl_rate)
        result.clips = list(walk(obj, relpath, fcp7_repaired=True,
                                 namespaces=NAMESPACES.get(adapter_for(fullpath)),
                                 keep_items=keep_items))
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
        if adapter == "fcp_xml":
            return _read_fcp7(fullpath)
        if adapter == "fcpx_xml":
            return _read_fcpx(fullpath)
        return otio.adapters.read_from_file(fullpath, adapter_name=adapter, **kwargs)
    except TimelineError:
        raise
    except Exception as e:  # adapters raise anything from KeyError to struct.error
        raise TimelineError(_adapter_message(adapter, e, edl_rate)) from None


def _parse_xml(fullpath: str):
    """An NLE's XML export, parsed without DTDs, entities or network access."""
    try:
        return etree.parse(fullpath, etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)).getroot()
    except etree.XMLSyntaxError as e:
        raise TimelineError(f"not well-formed XML at line {e.lineno}: {e.msg}") from None


def _read_fcp7(fullpath: str):
    """Read FCP7 XML, giving nested sequences their tracks back.

    otio-fcp-adapter 1.0 looks for a nested sequence's tracks directly under its
    <sequence> instead of under <sequence><media>, so every nested sequence comes in as an
    empty stack and its clips would pass unseen. Copies of the tracks are put where the
    adapter looks, in memory; the file is not touched. An adapter that reads <media>
    correctly ignores the copies.
    """
    root = _parse_xml(fullpath)
    nested = [s for s in root.iterfind(".//clipitem/sequence") if s.find("media") is not None]
    if not nested:
        return otio.adapters.read_from_file(fullpath, adapter_name="fcp_xml")
    for sequence in nested:
        sequence.extend(copy.deepcopy(list(sequence.find("media"))))
    return otio.adapters.read_from_string(etree.tostring(root, encoding="unicode"),
                                          adapter_name="fcp_xml")


def _read_fcpx(fullpath: str):
    """Read FCPXML, honouring what a compound clip's use enables.

    A ref-clip with srcEnable="video" uses only the picture of its compound clip, and
    with "audio" only the sound, but otio-fcpx-xml-adapter expands the whole compound at
    every use. Each such use is pointed, in memory, at a copy of the compound in which the
    half it does not use is turned into gaps (keeping what is connected to it), so that
    cutclear reports the clips the use really plays.
    """
    if not os.path.isfile(fullpath):  # an .fcpxmld bundle: as the adapter reads it
        return otio.adapters.read_from_file(fullpath, adapter_name="fcpx_xml")
    root = _parse_xml(fullpath)
    uses = [rc for rc in root.iter("ref-clip") if rc.get("srcEnable") in ("video", "audio")]
    if not uses:
        return otio.adapters.read_from_file(fullpath, adapter_name="fcpx_xml")
    resources = root.find("resources")
    by_id = {el.get("id"): el for el in resources}
    copies: dict[tuple[str, str], str] = {}
    for use in uses:
        key = (use.get("ref"), use.get("srcEnable"))
        if key not in copies:
            compound = _half_of(by_id[key[0]], key[1], by_id)
            resources.append(compound)
            copies[key] = compound.get("id")
        use.set("ref", copies[key])  # srcEnable stays: the adapter types tracks by it
    return otio.adapters.read_from_string(etree.tostring(root, encoding="unicode"),
                                          adapter_name="fcpx_xml")


def _half_of(media, enabled: str, by_id: dict):
    """A copy of a compound clip (<media>) keeping only its `enabled` half."""
    result = copy.deepcopy(media)
    result.set("id", f"{media.get('id')}-cutclear-{enabled}")
    unused = "audio" if enabled == "video" else "video"
    has = "hasAudio" if enabled == "audio" else "hasVideo"
    for el in list(result.iter("video", "audio", "asset-clip")):
        asset = by_id.get(el.get("ref"))
        if el.tag == unused or (el.tag == "asset-clip" and asset is not None
                                and asset.get(has) != "1"):
            kept = {k: v for k, v in el.attrib.items()
                    if k in ("offset", "duration", "start", "lane", "name")}
            el.tag = "gap"
            el.attrib.clear()
            el.attrib.update(kept)
    return result


def _adapter_message(adapter: str, error: Exception, edl_rate: float | None) -> str:
    text = str(error).strip() or type(error).__name__
    if adapter == "cmx_3600" and "rate" in text.lower():
        return (f"{text}: the EDL's timecodes do not fit {edl_rate:g} fps; set the EDL's "
                "real rate with edl-rate or --rate")
    return f"cannot be read as {adapter} ({type(error).__name__}: {text})"


# --- walking -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Walk:
    """What stays the same during one walk: where the clips come from and what to keep."""

    relpath: str
    fcp7_repaired: bool
    ns: frozenset[str] | None
    keep_items: bool

    def use(self, clip, sequence: str, track: str, track_name: str, start: float, end: float,
            tc: Timecode, enabled: bool) -> ClipUse:
        return ClipUse(self.relpath, sequence, track, track_name, tc.format(start),
                       tc.format(end), clip_media(clip, self.ns), enabled,
                       clip if self.keep_items else None)


def walk(obj, relpath: str, fcp7_repaired: bool = False,
         namespaces: frozenset[str] | None = None, keep_items: bool = True
         ) -> Iterator[ClipUse]:
    """Every clip use in what an adapter returned: a timeline, or a collection (bins,
    FCPXML libraries) holding timelines and loose clips.

    In FCP7 timelines a nested sequence used on a video track contributes only its video
    tracks, and on an audio track only its audio, as in the NLE. Unless cutclear read the
    file itself (`fcp7_repaired`), an empty nested sequence there means the adapter lost
    its clips, and the walk fails rather than pass them unseen. `namespaces` names the
    adapter metadata the clips can carry (None: any), which spares failed look-ups.
    Without `keep_items`, uses do not hold on to their OTIO clips (nor so to the whole
    timeline).
    """
    w = _Walk(relpath, fcp7_repaired, namespaces, keep_items)
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
        yield from _clips_in(item, start, None, True, None, False)


def _walk_timeline(tl, w: _Walk, sequence: str, several: bool) -> Iterator[ClipUse]:
    fcp7 = "fcp_xml" in tl.metadata
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
        only = kind if fcp7 else None
        for clip, start, end, enabled in _clips_in(track, origin - shift, None, True, only,
                                                   fcp7 and not w.fcp7_repaired):
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
              enabled: bool, only_kind: str | None, strict_nested: bool) -> Iterator[tuple]:
    """Yield (clip, start, end, enabled) in top-level seconds for a track or stack.

    `offset` maps the composition's own time to the top level; `window` is the part of
    the top level through which this composition is visible (None: all of it).
    """
    fcp7 = only_kind is not None  # nested sequences are filtered by kind in FCP7 only
    enabled = enabled and _enabled(composition, fcp7)
    stacked = isinstance(composition, otio.schema.Stack)
    position = 0.0
    for child in composition:
        if isinstance(child, otio.schema.Transition):
            continue  # transitions overlap their neighbours and take no time
        if stacked and only_kind and isinstance(child, otio.schema.Track) and \
                child.kind != only_kind:
            continue
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
                yield child, seen[0], seen[1], enabled and _enabled(child, fcp7)
        elif isinstance(child, otio.core.Composition) and not _is_title(child):
            # a nested sequence: its own time rng.start_time sits at `start`
            inner = start - rng.start_time.to_seconds()
            if strict_nested and isinstance(child, otio.schema.Stack) and not len(child):
                raise TimelineError(
                    f"nested sequence {child.name!r} came in empty: otio-fcp-adapter drops "
                    "the clips of nested sequences, so they cannot be checked; check the FCP7 "
                    "file itself with cutclear (cutclear check / cutclear conform)")
            yield from _clips_in(child, inner, seen, enabled, only_kind, strict_nested)


def _enabled(item, fcp7: bool) -> bool:
    """otio-fcp-adapter 1.0 leaves <enabled>FALSE</enabled> in metadata only."""
    return item.enabled and not (fcp7 and _get(item.metadata, "fcp_xml",
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
