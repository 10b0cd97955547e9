"""PV: the records and timelines themselves. What cutclear cannot read counts against the
cut, never for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import unquote

from cutclear import sources
from cutclear.clearance import Context, consents_of
from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse, Problem, Rule, Severity, TimelineRead
from cutclear.records import Asset, RecordDB

E, W = Severity.ERROR, Severity.WARNING
FAIL_CLOSED = ("A compliance check that cannot read its inputs must fail closed: a record "
               "that is not trusted cannot clear a clip, and an unread timeline cannot pass.")


def invalid_record_file(db: RecordDB, ctx: Context) -> Iterator[Problem]:
    for err in db.errors:
        yield Problem(f"{err.message}; nothing in this file is trusted until it is fixed",
                      path=err.path, line=err.line)


def unknown_reference(db: RecordDB, ctx: Context) -> Iterator[Problem]:
    for ref in db.references():
        record = db.records.get(ref.id)
        wanted = ref.kind.__name__.lower()
        if record is None and ref.person and any(
                c.id == ref.id for c in consents_of(ref.person, ctx)):
            continue  # a consent kept in a registry plugin rather than in the records
        if record is None and ref.kind is Asset and _sidecar_exists(ref.id, ctx):
            continue  # the asset an XMP sidecar of the repo states (cutclear-xmp)
        if record is None:
            yield Problem(f"{ref.where} references {wanted} {ref.id}, which no record defines: "
                          "define it or correct the id", path=ref.source.path,
                          line=ref.source.line)
        elif not isinstance(record, ref.kind):
            yield Problem(f"{ref.where} references {ref.id}, which is a "
                          f"{type(record).__name__.lower()}, not a {wanted}",
                          path=ref.source.path, line=ref.source.line)


def _sidecar_exists(asset_id: str, ctx: Context) -> bool:
    """`XMP:<path>` (percent-encoded) names the asset of the XMP sidecar at that path."""
    if not asset_id.startswith("XMP:"):
        return False
    path = unquote(asset_id[len("XMP:"):])
    return path.lower().endswith(".xmp") and os.path.isfile(os.path.join(ctx.config.root, path))


def duplicate_id(db: RecordDB, ctx: Context) -> Iterator[Problem]:
    for dup in db.duplicates:
        yield Problem(f"id {dup.id} is defined again (first at {dup.first.path}:"
                      f"{dup.first.line}); ids must be unique across all record files",
                      path=dup.again.path, line=dup.again.line)


def conflicting_provenance(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    if len({a.origin_class for a in assets}) > 1:
        by_id = sorted(assets, key=lambda a: a.id)
        listed = ", ".join(f"{a.id} ({a.origin_class})" for a in by_id)
        yield Problem(f"this media matches assets of different origin classes: {listed}; it "
                      "is checked against each (the more restrictive reading wins): make the "
                      "<match> keys of the other records exclude it")


def media_not_found(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    if ctx.media_root is not None and ctx.media_root.find(use.media) is None:
        m = use.media
        yield Problem(f"media not found under {ctx.media_root.root} "
                      f"({m.path or m.name or m.reel or m.clip or 'no path or name'}): "
                      "conform it from the cleared source or correct the timeline's media")


def unreadable_timeline(timeline: TimelineRead, ctx: Context) -> Iterator[Problem]:
    if timeline.error:
        yield Problem(f"timeline cannot be read: {timeline.error}")


CAMERA = sources.record_file('<asset id="CAM">\n  <match><path>media/camera/**</path></match>\n'
                             "  <origin>digitalCapture</origin>\n</asset>")
SKY = """\
<asset id="AST-1193">
  <match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
</asset>
<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true"
      trainsOnInputs="no" retainsInputs="no">Runway</tool>"""
REFERENCES = sources.record_file(SKY)


@hookimpl
def cutclear_rules() -> list[Rule]:
    ours = (sources.RULES_DOC, sources.RECORDS_DOC)
    return [
        Rule("PV001", "invalid-record-file",
             "a *.genai.xml is not well-formed, not valid against the schema, or uses an "
             "unknown term", E, E, FAIL_CLOSED, CAMERA, "records", invalid_record_file,
             links=ours),
        Rule("PV002", "unknown-reference", "a record references an id that no record defines",
             E, E, FAIL_CLOSED + " Every id a record gives (here TL-01) is defined in some "
             "record file of the repo.", REFERENCES, "records", unknown_reference,
             links=ours),
        Rule("PV003", "conflicting-provenance",
             "a clip matches assets of different origin classes", W, E,
             "IPTC digital source types: a clip cannot be both camera original and "
             "generated; the more restrictive reading is applied until records agree.",
             REFERENCES, "clip", conflicting_provenance, links=(sources.IPTC,),
             can_flag="with-assets", per_media=True),
        Rule("PV004", "duplicate-id", "an id is defined twice", E, E, FAIL_CLOSED
             + " Ids are unique across all *.genai.xml files of the repo.", REFERENCES,
             "records", duplicate_id, links=ours),
        Rule("PV005", "unreadable-timeline",
             "a timeline cannot be read (corrupt, unsupported, adapter failure)", E, E,
             FAIL_CLOSED + " No record clears this: the timeline itself must be readable "
             "(.otio, FCP7 .xml, .fcpxml, .edl with its rate, .aaf, .ale).", CAMERA,
             "timeline", unreadable_timeline, links=ours),
        Rule("PV006", "media-not-found",
             "at conform (--media-root), a clip's media cannot be found", E, E,
             FAIL_CLOSED + " Media nobody can see at the online cannot be cleared; no "
             "record clears this, the media must be under --media-root.", CAMERA, "clip",
             media_not_found, links=ours, per_media=True),
    ]
