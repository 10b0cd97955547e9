"""The record database: the records of every `*.genai.xml` of an edit repo, linked.

The typed records (assets, people, consents, approvals, tools, notices, disclosures) and
the database that resolves ids across files. Reading and validating the files is
`cutclear.recordfile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

NS = "urn:cutclear:genai:1"
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
