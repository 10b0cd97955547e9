"""Reading XML that others wrote (record files, XMP sidecars) without trusting it.

No DTD, no entity expansion, no network, comments and processing instructions dropped,
libxml2's depth and text-size limits kept (no huge_tree), and never more than a set
number of bytes read from anything but a regular file: a FIFO or a link to /dev/zero
would otherwise hang a pre-commit hook.
"""

from __future__ import annotations

import os
import re
import stat

from lxml import etree

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)")


class UnsafeXML(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_blank_text=True,
                           remove_comments=True, remove_pis=True)


def too_big(size: int, limit: int, what: str) -> UnsafeXML:
    return UnsafeXML(f"file is {size:,} bytes, over the {limit:,}-byte limit for {what}")


def read_bounded(path: str, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked before reading."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeXML("not a regular file")
    if st.st_size > limit:
        raise too_big(st.st_size, limit, what)
    with open(path, "rb") as f:  # bounded even if the file grows meanwhile
        # Sized by the stat: `f.read(limit + 1)` allocates the whole limit (16 MiB for a
        # record file) before it reads, 50 us a file.
        data = f.read(st.st_size + 1)
        if len(data) > st.st_size:  # it grew since the stat: read on, to the limit
            data += f.read(limit + 1 - len(data))
        return data


def parse(data: bytes, what: str):
    """The root element of `data`; DTDs and entity declarations are refused outright."""
    found = _DTD.search(data)
    if found:
        line = data.count(b"\n", 0, found.start()) + 1
        raise UnsafeXML(f"<!{found.group(1).decode()}> is not allowed in {what} (DTDs and "
                        "entities are refused for safety); remove it", line)
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as e:
        raise UnsafeXML(f"not well-formed XML: {e.msg}", e.lineno) from None
    if root.getroottree().docinfo.doctype:
        # a DOCTYPE the byte scan missed (UTF-16, UTF-32 files): refused all the same
        raise UnsafeXML(f"<!DOCTYPE> is not allowed in {what} (DTDs and entities are "
                        "refused for safety); remove it", 1)
    return root
