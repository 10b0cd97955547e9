"""Red-team review of the late reader changes (FCP7 fast path, EDL via OTIO's JSON reader,
AAF): holes found by differential tests, each a test."""

from __future__ import annotations

import pytest

from cutclear.model import Mode
from cutclear.readers import read_timeline

EDL = ("TITLE: t\nFCM: NON-DROP FRAME\n\n"
       "001  AX       V     C        00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00\n"
       "* FROM CLIP NAME: {name}\n\n")


@pytest.mark.parametrize("name, encoding", [
    ("sky\u2028genai_v3", "utf-8"),  # LINE SEPARATOR in a clip name
    ("sky\u2026genai_v3", "cp1252"),  # Windows' ellipsis: 0x85, NEL once read as latin-1
    ("sky\x0cgenai_v3", "utf-8"),  # form feed
    ("sky\x1dgenai_v3", "utf-8"),  # group separator
])
def test_an_edl_clip_name_is_not_cut_at_a_unicode_line_break(tmp_path, name, encoding):
    """str.splitlines ends a line at U+2028, NEL, FF, VT and 0x1c-0x1e too: the clip name
    `sky...genai_v3` was read as `sky` (or, with nothing before the break, as the reel
    `AX`), no PV005, so a record keyed on the clip name never matched the GenAI clip."""
    path = tmp_path / "cut.edl"
    path.write_bytes(EDL.format(name=name).encode(encoding))
    got = read_timeline(str(path), "cut.edl", Mode.LOCK, 24)
    assert got.error is None
    expected = name.encode(encoding).decode("latin-1" if encoding == "cp1252" else encoding)
    assert [u.media.clip for u in got.clips] == [expected.strip()]
