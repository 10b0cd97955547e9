"""Avid Log Exchange (ALE) bins: clips logged at their source timecode."""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Read, Source


def read(source: Source, options: dict) -> Read:
    obj = otio.adapters.read_from_string(source.data.decode("utf-8", "replace"),
                                         adapter_name="ale")
    return Read(obj, namespaces=frozenset())
