"""Resolving clips against the media actually being conformed (`--media-root`).

At conform the online is rebuilt from full-quality media: a clip whose media cannot be
found there is reported (PV006), never silently passed, since nothing can be said of
media nobody can see.
"""

from __future__ import annotations

import os
import re

from cutclear.model import MediaIdentity


class MediaRoot:
    """The files under a media folder, indexed once by name (case-insensitively)."""

    def __init__(self, root: str):
        if not os.path.isdir(root):
            from cutclear.config import ConfigError
            raise ConfigError(f"--media-root {root}: no such folder")
        self.root = os.path.abspath(root)
        self._by_name: dict[str, list[str]] = {}
        self._by_stem: dict[str, list[str]] = {}
        self._found: dict[MediaIdentity, str | None] = {}
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                full = os.path.join(dirpath, name)
                self._by_name.setdefault(name.lower(), []).append(full)
                self._by_stem.setdefault(os.path.splitext(name)[0].lower(), []).append(full)

    def find(self, media: MediaIdentity) -> str | None:
        """The file a clip uses: by the longest trailing run of its path, else by file name,
        else (EDLs without paths) by clip or reel name as a file stem."""
        if media not in self._found:  # asked per clip use, answered once per media
            self._found[media] = self._find(media)
        return self._found[media]

    def _find(self, media: MediaIdentity) -> str | None:
        if media.name:
            candidates = self._by_name.get(media.name.lower(), [])
            parts = media.path.split("/")
            for n in range(len(parts), 0, -1):  # prefer the same sub-folders
                tail = "/".join(parts[-n:])
                for c in candidates:
                    if c.replace(os.sep, "/").endswith("/" + tail):
                        return c
            if candidates:
                return candidates[0]
            if "#" in media.name:  # an image sequence: any frame of it will do
                pattern = re.compile(re.escape(media.name.lower()).replace("\\#", r"\d"))
                for name, paths in self._by_name.items():
                    if pattern.fullmatch(name):
                        return paths[0]
        for key in (media.clip, media.reel):
            if key and self._by_stem.get(key.lower()):
                return self._by_stem[key.lower()][0]
        return None
