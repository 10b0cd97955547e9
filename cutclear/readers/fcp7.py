"""FCP7 interchange XML (Premiere Pro, Final Cut Pro 7, Resolve, Avid, Hiero exports)."""

from __future__ import annotations

import copy

import opentimelineio as otio
from lxml import etree

from cutclear.readers.base import Read, Source, parse_xml


def read(source: Source, options: dict) -> Read:
    """Read FCP7 XML, giving nested sequences their tracks back.

    otio-fcp-adapter 1.0 looks for a nested sequence's tracks directly under its
    <sequence> instead of under <sequence><media>, so every nested sequence comes in as an
    empty stack and its clips would pass unseen. Copies of the tracks are put where the
    adapter looks, in memory; the file is not touched. An adapter that reads <media>
    correctly ignores the copies.
    """
    root = parse_xml(source)
    for sequence in root.iterfind(".//clipitem/sequence"):
        media = sequence.find("media")
        if media is not None:
            sequence.extend(copy.deepcopy(list(media)))
    obj = otio.adapters.read_from_string(etree.tostring(root, encoding="unicode"),
                                         adapter_name="fcp_xml")
    return Read(obj, namespaces=frozenset({"fcp_xml"}))
