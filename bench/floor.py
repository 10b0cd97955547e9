"""The floor: the least work any checker of these timelines must do, done plainly.

    python bench/floor.py --root REPO [--rate FPS] TIMELINE...

1. find every `*.genai.xml` under REPO and parse it with lxml (the same safe parser
   settings as cutclear: no DTD, no entities, no network), indexing each per-media
   sidecar's assets by the media file name in a dict;
2. read each timeline with its OTIO adapter;
3. walk the clips once, one pass per track (positions summed as the walk goes, nested
   sequences entered and clipped to what shows through their trims), and look each clip's
   media name up in the dict.

No schema validation, no rules, no report: cutclear's time is measured as a ratio to this.
For FCP7 XML the floor, like cutclear, must see the clips of nested sequences, which
otio-fcp-adapter 1.0 reads as empty (it looks for their tracks under <sequence> instead
of <sequence><media>); it points the adapter at <media>, which costs nothing extra.
FCPXML is read with otio-fcpx-xml-adapter, AAF with otio-aaf-adapter (pyaaf2); whatever
they print goes to stderr, so that the last line of stdout is the floor's.
Prints one line: clips, matched clips, record files, assets.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from urllib.parse import unquote

import opentimelineio as otio
from lxml import etree

ADAPTERS = {".otio": "otio_json", ".xml": "fcp_xml", ".fcpxml": "fcpx_xml", ".aaf": "AAF",
            ".edl": "cmx_3600"}
SUFFIX = ".genai.xml"
ASSET = "{urn:cutclear:genai:1}asset"


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=True, remove_comments=True,
                           remove_pis=True)


def load_records(root: str) -> tuple[dict[str, list[str]], int, int]:
    index: dict[str, list[str]] = {}
    files = assets = 0
    xml = parser()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.endswith(SUFFIX):
                continue
            files += 1
            with open(os.path.join(dirpath, name), "rb") as f:
                doc = etree.fromstring(f.read(), xml)
            media = name[: -len(SUFFIX)].lower()
            for el in doc.iterchildren(ASSET):
                assets += 1
                index.setdefault(media, []).append(el.get("id"))
    return index, files, assets


def fcp7_nested_sequences() -> None:
    """Point otio-fcp-adapter at a nested <sequence>'s <media>, where its tracks are."""
    fcp_xml = otio.adapters.from_name("fcp_xml").module()  # as OTIO's plugin loader has it
    original = fcp_xml.FCP7XMLParser.stack_for_element

    def stack_for_element(self, element, context):
        media = element.find("./media") if element.tag == "sequence" else None
        if media is not None:
            return original(self, media, context.context_pushing_element(element))
        return original(self, element, context)

    fcp_xml.FCP7XMLParser.stack_for_element = stack_for_element


def clips(composition, offset: float, window: tuple[float, float] | None):
    """(clip, start, end) in top-level seconds, one pass over each composition."""
    stacked = isinstance(composition, otio.schema.Stack)
    position = 0.0
    for child in composition:
        if isinstance(child, otio.schema.Transition):
            continue
        rng = child.trimmed_range()
        duration = rng.duration.to_seconds()
        start = offset if stacked else offset + position
        if not stacked:
            position += duration
        if isinstance(child, otio.schema.Gap):
            continue
        lo, hi = start, start + duration
        if window is not None:
            lo, hi = max(lo, window[0]), min(hi, window[1])
            if hi - lo <= 1e-9:
                continue
        if isinstance(child, otio.schema.Clip):
            yield child, lo, hi
        elif isinstance(child, otio.core.Composition):
            yield from clips(child, start - rng.start_time.to_seconds(), (lo, hi))


def media_name(clip) -> str:
    url = getattr(clip.media_reference, "target_url", None) or ""
    return unquote(url.rsplit("/", 1)[-1]).lower()


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    args.add_argument("--root", required=True)
    args.add_argument("--rate", type=float, default=24.0, help="frame rate of EDLs")
    args.add_argument("timelines", nargs="+")
    opts = args.parse_args(argv)

    index, files, assets = load_records(opts.root)
    fcp7_nested_sequences()
    total = matched = 0
    for path in opts.timelines:
        full = os.path.join(opts.root, path)
        adapter = ADAPTERS[os.path.splitext(path)[1].lower()]
        kwargs = {"rate": opts.rate} if adapter == "cmx_3600" else {}
        with contextlib.redirect_stdout(sys.stderr):
            tl = otio.adapters.read_from_file(full, adapter_name=adapter, **kwargs)
        origin = tl.global_start_time.to_seconds() if tl.global_start_time else 0.0
        for track in tl.tracks:
            shift = track.source_range.start_time.to_seconds() if track.source_range else 0.0
            for clip, _start, _end in clips(track, origin - shift, None):
                total += 1
                if index.get(media_name(clip)):
                    matched += 1
    print(f"floor: {total} clips, {matched} matched, {files} record files, {assets} assets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
