"""ALE bins: the data lines are the census, and a damaged ALE names its line."""

from __future__ import annotations

from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.ale import take_census

HEAD = "Heading\nFIELD_DELIM\tTABS\nFPS\t24\n\nColumn\nName\tStart\tEnd\n\nData\n"


def read(tmp_path, text: str):
    path = tmp_path / "bin.ale"
    path.write_text(text)
    return read_timeline(str(path), "bin.ale", Mode.LOCK)


def test_corpus_ale_census_is_its_data_lines(corpus):
    for name in ("sample.ale", "sample_cdl.ale"):
        text = (corpus / "ale" / name).read_text()
        assert take_census(text).media == 4
    got = read_timeline(str(corpus / "ale/sample_cdl.ale"), "sample_cdl.ale", Mode.LOCK)
    assert [(u.track, u.media.clip, u.record_in) for u in got.clips][:3] == [
        ("BIN", "A005_C010_0501J0", "17:49:33:01"), ("BIN", "A005_C010_0501J0", "17:49:55:19"),
        ("BIN", "A005_C009_0501A0", "17:40:25:06")]


def test_a_data_line_with_too_many_values_names_its_line(tmp_path):
    got = read(tmp_path, HEAD + "a\t01:00:00:00\t01:00:01:00\n"
                              "b\t01:00:00:00\t01:00:01:00\tc\t01:00:00:00\n")
    assert got.clips == []
    assert got.error.startswith("line 10: 5 values for 3 columns: the ALE is damaged")


def test_an_ale_without_data_section_is_not_an_empty_bin(tmp_path):
    """otio-ale-adapter reads a file cut before its Data section as an empty bin."""
    got = read(tmp_path, HEAD.split("Column")[0])
    assert "has no Column and Data sections" in got.error


def test_a_data_section_before_its_columns(tmp_path):
    got = read(tmp_path, "Heading\nFPS\t24\nData\na\t01:00:00:00\n")
    assert got.error == "line 3: a Data section before any Column section"


def test_a_short_line_is_still_a_clip(tmp_path):
    """Avid leaves trailing empty values off; the line is one clip all the same."""
    got = read(tmp_path, HEAD + "a\t01:00:00:00\t01:00:01:00\nb\t01:00:02:00\t01:00:03:00\n")
    assert got.error is None and [u.media.clip for u in got.clips] == ["a", "b"]
