"""A cache of walked timelines, keyed by their content, for the pre-commit hook.

A commit that changes one record file re-checks every timeline of the repo, and reading a
Premiere FCP7 export of a feature takes seconds. The timelines themselves did not change,
so what the walk found can be reused: entries are keyed by a hash of the file's bytes (and
of everything else the walk depends on), so a changed timeline can never be served from
an old entry. Entries are plain JSON in the user's cache folder, never beside the user's
files; an entry that cannot be read is ignored and the timeline read again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile

from cutclear import __version__
from cutclear.model import ClipUse, MediaIdentity, Mode, TimelineRead
from cutclear.readers import read_timeline
from cutclear.readers.base import MAX_BYTES

WALKER = 3  # bump when what the walk finds changes for the same file
KEEP = 500  # entries kept; the oldest are pruned


def folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cutclear", "timelines")


def _key(fullpath: str, edl_rate: float | None) -> str | None:
    if not os.path.isfile(fullpath):  # bundles (.otiod, .fcpxmld) are read every time
        return None
    digest = hashlib.sha256(f"{__version__}/{WALKER}/{edl_rate}/".encode())
    with open(fullpath, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cached_read(fullpath: str, relpath: str, mode: Mode, edl_rate: float | None = None,
                max_bytes: int = MAX_BYTES) -> TimelineRead:
    """`read_timeline`, answered from the cache when the same bytes were walked before.
    A file over `max_bytes` is refused by the reader, never hashed nor cached."""
    too_big = os.path.isfile(fullpath) and os.path.getsize(fullpath) > max_bytes
    key = None if too_big else _key(fullpath, edl_rate)
    if key is None:
        return read_timeline(fullpath, relpath, mode, edl_rate, max_bytes=max_bytes)
    entry = os.path.join(folder(), key + ".json")
    try:
        with open(entry, encoding="utf-8") as f:
            read = _loads(f.read(), relpath, mode)
        os.utime(entry)  # recently used: pruned last
        return read
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no entry, or not one we can trust: read the timeline
    read = read_timeline(fullpath, relpath, mode, edl_rate, max_bytes=max_bytes)
    _store(entry, read)
    return read


def _loads(text: str, relpath: str, mode: Mode) -> TimelineRead:
    doc = json.loads(text)
    clips = [ClipUse(relpath, u["sequence"], u["track"], u["track_name"], u["in"], u["out"],
                     _media(u["media"]),
                     u["enabled"])
             for u in doc["clips"]]
    return TimelineRead(relpath, mode, clips, doc["error"])


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


def _store(entry: str, read: TimelineRead) -> None:
    doc = {"error": read.error, "clips": [
        {"sequence": u.sequence, "track": u.track, "track_name": u.track_name,
         "in": u.record_in, "out": u.record_out, "enabled": u.enabled,
         "media": _media_doc(u.media)}
        for u in read.clips]}
    try:
        os.makedirs(os.path.dirname(entry), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(entry), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        os.replace(tmp, entry)  # readers see a whole entry or none
        _prune(os.path.dirname(entry))
    except OSError:
        pass  # a cache that cannot be written only costs time


def _prune(path: str) -> None:
    entries = [e for e in os.scandir(path) if e.name.endswith(".json")]
    if len(entries) > KEEP:
        for e in sorted(entries, key=lambda e: e.stat().st_mtime)[:len(entries) - KEEP]:
            os.unlink(e.path)
