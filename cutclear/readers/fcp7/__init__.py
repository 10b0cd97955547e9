"""FCP7 interchange XML (Premiere Pro, Final Cut Pro 7, Resolve, Avid, Hiero exports).

Read straight from the XML with lxml into a plan of the cut (`build`), with a census of
the same parse (`census`): one parse serves both. The plan lists its clip uses itself
(`uses`, for `cutclear check`) and becomes OTIO objects (`to_otio`) only when an OTIO
timeline is asked for. otio-fcp-adapter is not used to read: it loses the clips of nested
sequences and multicam angles (see docs/formats/fcp7.md). Timelines it read for an OTIO
tool, which the conform gate is handed, are checked in `guard`.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from functools import cached_property

from cutclear.readers.base import Census, Read, Source, TimelineError, parse_xml
from cutclear.readers.fcp7 import census, to_otio, uses
from cutclear.readers.fcp7.build import MAX_USES, Builder
from cutclear.readers.fcp7.plan import Timeline
from cutclear.readers.fcp7.xml import Document, Fcp7Error, timelines

NAMESPACES = frozenset({"fcp_xml"})


def read(source: Source, options: dict) -> Read:
    """Read an FCP7 XML file: every top-level sequence, with its census."""
    with _no_gc():
        return read_root(parse_xml(source, blank_text=False))


@contextmanager
def _no_gc():
    """Without the cycle collector: a read makes some 100,000 objects (lxml proxies, the
    plan, the uses), none in a cycle, and collections while they pile up cost a tenth of
    the read. Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_root(root) -> Read:
    try:
        doc = Document(root)
        sequences = timelines(doc)
        taken = census.take(doc, sequences)
        if taken.media > MAX_USES:  # nests used in nests used in nests...
            raise Fcp7Error(f"its nested sequences expand to {taken.media:,} clip uses, more "
                            f"than any real cut holds (at most {MAX_USES:,} are read)")
        builder = Builder(doc)
        plans = [builder.timeline(seq) for seq in sequences]
    except Fcp7Error as e:
        raise TimelineError(str(e)) from None
    return Fcp7Read(plans, taken)


class Fcp7Read(Read):
    """A read whose OTIO timeline is made on first use of `obj`: `cutclear check` takes
    the clip uses from the plan (`uses`) and never needs one."""

    def __init__(self, plans: list[Timeline], taken: Census):
        self.plans = plans
        self.census = taken
        self.namespaces = NAMESPACES

    @cached_property
    def obj(self):
        return to_otio.timelines(self.plans)

    def uses(self, relpath: str, hidden: list) -> list:
        with _no_gc():
            return uses.clip_uses(self.plans, relpath, hidden)
