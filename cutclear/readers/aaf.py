"""AAF compositions (Avid Media Composer, Pro Tools, Premiere), through otio-aaf-adapter.

The adapter (2.0.0, the version these fixes were verified against; any other is refused)
builds the OTIO timeline; pyaaf2 counts the file's source clips on its own
(`aaf_census`). Around the adapter:

- nothing it prints reaches stdout or stderr (`--format json` and `--quiet` stay
  clean);
- it is given exactly the bytes cutclear read (`Source.data`): pyaaf2 opens files by
  path only (`io.open`), so the bytes are written to a private temporary file, opened
  once with pyaaf2 for both the adapter and the census;
- the channels of one clip on one track (a channel combiner, Premiere's 5.1 as six
  same-named slots) come in as one OTIO clip per channel: all but the first become gaps
  of the same length, so the clip is one use. That takes a walk of the whole timeline
  (about 9% of the read on a 10,000-clip cut), so it is done only when the census found
  such channels; if the adapter's timeline held some the census did not merge, its
  uses outnumber the census and the read fails, never passes;
- a source clip whose MasterMob is missing comes in as a gap: the census counts it as
  unplaced, and the read fails;
- the adapter drops the timecode's Drop flag, so 29.97 non-drop compositions were
  reported in drop-frame: the flag is read with pyaaf2 and handed to the walk.

- an Avid title effect comes in as a stack of its fill and matte (and background, if
  any): the fill and matte clips (the mobs pyaaf2 finds as the title's inputs 2 and 3)
  become gaps and the title effect is taken off, so the walk counts the background.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import os
import tempfile
import threading
from importlib import metadata

import aaf2
import opentimelineio as otio

from cutclear.media import normalise_source_id
from cutclear.readers import aaf_census
from cutclear.readers.base import Census, Read, Source, TimelineError
from cutclear.readers.walk import walk

ADAPTER_VERSION = "2.0.0"
_STDOUT = threading.Lock()  # sys.stdout is process-wide: one AAF read at a time swaps it


def read(source: Source, options: dict) -> Read:
    _check_adapter()
    if source.data is None:
        raise TimelineError("an AAF is a file, not a folder")
    with tempfile.TemporaryDirectory(prefix="cutclear-aaf-") as folder:
        path = os.path.join(folder, "timeline.aaf")
        with open(path, "wb") as f:
            f.write(source.data)
        chatter = io.StringIO()  # the adapter's prints and root-logger warnings
        with _STDOUT, contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter), \
                aaf2.open(path, "r") as handle:
            obj = _adapter_read(path, handle)
            census = aaf_census.take_open(handle)
    if not census.compositions:
        raise TimelineError("holds no composition and no clip: not an exported sequence")
    drop_title_graphics(obj, census.title_mobs)
    if census.merges_channels:
        merge_channels(obj)
    _mark_drop_frame(obj, census.drop_frame)
    return Read(obj, census=Census(census.media, census.unplaced),
                namespaces=frozenset({"AAF"}))


class _OpenedOnce:
    """pyaaf2 as otio-aaf-adapter 2.0.0 sees it, except that `aaf2.open` hands out the
    file cutclear opened: one parse serves the adapter and the census (pyaaf2 caches
    the objects it has read), which halves the cost of the census."""

    def __init__(self, handle):
        self._handle = handle

    def __getattr__(self, name: str):
        return getattr(aaf2, name)

    def open(self, *args, **kwargs):
        return contextlib.nullcontext(self._handle)


def _adapter_read(path: str, handle):
    """The adapter's read, on `handle`; called under _STDOUT, which also serialises the
    swap of the adapter module's `aaf2`."""
    module = importlib.import_module("otio_aaf_adapter.adapters.advanced_authoring_format")
    module.aaf2 = _OpenedOnce(handle)
    try:
        return otio.adapters.read_from_file(path, adapter_name="AAF")
    finally:
        module.aaf2 = aaf2


