"""XMP as provenance: sidecars and the packet embedded in the media, with the IPTC digital
source type and the IPTC 2025.1 AI fields.

A sidecar is named after its media, `clip.xmp` or `clip.mov.xmp`, and sits beside the
media (when the media is reachable: its path, or the conform's media root) or anywhere in
the edit repo beside the records. Both XMP serialisations are read: properties as
attributes of rdf:Description (Adobe) and as child elements (ExifTool). What a sidecar
says is an asset like any other: when it says generative and a *.genai.xml says camera,
the clip is checked against both and PV003 reports the conflict. A sidecar that cannot be
read, or names a source type outside the IPTC vocabulary, counts against the clip
(PV007), never for it; one without a source type (camera or rights metadata only) says
nothing about provenance and is passed over.

The XMP embedded in the media file itself (MOV/MP4, MXF, JPEG, PNG, TIFF, WAV; read with
ExifTool when installed, else by a bounded packet scan, `cutclear.xmpscan`) is read
wherever the file can be seen, as the asset `XMP:<media path>`. `AISystemUsed` and
`AISystemVersionUsed` become the asset's tool (its data terms unknown, so the DU rules
judge it) and `AIPromptInformation` its prompt (so IP001 reads it), for sidecars and
embedded XMP alike.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import quote

from cutclear import safexml, sources
from cutclear.clearance import Context
from cutclear.formats import SKIP_DIRS
from cutclear.hookspecs import hookimpl
from cutclear.mediafile import cached, derived_tool, display_path, media_file
from cutclear.model import ClipUse, Problem, Rule, Severity
from cutclear.records import Asset, Source, origin_class

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
MAX_XMP_BYTES = 4 * 1024 * 1024
AI_FIELDS = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation",
             "AIPromptWriterName")


def read_xmp(data: bytes) -> tuple[dict[str, str], int]:
    """The IPTC properties of an XMP packet, and the line of the first rdf:Description."""
    root = safexml.parse(data, "XMP sidecars")
    found: dict[str, str] = {}
    line = 0
    for desc in root.iter(f"{{{RDF}}}Description"):
        line = line or desc.sourceline or 0
        for key in ("DigitalSourceType", *AI_FIELDS):
            value = desc.get(f"{{{IPTC_EXT}}}{key}")
            child = desc.find(f"{{{IPTC_EXT}}}{key}")
            if value is None and child is not None:
                value = child.get(f"{{{RDF}}}resource") or " ".join(
                    t.strip() for t in child.itertext() if t.strip())
            if value and key not in found:
                found[key] = value.strip()
    return found, line


class Sidecars:
    """The XMP files of an edit repo by name, each read at most once in a run."""

    def __init__(self, root: str):
        self.root = root
        self.by_name: dict[str, list[str]] = {}
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames
                                 if not d.startswith(".") and d not in SKIP_DIRS)
            for name in sorted(filenames):
                if name.lower().endswith(".xmp"):
                    self.by_name.setdefault(name.lower(), []).append(
                        os.path.join(dirpath, name))
        self.read: dict[str, Stated | safexml.UnsafeXML | None] = {}
        self.folders: dict[str, dict[str, str]] = {}  # media folder -> its sidecars by name

    def candidates(self, clip: ClipUse, ctx: Context) -> list[str]:
        """Sidecars of the clip's media: beside the media, then anywhere in the repo."""
        name = clip.media.name.lower()
        names = (f"{name}.xmp", f"{os.path.splitext(name)[0]}.xmp")
        folders = [os.path.dirname(clip.media.path)] if clip.media.path else []
        if ctx.media_root is not None:
            found = ctx.media_root.find(clip.media)
            if found:
                folders.append(os.path.dirname(found))
        paths = []
        for folder in folders:
            if folder not in self.folders:  # media folders are shared by many clips
                self.folders[folder] = _sidecars_in(folder)
            paths += [p for p in (self.folders[folder].get(n) for n in names) if p]
        for n in names:
            paths += self.by_name.get(n, ())
        return list(dict.fromkeys(paths)) if len(paths) > 1 else paths

    def load(self, path: str) -> Stated | safexml.UnsafeXML | None:
        """The asset a sidecar states, its error, or None when it states no source type
        (XMP written for camera or rights metadata only)."""
        if path not in self.read:
            self.read[path] = self._load(path)
        return self.read[path]

    def _load(self, path: str) -> Stated | safexml.UnsafeXML | None:
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        rel = path if rel.startswith("../") else rel
        try:
            props, line = read_xmp(safexml.read_bounded(path, MAX_XMP_BYTES, "XMP sidecars"))
        except safexml.UnsafeXML as e:
            return _located(e, rel)
        except OSError as e:
            return _located(safexml.UnsafeXML(f"cannot read: {e.strerror}"), rel)
        return stated(props, line, rel, f"XMP:{quote(rel, safe='/')}")


