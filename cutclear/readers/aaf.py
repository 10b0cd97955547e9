"""AAF compositions (Avid Media Composer, Pro Tools), through otio-aaf-adapter and pyaaf2."""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Read, Source


def read(source: Source, options: dict) -> Read:
    obj = otio.adapters.read_from_file(source.path, adapter_name="AAF")
    return Read(obj, namespaces=frozenset({"AAF"}))
