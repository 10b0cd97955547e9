"""XMP sidecars as provenance: IPTC digital source type and the IPTC 2025.1 AI fields.

A sidecar is named after its media, `clip.xmp` or `clip.mov.xmp`, and sits beside the
media (when the media is reachable: its path, or the conform's media root) or anywhere in
the edit repo beside the records. Both XMP serialisations are read: properties as
attributes of rdf:Description (Adobe) and as child elements (ExifTool). What a sidecar
says is an asset like any other: when it says generative and a *.genai.xml says camera,
the clip is checked against both and PV003 reports the conflict. A sidecar that cannot be
read counts against the clip (PV007), never for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from lxml import etree

from cutclear.clearance import Context
from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse, Problem, Rule, Severity
from cutclear.records import Asset, Source, origin_class

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
MAX_XMP_BYTES = 4 * 1024 * 1024
AI_FIELDS = ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation",
             "AIPromptWriterName")


class SidecarError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def read_xmp(data: bytes) -> tuple[dict[str, str], int]:
    """The IPTC properties of an XMP packet, and the line of the first rdf:Description."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise SidecarError("DTDs and entities are not allowed in XMP sidecars")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise SidecarError(f"not well-formed XML: {e.msg}", e.lineno) from None
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
    """XMP files of the edit repo by name, read once each."""

    def __init__(self, root: str):
        self.root = root
        self.by_name: dict[str, str] = {}
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if name.lower().endswith(".xmp"):
                    self.by_name.setdefault(name.lower(), os.path.join(dirpath, name))
        self.assets: dict[str, Asset | None] = {}
        self.errors: dict[str, tuple[str, str]] = {}  # media name -> (sidecar, why)
        self.folders: dict[str, bool] = {}  # media folder -> reachable from here

    def candidates(self, clip: ClipUse, ctx: Context) -> Iterator[str]:
        name = clip.media.name
        stem = os.path.splitext(name)[0]
        folders = []
        if clip.media.path:
            folders.append(os.path.dirname(clip.media.path))
        if ctx.media_root is not None:
            found = ctx.media_root.find(clip.media)
            if found:
                folders.append(os.path.dirname(found))
        for folder in folders:
            if folder not in self.folders:  # media folders are shared by many clips
                self.folders[folder] = os.path.isdir(folder)
            if not self.folders[folder]:
                continue
            for sidecar in (f"{name}.xmp", f"{stem}.xmp"):
                path = os.path.join(folder, sidecar)
                if os.path.isfile(path):
                    yield path
        for sidecar in (f"{name}.xmp", f"{stem}.xmp"):
            if sidecar.lower() in self.by_name:
                yield self.by_name[sidecar.lower()]

    def asset(self, path: str, clip: ClipUse) -> Asset | None:
        if path in self.assets:
            return self.assets[path]
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        if rel.startswith("../"):
            rel = path
        asset = None
        try:
            if os.path.getsize(path) > MAX_XMP_BYTES:
                raise SidecarError(f"over the {MAX_XMP_BYTES:,}-byte limit for sidecars")
            with open(path, "rb") as f:
                props, line = read_xmp(f.read(MAX_XMP_BYTES + 1))
            origin = props.get("DigitalSourceType")
            if origin:
                cls = origin_class(origin)
                if cls is None:
                    raise SidecarError(f"DigitalSourceType {origin!r} is not an IPTC digital "
                                       "source type", line)
                system = " ".join(props[k] for k in ("AISystemUsed", "AISystemVersionUsed")
                                  if k in props)
                asset = Asset(
                    f"XMP:{rel}", origin, cls, Source(rel, line),
                    prompts=tuple(p for p in [props.get("AIPromptInformation")] if p),
                    notes=tuple(n for n in [system and f"AI system: {system}",
                                            props.get("AIPromptWriterName")] if n))
        except (SidecarError, OSError) as e:
            where = f"{rel}:{e.line}" if getattr(e, "line", None) else rel
            self.errors[clip.media.name] = (where, str(e))
        self.assets[path] = asset
        return asset


_sidecars: dict[str, Sidecars] = {}


def _for(ctx: Context) -> Sidecars:
    root = ctx.config.root
    if root not in _sidecars:
        _sidecars[root] = Sidecars(root)
    return _sidecars[root]


@hookimpl
def cutclear_configure(config, settings: dict) -> None:
    _sidecars.pop(config.root, None)  # a new run reads the repo's sidecars afresh


@hookimpl
def cutclear_provenance(clip: ClipUse, ctx: Context) -> list[Asset]:
    if not clip.media.name:
        return []
    sidecars = _for(ctx)
    found = [sidecars.asset(path, clip) for path in dict.fromkeys(sidecars.candidates(clip, ctx))]
    return [a for a in found if a is not None]


def unreadable_sidecar(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    sidecars = _sidecars.get(ctx.config.root)
    error = sidecars.errors.get(use.media.name) if sidecars else None
    if error:
        yield Problem(f"XMP sidecar {error[0]} cannot be read ({error[1]}), so its "
                      "provenance is unknown: fix or remove the sidecar")


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [Rule(
        "PV007", "unreadable-sidecar",
        "an XMP sidecar of a clip's media cannot be read or names no IPTC source type",
        Severity.ERROR, Severity.ERROR,
        "A compliance check that cannot read its inputs must fail closed; IPTC's digital "
        "source type in XMP is how tools outside cutclear say a file is AI-generated.",
        '<rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"\n'
        '  Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/'
        'trainedAlgorithmicMedia"/>', "clip", unreadable_sidecar)]