@dataclass(frozen=True)
class Stated:
    """What one XMP packet states: the asset, and the AI system named (name, version)."""

    asset: Asset
    system: tuple[str, str | None] | None = None


def stated(props: dict[str, str], line: int, rel: str,
           asset_id: str) -> Stated | safexml.UnsafeXML | None:
    """The asset XMP properties state, the error of an unknown source type, or None when
    they state no source type. Naming an AI system or a prompt without a source type is
    an error too: the media was made with AI, but how is not said."""
    origin = props.get("DigitalSourceType")
    if not origin:
        if any(props.get(k) for k in AI_FIELDS):
            return _located(safexml.UnsafeXML("names an AI system or prompt but no "
                                              "DigitalSourceType, so how the media was made "
                                              "is unknown: add Iptc4xmpExt:DigitalSourceType",
                                              line), rel)
        return None
    cls = origin_class(origin)
    if cls is None:
        return _located(safexml.UnsafeXML(f"DigitalSourceType {origin!r} is not an IPTC "
                                          "digital source type", line), rel)
    system = " ".join(props[k] for k in ("AISystemUsed", "AISystemVersionUsed")
                      if k in props)
    writer = props.get("AIPromptWriterName")
    asset = Asset(asset_id, origin, cls, Source(rel, line),
                  prompts=tuple(p for p in [props.get("AIPromptInformation")] if p),
                  notes=tuple(n for n in [system and f"AI system: {system}",
                                          writer and f"prompt written by {writer}"] if n))
    name = props.get("AISystemUsed")
    return Stated(asset, (name, props.get("AISystemVersionUsed")) if name else None)


def read_embedded(path: str, rel: str,
                  packets: list[bytes] | None = None) -> Stated | safexml.UnsafeXML | None:
    """What the XMP embedded in a media file states (the first packet stating a source
    type: a file may carry its thumbnail's packet too); `packets` when already read."""
    from cutclear.xmpscan import XMPReadError, embedded_xmp, scan

    where = f"embedded in {rel}"
    try:
        if packets is None:
            packets = embedded_xmp(path)
        elif not packets:  # ExifTool found none ahead: the scan still gets its chance
            packets = scan(path)
    except XMPReadError as e:
        return _located(safexml.UnsafeXML(str(e)), where)
    found: list[Stated] = []
    for packet in packets:  # every packet: a thumbnail's may say camera, the file's not
        try:
            props, _line = read_xmp(packet)
        except safexml.UnsafeXML as e:
            e.line = None  # a line inside a packet inside a binary file helps nobody
            return _located(e, where)
        one = stated(props, 0, where, f"XMP:{quote(rel, safe='/')}")
        if isinstance(one, safexml.UnsafeXML):
            return one
        if one is not None:
            found.append(one)
    # the most restrictive statement wins: generative over generative-edit over other
    rank = {"generative": 0, "generative-edit": 1}
    return min(found, key=lambda s: rank.get(s.asset.origin_class, 2), default=None)


def _sidecars_in(folder: str) -> dict[str, str]:
    """The .xmp files of a media folder by lower-case name (`CLIP.MOV.XMP` is a sidecar
    too); empty when the folder cannot be reached from here."""
    try:
        return {e.name.lower(): e.path for e in os.scandir(folder)
                if e.name.lower().endswith(".xmp") and e.is_file()}
    except OSError:
        return {}


