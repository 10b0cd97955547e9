"""Where a finding is in the repository: the file's repo-relative path and the clip's line.

Code scanning and CI annotations point at a line of a file. The readers do not keep line
numbers (`ClipUse.line` is used when a reader sets it), so a clip's line is found here,
from the file itself, only for the timelines a report points into: the line of the clip's
element in FCP7 XML and FCPXML (`<clipitem>`, `<asset-clip>`, ...), of the clip's object
in OTIO JSON, of the event in a CMX 3600 EDL, and line 1 where a format has no lines
(AAF, bundles) or the clip cannot be told apart. A location is presentation only: it never
changes a verdict, so a file that cannot be scanned again just gives line 1.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

from cutclear.formats import adapter_for
from cutclear.model import ClipUse, Finding, TimelineRead


def git_root(start: str) -> str | None:
    """The top of the git work tree holding `start`, if any (where GitHub's paths start)."""
    here = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


class Locator:
    """Repo-relative paths and clip lines for one report, each file scanned at most once."""

    def __init__(self, root: str | None, timelines: list[TimelineRead]):
        self.root = root
        top = git_root(root) if root else None
        prefix = os.path.relpath(root, top).replace(os.sep, "/") if root and top else "."
        self.prefix = "" if prefix == "." else prefix + "/"
        self._uses = {(u.timeline, u.track, u.record_in, u.label): u
                      for t in timelines for u in t.clips}
        self._reads = {t.path: t for t in timelines}
        self._lines: dict[str, dict[int, int]] = {}

    def uri(self, path: str) -> str:
        """`path` (relative to the edit repo) relative to the git repository's top."""
        return self.prefix + path

    def use_of(self, f: Finding) -> ClipUse | None:
        return self._uses.get((f.path, f.track, f.record_in, f.clip))

    def line(self, f: Finding) -> int:
        """The line a finding points at: its record file's line, its clip's line, or 1."""
        if f.line:
            return f.line
        use = self.use_of(f)
        return self.clip_line(use) if use is not None else 1

    def clip_line(self, use: ClipUse) -> int:
        if use.line:
            return use.line
        read = self._reads.get(use.timeline)
        if read is None:
            return 1
        if use.timeline not in self._lines:
            self._lines[use.timeline] = self._scan(read)
        return self._lines[use.timeline].get(id(use), 1)

    def _scan(self, read: TimelineRead) -> dict[int, int]:
        full = os.path.join(self.root or ".", read.path)
        adapter = adapter_for(full)
        if not os.path.isfile(full) or adapter in (None, "AAF", "otioz"):
            return {}
        try:
            with open(full, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
            found = list(SCANNERS.get(adapter, _text_lines)(text))
        except Exception:  # noqa: BLE001 - a location is a courtesy: line 1 will do
            return {}
        return _assign(read.clips, found)


# --- candidates: (names, record timecode or None, line) in document order -------------

Candidate = tuple[frozenset[str], str | None, int]

_STRING = r'"(?:[^"\\]|\\.)*"'
_OTIO_CLIP = re.compile(r'\{\s*"OTIO_SCHEMA"\s*:\s*"Clip\.\d+"')
_TOKEN = re.compile(_STRING + r"|[{}\[\]:,]")


def _otio_json(text: str) -> Iterator[Candidate]:
    """Each OTIO Clip object's line and its own `name` (not one nested in metadata)."""
    line, pos = 1, 0
    for m in _OTIO_CLIP.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        depth, key, name = 0, None, None
        for tok in _TOKEN.finditer(text, m.end()):
            t = tok.group()
            if t in "{[":
                depth += 1
            elif t in "}]":
                depth -= 1
                if depth < 0:
                    break
            elif depth == 0 and t.startswith('"'):
                if key == "name":
                    name = _unquote(t)
                    break
                key = _unquote(t)
            elif t == ",":
                key = None
        yield frozenset({name} if name else ()), None, line


def _unquote(token: str) -> str:
    try:
        return json.loads(token)
    except ValueError:
        return token[1:-1]


_FCP7_TAGS = ("clipitem",)
_FCPX_TAGS = ("asset-clip", "clip", "ref-clip", "sync-clip", "mc-clip", "video", "audio")


def _xml(tags: tuple[str, ...]):
    def scan(text: str) -> Iterator[Candidate]:
        from cutclear.readers.base import Source, parse_xml

        root = parse_xml(Source("", text.encode("utf-8")))
        for el in root.iter(*tags):
            names = {el.get("name") or ""}
            names |= {(n.text or "").strip() for n in el.findall("name")}
            names |= {(n.text or "").strip() for n in el.findall("file/name")}
            yield frozenset(n for n in names if n), None, el.sourceline or 1
    return scan


_EVENT = re.compile(r"^\s*(\d{3,})\s+(\S+)\s+\S+\s+\S+(?:\s+\d+)?\s+\S+\s+\S+\s+(\S+)\s+\S+")
_CLIP_NAME = re.compile(r"^\*\s*FROM CLIP NAME:\s*(.*?)\s*$")


def _edl(text: str) -> Iterator[Candidate]:
    """Each event line with its reel, record in, and the clip name its comments give."""
    current: list | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        event = _EVENT.match(raw)
        if event:
            if current:
                yield frozenset(current[0]), current[1], current[2]
            current = [{event.group(2)}, event.group(3), number]
        elif current is not None and (name := _CLIP_NAME.match(raw)):
            current[0].add(name.group(1))
    if current:
        yield frozenset(current[0]), current[1], current[2]


def _text_lines(text: str) -> Iterator[Candidate]:
    """Other text formats (ALE): each line, by the words on it."""
    for number, raw in enumerate(text.splitlines(), 1):
        yield frozenset(raw.replace("\t", " ").split(" ")), None, number


SCANNERS = {"otio_json": _otio_json, "fcp_xml": _xml(_FCP7_TAGS),
            "fcpx_xml": _xml(_FCPX_TAGS), "cmx_3600": _edl}


def _assign(uses: list[ClipUse], found: list[Candidate]) -> dict[int, int]:
    """The k-th use of a clip name gets the k-th element of that name (walk and file
    both go track by track); an EDL event is taken by its record timecode first."""
    by_name: dict[str, list[Candidate]] = {}
    for cand in found:
        for name in cand[0]:
            by_name.setdefault(name, []).append(cand)
    seen: dict[str, int] = {}
    lines = {}
    for use in uses:
        names = [n for n in (use.media.clip, use.media.name, use.media.reel) if n]
        for name in names:
            cands = by_name.get(name)
            if not cands:
                continue
            at_tc = [c for c in cands if c[1] is not None and c[1] == use.record_in]
            if at_tc:
                lines[id(use)] = at_tc[0][2]
            else:
                k = seen.get(name, 0)
                lines[id(use)] = cands[min(k, len(cands) - 1)][2]
            seen[name] = seen.get(name, 0) + 1
            break
    return lines
