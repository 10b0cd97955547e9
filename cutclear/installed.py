"""What is installed that can change a verdict: cutclear, its plugins and the OTIO adapters.

A pre-commit hook environment is rebuilt when `additional_dependencies` change, and a
plugin added, removed or upgraded can fail a locked cut that no file of the commit
touches. The hook compares this fingerprint with the one recorded the last time the
edit repos of the git repo passed, and re-checks them all when it differs; the timeline
cache keys its entries by it, so that a new adapter version reads the file again.

Light on purpose (no OpenTimelineIO, no lxml): the hook computes it on every commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from cutclear import __version__

GROUPS = frozenset({"cutclear", "opentimelineio.plugins"})
CORE = frozenset({"opentimelineio", "lxml", "pluggy"})  # what reads and judges the files


def cache_home() -> str:
    """cutclear's folder in the user's cache (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cutclear")


_known: tuple[str, str] | None = None  # (quick key, fingerprint) this process has seen


def fingerprint() -> str:
    """A digest of cutclear's version, every distribution that provides a cutclear plugin
    or an OTIO plugin (name, version, entry points), the core libraries' versions and the
    plugins CUTCLEAR_DISABLE_PLUGINS blocks. Once the hook has found the installation
    to be the one of the last pass (`changed_since_pass`, by `quick_key()`), that pass's
    fingerprint answers for as long as `quick_key()` stays the same (the timeline cache
    asks for it on every cached run: 1 ms instead of 15-50)."""
    if _known is not None and quick_key() == _known[0]:
        return _known[1]
    return _computed()


def _computed() -> str:
    from importlib.metadata import distributions  # 15-30 ms: only when quick_key() changed

    parts, seen = [f"cutclear {__version__}"], set()
    for dist in distributions():
        name = (dist.metadata["Name"] or "").lower().replace("_", "-")
        if name in seen:  # shadowed by the one found first, as importlib finds it
            continue
        seen.add(name)
        eps = sorted(f"{ep.group}:{ep.name}={ep.value}" for ep in dist.entry_points
                     if ep.group in GROUPS)
        if eps or name in CORE:
            parts.append(f"{name} {dist.version} {' '.join(eps)}")
    blocked = sorted(n.strip() for n in os.environ.get("CUTCLEAR_DISABLE_PLUGINS", "")
                     .split(",") if n.strip())
    parts.append("disabled " + ",".join(blocked))
    return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()


METADATA_DIRS = (".dist-info", ".egg-info", ".egg-link", ".pth")
METADATA_FILES = ("METADATA", "PKG-INFO", "entry_points.txt")


def quick_key() -> str:
    """A digest of everything `fingerprint()` is computed from, by stat alone (about 1 ms
    where `fingerprint()` parses every distribution's metadata): cutclear's version,
    CUTCLEAR_DISABLE_PLUGINS, sys.path and the metadata finders, and in every folder of
    sys.path its own stat and the name and stat (mtime, ctime, size, inode) of every dist-info,
    egg-info, egg-link and .pth entry and of the METADATA, PKG-INFO and entry_points.txt
    in it. Installing, removing, upgrading or rewriting a distribution changes it (the ctime
    even when an edit keeps the size and sets the mtime back). It is
    only ever compared with the key recorded beside a fingerprint (`passed_with`): equal
    keys mean the fingerprint recorded is the one `fingerprint()` would compute now; any
    other key means computing it again, never a pass."""
    parts = [f"cutclear {__version__}",
             "disabled " + os.environ.get("CUTCLEAR_DISABLE_PLUGINS", ""),
             *(f"finder {type(f).__module__}.{type(f).__qualname__}" for f in sys.meta_path
               if hasattr(f, "find_distributions"))]
    for folder in sys.path:
        parts.append(f"path {folder!r} {_stat(folder or '.')}")
        try:
            with os.scandir(folder or ".") as it:
                names = sorted(e.name for e in it if e.name.endswith(METADATA_DIRS))
        except OSError:
            continue
        for name in names:
            entry = os.path.join(folder or ".", name)
            parts.append(f"  {name} {_stat(entry)}")
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            parts.extend(f"    {m} {_stat(os.path.join(entry, m))}" for m in METADATA_FILES)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _stat(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_mtime_ns} {st.st_ctime_ns} {st.st_size} {st.st_ino} {st.st_mode}"


def _record(scope: str) -> str:
    key = hashlib.sha256(os.path.realpath(scope).encode()).hexdigest()[:32]
    return os.path.join(cache_home(), "passed", key + ".json")


def passed_with(scope: str) -> str | None:
    """The fingerprint under which every edit repo in `scope` (a git work tree) last
    passed the hook; None when unknown or unreadable (then everything is re-checked)."""
    return _passed(scope).get("fingerprint")


def changed_since_pass(scope: str, key: str) -> str | None:
    """None when the installation is the one every edit repo in `scope` last passed
    under, told by `key` (`quick_key()`, taken before anything is checked) alone when the
    record has the same, else by `fingerprint()`; otherwise the fingerprint now, to
    record with `key` once the re-check passes. A record with another key but the same
    fingerprint (a reinstall of the same versions) gets the new key, so that the next
    commit is quick again."""
    global _known
    doc = _passed(scope)
    if doc.get("quick") == key and "fingerprint" in doc:
        _known = (key, doc["fingerprint"])
        return None
    current = _computed()
    if doc.get("fingerprint") != current:
        return current
    record_pass(scope, current, key)
    return None


def _passed(scope: str) -> dict[str, str]:
    path = _record(scope)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO there must not block
        with os.fdopen(fd, "rb") as f:
            if not os.path.isfile(path):
                return {}
            doc = json.loads(f.read(4096))
        if not isinstance(doc, dict):
            return {}
        return {k: doc[k] for k in ("fingerprint", "quick") if isinstance(doc.get(k), str)}
    except (OSError, ValueError):
        return {}


def record_pass(scope: str, print_: str, quick: str | None = None) -> None:
    """Remember that every edit repo in `scope` passed under fingerprint `print_` (and
    the installation's `quick_key()` then, which must be taken no later than `print_`)."""
    import tempfile  # only when a pass is recorded: not on the hook's quick exit

    path = _record(scope)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"fingerprint": print_, "quick": quick, "scope": os.path.realpath(scope)},
                      f)
        os.replace(tmp, path)
    except OSError:
        pass  # not remembered: the next commit re-checks everything again
