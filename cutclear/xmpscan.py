"""The XMP packet embedded in a media file: ExifTool when installed, else a packet scan.

Cameras, NLEs and generative tools write XMP into the media itself (a `uuid` or `XMP_`
box in MOV/MP4, a KLV item in MXF, APP1 in JPEG, `iTXt` in PNG, tag 700 in TIFF, `_PMX` in
WAV). ExifTool, the industry's reader, knows every container and is used when it is on
the PATH. Without it, or when it finds nothing, the file is scanned for packets as XMP
part 3 ("Scanning files for XMP packets") allows for any format: the
`<?xpacket begin=...?>` ... `<?xpacket end=...?>` wrapper is searched in the head and the
tail of the file (where containers keep their metadata), so the time per file is bounded
however large the media.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time

HEAD_BYTES = 16 * 1024 * 1024  # scanned from the start of a file ...
TAIL_BYTES = 16 * 1024 * 1024  # ... and from its end (moov atoms are often written last)
MAX_PACKET = 4 * 1024 * 1024
EXIFTOOL_TIMEOUT = 30.0
BEGIN, END = b"<?xpacket begin=", b"<?xpacket end="
META_OPEN, META_CLOSE = b"<x:xmpmeta", b"</x:xmpmeta>"
NO_EXIFTOOL_ENV = "CUTCLEAR_NO_EXIFTOOL"  # use the packet scan even where ExifTool is


class XMPReadError(Exception):
    """The media's XMP could not be read: its provenance is unknown (PV007)."""


def exiftool() -> str | None:
    if os.environ.get(NO_EXIFTOOL_ENV):
        return None
    return shutil.which("exiftool")


def embedded_xmp(path: str) -> list[bytes]:
    """The XMP packets of a media file (usually one; none when it has no XMP)."""
    tool = exiftool()
    if tool:
        # a container variant ExifTool does not know still gets the scan: missing a
        # packet would read as "no provenance", never a safe default
        return _with_exiftool(tool, path) or scan(path)
    return scan(path)


class _ExifTool:
    """One ExifTool process for the whole run (`-stay_open`): starting Perl per file costs
    a fifth of a second, which a conform of a thousand clips cannot pay."""

    def __init__(self, tool: str):
        self.tool = tool
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def _start(self) -> subprocess.Popen:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [self.tool, "-stay_open", "True", "-@", "-"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return self.proc

    def xmp(self, path: str) -> bytes:
        if "\n" in path or "\r" in path:
            raise XMPReadError("ExifTool cannot be given a file name with a line break")
        with self.lock:
            try:
                proc = self._start()
                args = ["-charset", "filename=utf8", "-b", "-XMP", "-m",
                        os.path.abspath(path), "-execute"]
                proc.stdin.write(("\n".join(args) + "\n").encode("utf-8"))
                proc.stdin.flush()
                return self._until_ready(proc)
            except OSError as e:
                self.close()
                raise XMPReadError(f"ExifTool could not run: {e.strerror}") from None

    def _until_ready(self, proc: subprocess.Popen) -> bytes:
        out = b""
        deadline = time.monotonic() + EXIFTOOL_TIMEOUT
        fd = proc.stdout.fileno()
        while not out.endswith(READY) and not out.endswith(READY_CRLF):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.close()
                raise XMPReadError(f"ExifTool took more than {EXIFTOOL_TIMEOUT:g} s")
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self.close()
                raise XMPReadError("ExifTool stopped unexpectedly")
            out += chunk
            if len(out) > MAX_PACKET + 64:
                self.close()
                raise XMPReadError(f"an XMP packet larger than {MAX_PACKET // (1 << 20)} MiB")
        return out[: -len(READY_CRLF if out.endswith(READY_CRLF) else READY)]

    def close(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


READY, READY_CRLF = b"{ready}\n", b"{ready}\r\n"
_exiftools: dict[str, _ExifTool] = {}


def _with_exiftool(tool: str, path: str) -> list[bytes]:
    if tool not in _exiftools:
        _exiftools[tool] = _ExifTool(tool)
        atexit.register(_exiftools[tool].close)
    data = _exiftools[tool].xmp(path)
    return [data] if data.strip() else []


def embedded_many(paths: list[str]) -> dict[str, list[bytes]]:
    """The XMP packets of many files from one ExifTool run (`-json`), far cheaper than a
    request per file. Files ExifTool gives no answer for are left out (read one by one);
    without ExifTool, or when the run fails, the result is empty."""
    tool = exiftool()
    todo = [os.path.abspath(p) for p in paths if "\n" not in p and "\r" not in p]
    if not tool or len(todo) < 2:
        return {}
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".args",
                                     delete=False) as args:
        args.write("\n".join(todo) + "\n")
    try:
        done = subprocess.run([tool, "-json", "-b", "-XMP", "-m", "-charset", "filename=utf8",
                               "-@", args.name], capture_output=True, check=False,
                              timeout=EXIFTOOL_TIMEOUT + 0.5 * len(todo))
        entries = json.loads(done.stdout or b"[]")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return {}
    finally:
        os.unlink(args.name)
    found: dict[str, list[bytes]] = {}
    wanted = set(todo)
    for entry in entries if isinstance(entries, list) else ():
        source = entry.get("SourceFile") if isinstance(entry, dict) else None
        if source not in wanted:
            continue
        value = entry.get("XMP", "")
        if isinstance(value, str) and value.startswith("base64:"):
            data = base64.b64decode(value[len("base64:"):])
        else:
            data = str(value).encode("utf-8") if value else b""
        found[source] = [data] if data.strip() else []
    return found


def _regions(path: str) -> list[bytes]:
    """The head and the tail of the file (the whole file when small)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        if size <= HEAD_BYTES + TAIL_BYTES:
            return [f.read()]
        head = f.read(HEAD_BYTES)
        f.seek(size - TAIL_BYTES)
        return [head, f.read()]


def scan(path: str) -> list[bytes]:
    """XMP packets found by their wrapper (or, unwrapped, by their x:xmpmeta element)."""
    try:
        regions = _regions(path)
    except OSError as e:
        raise XMPReadError(f"cannot read: {e.strerror}") from None
    packets: list[bytes] = []
    for data in regions:
        packets += _packets(data, BEGIN, END, end_of_pi=True)
        if not packets:
            packets += _packets(data, META_OPEN, META_CLOSE, end_of_pi=False)
    return packets


def _packets(data: bytes, opening: bytes, closing: bytes, end_of_pi: bool) -> list[bytes]:
    found = []
    at = data.find(opening)
    while at >= 0:
        stop = data.find(closing, at, at + MAX_PACKET)
        if stop < 0:
            if data.find(closing, at) >= 0:
                raise XMPReadError(f"an XMP packet larger than {MAX_PACKET // (1 << 20)} MiB")
            raise XMPReadError("an XMP packet is cut off (no end of packet)")
        stop = data.find(b"?>", stop) + 2 if end_of_pi else stop + len(closing)
        if stop < 2:
            raise XMPReadError("an XMP packet is cut off (no end of packet)")
        found.append(data[at:stop])
        at = data.find(opening, stop)
    return found
