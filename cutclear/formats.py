"""Which files are timelines, and which OTIO adapter reads each.

Kept apart from the reader so that a pre-commit hook can sort the files of a commit
without importing OpenTimelineIO.
"""

from __future__ import annotations

import os

RECORD_SUFFIX = ".genai.xml"

ADAPTERS = {
    ".otio": "otio_json", ".otioz": "otioz", ".otiod": "otiod",
    ".xml": "fcp_xml", ".fcpxml": "fcpx_xml", ".fcpxmld": "fcpx_xml",
    ".edl": "cmx_3600", ".aaf": "AAF", ".ale": "ale",
}
BUNDLES = (".otiod", ".fcpxmld")  # timelines stored as folders
SKIP_DIRS = frozenset({"node_modules", "__pycache__"})
BINARY = frozenset({"AAF", "otioz"})  # formats that are not text
SNIFF_BYTES = 64 * 1024


def adapter_for(path: str) -> str | None:
    """The OTIO adapter for a path; record files are never taken for FCP7 XML."""
    lower = path.lower().rstrip("/")
    if lower.endswith(RECORD_SUFFIX):
        return None
    return ADAPTERS.get(os.path.splitext(lower)[1])


def is_timeline_file(path: str) -> bool:
    """A file whose suffix (in any case) is a timeline format cutclear reads."""
    return adapter_for(path) is not None


def looks_like_fcp7(path: str) -> bool:
    """An .xml outside the locked globs is read only if it is FCP7 interchange XML: other
    .xml files (an NLE's project settings, a render log) live in edit repos too."""
    try:
        with open(path, "rb") as f:
            return b"<xmeml" in f.read(SNIFF_BYTES)
    except OSError:
        return True  # let the reader report it


def not_a_timeline(path: str) -> str | None:
    """Why a file in the locked globs cannot be the timeline its suffix says, or None.

    A locked cut that turns out empty, UTF-16 or some other XML would otherwise read as a
    cut with no clip, which passes every rule: it is PV005 instead.
    """
    adapter = adapter_for(path)
    if adapter is None or not os.path.isfile(path):
        return None  # bundles and missing files are the reader's to report
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError:
        return None
    if not head:
        return "not a timeline: the file is empty (0 bytes)"
    if adapter in BINARY:
        return None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        return ("not a timeline: UTF-16 or binary data where text is expected: export it "
                "again as UTF-8 text")
    if adapter == "fcp_xml" and b"<xmeml" not in head:
        return ("not a timeline: an .xml in the locked globs that is not FCP7 interchange "
                "XML (no <xmeml> root): move it out of the locked folders or export the cut "
                "again")
    return None
