"""FCP7 interchange XML (Premiere Pro, Final Cut Pro 7, Resolve, Avid, Hiero exports).

Read straight from the XML with lxml into OTIO objects (`build`), with a census of the same
parse (`census`): one parse serves both. otio-fcp-adapter is not used to read: it loses
the clips of nested sequences and multicam angles (see docs/formats/fcp7.md). Timelines it
read for an OTIO tool, which the conform gate is handed, are checked in `guard`.
"""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Read, Source, TimelineError, parse_xml
from cutclear.readers.fcp7 import census
from cutclear.readers.fcp7.build import MAX_USES, Builder
from cutclear.readers.fcp7.xml import Document, Fcp7Error, timelines


def read(source: Source, options: dict) -> Read:
    """Read an FCP7 XML file: every top-level sequence, with its census."""
    return read_root(parse_xml(source))


def read_root(root) -> Read:
    try:
        doc = Document(root)
        sequences = timelines(root)
        taken = census.take(doc, sequences)
        if taken.media > MAX_USES:  # nests used in nests used in nests...
            raise Fcp7Error(f"its nested sequences expand to {taken.media:,} clip uses, more "
                            f"than any real cut holds (at most {MAX_USES:,} are read)")
        builder = Builder(doc)
        built = [builder.timeline(seq) for seq in sequences]
    except Fcp7Error as e:
        raise TimelineError(str(e)) from None
    obj = built[0] if len(built) == 1 else otio.schema.SerializableCollection(
        name="", children=built)
    return Read(obj, census=taken, namespaces=frozenset({"fcp_xml"}))
