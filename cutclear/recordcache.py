"""A cache of parsed record files, keyed by their content, for the pre-commit hook.

Every commit the hook checks loads every `*.genai.xml` of the edit repo (a record can
change any verdict), and parsing, validating and typing 10,000 of them costs far more
than reading them. So what a file parsed into is kept, under the same rules as the
timeline cache (`cutclear.cache`), because a cache is also a way to pass a cut:

- A file's entry is used only for the very bytes it was parsed from: every run reads every
  record file whole and compares the SHA-256 of those bytes (never a size or mtime, which
  tools preserve) with the digest kept beside the records, and the file's path, which
  its records name, must match too.
- The entry for an edit repo is keyed by cutclear's version, the cache format, a digest
  of the parser's own code and schema, the lxml, libxml2 and Python versions, the edit
  repo's folder and every setting (the whole `Config`): anything else is a miss and a
  full parse.
- Only files that parsed and validated are kept: a file that fails is parsed again, and
  reported (PV001), on every run. A file gone from the repo is gone from the next entry.
- The entry is sealed (`cutclear.sealed`: an HMAC under a secret private to the user's
  cache folder) and names its key; a tampered, truncated, renamed or planted entry is a
  miss. It is a pickle of record dataclasses, read by an unpickler that builds nothing but
  them and dates, so even a forged seal could not run code.
- No usable cache folder (unwritable, others may write to it) means parsing everything,
  as without the cache: it only ever saves time.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import io
import os
import pickle
import sys
from importlib import resources

from cutclear import __version__, records
from cutclear.installed import cache_home
from cutclear.records import Record
from cutclear.sealed import SealedStore

FORMAT = 1  # bump when what is kept changes
# The modules whose code decides what a file parses into: a change to any is a miss even
# under the same version (an editable install, a patched copy).
PARSER = ("recordfile.py", "records.py", "safexml.py", "recordcache.py", "formats.py",
          "schema/genai-1.xsd")
ALLOWED = {("cutclear.records", name) for name in (
    "Asset", "Person", "Consent", "Approval", "Tool", "Notice", "Disclosure", "Source",
    "Match", "Input", "Talent", "Depiction")} | {("datetime", "date")}


def folder() -> str:
    return os.path.join(cache_home(), "records")


@functools.lru_cache(maxsize=1)
def parser_digest() -> str | None:
    """A digest of the parser's code and schema; None (no cache) when one cannot be read."""
    h = hashlib.sha256()
    try:
        for name in PARSER:
            h.update(name.encode() + b"\0" + resources.files("cutclear").joinpath(name)
                     .read_bytes() + b"\0")
    except OSError:
        return None
    return h.hexdigest()


def _libraries() -> tuple:
    """What else decides a parse: lxml and libxml2 (a release that validates differently
    must not be answered by what an older one accepted), and Python (dates, pickles)."""
    from lxml import etree  # loaded already: the parser needs it for any file it parses

    return etree.LXML_VERSION, etree.LIBXML_VERSION, etree.LIBXML_COMPILED_VERSION, \
        sys.version


class RecordCache:
    """The parsed record files of one edit repo under one configuration, one sealed entry.

    `get` answers from the entry written by an earlier run; `put` and `get` together
    collect what this run saw, and `save` writes it (when it differs from what was read),
    so that the entry holds exactly the files of the last run that parsed cleanly."""

    def __init__(self, root: str, settings: object, path: str | None = None):
        self.store = SealedStore(path or folder())
        code = parser_digest()
        self.key = None if code is None else hashlib.sha256(repr(
            (__version__, FORMAT, code, _libraries(), os.path.realpath(root),
             repr(settings))).encode()).hexdigest()
        self._old: dict[str, tuple[bytes, tuple[Record, ...]]] | None = None
        self._new: dict[str, tuple[bytes, tuple[Record, ...]]] = {}

    def get(self, relpath: str, digest: bytes) -> tuple[Record, ...] | None:
        """The records parsed before from these very bytes at this path, or None."""
        if self._old is None:
            self._old = self._load()
        found = self._old.get(relpath)
        if found is None or found[0] != digest:
            return None
        self._new[relpath] = found
        return found[1]

    def put(self, relpath: str, digest: bytes, parsed: list[Record]) -> None:
        """Records that parsed and validated from these bytes (never a failed file's)."""
        self._new[relpath] = (digest, tuple(parsed))

    def save(self) -> None:
        """Keep this run's files (and only them: a file gone is gone from the entry)."""
        if self.key is None or self._new == self._old:
            return
        try:
            payload = pickle.dumps({"key": self.key, "files": self._new},
                                   protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, RecursionError):
            return  # not kept: the next run parses, as without a cache
        self.store.store(self.key, payload)

    def _load(self) -> dict[str, tuple[bytes, tuple[Record, ...]]]:
        payload = self.store.load(self.key) if self.key is not None else None
        if payload is None:
            return {}
        collecting = gc.isenabled()
        gc.disable()  # 100,000 objects at once: collecting meanwhile doubles the time
        try:
            doc = _Unpickler(io.BytesIO(payload)).load()
            if not isinstance(doc, dict) or doc.get("key") != self.key:
                return {}  # a sealed entry of another key, renamed onto this one
            files = doc["files"]
            if not all(isinstance(rel, str) and isinstance(digest, bytes)
                       and isinstance(parsed, tuple)
                       and all(isinstance(r, Record) and r.source.path == rel
                               for r in parsed)
                       for rel, (digest, parsed) in files.items()):
                return {}
            return files
        except Exception:  # whatever an odd entry raises, it is a miss  # noqa: BLE001
            return {}
        finally:
            if collecting:
                gc.enable()


class _Unpickler(pickle.Unpickler):
    """Builds records and dates, nothing else: no other class or function can be named."""

    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not a record")
        return getattr(records if module == "cutclear.records" else dt, name)
