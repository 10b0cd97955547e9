"""The record database: every `*.genai.xml` of an edit repo, validated and linked.

Record files are written by many hands (vendors, VFX, legal), so they are parsed as
untrusted input: no DTD, no entities, no network, bounded size, and validated against the
schema shipped in the package. A file that fails any of this contributes nothing: the
clips it would have declared count as undeclared and its approvals do not exist, so a
broken record can only make a cut fail, never pass.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from lxml import etree

from cutclear import safexml
from cutclear.formats import RECORD_SUFFIX

NS = "urn:cutclear:genai:1"
_Q = "{" + NS + "}"
MAX_RECORD_BYTES = 16 * 1024 * 1024

# IPTC digital source types (cv.iptc.org/newscodes/digitalsourcetype), by class.
GENERATIVE = frozenset({"trainedAlgorithmicMedia", "trainedAlgorithmicData"})  # + C2PA's term
GENERATIVE_EDIT = frozenset({"compositeWithTrainedAlgorithmicMedia", "compositeSynthetic"})
OTHER = frozenset({
    "digitalCapture", "computationalCapture", "negativeFilm", "positiveFilm", "print",
    "humanEdits", "minorHumanEdits", "compositeCapture", "algorithmicallyEnhanced",
    "dataDrivenMedia", "digitalArt", "digitalCreation", "virtualRecording", "composite",
    "algorithmicMedia", "screenCapture",
})
CUSTOMARY_ALTERATIONS = frozenset({
    "cosmetic", "wardrobe", "noise-reduction", "timing", "continuity", "pitch", "clarity",
    "dubbing",
})


def origin_class(origin: str) -> str | None:
    """'generative', 'generative-edit' or 'other' for a term or URI; None if unknown.

    Writers use http and https URIs and stray whitespace, so only the last segment counts.
    """
    term = origin.strip().rstrip("/").rsplit("/", 1)[-1]
    if term in GENERATIVE:
        return "generative"
    if term in GENERATIVE_EDIT:
        return "generative-edit"
    if term in OTHER:
        return "other"
    return None


@dataclass(frozen=True)
class Source:
    path: str  # repo-relative, '/' separated
    line: int


@dataclass(frozen=True)
class Match:
    names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    reels: tuple[str, ...] = ()
    clips: tuple[str, ...] = ()
    source_ids: tuple[str, ...] = ()
    sha256: tuple[str, ...] = ()  # format 1.1: the media's bytes, lower-case hex (GA005)


@dataclass(frozen=True)
class Input:
    text: str
    rights: str


@dataclass(frozen=True)
class Talent:
    person: str
    use: str
    alteration: str | None = None  # `class` in the file
    consent: str | None = None
    role: str | None = None
    exception: str | None = None
    reviewed_by: str | None = None

    @property
    def needs_consent(self) -> bool:
        """Customary post alterations (cosmetics, dubbing, ...) need no consent."""
        return not (self.use == "performance-alteration"
                    and self.alteration in CUSTOMARY_ALTERATIONS)


@dataclass(frozen=True)
class Depiction:
    person: str | None
    text: str


@dataclass(frozen=True)
class Asset:
    id: str
    origin: str
    origin_class: str
    source: Source
    match: Match | None = None
    sidecar_name: str | None = None  # media file name of a per-media sidecar
    stage: str = "temp"
    tools: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    inputs: tuple[Input, ...] = ()
    talent: tuple[Talent, ...] = ()
    synthetic: tuple[str | None, ...] = ()  # one entry per <synthetic>, its notice ref
    replaces: tuple[str, ...] = ()
    presented_as: str | None = None
    depicts: tuple[Depiction, ...] = ()
    approvals: tuple[str, ...] = ()
    disclosures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def genai(self) -> bool:
        return self.origin_class in ("generative", "generative-edit")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    source: Source
    union: str | None = None
    deceased: bool = False
    minor: bool = False


@dataclass(frozen=True)
class Consent:
    id: str
    person: str
    status: str
    grantor: str
    grantor_role: str
    productions: tuple[str, ...]
    uses: tuple[str, ...]
    source: Source
    role: str | None = None
    description: str = ""
    signed: dt.date | None = None
    separate: bool | None = None
    document: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    revoked: dt.date | None = None


@dataclass(frozen=True)
class Approval:
    id: str
    status: str
    productions: tuple[str, ...]
    granted: dt.date
    covers: tuple[str, ...]
    source: Source
    issuer: str = ""
    org: str = ""
    expires: dt.date | None = None
    assets: tuple[str, ...] = ()
    description: str = ""
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tool:
    id: str
    name: str
    source: Source
    vendor: str | None = None
    version: str | None = None
    enterprise: bool | None = None
    trains_on_inputs: str = "unknown"
    retains_inputs: str = "unknown"

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.vendor or self.name, self.version) if x)


@dataclass(frozen=True)
class Notice:
    id: str
    union: str
    sent: dt.date
    subject: str
    source: Source
    assets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    id: str
    kind: str
    text: str
    source: Source
    assets: tuple[str, ...] = ()


Record = Asset | Person | Consent | Approval | Tool | Notice | Disclosure


@dataclass(frozen=True)
class RecordError:
    """Why a record file was not trusted (PV001)."""

    path: str
    line: int | None
    message: str


@dataclass(frozen=True)
class Duplicate:
    """An id defined a second time (PV004); the first definition stands."""

    id: str
    first: Source
    again: Source


@dataclass
class RecordDB:
    """All records of an edit repo, by id, with the links between them resolved both ways."""

    records: dict[str, Record] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)  # includes duplicate-id definitions
    files: list[str] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    _backlinks: dict[str, list[Record]] = field(default_factory=dict)

    def add(self, record: Record) -> None:
        if isinstance(record, Asset):
            self.assets.append(record)
        first = self.records.get(record.id)
        if first is not None:
            self.duplicates.append(Duplicate(record.id, first.source, record.source))
            return
        self.records[record.id] = record
        for asset_id in getattr(record, "assets", ()):
            self._backlinks.setdefault(asset_id, []).append(record)

    def get(self, kind: type, record_id: str | None):
        record = self.records.get(record_id) if record_id else None
        return record if isinstance(record, kind) else None

    def _linked(self, asset: Asset, kind: type, refs: tuple[str, ...]) -> list:
        found = [r for r in (self.get(kind, ref) for ref in refs) if r is not None]
        found += [r for r in self._backlinks.get(asset.id, ()) if isinstance(r, kind)]
        return list(dict.fromkeys(found))

    def approvals_for(self, asset: Asset) -> list[Approval]:
        """Approvals the asset references or that list the asset, each once."""
        return self._linked(asset, Approval, asset.approvals)

    def disclosures_for(self, asset: Asset) -> list[Disclosure]:
        return self._linked(asset, Disclosure, asset.disclosures)

    def notices_for(self, asset: Asset) -> list[Notice]:
        return self._linked(asset, Notice, tuple(n for n in asset.synthetic if n))

    def consents_of(self, person: str) -> list[Consent]:
        return [r for r in self.records.values() if isinstance(r, Consent) and r.person == person]

    def references(self) -> Iterator[Reference]:
        """Every id reference in the database."""
        for record in self.records.values():
            if isinstance(record, Asset):
                yield from _asset_references(record)
            elif isinstance(record, Consent):
                yield Reference(record.source, "consent/@person", Person, record.person)
            elif isinstance(record, (Approval, Notice, Disclosure)):
                for asset_id in record.assets:
                    yield Reference(record.source, f"{type(record).__name__.lower()}/assets",
                                    Asset, asset_id)
        for asset in self.assets:  # duplicate-id assets are matched too, so check them
            if self.records.get(asset.id) is not asset:
                yield from _asset_references(asset)


@dataclass(frozen=True)
class Reference:
    """An id one record gives for another (PV002 checks that it resolves)."""

    source: Source
    where: str  # the attribute or element that holds the id
    kind: type  # the kind of record it must name
    id: str
    person: str | None = None  # for a talent's consent: whose consent it must be


def _asset_references(asset: Asset) -> Iterator[Reference]:
    src = asset.source
    for ref in asset.tools:
        yield Reference(src, "tool/@ref", Tool, ref)
    for t in asset.talent:
        yield Reference(src, "talent/@person", Person, t.person)
        if t.consent:
            yield Reference(src, "talent/@consent", Consent, t.consent, t.person)
    for notice in asset.synthetic:
        if notice:
            yield Reference(src, "synthetic/@notice", Notice, notice)
    for d in asset.depicts:
        if d.person:
            yield Reference(src, "depicts/@person", Person, d.person)
    for ref in asset.approvals:
        yield Reference(src, "approval/@ref", Approval, ref)
    for ref in asset.disclosures:
        yield Reference(src, "disclosure/@ref", Disclosure, ref)


# --- parsing -------------------------------------------------------------------------

class RecordFileError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@cache
def schema() -> etree.XMLSchema:
    xsd = resources.files("cutclear").joinpath("schema/genai-1.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd, safexml.parser()))


SPLIT = "; split it into several *.genai.xml files"


def parse_record_file(data: bytes, relpath: str) -> list[Record]:
    """Parse and validate one record file; raise RecordFileError with a line on failure."""
    try:
        if len(data) > MAX_RECORD_BYTES:
            raise safexml.too_big(len(data), MAX_RECORD_BYTES, "record files" + SPLIT)
        root = safexml.parse(data, "record files")
    except safexml.UnsafeXML as e:
        raise RecordFileError(str(e), e.line) from None
    if root.tag != _Q + "genai":
        raise RecordFileError(
            f'root element is <{etree.QName(root).localname}>, expected '
            f'<genai xmlns="{NS}" version="1">', root.sourceline)
    xsd = schema()
    try:
        valid = xsd.validate(root)
    except etree.Error as e:  # libxml2 gives up on some inputs instead of reporting
        raise RecordFileError(f"not valid against the genai schema: {e}", 1) from None
    if not valid:
        err = xsd.error_log[0]
        message = err.message.replace(_Q, "")
        raise RecordFileError(f"not valid against the genai schema: {message}", err.line)
    sidecar = _sidecar_name(relpath)
    return [_build(el, Source(relpath, el.sourceline or 0), sidecar) for el in root]


def _sidecar_name(relpath: str) -> str | None:
    name = relpath.rsplit("/", 1)[-1]
    media = name[: -len(RECORD_SUFFIX)]
    return media if "." in media else None


def _text(el) -> str:
    return (el.text or "").strip() if el is not None else ""


def _date(text: str | None, el) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise RecordFileError(f"{text!r} is not a date (YYYY-MM-DD)", el.sourceline) from None


def _bool(text: str | None) -> bool | None:
    return None if text is None else text.strip() in ("true", "1")


def _children(el, name: str) -> list:
    return el.findall(_Q + name)


def _build(el, src: Source, sidecar: str | None) -> Record:
    kind = etree.QName(el).localname
    a = el.get
    if kind == "asset":
        return _build_asset(el, src, sidecar)
    if kind == "person":
        return Person(a("id"), _text(el), src, a("union"), _bool(a("deceased")) or False,
                      _bool(a("minor")) or False)
    if kind == "consent":
        grantor = el.find(_Q + "grantor")
        signed = el.find(_Q + "signed")
        term = el.find(_Q + "term")
        revoked = el.find(_Q + "revoked")
        return Consent(
            a("id"), a("person"), a("status"), _text(grantor), grantor.get("role"),
            tuple(_text(p) for p in _children(el, "production")),
            tuple(_text(el.find(_Q + "uses")).split()), src,
            role=_text(el.find(_Q + "role")) or None,
            description=_text(el.find(_Q + "description")),
            signed=_date(signed.get("date"), signed) if signed is not None else None,
            separate=_bool(signed.get("separate")) if signed is not None else None,
            document=signed.get("document") if signed is not None else None,
            start=_date(term.get("start"), term) if term is not None else None,
            end=_date(term.get("end"), term) if term is not None else None,
            revoked=_date(revoked.get("date"), revoked) if revoked is not None else None,
        )
    if kind == "approval":
        issuer = el.find(_Q + "issuer")
        return Approval(
            a("id"), a("status"), tuple(_text(p) for p in _children(el, "production")),
            _date(_text(el.find(_Q + "granted")), el), tuple(_text(el.find(_Q + "covers")).split()),
            src, issuer=_text(issuer), org=issuer.get("org", "") if issuer is not None else "",
            expires=_date(_text(el.find(_Q + "expires")), el),
            assets=tuple(_text(el.find(_Q + "assets")).split()),
            description=_text(el.find(_Q + "description")),
            conditions=tuple(_text(c) for c in _children(el, "condition")),
        )
    if kind == "tool":
        return Tool(a("id"), _text(el), src, a("vendor"), a("version"), _bool(a("enterprise")),
                    a("trainsOnInputs", "unknown"), a("retainsInputs", "unknown"))
    if kind == "notice":
        return Notice(a("id"), a("union"), _date(a("sent"), el), a("subject"), src,
                      tuple(_text(el.find(_Q + "assets")).split()))
    assert kind == "disclosure", kind  # the schema admits nothing else
    return Disclosure(a("id"), a("kind"), _text(el.find(_Q + "text")), src,
                      tuple(_text(el.find(_Q + "assets")).split()))


def _build_asset(el, src: Source, sidecar: str | None) -> Asset:
    # One pass over the children, grouped by name: an asset has a dozen kinds of child,
    # and asking for each with find/findall would walk them a dozen times.
    kids: dict[str, list] = {}
    for child in el:
        kids.setdefault(child.tag, []).append(child)

    def all_(name: str) -> list:
        return kids.get(_Q + name, [])

    def one(name: str):
        found = kids.get(_Q + name)
        return found[0] if found else None

    origin_el = one("origin")
    origin = _text(origin_el)
    cls = origin_class(origin)
    if cls is None:
        raise RecordFileError(
            f"origin {origin!r} of asset {el.get('id')} is not an IPTC digital source type "
            "(e.g. trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia, "
            "digitalCapture)", origin_el.sourceline)
    m = one("match")
    match = None
    if m is not None:
        match = Match(*(tuple(_text(k) for k in _children(m, key))
                        for key in ("name", "path", "reel", "clip", "sourceId")),
                      sha256=tuple(_text(k).lower() for k in _children(m, "sha256")))
    elif sidecar is None:
        raise RecordFileError(
            f"asset {el.get('id')} has no <match> and the file is not a per-media sidecar "
            "(named after its media, like shot.mov.genai.xml), so it matches no clip; "
            "add a <match>", el.sourceline)
    return Asset(
        el.get("id"), origin, cls, src, match=match,
        sidecar_name=sidecar if m is None else None,
        stage=_text(one("stage")) or "temp",
        tools=tuple(t.get("ref") for t in all_("tool")),
        prompts=tuple(_text(p) for p in all_("prompt")),
        inputs=tuple(Input(_text(i), i.get("rights", "unknown")) for i in all_("input")),
        talent=tuple(Talent(t.get("person"), t.get("use"), t.get("class"), t.get("consent"),
                            t.get("role"), t.get("exception"), t.get("reviewedBy"))
                     for t in all_("talent")),
        synthetic=tuple(s.get("notice") for s in all_("synthetic")),
        replaces=tuple(r.get("role") for r in all_("replaces")),
        presented_as=_text(one("presentedAs")) or None,
        depicts=tuple(Depiction(d.get("person"), _text(d)) for d in all_("depicts")),
        approvals=tuple(r.get("ref") for r in all_("approval")),
        disclosures=tuple(r.get("ref") for r in all_("disclosure")),
        notes=tuple(_text(n) for n in all_("note")),
    )


def load_file(db: RecordDB, fullpath: str, relpath: str) -> None:
    """Add one record file to `db`, or record why it is not trusted."""
    db.files.append(relpath)
    try:
        data = safexml.read_bounded(fullpath, MAX_RECORD_BYTES, "record files" + SPLIT)
        records = parse_record_file(data, relpath)
    except (safexml.UnsafeXML, RecordFileError) as e:
        db.errors.append(RecordError(relpath, e.line, str(e)))
        return
    except OSError as e:
        db.errors.append(RecordError(relpath, None, f"cannot read: {e.strerror}"))
        return
    for record in records:
        db.add(record)


def load_records(root: str, relpaths: list[str]) -> RecordDB:
    """Build the database from record files given relative to the edit repo `root`."""
    db = RecordDB()
    for rel in sorted(relpaths):
        load_file(db, os.path.join(root, rel), rel)
    return db
