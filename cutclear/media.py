"""Media identity: what a clip points at, normalised, and how records match it.

Timelines name media many ways: file URLs with percent-escapes (`file://localhost/D%3a/`),
Windows drives and UNC paths, image sequence patterns, reel names truncated by EDLs, AAF
MobIDs. Everything is normalised once here so that matching is a dict look-up where it
can be, and a regex only for the globs users actually write.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote

from cutclear.globs import compile_glob, is_glob
from cutclear.model import MediaIdentity
from cutclear.records import Asset

_DRIVE = re.compile(r"^/?([A-Za-z]):(/|$)")
_FRAME_TOKENS = re.compile(r"%0?(\d*)d|\[\d+-\d+\]|@+|\{#+\}")


@lru_cache(maxsize=1 << 16)  # a cut uses each media file several times
def normalise_path(url: str) -> str:
    """A media URL or OS path as a '/'-separated path; file URLs and escapes undone.

    `file:///D%3a/media/a.mov` and `D:\\media\\a.mov` both give `D:/media/a.mov`;
    `file://server/share/a.mov` and `\\\\server\\share\\a.mov` give `//server/share/a.mov`.
    Frame-number tokens of image sequences (`%04d`, `[1001-1100]`, `@@@@`) become `####`.
    """
    text = url.strip()
    if not text:
        return ""
    if text.lower().startswith("file:"):
        # Split by hand: NLEs write `#` and `?` unescaped in file URLs (image sequences
        # as plate.####.exr), which a URL parser would take for a fragment or query.
        rest = text[len("file:"):]
        host = ""
        if rest.startswith("//"):
            host, slash, path = rest[2:].partition("/")
            rest = slash + path
            if host.lower() == "localhost":
                host = ""
        # `%0`/`%1` escapes would be control characters, never in a file name: they are
        # frame tokens written raw (plate.%04d.exr), kept for normalise_frames.
        text = unquote(re.sub(r"%(?=[01][0-9A-Fa-f])", "%25", rest))
        if host:
            text = f"//{unquote(host)}{text}"
    elif "%" in text and re.search(r"%[0-9A-Fa-f]{2}", text) and not _FRAME_TOKENS.search(text):
        text = unquote(text)
    text = text.replace("\\", "/")
    drive = _DRIVE.match(text)
    if drive:
        text = f"{drive.group(1).upper()}:/{text[drive.end():]}"
    return normalise_frames(text)


def normalise_frames(text: str) -> str:
    """Frame-number tokens of image sequences (`%04d`, `[1001-1100]`, `@@@@`) as `####`."""
    return _FRAME_TOKENS.sub(_hashes, text)


def _hashes(m: re.Match[str]) -> str:
    token = m.group(0)
    if token.startswith("%"):
        return "#" * max(int(m.group(1) or 1), 1)
    if token.startswith("["):
        first, last = token[1:-1].split("-")
        if len(first) == len(last) == 1:
            return token  # a glob character class such as [0-9], not a frame range
        return "#" * len(first)
    return "#" * token.count("#") if token.startswith("{") else "#" * len(token)


def normalise_source_id(text: str) -> str:
    """AAF MobIDs / UMIDs as bare lower-case hex: `urn:smpte:umid:060a2b34.0101...`."""
    text = text.strip().lower()
    if text.startswith("urn:smpte:umid:"):
        text = text[len("urn:smpte:umid:"):]
    return re.sub(r"[\s.\-]", "", text)


def identity(path: str = "", reel: str = "", clip: str = "",
             source_ids: Iterable[str] = ()) -> MediaIdentity:
    """The normalised identity of media named by a path, reel, clip name and source ids."""
    return cached_identity(path, reel, clip, tuple(source_ids))


@lru_cache(maxsize=1 << 16)  # the same media identity recurs at every use of the media
def cached_identity(path: str, reel: str, clip: str,
                    source_ids: tuple[str, ...]) -> MediaIdentity:
    """`identity` for a tuple of source ids: the walk's call, once per clip use."""
    norm = normalise_path(path)
    return MediaIdentity(
        path=norm,
        name=norm.rstrip("/").rsplit("/", 1)[-1],
        reel=reel.strip(),
        clip=clip.strip(),
        source_ids=tuple(normalise_source_id(s) for s in source_ids if s),
    )


class AssetIndex:
    """Finds the assets whose `<match>` keys (or sidecar name) fit a clip's media.

    Literal keys go in dicts; only patterns with glob characters are tried one by one.
    Names and clip names compare case-insensitively, paths as written, reels
    case-insensitively (tape names are upper-case by convention but not by every NLE),
    source ids exactly after normalisation.
    """

    def __init__(self, assets: Iterable[Asset]):
        self._exact: dict[tuple[str, str], list[Asset]] = {}
        self._paths: dict[str, list[tuple[str, Asset]]] = {}  # literal paths by file name
        self._globs: list[tuple[str, re.Pattern[str], Asset]] = []
        for asset in assets:
            if asset.match is None:
                if asset.sidecar_name:
                    self._add("name", asset.sidecar_name, asset)
                continue
            m = asset.match
            for kind, values in (("name", m.names), ("path", m.paths), ("reel", m.reels),
                                 ("clip", m.clips), ("source_id", m.source_ids)):
                for value in values:
                    self._add(kind, value, asset)

    def _add(self, kind: str, value: str, asset: Asset) -> None:
        if kind == "source_id":
            self._exact.setdefault((kind, normalise_source_id(value)), []).append(asset)
        elif kind == "path":
            value = normalise_path(value)
            if is_glob(value):
                self._globs.append((kind, compile_glob(value, tail=True), asset))
            else:
                self._paths.setdefault(value.rsplit("/", 1)[-1], []).append((value, asset))
        elif kind == "name" and is_glob(normalise_frames(value)):
            # media names are normalised (plate.####.exr), so the pattern is too
            self._globs.append((kind, compile_glob(normalise_frames(value), ignore_case=True),
                                asset))
        elif kind == "clip" and is_glob(value):
            self._globs.append((kind, compile_glob(value, ignore_case=True), asset))
        else:
            if kind == "name":
                value = normalise_frames(value)
            self._exact.setdefault((kind, value.lower()), []).append(asset)

    def lookup(self, media: MediaIdentity) -> list[Asset]:
        """Every asset one of whose keys matches; a clip may match several (fail-safe).
        A clip with several media references matches through any of them."""
        found: list[Asset] = []
        for alternate in media.alternates:
            found += self.lookup(alternate)
        keys = {"name": media.name.lower(), "reel": media.reel.lower(),
                "clip": media.clip.lower()}
        for kind, value in keys.items():
            if value:
                found += self._exact.get((kind, value), ())
        for source_id in media.source_ids:
            found += self._exact.get(("source_id", source_id), ())
        path = media.path
        for literal, asset in self._paths.get(media.name, ()) if path else ():
            if path == literal or path.endswith("/" + literal):
                found.append(asset)
        for kind, pattern, asset in self._globs:
            value = path if kind == "path" else keys[kind]
            if value and pattern.search(value):
                found.append(asset)
        return list(dict.fromkeys(found))
