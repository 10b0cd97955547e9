"""A folder of sealed cache entries: what a cache may keep without ever passing a cut.

Each entry holds its key and an HMAC-SHA-256 of its content under a random secret made in
the folder on first use, so an entry that is truncated, edited, renamed from another key
or planted by someone else is not served. A folder or secret that is not the user's own,
or that others can write to, means no cache at all; a FIFO, a folder or a symlink at an
entry's path means a miss. Entries are written whole and renamed into place, so
concurrent runs are safe, and the oldest are pruned. A cache only ever saves time.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import stat
import tempfile

KEEP = 500  # entries kept; the oldest are pruned
MAX_ENTRY = 1 << 30
SECRET_BYTES = 32


class SealedStore:
    """Sealed entries in the folder `path`, by key (a hex digest)."""

    def __init__(self, path: str):
        self.path = path
        self._secret: bytes | None = None

    def load(self, key: str) -> bytes | None:
        """The payload stored under `key`, or None (missing, or not one to trust). The
        payload should name its key, for the caller to check: a sealed entry of another
        key renamed onto this one is whole and sealed, yet not this key's."""
        data = _read_private(self._entry(key), MAX_ENTRY)
        if data is None or b"\n" not in data:
            return None
        seal, payload = data.split(b"\n", 1)
        expected = self._seal(payload)
        if expected is None or not hmac.compare_digest(seal.decode("ascii", "replace"),
                                                       expected):
            return None
        with contextlib.suppress(OSError):
            os.utime(self._entry(key))  # recently used: pruned last
        return payload

    def store(self, key: str, payload: bytes) -> None:
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
