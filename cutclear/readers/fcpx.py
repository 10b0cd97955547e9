"""FCPXML (Final Cut Pro X): projects, events and libraries, as files or .fcpxmld bundles."""

from __future__ import annotations

import copy

import opentimelineio as otio
from lxml import etree

from cutclear.readers.base import Read, Source, parse_xml


def read(source: Source, options: dict) -> Read:
    """Read FCPXML, honouring what a compound clip's use enables.

    A ref-clip with srcEnable="video" uses only the picture of its compound clip, and
    with "audio" only the sound, but otio-fcpx-xml-adapter expands the whole compound at
    every use. Each such use is pointed, in memory, at a copy of the compound in which the
    half it does not use is turned into gaps (keeping what is connected to it), so that
    cutclear reports the clips the use really plays.
    """
    if source.data is None:  # an .fcpxmld bundle: as the adapter reads it
        return Read(otio.adapters.read_from_file(source.path, adapter_name="fcpx_xml"),
                    namespaces=frozenset())
    root = parse_xml(source)
    uses = [rc for rc in root.iter("ref-clip") if rc.get("srcEnable") in ("video", "audio")]
    resources = root.find("resources")
    by_id = {el.get("id"): el for el in resources} if resources is not None else {}
    copies: dict[tuple[str, str], str] = {}
    for use in uses:
        key = (use.get("ref"), use.get("srcEnable"))
        if key not in copies and key[0] in by_id:
            compound = _half_of(by_id[key[0]], key[1], by_id)
            resources.append(compound)
            copies[key] = compound.get("id")
        if key in copies:
            use.set("ref", copies[key])  # srcEnable stays: the adapter types tracks by it
    obj = otio.adapters.read_from_string(etree.tostring(root, encoding="unicode"),
                                         adapter_name="fcpx_xml")
    return Read(obj, namespaces=frozenset())


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
