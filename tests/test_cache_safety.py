"""The timeline cache cannot pass a cut (issue 10, item 4): the key is the bytes parsed
plus everything else the walk depends on, an entry is verified before use, anything odd at
an entry's path is a fresh read, and concurrent runs stay correct."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import timeline

from cutclear import cache
from cutclear.readers import base

BIN = Path(sys.executable).parent
AS_OF = ("--as-of", "2026-01-15")
SKY = """<asset id="AST-1"><match><name>sky.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>"""
CAM = ("cam", "file:///m/cam.mov", 24)
SKY_CLIP = ("sky", "file:///m/sky.mov", 24)


@pytest.fixture
def show(repo):
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", SKY)
    return repo


def entries() -> list[Path]:
    return sorted(Path(cache.folder()).glob("*.json"))


def ga001(result) -> list[tuple[str, str]]:
    return [(f["path"], f["clip"]) for f in result.findings("GA001")]


def test_the_key_is_the_bytes_parsed_not_a_hash_taken_before_reading(show, monkeypatch):
    """The file changes between the moment it is hashed and the moment it is read (an NLE
    saving, a checkout): the entry must be filed under what was read."""
    dirty = show.timeline("cuts/locked/reel1.otio", timeline([CAM, SKY_CLIP])).read_bytes()
    show.timeline("cuts/locked/reel1.otio", timeline([CAM]))
    clean = (show.root / "cuts/locked/reel1.otio").read_bytes()
    (show.root / "cuts/locked/reel1.otio").write_bytes(dirty)
    opened = base.Source.open.__func__

    def swapped_while_reading(cls, path, *args):
        Path(path).write_bytes(clean)  # the save lands just before the bytes are read
        return opened(cls, path, *args)
    with monkeypatch.context() as m:
        m.setattr(base.Source, "open", classmethod(swapped_while_reading))
        assert ga001(show.check(*AS_OF, "--cache")) == []  # it read the clean cut: right

    (show.root / "cuts/locked/reel1.otio").write_bytes(dirty)
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]


def test_the_same_bytes_under_another_format_are_read_again(show):
    """FCP7 XML bytes named .fcpxml are not an FCPXML timeline, whatever the cache holds."""
    fcp7 = show.timeline("cuts/locked/a.xml", timeline([SKY_CLIP]), adapter_name="fcp_xml")
    shutil.copy(fcp7, show.root / "cuts/locked/b.fcpxml")
    result = show.check(*AS_OF, "--cache")
    assert ga001(result) == [("cuts/locked/a.xml", "sky")]
    assert [f["path"] for f in result.findings("PV005")] == ["cuts/locked/b.fcpxml"]


def test_another_edl_rate_is_another_entry(show):
    show.timeline("cuts/locked/reel1.edl", timeline([SKY_CLIP]), adapter_name="cmx_3600")
    show.check(*AS_OF, "--cache", "--rate", "24")
    show.check(*AS_OF, "--cache", "--rate", "25")
    assert len(entries()) == 2  # what a 25 fps read found is not what a 24 fps read found


def test_a_change_of_the_installed_plugins_or_adapters_is_a_fresh_read(show, tmp_path):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    site = tmp_path / "site"
    site.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = [str(BIN / "cutclear"), "check", *AS_OF, "--cache"]
    subprocess.run(run, cwd=show.root, env=env, capture_output=True, check=False)
    assert len(entries()) == 1
    (site / "vendor_x.py").write_text("")
    info = site / "vendor_x-2.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: vendor-x\nVersion: 2.0\n")
    (info / "entry_points.txt").write_text("[cutclear]\nvendor-x = vendor_x\n")
    subprocess.run(run, cwd=show.root, env=env, capture_output=True, check=False)
    assert len(entries()) == 2  # filed under the new installation, not served the old one


def test_an_edited_entry_is_not_served(show):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]
    (entry,) = entries()
    entry.write_bytes(entry.read_bytes().replace(b"sky.mov", b"cam.mov"))  # valid JSON still
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]


def test_an_entry_of_other_bytes_put_under_this_key_is_not_served(show):
    """The entry of a clean cut copied over the entry of the dirty one: sealed, but not
    for these bytes."""
    show.timeline("cuts/locked/clean.otio", timeline([CAM]))
    show.check(*AS_OF, "--cache")
    (clean,) = entries()
    show.timeline("cuts/locked/dirty.otio", timeline([SKY_CLIP]))
    show.check(*AS_OF, "--cache", "cuts/locked/dirty.otio")
    (dirty,) = [e for e in entries() if e != clean]
    shutil.copy(clean, dirty)
    result = show.check(*AS_OF, "--cache", "cuts/locked/dirty.otio")
    assert ga001(result) == [("cuts/locked/dirty.otio", "sky")]


def test_an_entry_forged_without_the_secret_is_not_served(show):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    seal, payload = entry.read_bytes().split(b"\n", 1)
    doc = json.loads(payload)
    doc["clips"] = []
    entry.write_bytes(b"0" * len(seal) + b"\n" + json.dumps(doc).encode())
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]


def _cli(root: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "cutclear"), "check", *AS_OF, "--cache", "--format",
                           "json"], cwd=root, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("odd", ["fifo", "directory", "symlink"])
def test_something_odd_at_the_entry_path_is_a_fresh_read(show, odd, tmp_path):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    good = entry.read_bytes()
    entry.unlink()
    if odd == "fifo":
        os.mkfifo(entry)
    elif odd == "directory":
        entry.mkdir()
    else:
        (tmp_path / "elsewhere.json").write_bytes(good)
        entry.symlink_to(tmp_path / "elsewhere.json")
    result = _cli(show.root, timeout=30)  # a FIFO must not block the run
    doc = json.loads(result.stdout)
    assert [(f["rule"], f["clip"]) for f in doc["findings"] if f["rule"] == "GA001"] == [
        ("GA001", "sky")]


def test_a_cache_folder_others_can_write_to_is_not_used(show):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    Path(cache.folder()).mkdir(parents=True)
    os.chmod(cache.folder(), 0o777)
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]
    assert entries() == []


def test_concurrent_runs_stay_correct(show):
    """Eight runs at once on a shared cache, over cuts that differ by one shot each."""
    for n in range(4):
        clips = [CAM] * n + [SKY_CLIP if n % 2 else CAM]
        show.timeline(f"cuts/locked/reel{n}.otio", timeline(clips))
    expected = json.loads(_cli(show.root).stdout)["findings"]
    shutil.rmtree(cache.folder())
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: _cli(show.root), range(8)))
    for r in results:
        assert r.returncode == 1, r.stderr
        assert json.loads(r.stdout)["findings"] == expected
    assert len(entries()) == 4


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")
def test_an_entry_that_is_not_the_users_own_is_not_served(show):
    show.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    os.chown(entry, 65534, 65534)  # someone else's file, whatever it holds
    assert ga001(show.check(*AS_OF, "--cache")) == [("cuts/locked/reel1.otio", "sky")]
    assert entry.stat().st_uid == os.geteuid()  # read again and filed afresh


def test_a_media_entry_planted_in_the_cache_is_not_believed(tmp_path, monkeypatch):
    """Before: media results (C2PA claims, pinned hashes) were plain JSON at a predictable
    name: anyone who could write the cache folder could plant "no credentials"."""
    import hashlib as _hashlib
    import types

    from cutclear import __version__, mediafile

    monkeypatch.setattr(mediafile, "_read", {})
    media = tmp_path / "sh042.mov"
    media.write_bytes(b"generated")
    ctx = types.SimpleNamespace(cache={"cutclear-cached-run": True})
    codec = (lambda v: v, lambda v: v)
    assert mediafile.cached("claim", str(media), lambda p: "generative", ctx, codec) \
        == "generative"
    st = media.stat()
    key = ("claim", str(media.resolve()), st.st_size, st.st_mtime_ns)
    digest = _hashlib.sha256(json.dumps([__version__, *key]).encode()).hexdigest()
    entry = Path(mediafile.disk_folder()) / f"{digest}.json"
    assert entry.exists()  # the sealed entry the run kept
    entry.write_bytes(b"0" * 64 + b"\n" + json.dumps({"key": digest, "value": "none"}).encode())
    monkeypatch.setattr(mediafile, "_read", {})
    assert mediafile.cached("claim", str(media), lambda p: "generative", ctx, codec) \
        == "generative"
