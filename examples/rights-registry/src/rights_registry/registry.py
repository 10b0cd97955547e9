"""The studio rights registry: performers' AI consents in one SQLite file.

Legal keeps the signed consents and exports them as CSV; `cutclear-rights import` turns
that export into an embedded SQLite database committed beside the edit (or kept on a
share), which the plugin opens read-only. SQLite because it needs no server, is one file
that can be versioned and checksummed, and answers a per-person lookup in microseconds
however large the studio's roster grows.

An import is all or nothing: every row is validated first (the same vocabulary as the
`<consent>` record of *.genai.xml), and the database is replaced atomically, so a gate
never reads a half-written registry.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cutclear.records import Consent, Source

SCHEMA_VERSION = "1"

STATUSES = ("active", "revoked", "suspended")
GRANTOR_ROLES = ("performer", "estate", "representative", "union", "guardian")
USES = ("likeness", "voice", "performance-alteration", "training")

REQUIRED_COLUMNS = ("consent_id", "person_id", "status", "grantor", "grantor_role",
                    "productions", "uses")
OPTIONAL_COLUMNS = ("person_name", "role", "description", "signed", "separate", "document",
                    "term_start", "term_end", "revoked")
PERSON_COLUMNS = ("person_id", "name")

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE persons (id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    person TEXT NOT NULL REFERENCES persons(id),
    status TEXT NOT NULL,
    grantor TEXT NOT NULL,
    grantor_role TEXT NOT NULL,
    productions TEXT NOT NULL,   -- space-separated production ids
    role TEXT,
    uses TEXT NOT NULL,          -- space-separated use terms
    description TEXT NOT NULL DEFAULT '',
    signed TEXT,                 -- ISO dates throughout
    separate INTEGER,            -- 1, 0 or NULL (not stated)
    document TEXT,
    term_start TEXT,
    term_end TEXT,
    revoked TEXT
);
CREATE INDEX consents_person ON consents(person);
"""


class RegistryError(Exception):
    """The registry or its CSV cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Row:
    """One validated consent row of the CSV, ready to insert."""

    id: str
    person: str
    person_name: str
    status: str
    grantor: str
    grantor_role: str
    productions: tuple[str, ...]
    role: str | None
    uses: tuple[str, ...]
    description: str
    signed: dt.date | None
    separate: bool | None
    document: str | None
    term_start: dt.date | None
    term_end: dt.date | None
    revoked: dt.date | None


# --- reading the CSV export ----------------------------------------------------------

def _terms(text: str) -> tuple[str, ...]:
    """Lists are written with spaces, commas or semicolons, as spreadsheets make them."""
    return tuple(t for t in re.split(r"[\s,;]+", text.strip()) if t)


def _date(text: str, column: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{column}: {text!r} is not a date (YYYY-MM-DD)") from None


def _bool(text: str, column: str) -> bool | None:
    value = text.strip().lower()
    if not value:
        return None
    if value in ("true", "yes", "1"):
        return True
    if value in ("false", "no", "0"):
        return False
    raise ValueError(f"{column}: {text!r} is not true or false")


def _one_of(text: str, allowed: tuple[str, ...], column: str) -> str:
    value = text.strip()
    if value not in allowed:
        raise ValueError(f"{column}: {text!r} is not one of {', '.join(allowed)}")
    return value


def _row(cells: dict[str, str]) -> Row:
    """Validate one CSV row (a ValueError names the column)."""
    get = lambda column: (cells.get(column) or "").strip()  # noqa: E731
    for column in ("consent_id", "person_id", "grantor"):
        if not get(column):
            raise ValueError(f"{column}: empty")
    productions = _terms(get("productions"))
    if not productions:
        raise ValueError("productions: empty (list the production ids the consent is for)")
    uses = _terms(get("uses"))
    if not uses:
        raise ValueError("uses: empty")
    for use in uses:
        _one_of(use, USES, "uses")
    return Row(
        id=get("consent_id"), person=get("person_id"), person_name=get("person_name"),
        status=_one_of(get("status"), STATUSES, "status"), grantor=get("grantor"),
        grantor_role=_one_of(get("grantor_role"), GRANTOR_ROLES, "grantor_role"),
        productions=productions, role=get("role") or None, uses=uses,
        description=get("description"), signed=_date(get("signed"), "signed"),
        separate=_bool(get("separate"), "separate"), document=get("document") or None,
        term_start=_date(get("term_start"), "term_start"),
        term_end=_date(get("term_end"), "term_end"), revoked=_date(get("revoked"), "revoked"),
    )


def _read_csv(path: Path, required: Iterable[str], optional: Iterable[str]
              ) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, cells) of each data row; a missing or unknown column is an error, so a
    mistyped header cannot quietly drop a field such as the signed date."""
    try:
        # utf-8-sig: spreadsheet exports start with a byte-order mark
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = [h.strip() for h in reader.fieldnames or ()]
            missing = [c for c in required if c not in header]
            unknown = [c for c in header if c not in (*required, *optional)]
            if missing or unknown:
                problems = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + \
                           ([f"unknown column(s) {', '.join(unknown)}"] if unknown else [])
                raise RegistryError(f"{path}:1: {'; '.join(problems)} (columns: "
                                    f"{', '.join((*required, *optional))})")
            reader.fieldnames = header
            for cells in reader:
                if None in cells:
                    raise RegistryError(f"{path}:{reader.line_num}: more cells than columns")
                if any((v or "").strip() for v in cells.values()):  # skip blank lines
                    yield reader.line_num, cells
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise RegistryError(f"{path}: cannot read: {e}") from None


