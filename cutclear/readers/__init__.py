"""Readers: one module per timeline format, each returning OTIO objects and a census.

`read_timeline` is the one way in: it opens the file once, hands its bytes to the format's
reader, walks what the reader returns into clip uses and checks the walk against the
census. Any failure on the way is the timeline's PV005, never an exception and never a
silent partial read.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Protocol

from cutclear.formats import adapter_for
from cutclear.model import ClipUse, Mode, TimelineRead
from cutclear.readers.base import MAX_BYTES, Read, Source, TimelineError, adapter_message

# Each reader is imported when a file of its format is first read: most runs read one or
# two formats, and the AAF reader alone pulls in aaf2 (40-50 ms of a hook run).
READERS: dict[str, str] = {
    "otio_json": "otio_json", "otioz": "otio_json", "otiod": "otio_json",
    "fcp_xml": "fcp7", "fcpx_xml": "fcpx", "cmx_3600": "edl", "AAF": "aaf", "ale": "ale",
}


def reader(adapter: str) -> ModuleType:
    """The reader module of an adapter name (a KeyError for one cutclear does not read)."""
    return importlib.import_module(f"cutclear.readers.{READERS[adapter]}")

# `walk` (cutclear.readers.walk) is imported where it is used: it imports OpenTimelineIO
# (50-80 ms), which a hook run served from the timeline cache never needs.
__all__ = ["TimelineError", "load", "read_timeline"]


def read_timeline(fullpath: str, relpath: str, mode: Mode, edl_rate: float | None = None,
                  keep_items: bool = False, *, cache: ReadCache | None = None,
                  max_bytes: int = MAX_BYTES) -> TimelineRead:
    """Read a timeline file and list its clip uses; failures become `error` (PV005).

    The OTIO timeline is let go of once walked, unless `keep_items` keeps each use's clip
    (and so the whole timeline) in `ClipUse.item`. With a `cache`, the clip uses are
    looked up by the digest of the very bytes read here (and the reader's options), so
    that what is served is what these bytes held; a miss is read and offered to it.
    Files over `max_bytes` (`max-timeline-size`) are refused before parsing.
    """
    result = TimelineRead(relpath, mode)
    try:
        options = options_for(fullpath, edl_rate, max_bytes)
        source = Source.open(fullpath, max_bytes)
        if source.data is None or keep_items:  # no digest taken without a cache
            cache = None  # bundles (folders) and kept OTIO items are read every time
        clips = cache.get(source, options, relpath) if cache is not None else None
        if clips is None:
            read = load(fullpath, edl_rate, source, max_bytes)
            hidden: list = []
            if read.uses is not None and not keep_items:  # listed without OTIO objects
                clips = read.uses(relpath, hidden)
            else:
                from cutclear.readers.walk import walk

                clips = list(walk(read.obj, relpath, namespaces=read.namespaces,
                                  keep_items=keep_items, hidden=hidden))
            if read.census is None:  # every reader takes one: an unchecked read is no read
                raise TimelineError("read without a census of the file: not trusted")
            read.census.verify(len(clips), len(hidden))
            if cache is not None:
                cache.put(source, options, clips)
        result.clips = clips
    except TimelineError as e:
        result.error = str(e)
    return result


class ReadCache(Protocol):
    """Where walked timelines are kept (`cutclear.cache.TimelineCache`)."""

    def get(self, source: Source, options: dict, relpath: str) -> list[ClipUse] | None: ...

    def put(self, source: Source, options: dict, clips: list[ClipUse]) -> None: ...


def options_for(fullpath: str, edl_rate: float | None, max_bytes: int = MAX_BYTES) -> dict:
    """What the reader of a file is called with (and what the cache keys by, with the
    bytes)."""
    adapter = adapter_for(fullpath)
    if adapter is None:
        raise TimelineError("not a timeline format cutclear reads (.otio, .otioz, .otiod, "
                            ".xml (FCP7), .fcpxml, .edl, .aaf, .ale)")
    return {"adapter": adapter, "edl_rate": edl_rate, "max_bytes": max_bytes}


def load(fullpath: str, edl_rate: float | None = None, source: Source | None = None,
         max_bytes: int = MAX_BYTES) -> Read:
    """Read a file (or the `source` already read from it) with the reader of its format;
    any failure becomes a TimelineError."""
    options = options_for(fullpath, edl_rate, max_bytes)
    source = source if source is not None else Source.open(fullpath, max_bytes)
    try:
        return reader(options["adapter"]).read(source, options)
    except TimelineError:
        raise
    except Exception as e:  # adapters raise anything from KeyError to struct.error
        raise TimelineError(adapter_message(options["adapter"], e)) from None
