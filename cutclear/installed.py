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
import tempfile
from importlib.metadata import distributions

from cutclear import __version__

GROUPS = frozenset({"cutclear", "opentimelineio.plugins"})
CORE = frozenset({"opentimelineio", "lxml", "pluggy"})  # what reads and judges the files


def cache_home() -> str:
    """cutclear's folder in the user's cache (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cutclear")


def fingerprint() -> str:
    """A digest of cutclear's version, every distribution that provides a cutclear plugin
    or an OTIO plugin (name, version, entry points), the core libraries' versions and the
    plugins CUTCLEAR_DISABLE_PLUGINS blocks."""
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


def _record(scope: str) -> str:
    key = hashlib.sha256(os.path.realpath(scope).encode()).hexdigest()[:32]
    return os.path.join(cache_home(), "passed", key + ".json")


def passed_with(scope: str) -> str | None:
    """The fingerprint under which every edit repo in `scope` (a git work tree) last
    passed the hook; None when unknown or unreadable (then everything is re-checked)."""
    path = _record(scope)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO there must not block
        with os.fdopen(fd, "rb") as f:
            if not os.path.isfile(path):
                return None
            doc = json.loads(f.read(4096))
        return doc["fingerprint"] if isinstance(doc.get("fingerprint"), str) else None
    except (OSError, ValueError, AttributeError, KeyError):
        return None


def record_pass(scope: str, print_: str) -> None:
    """Remember that every edit repo in `scope` passed under fingerprint `print_`."""
    path = _record(scope)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"fingerprint": print_, "scope": os.path.realpath(scope)}, f)
        os.replace(tmp, path)
    except OSError:
        pass  # not remembered: the next commit re-checks everything again
