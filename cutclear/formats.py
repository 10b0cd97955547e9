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


def adapter_for(path: str) -> str | None:
    """The OTIO adapter for a path; record files are never taken for FCP7 XML."""
    lower = path.lower().rstrip("/")
    if lower.endswith(RECORD_SUFFIX):
        return None
    return ADAPTERS.get(os.path.splitext(lower)[1])


def is_timeline_file(path: str) -> bool:
    """A file cutclear reads as a timeline (an .xml only if it is FCP7 interchange XML)."""
    adapter = adapter_for(path)
    return adapter is not None and (adapter != "fcp_xml" or _is_xmeml(path))


def _is_xmeml(path: str) -> bool:
    """Only FCP7 interchange XML is a timeline; other .xml files in a repo are not."""
    try:
        with open(path, "rb") as f:
            return b"<xmeml" in f.read(4096)
    except OSError:
        return True  # let the reader report it
