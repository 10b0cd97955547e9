"""A cache of walked timelines, keyed by their content, for the pre-commit hook.

A commit that changes one record file re-checks every timeline of the repo, and reading a
Premiere FCP7 export of a feature takes seconds. The timelines themselves did not change,
so what the walk found can be reused, but a cache is also a way to pass a cut nobody
read, so:

- An entry is looked up by the digest of the very bytes the reader parses (the `Source`
  read once), never by a hash of the file taken before or after reading it; the key also
  covers the reader's options (format, EDL rate), cutclear's version and walker, and the
  installed cutclear plugins and OTIO adapters (`cutclear.installed`).
- Only complete reads are kept (a read that failed is read again), and an entry is
  verified before use: it carries its key and an HMAC of its content under a secret
  kept in the cache folder, so a truncated, corrupt, copied or forged entry is a miss.
- Anything odd is a miss, never a pass and never a hang: an unreadable entry, a FIFO, a
  directory or a symlink at its path, a cache folder others may write to.
- Entries are written to a temporary file and renamed into place, so concurrent runs see
  a whole entry or none; pruning tolerates entries another run removed.

Entries are plain JSON in the user's cache folder, never beside the user's files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import os
import stat
import tempfile

from cutclear import __version__
from cutclear.installed import cache_home, fingerprint
from cutclear.model import ClipUse, MediaIdentity, Mode, TimelineRead
from cutclear.readers import read_timeline
from cutclear.readers.base import MAX_BYTES, Source

WALKER = 3  # bump when what the walk finds changes for the same file
KEEP = 500  # entries kept; the oldest are pruned
MAX_ENTRY = 1 << 30
SECRET_BYTES = 32


def folder() -> str:
    return os.path.join(cache_home(), "timelines")


@functools.lru_cache(maxsize=1)
def _installed() -> str:
    return fingerprint()  # once per process: scanning the installed distributions costs


class TimelineCache:
    """Walked timelines in `path` (default: the user's cache folder)."""

    def __init__(self, path: str | None = None):
        self.path = path or folder()
        self._secret: bytes | None = None

    # --- the key and the seal ----------------------------------------------------------

    def key(self, source: Source, options: dict) -> str:
        text = json.dumps([__version__, WALKER, _installed(), options, source.digest],
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def _seal(self, payload: bytes) -> str | None:
        secret = self._secret or self._load_secret()
        return hmac.new(secret, payload, hashlib.sha256).hexdigest() if secret else None

    def _load_secret(self) -> bytes | None:
        """The cache's own secret, made on first use; None (no cache) when the folder or
        the secret could be written by someone else."""
        try:
            os.makedirs(self.path, mode=0o700, exist_ok=True)
            if not _private(os.stat(self.path, follow_symlinks=False), folder=True):
                return None
            path = os.path.join(self.path, "secret")
            secret = _read_private(path, SECRET_BYTES)
            if secret is None and not os.path.lexists(path):
                fd, tmp = tempfile.mkstemp(dir=self.path, suffix=".tmp")
                with os.fdopen(fd, "wb") as f:
                    f.write(os.urandom(SECRET_BYTES))
                try:
                    os.link(tmp, path)  # made whole, or another run's stays
                except FileExistsError:
                    pass
                finally:
                    os.unlink(tmp)
                secret = _read_private(path, SECRET_BYTES)
        except OSError:
            return None
        self._secret = secret if secret and len(secret) == SECRET_BYTES else None
        return self._secret

    # --- ReadCache -----------------------------------------------------------------

    def get(self, source: Source, options: dict, relpath: str) -> list[ClipUse] | None:
        """The clip uses walked before from these bytes, or None."""
        key = self.key(source, options)
        data = _read_private(self._entry(key), MAX_ENTRY)
        if data is None or b"\n" not in data:
            return None
        seal, payload = data.split(b"\n", 1)
        expected = self._seal(payload)
        if expected is None or not hmac.compare_digest(seal.decode("ascii", "replace"),
                                                       expected):
            return None
        try:
            doc = json.loads(payload)
            if doc["key"] != key:  # a sealed entry of other bytes, renamed
                return None
            clips = [_clip(u, relpath) for u in doc["clips"]]
        except (ValueError, KeyError, TypeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(self._entry(key))  # recently used: pruned last
        return clips

    def put(self, source: Source, options: dict, clips: list[ClipUse]) -> None:
        key = self.key(source, options)
        payload = json.dumps({"key": key, "clips": [_doc(u) for u in clips]}).encode()
        seal = self._seal(payload)
        if seal is None:
            return
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path, suffix=".tmp")
        except OSError:
            return  # a cache that cannot be written only costs time
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(seal.encode() + b"\n" + payload)
            os.replace(tmp, self._entry(key))  # readers see a whole entry or none
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return
        self._prune()

    def _entry(self, key: str) -> str:
        return os.path.join(self.path, key + ".json")

    def _prune(self) -> None:
        entries = []
        with contextlib.suppress(OSError):
            for e in os.scandir(self.path):
                if e.name.endswith(".json"):
                    with contextlib.suppress(OSError):  # pruned by another run meanwhile
                        entries.append((e.stat(follow_symlinks=False).st_mtime, e.path))
        for _, path in sorted(entries)[:max(0, len(entries) - KEEP)]:
            with contextlib.suppress(OSError):
                os.unlink(path)


def cached_read(fullpath: str, relpath: str, mode: Mode, edl_rate: float | None = None,
                max_bytes: int = MAX_BYTES) -> TimelineRead:
    """`read_timeline`, answered from the cache when the same bytes were walked before."""
    return read_timeline(fullpath, relpath, mode, edl_rate, cache=TimelineCache(),
                         max_bytes=max_bytes)


def _private(st: os.stat_result, folder: bool = False) -> bool:
    """Ours, of the right kind, and writable by nobody else."""
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    return (kind(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _read_private(path: str, limit: int) -> bytes | None:
    """A regular file's bytes, up to `limit`; None for anything else (without blocking on
    a FIFO, or following a symlink)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        if not _private(os.fstat(fd)):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        return data if len(data) <= limit else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _doc(u: ClipUse) -> dict:
    return {"sequence": u.sequence, "track": u.track, "track_name": u.track_name,
            "in": u.record_in, "out": u.record_out, "enabled": u.enabled,
            "media": _media_doc(u.media)}


def _clip(u: dict, relpath: str) -> ClipUse:
    return ClipUse(relpath, u["sequence"], u["track"], u["track_name"], u["in"], u["out"],
                   _media(u["media"]), u["enabled"])


def _media(doc: dict) -> MediaIdentity:
    return MediaIdentity(doc["path"], doc["name"], doc["reel"], doc["clip"],
                         tuple(doc["source_ids"]),
                         tuple(_media(a) for a in doc.get("alternates", ())))


def _media_doc(media: MediaIdentity) -> dict:
    doc = {"path": media.path, "name": media.name, "reel": media.reel, "clip": media.clip,
           "source_ids": list(media.source_ids)}
    if media.alternates:  # a clip's other media references (proxies): matched too
        doc["alternates"] = [_media_doc(a) for a in media.alternates]
    return doc
