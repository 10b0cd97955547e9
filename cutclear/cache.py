"""A cache of walked timelines, keyed by their content, for the pre-commit hook.

A commit that changes one record file re-checks every timeline of the repo, and reading a
Premiere FCP7 export of a feature takes seconds. The timelines themselves did not change,
so what the walk found can be reused, but a cache is also a way to pass a cut nobody
read, so:

- An entry is looked up by the digest of the very bytes the reader parses (the `Source`
  read once), never by a hash of the file taken before or after reading it; the key also
  covers the reader's options (format, EDL rate), cutclear's version and walker, a
  digest of the code that reads timelines (`reader_code`: an editable install or a
  patched copy that fixes a reader under the same version is a miss), and the installed
  cutclear plugins and OTIO adapters (`cutclear.installed`).
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

import functools
import hashlib
import json
import os
from pathlib import Path

from cutclear import __version__
from cutclear.installed import cache_home, fingerprint
from cutclear.model import ClipUse, MediaIdentity, Mode, TimelineRead
from cutclear.readers import read_timeline
from cutclear.readers.base import MAX_BYTES, Source
from cutclear.sealed import SealedStore

WALKER = 5  # bump when what the walk finds, or how an entry holds it, changes


def folder() -> str:
    return os.path.join(cache_home(), "timelines")


@functools.lru_cache(maxsize=1)
def _installed() -> str:
    return fingerprint()  # once per process: scanning the installed distributions costs


# the code whose change changes what a timeline reads into, besides the readers
READER_CODE = ("readers", "media.py", "model.py", "formats.py", "cache.py")


@functools.lru_cache(maxsize=1)
def reader_code() -> str:
    """A digest of the readers' code (every module under readers/, and what makes media
    identities and entries); if any cannot be read, a key of this process alone, so no
    entry of another is served."""
    package, h = Path(__file__).resolve().parent, hashlib.sha256()
    try:
        for name in READER_CODE:
            path = package / name
            files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
            for f in files:
                h.update(f.relative_to(package).as_posix().encode() + b"\0"
                         + f.read_bytes() + b"\0")
    except OSError:
        return os.urandom(16).hex()
    return h.hexdigest()


class TimelineCache:
    """Walked timelines in `path` (default: the user's cache folder), sealed entries."""

    def __init__(self, path: str | None = None):
        self.store = SealedStore(path or folder())

    def key(self, source: Source, options: dict) -> str:
        text = json.dumps([__version__, WALKER, reader_code(), _installed(), options,
                           source.digest],
                          sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    # --- ReadCache -----------------------------------------------------------------

    def get(self, source: Source, options: dict, relpath: str) -> list[ClipUse] | None:
        """The clip uses walked before from these bytes, or None."""
        key = self.key(source, options)
        payload = self.store.load(key)
        if payload is None:
            return None
        try:
            doc = json.loads(payload)
            if doc["key"] != key:  # a sealed entry of other bytes, renamed
                return None
            return _clips(doc, relpath)
        except (ValueError, KeyError, TypeError, IndexError):
            return None

    def put(self, source: Source, options: dict, clips: list[ClipUse]) -> None:
        key = self.key(source, options)
        self.store.store(key, json.dumps(_entry(key, clips)).encode())


def cached_read(fullpath: str, relpath: str, mode: Mode, edl_rate: float | None = None,
                max_bytes: int = MAX_BYTES) -> TimelineRead:
    """`read_timeline`, answered from the cache when the same bytes were walked before."""
    return read_timeline(fullpath, relpath, mode, edl_rate, cache=TimelineCache(),
                         max_bytes=max_bytes)


def _entry(key: str, clips: list[ClipUse]) -> dict:
    """An entry: each distinct media identity once (a cut uses each media file several
    times), and each use as a row naming its media by index."""
    index: dict[MediaIdentity, int] = {}
    rows = [[u.sequence, u.track, u.track_name, u.record_in, u.record_out, u.enabled,
             index.setdefault(u.media, len(index))] for u in clips]
    return {"key": key, "media": [_media_doc(m) for m in index], "clips": rows}


def _clips(doc: dict, relpath: str) -> list[ClipUse]:
    media = [_media(m) for m in doc["media"]]
    return [ClipUse(relpath, sequence, track, track_name, record_in, record_out,
                    media[m], enabled)
            for sequence, track, track_name, record_in, record_out, enabled, m
            in doc["clips"]]


def _media(doc: list) -> MediaIdentity:
    path, name, reel, clip, source_ids, alternates = doc
    return MediaIdentity(path, name, reel, clip, tuple(source_ids),
                         tuple(_media(a) for a in alternates))


def _media_doc(media: MediaIdentity) -> list:
    # alternates: a clip's other media references (proxies), matched too
    return [media.path, media.name, media.reel, media.clip, list(media.source_ids),
            [_media_doc(a) for a in media.alternates]]
