"""Discovery: which files of an edit repo are timelines and which are record files.

One walk of the repo serves both lists; a pre-commit hook can use it without importing
OpenTimelineIO. Nothing that could be a timeline is skipped: files go by suffix in any
case (`.XML`, `.Otio`), folders reached through symlinks are walked (each real folder
once, so a link loop ends), and inside the `locked` globs every file with a timeline
suffix is read, so that one that is not a timeline is reported (PV005) rather than passed
over. Only outside them is an `.xml` that is not FCP7 interchange XML left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from cutclear.formats import BUNDLES, RECORD_SUFFIX, SKIP_DIRS, adapter_for, looks_like_fcp7
from cutclear.globs import match_any


def _reached(globs: tuple[str, ...], folder: str) -> bool:
    """Whether a file below `folder` (`a/b/`) could match one of `globs`: the glob's
    literal leading folders lead into it, or it lies below them."""
    folder = folder.lower()
    for glob in globs:
        literal = []
        for part in glob.lower().split("/")[:-1]:
            if any(c in part for c in "*?["):
                break
            literal.append(part)
        prefix = "/".join(literal) + "/" if literal else ""
        if folder.startswith(prefix) or prefix.startswith(folder):
            return True
    return False


@dataclass(frozen=True)
class RepoFiles:
    timelines: list[str]
    records: list[str]
    strays: list[str] = field(default_factory=list)  # record files the globs do not cover
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (key, glob)
    excluded_locked: list[str] = field(default_factory=list)  # locked cuts `exclude` hides


def discover(root: str, record_globs: tuple[str, ...], exclude: tuple[str, ...] = (),
             under: str | None = None, *, locked: tuple[str, ...] = (),
             watch: dict[str, tuple[str, ...]] | None = None) -> RepoFiles:
    """Every timeline and record file under `root` (or its sub-folder `under`), one walk.

    Hidden and tooling folders (.git, node_modules) are skipped, except inside the
    `locked` globs (.git always). Paths are repo-relative with '/'. `watch` maps
    settings keys to globs that must each match some file or folder of the walk; those
    that match nothing are returned in `unmatched`.
    """
    timelines: list[str] = []
    records: list[str] = []
    strays: list[str] = []
    hidden: list[str] = []
    pending = {(key, g) for key, globs in (watch or {}).items() for g in globs}
    seen: set[tuple[int, int]] = set()

    def note(rel: str) -> None:
        for key, g in list(pending):
            if match_any((g,), rel, ignore_case=True):
                pending.discard((key, g))

    top = os.path.join(root, under) if under else root
    for dirpath, dirnames, filenames in os.walk(top, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError:
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # reached again through a link: a loop
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        if pending and rel_dir:
            note(rel_dir.rstrip("/"))
            note(rel_dir)
        keep = []
        for d in sorted(dirnames):
            skipped = d.startswith(".") or d in SKIP_DIRS or match_any(exclude, f"{rel_dir}{d}/")
            # hidden, tooling, or excluded as a whole (a linked media drive), unless a
            # locked glob reaches into the folder: a locked cut is never passed over
            if d == ".git" or skipped and not _reached(locked, f"{rel_dir}{d}/"):
                continue
            if d.lower().endswith(BUNDLES):
                filenames.append(d)
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = rel_dir + name
            if pending:
                note(rel)
            if match_any(exclude, rel):
                if adapter_for(name) is not None and match_any(locked, rel, ignore_case=True):
                    hidden.append(rel)  # excluded, yet a locked cut: the settings contradict
                continue
            if name.lower().endswith(RECORD_SUFFIX):
                (records if match_any(record_globs, rel, ignore_case=True) else strays).append(rel)
                continue
            adapter = adapter_for(name)
            if adapter is None:
                continue
            if adapter == "fcp_xml" and not match_any(locked, rel, ignore_case=True) \
                    and not looks_like_fcp7(os.path.join(dirpath, name)):
                continue
            timelines.append(rel)
    return RepoFiles(sorted(timelines), sorted(records), sorted(strays), sorted(pending),
                     sorted(hidden))
