"""PV: the records and timelines themselves. What cutclear cannot read counts against the
cut, never for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import unquote

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


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("PV001", "invalid-record-file",
             "a *.genai.xml is not well-formed, not valid against the schema, or uses an "
             "unknown term", E, E, FAIL_CLOSED, '<genai xmlns="urn:cutclear:genai:1" '
             'version="1">...</genai>', "records", invalid_record_file),
        Rule("PV002", "unknown-reference", "a record references an id that no record defines",
             E, E, FAIL_CLOSED, '<approval ref="APR-0057"/> with <approval id="APR-0057" ...> '
             "defined in any record file", "records", unknown_reference),
        Rule("PV003", "conflicting-provenance",
             "a clip matches assets of different origin classes", W, E,
             "IPTC digital source types: a clip cannot be both camera original and "
             "generated; the more restrictive reading is applied until records agree.",
             "one asset per media, e.g. <match><name>sh042_sky_v3.mov</name></match>",
             "clip", conflicting_provenance),
        Rule("PV004", "duplicate-id", "an id is defined twice", E, E, FAIL_CLOSED,
             "ids unique across all *.genai.xml files", "records", duplicate_id),
        Rule("PV005", "unreadable-timeline",
             "a timeline cannot be read (corrupt, unsupported, adapter failure)", E, E,
             FAIL_CLOSED, "a timeline OpenTimelineIO can read (.otio, FCP7 .xml, .fcpxml, "
             ".edl with its rate, .aaf, .ale)", "timeline", unreadable_timeline),
        Rule("PV006", "media-not-found",
             "at conform (--media-root), a clip's media cannot be found", E, E,
             FAIL_CLOSED + " Media nobody can see at the online cannot be cleared.",
             "cutclear conform cut.xml --media-root /mnt/online/media", "clip",
             media_not_found),
    ]
