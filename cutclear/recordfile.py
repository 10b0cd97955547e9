"""Reading record files: bounded, safe, schema-valid `*.genai.xml` into the record database.

Record files are written by many hands (vendors, VFX, legal), so they are parsed as
untrusted input: no DTD, no entities, no network, bounded size, and validated against the
schema shipped in the package. A file that fails any of this contributes nothing: the
clips it would have declared count as undeclared and its approvals do not exist, so a
broken record can only make a cut fail, never pass.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import stat
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from lxml import etree

from cutclear import safexml
from cutclear.formats import RECORD_SUFFIX
from cutclear.globs import match_any
from cutclear.records import (
    MAX_RECORD_BYTES,
    NS,
    Approval,
    Asset,
    Consent,
    Depiction,
    Disclosure,
    Input,
    Match,
    Notice,
    Person,
    Record,
    RecordDB,
    RecordError,
    Source,
    Talent,
    Tool,
    origin_class,
)

if TYPE_CHECKING:
    from cutclear.recordcache import RecordCache

_Q = "{" + NS + "}"  # the namespace of every element, as lxml writes tags


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


def load_file(db: RecordDB, fullpath: str, relpath: str,
              cache: RecordCache | None = None) -> None:
    """Add one record file to `db`, or record why it is not trusted. With `cache`, a file
    whose bytes were parsed before at this path is taken from it (its bytes are read and
    hashed all the same), and one that parses cleanly is kept in it."""
    db.files.append(relpath)
    try:
        data = read_record_bytes(fullpath)
        digest = hashlib.sha256(data).digest() if cache is not None else b""
        records = cache.get(relpath, digest) if cache is not None else None
        if records is None:
            records = parse_record_file(data, relpath)
            if cache is not None:
                cache.put(relpath, digest, records)
    except (safexml.UnsafeXML, RecordFileError) as e:
        db.errors.append(RecordError(relpath, e.line, str(e)))
        return
    except OSError as e:
        db.errors.append(RecordError(relpath, None, f"cannot read: {e.strerror}"))
        return
    for record in records:
        db.add(record)


def read_record_bytes(path: str) -> bytes:
    """A record file's bytes, bounded (`safexml.read_bounded`, in fewer system calls:
    10,000 files a run). Opened without blocking, so a FIFO there is refused, not waited
    on; the size is checked on the open file, and the read stops at the limit even if
    the file grows meanwhile."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise safexml.UnsafeXML("not a regular file")
        if st.st_size > MAX_RECORD_BYTES:
            raise safexml.too_big(st.st_size, MAX_RECORD_BYTES, "record files" + SPLIT)
        data = os.read(fd, st.st_size + 1)
        if len(data) != st.st_size:  # grown, shrunk or a short read: on to the end, bounded
            parts, total = [data], len(data)
            while data and total <= MAX_RECORD_BYTES:
                data = os.read(fd, min(1 << 16, MAX_RECORD_BYTES + 1 - total))
                parts.append(data)
                total += len(data)
            if total > MAX_RECORD_BYTES:  # it grew past the limit since the stat
                raise safexml.too_big(total, MAX_RECORD_BYTES, "record files" + SPLIT)
            data = b"".join(parts)
        return data
    finally:
        os.close(fd)


def load_records(root: str, relpaths: list[str],
                 covered: tuple[str, ...] | None = None,
                 cache: RecordCache | None = None) -> RecordDB:
    """Build the database from record files given relative to the edit repo `root`.

    With `covered` (the `records` globs), a file they do not cover is reported (PV001),
    not loaded and not dropped: the globs say which files hold the production's records,
    and one outside them is either misplaced or the globs are wrong. With `cache`
    (`cutclear.recordcache`), files parsed before from the same bytes are not parsed
    again, and the cache is updated to hold this run's files.
    """
    db = RecordDB()
    collecting = gc.isenabled()
    gc.disable()  # records hold no cycles: collections over 10,000 files' records only cost
    try:
        for rel in sorted(relpaths):
            if covered is not None and not match_any(covered, rel, ignore_case=True):
                db.files.append(rel)
                db.errors.append(RecordError(rel, None, (
                    f"record file not covered by the `records` globs ({', '.join(covered)}), "
                    "so nothing in it counts: add it to `records` in the cutclear settings, "
                    "or move it")))
                continue
            load_file(db, os.path.join(root, rel), rel, cache)
    finally:
        if collecting:
            gc.enable()
    if cache is not None:
        cache.save()
    return db
