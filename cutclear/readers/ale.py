"""Avid Log Exchange (ALE) bins: clips logged at their source timecode.

otio-ale-adapter makes one clip per data line, but it passes a file without a `Data`
section as an empty bin, and it names no line when one is damaged. The census counts
the data lines itself and checks each has no more values than there are columns, so a
damaged or truncated ALE fails with its line number instead of passing short.
"""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Census, Read, Source, TimelineError


def read(source: Source, options: dict) -> Read:
    if source.data is None:
        raise TimelineError("an ALE is a text file, not a folder")
    if b"\x00" in source.data:
        raise TimelineError("holds binary data: not an Avid Log Exchange file (a text file)")
    text = source.data.decode("utf-8", "replace")
    census = take_census(text)
    obj = otio.adapters.read_from_string(text, adapter_name="ale")
    return Read(obj, census=census, namespaces=frozenset())


def take_census(text: str) -> Census:
    """The data lines of an ALE, each checked against the Column section."""
    columns: int | None = None
    section = ""
    lines = text.splitlines()
    data = 0
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        word = line.strip()
        if word in ("Heading", "Column", "Data"):
            section = word
            if word == "Column":
                if number >= len(lines) or not lines[number].strip():
                    raise TimelineError(f"line {number}: a Column section without column names")
                columns = len(lines[number].split("\t"))
                number += 1
            elif word == "Data" and columns is None:
                raise TimelineError(f"line {number}: a Data section before any Column section")
            continue
        if section != "Data" or not word:
            continue
        values = line.split("\t")
        if len(values) > columns:
            raise TimelineError(f"line {number}: {len(values)} values for {columns} columns: "
                                "the ALE is damaged (a tab too many, or two lines run together)")
        data += 1
    if columns is None or section != "Data" and not data:
        raise TimelineError("has no Column and Data sections: not an Avid Log Exchange file, "
                            "or a damaged one")
    return Census(data)
