"""PV: the records and timelines themselves. What cutclear cannot read counts against the
cut, never for it."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import Context, consents_of, credentials_of
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
        if record is None:
            yield Problem(f"{ref.where} references {wanted} {ref.id}, which no record defines: "
                          "define it or correct the id", path=ref.source.path,
                          line=ref.source.line)
        elif not isinstance(record, ref.kind):
            yield Problem(f"{ref.where} references {ref.id}, which is a "
                          f"{type(record).__name__.lower()}, not a {wanted}",
                          path=ref.source.path, line=ref.source.line)


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


def invalid_content_credentials(use: ClipUse, assets: list[Asset],
                                ctx: Context) -> Iterator[Problem]:
    for found in credentials_of(use, ctx):
        if found.state == "invalid":
            codes = f" ({', '.join(found.codes)})" if found.codes else ""
            yield Problem(f"the C2PA manifest in {found.file} fails validation{codes}: the "
                          "file was changed after signing or the signature is bad, so its "
                          "content credentials say nothing; conform the signed original")


def untrusted_content_credentials(use: ClipUse, assets: list[Asset],
                                  ctx: Context) -> Iterator[Problem]:
    for found in credentials_of(use, ctx):
        if found.state == "valid":
            signer = f" by {found.signer}" if found.signer else ""
            yield Problem(f"the C2PA manifest in {found.file} is intact but signed{signer}, "
                          "who chains to none of the c2pa-trust-anchors: add the signer's "
                          "root to c2pa-trust-anchors if the production trusts it")


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
C2PA = sources.record_file(SKY, 'c2pa-trust-anchors = ["legal/c2pa/vendor-root.pem"]\n'
                                'require-c2pa = true')


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
             REFERENCES, "clip", conflicting_provenance, links=(sources.IPTC,)),
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
             media_not_found, links=ours),
        Rule("PV008", "invalid-content-credentials",
             "a C2PA manifest in a clip's media fails validation (hash mismatch, bad "
             "signature)", E, E,
             "C2PA specification: a manifest binds its claims to a hash of the content and is "
             "signed; when either check fails, its claims (including 'not generated') cannot "
             "be relied on. EU AI Act Art. 50(2) asks generators to mark output in a "
             "machine-readable way; a broken mark is no mark. Reported by the C2PA reader.",
             C2PA, "clip", invalid_content_credentials,
             links=(sources.C2PA, sources.EU_AI_ACT_50)),
        Rule("PV009", "untrusted-content-credentials",
             "a valid C2PA manifest's signer chains to none of the configured trust anchors",
             Severity.INFO, W,
             "C2PA specification: a valid signature shows the manifest is intact, not who "
             "may be believed; trust comes from the anchors the production configures "
             "(c2pa-trust-anchors). Reported by the C2PA reader.",
             C2PA, "clip", untrusted_content_credentials,
             links=(sources.C2PA,)),
    ]
