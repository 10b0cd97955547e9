"""Discovery: which files of an edit repo are timelines and which are record files.

One walk of the repo serves both lists; a pre-commit hook can use it without importing
OpenTimelineIO.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cutclear.formats import BUNDLES, RECORD_SUFFIX, SKIP_DIRS, is_timeline_file
from cutclear.globs import match_any


@dataclass(frozen=True)
class RepoFiles:
    timelines: list[str]
    records: list[str]


def discover(root: str, record_globs: tuple[str, ...], exclude: tuple[str, ...] = (),
             under: str | None = None) -> RepoFiles:
    """Every timeline and record file under `root` (or its sub-folder `under`), one walk.

    Hidden folders (.git) are skipped. Paths are repo-relative with '/'.
    """
    timelines: list[str] = []
    records: list[str] = []
    top = os.path.join(root, under) if under else root
    for dirpath, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        keep = []
        for d in sorted(dirnames):
            if d.startswith(".") or d in SKIP_DIRS:
                continue
            if d.lower().endswith(BUNDLES):
                filenames.append(d)
            else:
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            rel = rel_dir + name
            if match_any(exclude, rel):
                continue
            if name.lower().endswith(RECORD_SUFFIX):
                if match_any(record_globs, rel):
                    records.append(rel)
                continue
            if is_timeline_file(os.path.join(dirpath, name)):
                timelines.append(rel)
    return RepoFiles(sorted(timelines), sorted(records))
