"""OTIO adapter `cutclear_fcp7`: cutclear's exact FCP7 XML reader, for every OTIO tool.

    otioconvert -I cutclear_fcp7 -i cut.xml -o cut.otio

otio-fcp-adapter (`fcp_xml`) loses the clips of nested sequences and multicam clips; this
adapter reads them all (cutclear.readers.fcp7), checks what it built against a census of
the file and raises rather than return less than the file holds. It claims no file
suffix, so it never replaces `fcp_xml` for anyone: it is used only when named. It reads
only; write FCP7 XML with `fcp_xml`.
"""

from __future__ import annotations

import os

from cutclear.readers.base import Source, TimelineError, parse_xml
from cutclear.readers.fcp7 import read as read_fcp7
from cutclear.readers.fcp7 import read_root
from cutclear.readers.walk import walk


def read_from_file(filepath, **_):
    source = Source.open(os.fspath(filepath))
    return _checked(lambda: read_fcp7(source, {}), os.fspath(filepath))


def read_from_string(input_str, **_):
    data = input_str.encode("utf-8") if isinstance(input_str, str) else input_str
    return _checked(lambda: read_root(parse_xml(Source("<string>", data))), "<string>")


def _checked(reader, name: str):
    try:
        read = reader()
        placed = sum(1 for _ in walk(read.obj, name, read.namespaces, keep_items=False))
        read.census.verify(placed)
    except TimelineError as e:
        raise TimelineError(f"cutclear_fcp7: {name}: {e}") from None
    return read.obj
