"""Timelines that otio-fcp-adapter read, met in memory (the OTIO conform gate).

cutclear reads FCP7 files itself, but an OTIO tool (`otioconvert`, a pipeline script) hands
the gate whatever its adapter returned. otio-fcp-adapter 1.0 looks for a nested sequence's
tracks directly under <sequence> rather than under <sequence><media>, so every nested
sequence and multicam clip comes in as a stack without its clips. Those clips cannot be
checked from the timeline as read: the gate refuses it (PV005) and says how to read the
file exactly. Timelines read by cutclear's own reader carry metadata["cutclear"]["reader"].

The check relies on what otio-fcp-adapter 1.0 writes (its "fcp_xml" metadata, nests as
stacks); with any other version of it installed, its FCP7 timelines are refused whole.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import metadata

import opentimelineio as otio

from cutclear.readers.base import TimelineError

KNOWN_ADAPTER = "1.0."  # otio-fcp-adapter versions whose behaviour this module knows
READER = "cutclear_fcp7"
COMMAND = ("otioconvert -I cutclear_fcp7 -i CUT.xml -o OUT (cutclear's exact FCP7 "
           "adapter; the gate then checks every nested clip) or `cutclear check CUT.xml`")


def refuse_lossy_fcp7(tl) -> bool:
    """True for a timeline otio-fcp-adapter read (whose <enabled> is only in metadata);
    raise TimelineError when it may have lost clips."""
    if "fcp_xml" not in tl.metadata or _ours(tl):
        return False
    version = _adapter_version()
    if not version.startswith(KNOWN_ADAPTER):
        raise TimelineError(
            f"read by otio-fcp-adapter {version}, whose FCP7 reading cutclear has not been "
            f"checked against (it knows 1.0), so what it read cannot be trusted; read the "
            f"file with {COMMAND}")
    nests = [s.name or "(unnamed)"
             for s in tl.find_children(descended_from_type=otio.schema.Stack)]
    if nests:
        raise TimelineError(
            f"read by otio-fcp-adapter, which drops the clips inside nested sequences and "
            f"multicam clips (here {len(nests)}: {', '.join(repr(n) for n in nests[:3])}"
            f"{' ...' if len(nests) > 3 else ''}), so they cannot be checked as read; read "
            f"the file with {COMMAND}")
    return True


def _ours(tl) -> bool:
    try:
        return tl.metadata["cutclear"]["reader"] == READER
    except (KeyError, TypeError):
        return False


@lru_cache(maxsize=1)
def _adapter_version() -> str:
    try:
        return metadata.version("otio-fcp-adapter")
    except metadata.PackageNotFoundError:
        return "(not installed)"