def _mark_drop_frame(obj, drop: dict[str, bool]) -> None:
    """Tell the walk how each composition's timecode is shown: the adapter keeps the
    rate but not the Drop flag, so 29.97 non-drop would be printed drop-frame."""
    timelines = ([obj] if isinstance(obj, otio.schema.Timeline)
                 else obj.find_children(descended_from_type=otio.schema.Timeline))
    first = next(iter(drop.values()), None)
    for tl in timelines:
        flag = drop.get(tl.name or "", first if len(drop) == 1 else None)
        if flag is not None:
            tl.metadata["cutclear"] = {"displayformat": "DF" if flag else "NDF"}


def _check_adapter() -> None:
    try:
        version = metadata.version("otio-aaf-adapter")
    except metadata.PackageNotFoundError:
        version = "none"
    if version != ADAPTER_VERSION:
        raise TimelineError(
            f"otio-aaf-adapter {version} is installed, but cutclear's AAF reader is verified "
            f"with {ADAPTER_VERSION} only; install otio-aaf-adapter=={ADAPTER_VERSION}")


def drop_title_graphics(obj, title_mobs: set[str]) -> None:
    """The fill and matte of Avid titles are rendered graphics, not media: gaps."""
    if not title_mobs:
        return
    wanted = {normalise_source_id(m) for m in title_mobs}
    for stack in obj.find_children(descended_from_type=otio.schema.Stack):
        titles = [e for e in stack.effects if _is_title(e)]
        if not titles:
            continue
        for clip in list(stack.find_clips()):
            if normalise_source_id(_mob_id(clip)) in wanted:
                parent = clip.parent()
                index = next(i for i, child in enumerate(parent) if child is clip)
                parent[index] = otio.schema.Gap(source_range=clip.trimmed_range())
        stack.effects[:] = [e for e in stack.effects if not _is_title(e)]


def _is_title(effect) -> bool:
    md = effect.metadata.get("AAF", {})
    attributes = md.get("ComponentAttributeList", {}) if hasattr(md, "get") else {}
    attributes = attributes if hasattr(attributes, "get") else {}
    return (str(effect.name or "").startswith("Title")
            or attributes.get("_EFFECT_PLUGIN_CLASS") == "Title"
            or "_TITLE_FORMATS" in attributes)


def _mob_id(clip) -> str:
    md = clip.metadata.get("AAF", {})
    return str(md.get("MobID", "")) if hasattr(md, "get") else ""


def merge_channels(obj) -> None:
    """Make the channels of one audio clip one use: the first channel's clip stays, the
    others (same track name, record span, media and source start) become gaps."""
    seen: set[tuple] = set()
    names = _slot_names(obj)
    for use in list(walk(obj, "", namespaces=frozenset({"AAF"}), keep_items=True)):
        if not use.track.rsplit("/", 1)[-1].startswith("A"):
            continue
        clip = use.item
        key = (names.get(use.track, use.track), use.record_in, use.record_out,
               use.media.source_ids, use.media.clip, clip.trimmed_range().start_time.value)
        if key not in seen:
            seen.add(key)
            continue
        parent = clip.parent()
        index = next(i for i, child in enumerate(parent) if child is clip)
        parent[index] = otio.schema.Gap(source_range=clip.trimmed_range())


def _slot_names(obj) -> dict[str, str]:
    """Track label -> the AAF slot's own name, for tracks that come from a named slot
    (the adapter names the others after their class, "TimelineMobSlot" or "Sequence")."""
    names: dict[str, str] = {}
    timelines = [obj] if isinstance(obj, otio.schema.Timeline) else []
    for tl in timelines:
        count = 0
        for track in tl.tracks:
            if track.kind != otio.schema.TrackKind.Audio:
                continue
            count += 1
            md = track.metadata.get("AAF", {})
            name = md.get("Name") if hasattr(md, "get") and "SlotID" in md else None
            if name and name != "TimelineMobSlot":
                names[f"A{count}"] = "slot " + str(name)
    return names
