"""OpenTimelineIO's own files: .otio (JSON), .otioz (zip) and .otiod (folder bundles).

All three hold the same JSON document (`content.otio` in a bundle), which is checked
before OTIO sees it: its nesting depth is bounded (OTIO's reader recurses without a limit
and crashes the process, or takes minutes, on deeply nested metadata), and a census
counts the clips it holds straight from the bytes, independently of OTIO's object model.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import zipfile
from collections import Counter
from itertools import accumulate

import opentimelineio as otio

from cutclear.readers.base import MAX_BYTES, Census, Read, Source, TimelineError

MAX_DEPTH = 200  # real timelines nest about 10 levels, plus 4 per nested stack
_STRUCTURE = bytes(set(range(256)) - set(b'{}[]"\\'))  # deleted: all but these bytes
_STEP = tuple(1 if b in b"[{" else -1 if b in b"]}" else 0 for b in range(256))
_SCHEMA = re.compile(rb'OTIO_SCHEMA"\s*:\s*"([^"]*)"')
# schemas whose objects are never media uses and never hold any the walk cannot see
_PLAIN = frozenset({
    "RationalTime", "TimeRange", "TimeTransform", "Marker", "Effect", "TimeEffect",
    "LinearTimeWarp", "FreezeFrame", "ExternalReference", "MissingReference",
    "ImageSequenceReference", "GeneratorReference", "Gap", "Filler", "Transition",
    "Track", "Sequence", "Stack", "Timeline", "SerializableCollection",
    "SerializableObjectWithMetadata", "Clip",
})


def read(source: Source, options: dict) -> Read:
    doc = _document(source, options["adapter"], options.get("max_bytes", MAX_BYTES))
    check_depth(doc.data)
    census = census_of(doc.data)
    check_utf8(doc.data)
    # OTIO reads the file itself where it can be proven the same bytes: a large timeline
    # is then held once (as OTIO objects), not also as bytes and as text
    obj = doc.parse(otio.core.deserialize_json_from_file,
                    otio.core.deserialize_json_from_string)
    return Read(obj, census=census, namespaces=None)


def _document(source: Source, adapter: str, max_bytes: int) -> Source:
    """The JSON document of a file or bundle, size-capped like the file itself."""
    if adapter == "otio_json":
        return source
    if adapter == "otiod":
        return Source.open(os.path.join(source.path, "content.otio"), max_bytes)
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as z:
            info = z.getinfo("content.otio")
            if info.file_size > max_bytes:
                raise TimelineError("content.otio unpacks to more than max-timeline-size: "
                                    "refused before parsing")
            return Source(f"{source.path}/content.otio", z.read(info))
    except (zipfile.BadZipFile, KeyError) as e:
        raise TimelineError(f"not an .otioz bundle ({e})") from None


def check_utf8(data: bytes, chunk: int = 1 << 20) -> None:
    """Raise unless the document is UTF-8, as JSON must be (OTIO's reader does not check).

    Decoded a chunk at a time, so that a large document is never also held as text."""
    if data.isascii():  # most are: checked at C speed
        return
    view, decoder = memoryview(data), codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), chunk):
            decoder.decode(view[start:start + chunk], final=start + chunk >= len(data))
    except UnicodeDecodeError:
        try:  # once more in one piece, for the exact place (a chunk may end mid-character)
            data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise TimelineError(f"is not UTF-8 text (byte {e.start}: {e.reason})") from None


def check_depth(data: bytes, limit: int = MAX_DEPTH) -> None:
    """Raise unless the JSON nests arrays and objects at most `limit` deep.

    Linear and cheap: all bytes but brackets, quotes and backslashes are deleted, then
    escapes and strings (dropping adjacent quote pairs first keeps every bracket on its
    side of the quotes), and the depth is the running sum of what is left. Empty
    containers are dropped before the sum, so the depth is taken as at most 2 levels more
    than it is.
    """
    s = data.translate(None, _STRUCTURE)
    if b"\\" in s:
        s = re.sub(rb"\\.", b"", s, flags=re.DOTALL)
    s = s.replace(b'""', b"")
    if b'"' in s:
        s = re.sub(rb'"[^"]*"', b"", s)
    if re.search(rb"[\[{]{%d}" % (limit + 1), s):  # the plain attack, found at C speed
        depth = limit + 1
    else:  # empty containers first (most of them, at C speed): 1 or 2 levels less
        s = s.replace(b"{}", b"").replace(b"[]", b"")
        depth = max(accumulate(map(_STEP.__getitem__, s)), default=-2) + 2
    if depth > limit:
        raise TimelineError(f"nests JSON more than {limit} levels deep: refused "
                            "before parsing (OTIO's reader cannot read it safely)")


def census_of(data: bytes) -> Census:
    """Clips with media, counted from the schema names in the bytes.

    Every `Clip` counts unless its references are all generators. While each clip has
    one reference (as is usual) that is clips minus `GeneratorReference`s; when some
    clip has several and there are generators, the JSON is parsed and its clips looked at
    one by one (exact, and rare). It is a structural count: clips that nested stacks trim
    out of sight are in it, and the walk reports those (`Census.structural`). Objects of
    a schema cutclear does not know (a newer OTIO's, a plugin's) are unplaced: the walk
    would pass over them without a word.
    """
    names: Counter[str] = Counter()
    for schema, n in Counter(_SCHEMA.findall(data)).items():  # counted as bytes: cheaper
        names[schema.split(b".", 1)[0].decode("ascii", "replace")] += n
    unplaced = {f"objects of schema {name!r}": n for name, n in names.items()
                if name not in _PLAIN}
    clips, generators = names.get("Clip", 0), names.get("GeneratorReference", 0)
    references = sum(names.get(kind, 0) for kind in _REFERENCES)
    if generators and references > clips:
        media = _media_clips(json.loads(data))
    else:
        media = clips - generators
    return Census(media, unplaced, structural=True)


_REFERENCES = ("ExternalReference", "MissingReference", "GeneratorReference",
               "ImageSequenceReference")


def _media_clips(node) -> int:
    """Clips with a reference that is not a generator, in parsed OTIO JSON."""
    if isinstance(node, list):
        return sum(_media_clips(n) for n in node)
    if not isinstance(node, dict):
        return 0
    n = sum(_media_clips(v) for v in node.values())
    if str(node.get("OTIO_SCHEMA", "")).startswith("Clip."):
        refs = node.get("media_references")
        refs = list(refs.values()) if isinstance(refs, dict) else [node.get("media_reference")]
        n += any(not (isinstance(r, dict) and str(r.get("OTIO_SCHEMA", "")).startswith(
            "GeneratorReference.")) for r in refs)
    return n