def _located(error: safexml.UnsafeXML, rel: str) -> safexml.UnsafeXML:
    error.where = f"{rel}:{error.line}" if error.line else rel
    return error


def _sidecars(ctx: Context) -> Sidecars:
    if "cutclear-xmp" not in ctx.cache:  # walked once per run: sidecars may change between
        ctx.cache["cutclear-xmp"] = Sidecars(ctx.config.root)
    return ctx.cache["cutclear-xmp"]


@hookimpl
def cutclear_provenance(clip: ClipUse, ctx: Context) -> list[Asset]:
    if not clip.media.name:
        return []
    sidecars = _sidecars(ctx)
    found = [sidecars.load(path) for path in sidecars.candidates(clip, ctx)]
    media = media_file(clip, ctx)
    if media is not None:
        rel = display_path(media, ctx)
        ahead = _ahead(ctx).get(os.path.abspath(media))
        found.append(cached(f"xmp-embedded:{rel}", media,
                            lambda p: read_embedded(p, rel, ahead)))
    errors = [e for e in found if isinstance(e, safexml.UnsafeXML)]
    if errors:  # for PV007 (unreadable_sidecar), which finds nothing without an entry
        ctx.cache[("cutclear-xmp", clip.media)] = errors
    assets = []
    for s in found:
        if isinstance(s, Stated):
            asset = s.asset
            if s.system:
                tool = derived_tool(ctx, "XMP", *s.system, asset.source)
                asset = replace(asset, tools=(tool,))
            assets.append(asset)
    return assets


def _ahead(ctx: Context) -> dict[str, list[bytes]]:
    """The embedded XMP of every media file of the run, from one ExifTool run."""
    if "cutclear-xmp-ahead" not in ctx.cache:
        paths = {}
        for read in ctx.cache.get("cutclear-reads") or ():
            for use in read.clips:
                if use.media.name:
                    path = media_file(use, ctx)
                    if path is not None:
                        paths[path] = None
        if paths:  # ExifTool (cutclear.xmpscan) only for media files there to read
            from cutclear.xmpscan import embedded_many

            ctx.cache["cutclear-xmp-ahead"] = embedded_many(list(paths))
        else:
            ctx.cache["cutclear-xmp-ahead"] = {}
    return ctx.cache["cutclear-xmp-ahead"]


def unreadable_sidecar(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    for error in ctx.cache.get(("cutclear-xmp", use.media), ()):
        if error.where.startswith("embedded in "):
            yield Problem(f"the XMP {error.where} cannot be used ({error}), so its "
                          "provenance is unknown: fix the file's metadata (or replace the file)")
        else:
            yield Problem(f"XMP sidecar {error.where} cannot be used ({error}), so its "
                          "provenance is unknown: fix or remove the sidecar")


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [Rule(
        "PV007", "unreadable-sidecar",
        "an XMP sidecar of a clip's media, or the XMP embedded in it, cannot be read or "
        "names an unknown source type",
        Severity.ERROR, Severity.ERROR,
        "A compliance check that cannot read its inputs must fail closed; IPTC's digital "
        "source type in XMP is how tools outside cutclear say a file is AI-generated.",
        EXAMPLE, "clip", unreadable_sidecar, links=(sources.IPTC, sources.RULES_DOC),
        per_media=True)]


# A readable sidecar, and a record approving the asset it declares by its XMP id.
EXAMPLE = sources.record_file("""\
<approval id="APR-0057" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable creative-output</covers>
  <assets>XMP:media/vfx/sh042_sky_v3.mov.xmp</assets>
</approval>""", 'production = "PRD-778"', """\
media/vfx/sh042_sky_v3.mov.xmp, beside the media, read by cutclear as asset
XMP:media/vfx/sh042_sky_v3.mov.xmp:
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
      Iptc4xmpExt:DigitalSourceType=
        "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
      Iptc4xmpExt:AISystemUsed="Runway"/>
  </rdf:RDF>
</x:xmpmeta>""")
