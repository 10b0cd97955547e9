"""What every reader shares: the source it reads, the census it takes, the errors it raises.

A reader turns one timeline file into OTIO objects plus a census: a count of the media
items the file holds, taken from the file itself and not from the OTIO adapter. The walk
of the OTIO objects must place exactly that many clip uses; when it does not, the read
fails (PV005) rather than pass clips nobody looked at.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from stat import S_ISREG
from typing import TypeVar

from lxml import etree

MAX_BYTES = 1 << 30  # a timeline file larger than this is refused before parsing


class TimelineError(Exception):
    """A timeline cannot be read or walked (PV005)."""


@dataclass
class Source:
    """A timeline file as read: its path and, for a plain file, the bytes that are parsed.

    Readers parse `data`, never the path again, so that what was checked (and what the
    cache is keyed by) is exactly what was read. Bundles (.otiod, .fcpxmld) are folders
    and have no `data`. A reader whose native parser reads files itself (OTIO's JSON
    reader) may hand it the file once more through `parse`, which proves it the same
    bytes and lets go of `data`: a large timeline is then never held twice.
    """

    path: str
    data: bytes | None
    stat: os.stat_result | None = field(default=None, repr=False)  # of the file read

    @classmethod
    def open(cls, path: str, max_bytes: int = MAX_BYTES) -> Source:
        if not os.path.exists(path):
            raise TimelineError("no such file")
        if os.path.isdir(path):
            return cls(path, None)
        if not os.path.isfile(path):
            raise TimelineError("not a regular file (a FIFO or a device cannot be a timeline)")
        try:
            # O_NONBLOCK: a FIFO put at the path meanwhile must not hang the read
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC)
        except OSError as e:
            raise TimelineError(f"cannot be read ({e.strerror or e})") from None
        with open(fd, "rb") as f:
            st = os.fstat(fd)
            if not S_ISREG(st.st_mode):
                raise TimelineError("not a regular file (a FIFO or a device cannot be a "
                                    "timeline)")
            try:
                data = f.read(max_bytes + 1)
            except OSError as e:
                raise TimelineError(f"cannot be read ({e.strerror or e})") from None
        if len(data) > max_bytes:
            raise TimelineError(f"larger than {_size(max_bytes)} (max-timeline-size): refused "
                                "before parsing; if it really is a cut, raise "
                                "max-timeline-size in the cutclear settings")
        return cls(path, data, st)

    @cached_property
    def digest(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None

    def parse(self, from_path: Callable[[str], T], from_bytes: Callable[[bytes], T]) -> T:
        """Parse the bytes with a native parser, streamed from the file where that is
        proven to give the same bytes, else from `data`.

        The file is opened again and must still be the file read (device, inode, size,
        modification and change times), or `from_bytes(data)` parses what was read. If
        it is, `data` is let go of (its digest is kept for the cache key: callers hold no
        other reference to the bytes) and `from_path` reads the file through the new
        descriptor (`/proc/self/fd/N`, Linux); afterwards the file is read through that
        descriptor once more and hashed, and anything but the digest of the bytes read
        first raises TimelineError: a file changed during the read is never a read.
        """
        fd = self._reopen()
        if fd is None:
            return from_bytes(self.data)
        try:
            digest, self.data = self.digest, None  # the digest is taken before letting go
            try:
                result = from_path(f"{_FD_DIR}/{fd}")
            except OSError:  # a /proc that does not let the descriptor be opened again
                data = _contents(fd)
                if hashlib.sha256(data).hexdigest() != digest:
                    raise TimelineError("changed while it was being read: check it again"
                                        ) from None
                return from_bytes(data)
            if not (_same_file(os.fstat(fd), self.stat) and _digest_of(fd) == digest):
                raise TimelineError("changed while it was being read: check it again")
            return result
        finally:
            os.close(fd)

    def _reopen(self) -> int | None:
        """A new descriptor of the very file `data` was read from, unchanged, or None."""
        if self.data is None or self.stat is None or not os.path.isdir(_FD_DIR):
            return None
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | _CLOEXEC)
        except OSError:
            return None
        if _same_file(os.fstat(fd), self.stat) and self.stat.st_size == len(self.data):
            return fd
        os.close(fd)
        return None


_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FD_DIR = "/proc/self/fd"  # Linux: opening /proc/self/fd/N opens the file N is open on
T = TypeVar("T")


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return ((a.st_dev, a.st_ino, a.st_size, a.st_mtime_ns, a.st_ctime_ns)
            == (b.st_dev, b.st_ino, b.st_size, b.st_mtime_ns, b.st_ctime_ns))


def _contents(fd: int) -> bytes:
    """The whole file open as `fd`, whatever the descriptor's offset."""
    blocks, offset = [], 0
    while block := os.pread(fd, 1 << 20, offset):
        blocks.append(block)
        offset += len(block)
    return b"".join(blocks)


def _digest_of(fd: int, chunk: int = 1 << 18) -> str:
    """The SHA-256 of the whole file open as `fd`, read into one buffer in turn (a new
    buffer per chunk costs more than the hashing); preadv ignores the fd's offset."""
    h, offset = hashlib.sha256(), 0
    buffer = bytearray(chunk)
    view = memoryview(buffer)
    while n := os.preadv(fd, [buffer], offset):
        h.update(view[:n])
        offset += n
    return h.hexdigest()


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} bytes"


@dataclass
class Census:
    """What the file holds, counted without the OTIO adapter.

    `media` is the number of clip uses the walk must place under the format's conventions
    (docs/timelines.md); `unplaced` counts, by kind, the items cutclear found in the file
    but cannot place (unknown clip kinds, unresolved references). Either a mismatch or
    anything unplaced fails the read.
    """

    media: int
    unplaced: dict[str, int] = field(default_factory=dict)
    structural: bool = False  # counts clips the walk finds trimmed out of sight too

    def verify(self, placed: int, hidden: int = 0) -> None:
        """Raise TimelineError unless the walk placed what the file holds; a structural
        census is compared with what the walk placed plus what it found hidden."""
        if self.unplaced:
            kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.unplaced.items()))
            raise TimelineError(f"holds items cutclear cannot place: {kinds}")
        if self.structural:
            placed += hidden
        if placed != self.media:
            raise TimelineError(f"the file holds {self.media} clip uses but the reader placed "
                                f"{placed}: the read is incomplete, so nothing in it is trusted")


@dataclass
class Read:
    """A reader's result: the OTIO object, the census (None: none taken yet) and what the
    walk needs to know about the format."""

    obj: object
    census: Census | None = None
    namespaces: frozenset[str] | None = None
    # uses(relpath, hidden) -> list[ClipUse]: a reader that lists the clip uses itself,
    # as walk would list them from `obj` but without the OTIO objects (FCP7)
    uses: Callable[[str, list], list] | None = None


def parse_xml(source: Source, blank_text: bool = True):
    """An NLE's XML export, parsed without DTDs, entities or network access. Without
    `blank_text`, whitespace between elements is dropped (a faster parse, for readers
    that strip every text they read)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True, remove_blank_text=not blank_text)
    try:
        if source.data is not None:
            return etree.fromstring(source.data, parser)
        return etree.parse(source.path, parser).getroot()
    except etree.XMLSyntaxError as e:
        raise TimelineError(f"not well-formed XML at line {e.lineno}: {e.msg}") from None


def adapter_message(adapter: str, error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return f"cannot be read as {adapter} ({type(error).__name__}: {text})"