def read_consents(path: Path) -> list[Row]:
    """Every consent row of a CSV export, validated; the first bad row is an error."""
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for line, cells in _read_csv(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS):
        try:
            row = _row(cells)
        except ValueError as e:
            raise RegistryError(f"{path}:{line}: {e}") from None
        if row.id in seen:
            raise RegistryError(f"{path}:{line}: consent_id {row.id} is already on line "
                                f"{seen[row.id]}; consent ids must be unique")
        seen[row.id] = line
        rows.append(row)
    return rows


def read_persons(path: Path) -> dict[str, str]:
    """The roster: person id -> name, for performers known to have no consent."""
    persons: dict[str, str] = {}
    for line, cells in _read_csv(path, ("person_id",), ("name",)):
        person = (cells.get("person_id") or "").strip()
        if not person:
            raise RegistryError(f"{path}:{line}: person_id: empty")
        persons[person] = (cells.get("name") or "").strip()
    return persons


# --- writing the database ------------------------------------------------------------

def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def build(db_path: Path, consents: list[Row], persons: dict[str, str] | None = None,
          source: str = "") -> None:
    """Write a new registry at `db_path`, replacing any old one atomically."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.name}.", dir=db_path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(_SCHEMA)
            names = dict(persons or {})
            for row in consents:
                if row.person_name or row.person not in names:
                    names[row.person] = row.person_name or names.get(row.person, "")
            con.executemany("INSERT INTO persons VALUES (?, ?)", sorted(names.items()))
            con.executemany(
                "INSERT INTO consents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(r.id, r.person, r.status, r.grantor, r.grantor_role, " ".join(r.productions),
                  r.role, " ".join(r.uses), r.description, _iso(r.signed),
                  None if r.separate is None else int(r.separate), r.document,
                  _iso(r.term_start), _iso(r.term_end), _iso(r.revoked)) for r in consents])
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
            con.executemany("INSERT INTO meta VALUES (?, ?)",
                            [("schema_version", SCHEMA_VERSION), ("imported_at", now),
                             ("source", source)])
            con.commit()
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- reading the database (the plugin's side) ----------------------------------------

class Registry:
    """A read-only view of one registry database.

    `label` is how the database is named in messages and in the `Source` of the
    consents it returns (the repo-relative path the settings give).
    """

    def __init__(self, path: Path, label: str | None = None):
        self.path = path
        self.label = label or str(path)
        if not path.is_file():
            raise RegistryError(f"{self.label}: no such file (create it with "
                                "cutclear-rights import CONSENTS.csv --db "
                                f"{self.label})")
        try:
            # mode=ro: the gate only reads; a registry on a read-only share works too
            self._con = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
            version = self._con.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            self._con.execute("SELECT id FROM persons LIMIT 1").fetchall()
            self._con.execute("SELECT id, person FROM consents LIMIT 1").fetchall()
        except sqlite3.Error as e:
            self.close()
            raise RegistryError(f"{self.label}: not a rights registry database ({e}); "
                                "create it with cutclear-rights import") from None
        if version is None or version[0] != SCHEMA_VERSION:
            self.close()
            raise RegistryError(f"{self.label}: registry schema version "
                                f"{version[0] if version else 'unknown'}, this plugin reads "
                                f"version {SCHEMA_VERSION}: re-import it with this plugin's "
                                "cutclear-rights")

    def close(self) -> None:
        con = getattr(self, "_con", None)
        if con is not None:
            con.close()
            self._con = None

    def knows(self, person: str) -> bool:
        """Whether the person is on the registry's roster (with or without consents)."""
        return self._con.execute("SELECT 1 FROM persons WHERE id = ?",
                                 (person,)).fetchone() is not None

    def consents_of(self, person: str) -> list[Consent]:
        rows = self._con.execute("SELECT * FROM consents WHERE person = ? ORDER BY id",
                                 (person,)).fetchall()
        return [self._consent(r) for r in rows]

    def consent(self, consent_id: str) -> Consent | None:
        row = self._con.execute("SELECT * FROM consents WHERE id = ?",
                                (consent_id,)).fetchone()
        return self._consent(row) if row else None

    def _consent(self, r: tuple) -> Consent:
        (cid, person, status, grantor, grantor_role, productions, role, uses, description,
         signed, separate, document, start, end, revoked) = r
        day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
        return Consent(
            cid, person, status, grantor, grantor_role, tuple(productions.split()),
            tuple(uses.split()), Source(self.label, 0), role=role, description=description,
            signed=day(signed), separate=None if separate is None else bool(separate),
            document=document, start=day(start), end=day(end), revoked=day(revoked))
