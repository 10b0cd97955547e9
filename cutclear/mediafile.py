"""The media file behind a clip, when it can be seen, and what is read from its bytes.

Provenance carried by the media itself (C2PA Content Credentials, embedded XMP) and the
SHA-256 pin of a record can only be checked where the file is: under the conform's
`--media-root`, or at the clip's own path (absolute, or relative to the edit repo). Each
file is resolved once per run, and what is read from it is kept by path, size and mtime, so
a media file used by a hundred clips is read once, and a changed file is read again. In a
cached run (the pre-commit hook, `check --cache`) what was read is also kept on disk, in
the user's cache folder, by the same key: a commit does not hash the online again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from typing import Any

from cutclear import __version__
from cutclear.installed import cache_home
from cutclear.model import ClipUse, MediaIdentity
from cutclear.records import Source, Tool
from cutclear.sealed import SealedStore

_lock = threading.Lock()
_read: dict[tuple[str, str, int, int], object] = {}  # (what, path, size, mtime) -> result
KEEP = 4096


def media_file(clip: ClipUse, ctx) -> str | None:
    """The file a clip's media is in, or None when it cannot be seen from here."""
    key = ("cutclear-media-file", clip.media)
    if key not in ctx.cache:
        ctx.cache[key] = _resolve(clip.media, ctx)
    return ctx.cache[key]


def _resolve(media: MediaIdentity, ctx) -> str | None:
    if ctx.media_root is not None:
        found = ctx.media_root.find(media)
        if found:
            return found
    path = media.path
    if not path or "#" in path:  # an image sequence has no one file
        return None
    if re.match(r"^[A-Za-z]:/", path) and os.sep == "/":
        return None  # a Windows drive seen from elsewhere
    full = path if os.path.isabs(path) else os.path.join(ctx.config.root, path)
    return full if os.path.isfile(full) else None


def display_path(path: str, ctx) -> str:
    """The name a media file goes by in ids and messages: relative to the conform's media
    root when under it, else repo-relative when inside the edit repo, else as given."""
    for base in (ctx.media_root.root if ctx.media_root else None, ctx.config.root):
        if base:
            rel = os.path.relpath(os.path.abspath(path), base)
            if not rel.startswith(".."):
                return rel.replace(os.sep, "/")
    return path.replace(os.sep, "/")


Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]  # to JSON, from JSON


def disk_folder() -> str:
    return os.path.join(cache_home(), "media")


def cached(what: str, path: str, compute: Callable[[str], object], ctx=None,
           codec: Codec | None = None) -> object:
    """`compute(path)`, kept for as long as the file keeps its size and mtime; in a cached
    run with a `codec`, kept on disk too."""
    try:
        st = os.stat(path)
    except OSError:
        return compute(path)
    key = (what, os.path.abspath(path), st.st_size, st.st_mtime_ns)
    with _lock:
        if key in _read:
            return _read[key]
    disk = None
    if codec is not None and ctx is not None and ctx.cache.get("cutclear-cached-run"):
        digest = hashlib.sha256(json.dumps([__version__, *key]).encode()).hexdigest()
        disk = (SealedStore(disk_folder()), digest)
    value = _from_disk(*disk, codec) if disk else None
    if value is None:
        value = compute(path)
        data = codec[0](value) if disk else None
        if data is not None:  # None: not worth keeping (a transient failure)
            disk[0].store(disk[1], json.dumps({"key": disk[1], "value": data}).encode())
    with _lock:
        if len(_read) >= KEEP:
            _read.clear()
        _read[key] = value
    return value


def _from_disk(store: SealedStore, key: str, codec: Codec) -> object | None:
    """An entry written before and sealed by this user's cache, or None (missing, not
    ours, or unreadable: read the media again). A planted "no credentials" or pinned
    hash is never believed."""
    payload = store.load(key)
    if payload is None:
        return None
    try:
        doc = json.loads(payload)
        return codec[1](doc["value"]) if doc["key"] == key else None
    except (ValueError, TypeError, KeyError):
        return None


def sha256_file(path: str) -> str:
    """The SHA-256 of a file's bytes, lower-case hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_of(path: str, ctx=None) -> str:
    return cached("sha256", path, sha256_file, ctx, (str, str))  # type: ignore[return-value]


def derived_tool(ctx, kind: str, name: str, version: str | None, where: Source) -> str:
    """The id of a `Tool` record for a tool named in media metadata (a C2PA claim
    generator or softwareAgent, XMP's AISystemUsed), added to this run's records so that
    describe() names it and the DU rules judge it (its data terms are unknown)."""
    label = " ".join(x for x in (name, version) if x)
    tool_id = f"{kind}-TOOL:" + re.sub(r"[^A-Za-z0-9_.:\-]+", "_", label)
    if tool_id not in ctx.db.records:
        ctx.db.records[tool_id] = Tool(tool_id, name, where, name, version or None)
    return tool_id
