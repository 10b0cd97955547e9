"""An .otio is held once: its bytes are let go of before OTIO parses the file itself.

The census, the depth check and the cache key are taken from the bytes read; OTIO's
reader then reads the file again through a new descriptor, which must be the same file,
unchanged, and is hashed again afterwards (`Source.parse`). These tests try every way the
file could differ from the bytes that were checked: changed while OTIO reads it, replaced
or edited before, a FIFO put in its place, a platform without descriptor paths.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import timeline

from cutclear import cache
from cutclear.model import Mode
from cutclear.readers import base, options_for, otio_json, read_timeline

AS_OF = ("--as-of", "2026-01-15")
SKY = """<asset id="AST-1"><match><name>sky.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>"""
CAM = ("cam", "file:///m/cam.mov", 24)
SKY_CLIP = ("sky", "file:///m/sky.mov", 24)
OPTIONS = {"adapter": "otio_json"}


def write(path: Path, clips) -> bytes:
    otio.adapters.write_to_file(timeline(clips), str(path))
    return path.read_bytes()


def names(read) -> list[str]:
    return [c.name for c in read.obj.find_clips()]


@pytest.fixture
def show(repo):
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", SKY)
    return repo


def ga001(result) -> list[tuple[str, str]]:
    return [(f["path"], f["clip"]) for f in result.findings("GA001")]


def test_the_bytes_are_let_go_of_and_the_digest_and_census_kept(tmp_path):
    path = tmp_path / "cut.otio"
    data = write(path, [CAM, SKY_CLIP])
    source = base.Source.open(str(path))
    read = otio_json.read(source, OPTIONS)
    assert source.data is None  # OTIO read the file: the bytes were not kept beside it
    assert source.digest == hashlib.sha256(data).hexdigest()
    assert read.census.media == 2 and names(read) == ["cam", "sky"]


@pytest.mark.parametrize("stat_blind", [False, True])
def test_a_file_changed_while_otio_reads_it_is_no_read(show, monkeypatch, stat_blind):
    """An NLE saves the cut with a new GenAI shot while OTIO is reading it: the census
    and the cache key are of the old bytes, so the read is refused, never trusted. The
    bytes are hashed again too: a file system whose times did not move is no way round."""
    if stat_blind:
        monkeypatch.setattr(base, "_same_file", lambda a, b: True)
    path = show.timeline("cuts/locked/reel1.otio", timeline([CAM]))
    dirty = otio.adapters.write_to_string(timeline([CAM, SKY_CLIP])).encode()
    deserialize = otio.core.deserialize_json_from_file

    def saved_meanwhile(name):
        with open(path, "r+b") as f:  # in place: the same inode, as some editors save
            f.write(dirty)
        return deserialize(name)
    monkeypatch.setattr(otio.core, "deserialize_json_from_file", saved_meanwhile)
    read = read_timeline(str(path), "reel1.otio", Mode.LOCK)
    assert read.error == "changed while it was being read: check it again"
    assert read.clips == []
    if stat_blind:
        return  # (the check below rewrites the same bytes: with times blind, a read)
    result = show.check(*AS_OF, "--cache")
    assert [f["path"] for f in result.findings("PV005")] == ["cuts/locked/reel1.otio"]
    assert list(Path(cache.folder()).glob("*.json")) == []  # nothing filed for the bytes


def test_a_file_changed_and_changed_back_while_otio_reads_it_is_no_read(tmp_path,
                                                                        monkeypatch):
    """Same bytes afterwards, but the file was written meanwhile (its change time moved):
    what OTIO read cannot be shown to be what was checked."""
    path = tmp_path / "cut.otio"
    data = write(path, [CAM])
    deserialize = otio.core.deserialize_json_from_file

    def rewritten(name):
        result = deserialize(name)
        with open(path, "r+b") as f:
            f.write(data)  # the same bytes, written again
        return result
    source = base.Source.open(str(path))
    os.utime(path, ns=(1, 1))  # nothing the file says about itself matches the read any more
    source.stat = os.stat(path)
    monkeypatch.setattr(otio.core, "deserialize_json_from_file", rewritten)
    with pytest.raises(base.TimelineError, match="changed while it was being read"):
        otio_json.read(source, OPTIONS)


def test_a_file_replaced_after_it_was_read_is_parsed_from_the_bytes_read(tmp_path):
    """A save by rename (a new inode) between the read and the parse: OTIO must parse
    the bytes the census counted and the cache is keyed by, not the new file."""
    path = tmp_path / "cut.otio"
    data = write(path, [CAM, SKY_CLIP])
    source = base.Source.open(str(path))
    new = tmp_path / "new.otio"
    write(new, [CAM])
    os.replace(new, path)
    read = otio_json.read(source, OPTIONS)
    assert names(read) == ["cam", "sky"] and read.census.media == 2
    assert source.digest == hashlib.sha256(data).hexdigest()


def test_a_file_edited_in_place_after_it_was_read_is_parsed_from_the_bytes_read(tmp_path):
    path = tmp_path / "cut.otio"
    data = write(path, [("cam", "file:///m/cam.mov", 24)])
    before = os.stat(path)
    source = base.Source.open(str(path))
    with open(path, "r+b") as f:  # same size, same inode, the old modification time
        f.write(data.replace(b"cam.mov", b"sky.mov"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    read = otio_json.read(source, OPTIONS)
    assert [c.media_reference.target_url for c in read.obj.find_clips()] == [
        "file:///m/cam.mov"]


def test_a_fifo_put_at_the_path_does_not_hang_the_parse(tmp_path):
    path = tmp_path / "cut.otio"
    write(path, [CAM])
    source = base.Source.open(str(path))
    path.unlink()
    os.mkfifo(path)
    assert names(otio_json.read(source, OPTIONS)) == ["cam"]  # from the bytes read


def test_without_descriptor_paths_the_bytes_are_parsed(tmp_path, monkeypatch):
    path = tmp_path / "cut.otio"
    write(path, [CAM, SKY_CLIP])
    monkeypatch.setattr(base, "_FD_DIR", str(tmp_path / "no-such-folder"))
    source = base.Source.open(str(path))
    assert names(otio_json.read(source, OPTIONS)) == ["cam", "sky"]


def test_the_cache_key_of_a_read_whose_bytes_were_let_go_of(show, monkeypatch):
    """The entry is filed under the digest of the bytes read (kept when they are let go
    of): the next run is served it, and a change of the file is never served it, even
    one that keeps the file's size and modification time."""
    path = show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP, CAM]))
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]
    (entry,) = Path(cache.folder()).glob("*.json")

    def not_again(*args):
        raise AssertionError("parsed again")
    with monkeypatch.context() as m:
        m.setattr(otio.core, "deserialize_json_from_file", not_again)
        m.setattr(otio.core, "deserialize_json_from_string", not_again)
        assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]

    before = os.stat(path)
    data = path.read_bytes()
    with open(path, "r+b") as f:  # the sky shot swapped for another GenAI name, same size
        f.write(data.replace(b"sky.mov", b"sky.mox"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    show.records("records/vfx2.genai.xml", SKY.replace("AST-1", "AST-2")
                 .replace("sky.mov", "sky.mox"))
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]
    assert len(list(Path(cache.folder()).glob("*.json"))) == 2  # a new entry, not the old
    assert entry.exists()


def test_a_document_that_is_not_utf8_is_pv005(tmp_path):
    path = tmp_path / "cut.otio"
    data = write(path, [("caméra", "file:///m/cam.mov", 24)])
    assert read_timeline(str(path), "cut.otio", Mode.LOCK).error is None  # UTF-8: read
    path.write_bytes(data.replace("caméra".encode(), b"cam\xe9ra"))  # Latin-1 bytes
    read = read_timeline(str(path), "cut.otio", Mode.LOCK)
    assert read.error.startswith("is not UTF-8 text (byte ")
    assert read.clips == []


def test_a_cache_entry_gives_back_every_use_as_walked(tmp_path, corpus):
    """Entries hold each distinct media identity once and each use as a row: what comes
    back equals what the walk found, field for field, alternates and all."""
    proxied = otio.schema.Clip(name="sky", source_range=otio.opentime.TimeRange(
        otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(24, 24)))
    proxied.set_media_references({
        "DEFAULT_MEDIA": otio.schema.ExternalReference(target_url="file:///m/sky_proxy.mp4"),
        "high": otio.schema.ExternalReference(target_url="file:///m/sky.mov")},
        "DEFAULT_MEDIA")
    tl = timeline([CAM, SKY_CLIP, CAM])
    tl.tracks[0].append(proxied)
    otio.adapters.write_to_file(tl, str(tmp_path / "cut.otio"))
    store = cache.TimelineCache(str(tmp_path / "cache"))
    files = [tmp_path / "cut.otio", corpus / "edl" / "multi_audio.edl",
             corpus / "aaf" / "simple.aaf", corpus / "fcp7" / "premiere_example.xml"]
    for path in files:
        first = read_timeline(str(path), path.name, Mode.LOCK, 24, cache=store)
        assert first.error is None and first.clips
        served = store.get(base.Source.open(str(path)), options_for(str(path), 24), path.name)
        assert served == first.clips  # from the entry, not read again
        again = read_timeline(str(path), path.name, Mode.LOCK, 24, cache=store)
        assert again.clips == first.clips
        assert [(u.timeline, u.enabled, u.media) for u in again.clips] == [
            (u.timeline, u.enabled, u.media) for u in first.clips]
    got = read_timeline(str(tmp_path / "cut.otio"), "cut.otio", Mode.LOCK, cache=store).clips
    assert got[0].media is got[2].media  # one identity per media, shared by its uses
    assert [a.name for a in got[3].media.alternates] == ["sky.mov"]


def test_a_descriptor_path_that_cannot_be_opened_falls_back_to_the_bytes(tmp_path,
                                                                        monkeypatch):
    """A sandbox whose /proc refuses the descriptor: the file is read through the
    descriptor instead, checked against the digest, and parsed from those bytes."""
    path = tmp_path / "cut.otio"
    write(path, [CAM, SKY_CLIP])

    def refused(name):
        raise FileNotFoundError(2, "No such file or directory", name)
    monkeypatch.setattr(otio.core, "deserialize_json_from_file", refused)
    source = base.Source.open(str(path))
    assert names(otio_json.read(source, OPTIONS)) == ["cam", "sky"]
    read = read_timeline(str(path), "cut.otio", Mode.LOCK)
    assert read.error is None and [u.media.clip for u in read.clips] == ["cam", "sky"]
