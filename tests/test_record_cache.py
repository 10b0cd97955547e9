"""The cache of parsed record files cannot pass a cut (issue 14, item 4): an entry serves
only the very bytes it was parsed from, under the same cutclear, parser and settings; it is
sealed; a file that fails is never kept; and without a usable cache folder the run is
the same, only slower. Hook cases go through the real `git` and `pre-commit` programs."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import subprocess
from pathlib import Path

import pytest
from conftest import SKY_URL, timeline
from test_hooks import BIN, LOCAL_HOOKS, git, write

from cutclear import recordcache, recordfile
from cutclear.records import Approval

AS_OF = ("--as-of", "2026-01-15")
SKY = """<asset id="AST-1"><match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>"""
APPROVAL = """<approval id="APR-1" status="{status}"><production>PRD-778</production>
  <granted>2025-09-02</granted><covers>final-deliverable</covers><assets>AST-1</assets>
</approval>"""


@pytest.fixture
def show(repo):
    """A locked cut of one GenAI shot, cleared by an approval in its own record file."""
    repo.config('production = "PRD-778"\nlocked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", SKY)
    repo.records("records/approvals.genai.xml", APPROVAL.format(status="approved"))
    repo.timeline("cuts/locked/reel1.otio", timeline([("sky", SKY_URL, 24)]))
    return repo


def ga001(result) -> list[str]:
    return [f["clip"] for f in result.findings("GA001")]


def entries() -> list[Path]:
    return sorted(Path(recordcache.folder()).glob("*.json"))


def parses(monkeypatch) -> list[str]:
    """The record files parsed from here on (not taken from the cache)."""
    seen: list[str] = []
    real = recordfile.parse_record_file

    def counting(data: bytes, relpath: str):
        seen.append(relpath)
        return real(data, relpath)
    monkeypatch.setattr(recordfile, "parse_record_file", counting)
    return seen


def cached_files() -> dict:
    """What the one entry holds, relpath -> (digest, records), read as cutclear does."""
    (entry,) = entries()
    return recordcache._Unpickler(__import__("io").BytesIO(
        entry.read_bytes().split(b"\n", 1)[1])).load()["files"]


def test_records_parsed_before_are_not_parsed_again(show, monkeypatch):
    first = show.check(*AS_OF, "--cache")
    assert first.code == 0 and ga001(first) == []
    assert len(entries()) == 1
    parsed = parses(monkeypatch)
    again = show.check(*AS_OF, "--cache")
    assert parsed == []  # every file came from the cache
    assert again.json == first.json


def test_a_cached_database_is_the_parsed_one(show):
    """The records a cached run judges by are equal to those a parse gives, field by field
    (dates, tuples, sources and lines included)."""
    show.check(*AS_OF, "--cache")
    for rel, (digest, cached) in cached_files().items():
        data = (show.root / rel).read_bytes()
        assert digest == hashlib.sha256(data).digest()
        assert cached == tuple(recordfile.parse_record_file(data, rel))


def test_an_edit_that_keeps_size_and_mtime_is_parsed_again(show, monkeypatch):
    """Tools preserve mtimes (rsync -t, git checkout of an older blob, a restore): the
    approval is withdrawn in a same-size edit with the old mtime put back, and the cut fails."""
    assert ga001(show.check(*AS_OF, "--cache")) == []
    path = show.root / "records/approvals.genai.xml"
    before = path.stat()
    text = path.read_text().replace('status="approved"', 'status="rejected"')
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    parsed = parses(monkeypatch)
    result = show.check(*AS_OF, "--cache")
    assert ga001(result) == ["sky"] and result.code == 1
    assert parsed == ["records/approvals.genai.xml"]  # the unchanged file came from the cache


def test_the_entry_is_filed_under_the_bytes_parsed_not_the_file_after(show, monkeypatch):
    """The approval is withdrawn while the run reads it (a checkout, an editor saving):
    what was kept is filed under the bytes that were parsed, so the next run, which reads
    the withdrawn file, parses it and fails the cut."""
    path = show.root / "records/approvals.genai.xml"
    real = recordfile.read_record_bytes

    def withdrawn_after_reading(fullpath: str) -> bytes:
        data = real(fullpath)
        if fullpath.endswith("approvals.genai.xml"):
            path.write_bytes(data.replace(b'status="approved"', b'status="rejected"'))
        return data
    with monkeypatch.context() as m:
        m.setattr(recordfile, "read_record_bytes", withdrawn_after_reading)
        assert ga001(show.check(*AS_OF, "--cache")) == []  # it judged what it read: right
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]


def test_a_tampered_entry_is_ignored(show, monkeypatch):
    """The approval is rejected; someone edits the cache entry to say approved. The seal
    no longer matches, so every file is parsed again and the cut still fails."""
    show.records("records/approvals.genai.xml", APPROVAL.format(status="rejected"))
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]
    (entry,) = entries()
    data = entry.read_bytes()
    assert data.count(b"rejected") == 1
    entry.write_bytes(data.replace(b"rejected", b"approved"))
    parsed = parses(monkeypatch)
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]
    assert sorted(parsed) == ["records/approvals.genai.xml", "records/vfx.genai.xml"]


def test_an_older_sealed_entry_put_back_serves_only_the_bytes_it_was_parsed_from(show):
    """A genuine entry from when the approval was approved, restored over the current one
    (a backup, a synced home folder): its digest is not that of today's file."""
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    approved = entry.read_bytes()
    show.records("records/approvals.genai.xml", APPROVAL.format(status="rejected"))
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]
    entry.write_bytes(approved)
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]


def test_a_forged_seal_still_cannot_make_the_cache_run_code(show, tmp_path):
    """Defence in depth: an entry sealed with the real secret (someone who can read the
    user's cache) that names anything but a record class is a miss, never executed."""
    show.records("records/approvals.genai.xml", APPROVAL.format(status="rejected"))
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    secret = (Path(recordcache.folder()) / "secret").read_bytes()
    key = entry.stem
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))
    payload = pickle.dumps({"key": key, "files": {"records/approvals.genai.xml": Evil()}})
    seal = hmac.new(secret, payload, hashlib.sha256).hexdigest().encode()
    entry.write_bytes(seal + b"\n" + payload)
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]
    assert not marker.exists()


def test_a_forged_approval_in_a_sealed_entry_needs_the_bytes_digest_too(show):
    """Even an entry sealed with the real secret holding an approved Approval serves it
    only for a file whose bytes hash to the digest beside it."""
    show.records("records/approvals.genai.xml", APPROVAL.format(status="rejected"))
    show.check(*AS_OF, "--cache")
    (entry,) = entries()
    files = cached_files()
    digest, (rejected,) = files["records/approvals.genai.xml"]
    assert isinstance(rejected, Approval) and rejected.status == "rejected"
    forged = dict(files)
    forged["records/approvals.genai.xml"] = (b"\0" * 32, (rejected.__class__(
        **{**rejected.__dict__, "status": "approved"}),))
    secret = (Path(recordcache.folder()) / "secret").read_bytes()
    payload = pickle.dumps({"key": entry.stem, "files": forged})
    entry.write_bytes(hmac.new(secret, payload, hashlib.sha256).hexdigest().encode()
                      + b"\n" + payload)
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]


def test_other_settings_version_parser_or_libxml2_is_a_full_parse(show, monkeypatch):
    show.check(*AS_OF, "--cache")
    parsed = parses(monkeypatch)
    show.config('production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'
                'protected-names = ["Jane Doe"]\n')
    show.check(*AS_OF, "--cache")
    assert sorted(parsed) == ["records/approvals.genai.xml", "records/vfx.genai.xml"]
    assert len(entries()) == 2  # the other settings' entry is its own

    parsed.clear()
    monkeypatch.setattr(recordcache, "__version__", "0.0.0+other")
    show.check(*AS_OF, "--cache")
    assert len(parsed) == 2

    parsed.clear()
    monkeypatch.setattr(recordcache, "parser_digest", lambda: "another parser")
    show.check(*AS_OF, "--cache")
    assert len(parsed) == 2

    parsed.clear()  # another libxml2 may validate differently
    monkeypatch.setattr(recordcache, "_libraries", lambda: ("lxml 9", "libxml2 3"))
    show.check(*AS_OF, "--cache")
    assert len(parsed) == 2
    parsed.clear()
    show.check(*AS_OF, "--cache")
    assert parsed == []  # and the same again is a hit


def test_the_parser_digest_covers_the_schema_and_the_parsing_code():
    assert {"recordfile.py", "records.py", "safexml.py", "recordcache.py",
            "schema/genai-1.xsd"} <= set(recordcache.PARSER)
    assert recordcache.parser_digest() is not None


def test_an_invalid_record_file_is_pv001_on_every_run_and_never_kept(show, monkeypatch):
    show.records("records/approvals.genai.xml",
                 APPROVAL.format(status="approved").replace("<granted>", "<grantd>"))
    for run in range(3):
        parsed = parses(monkeypatch)
        result = show.check(*AS_OF, "--cache")
        assert [f["path"] for f in result.findings("PV001")] == ["records/approvals.genai.xml"]
        assert ga001(result) == ["sky"] and result.code == 1
        if run:  # parsed (and refused) every time, the valid file taken from the cache
            assert parsed == ["records/approvals.genai.xml"]
    assert set(cached_files()) == {"records/vfx.genai.xml"}


def test_a_file_that_turns_invalid_is_pv001_though_its_valid_parse_is_cached(show):
    assert show.check(*AS_OF, "--cache").findings("PV001") == []
    show.write("records/approvals.genai.xml",
               (show.root / "records/approvals.genai.xml").read_text()
               .replace("</approval>", "</approval"))
    result = show.check(*AS_OF, "--cache")
    assert [f["path"] for f in result.findings("PV001")] == ["records/approvals.genai.xml"]
    assert ga001(result) == ["sky"]


def test_a_deleted_record_file_is_gone_from_the_cached_set(show):
    assert ga001(show.check(*AS_OF, "--cache")) == []
    (show.root / "records/approvals.genai.xml").unlink()
    assert ga001(show.check(*AS_OF, "--cache")) == ["sky"]
    assert set(cached_files()) == {"records/vfx.genai.xml"}


def test_a_record_moved_elsewhere_is_named_by_its_new_path(show):
    """Records name the file and line they come from; a file moved keeps its bytes, and
    what is reported about it must name where it is now."""
    from cutclear.config import load_config

    show.check(*AS_OF, "--cache")
    (show.root / "records/approvals.genai.xml").rename(show.root / "records/legal.genai.xml")
    config = load_config(str(show.root))
    db = recordfile.load_records(str(show.root), ["records/legal.genai.xml",
                                                  "records/vfx.genai.xml"],
                                 cache=recordcache.RecordCache(str(show.root), config))
    assert db.records["APR-1"].source.path == "records/legal.genai.xml"
    assert set(cached_files()) == {"records/legal.genai.xml", "records/vfx.genai.xml"}


@pytest.mark.parametrize("spoil", ["others may write", "a file", "a symlink"])
def test_an_unusable_cache_folder_means_no_cache(show, spoil, tmp_path, monkeypatch):
    expected = show.check(*AS_OF)
    folder = Path(recordcache.folder())
    folder.parent.mkdir(parents=True, exist_ok=True)
    if spoil == "others may write":
        folder.mkdir()
        folder.chmod(0o777)
    elif spoil == "a file":
        folder.write_text("not a folder")
    else:
        (tmp_path / "elsewhere").mkdir(mode=0o700)
        folder.symlink_to(tmp_path / "elsewhere")
    for status in ("approved", "rejected"):
        show.records("records/approvals.genai.xml", APPROVAL.format(status=status))
        parsed = parses(monkeypatch)
        result = show.check(*AS_OF, "--cache")
        assert result.code == (0 if status == "approved" else 1), result.err
        assert ga001(result) == ([] if status == "approved" else ["sky"])
        assert len(parsed) == 2  # parsed every time: nothing was kept
    assert not list((tmp_path / "elsewhere").glob("*.json")) if spoil == "a symlink" else True
    assert expected.code == 0


def test_a_record_file_swapped_for_a_fifo_is_refused_not_waited_on(show):
    show.check(*AS_OF, "--cache")
    path = show.root / "records/approvals.genai.xml"
    path.unlink()
    os.mkfifo(path)
    result = show.check(*AS_OF, "--cache")
    (error,) = result.findings("PV001")
    assert error["path"] == "records/approvals.genai.xml"
    assert "not a regular file" in error["message"]
    assert ga001(result) == ["sky"]


def test_a_record_file_that_grows_past_the_limit_is_refused(show, monkeypatch):
    """The read is sized by the stat, yet bounded: a file that grows after the stat is
    read on to the limit and refused past it."""
    monkeypatch.setattr(recordfile, "MAX_RECORD_BYTES", 4096)
    path = show.root / "records/approvals.genai.xml"
    real_fstat = os.fstat

    def grown(fd):
        st = real_fstat(fd)
        if os.path.samefile(f"/proc/self/fd/{fd}", path):
            with open(path, "ab") as f:
                f.write(b"<!-- padding -->" * 400)
        return st
    monkeypatch.setattr(recordfile.os, "fstat", grown)
    result = show.check(*AS_OF, "--cache")
    (error,) = result.findings("PV001")
    assert error["path"] == "records/approvals.genai.xml"
    assert "over the 4,096-byte limit" in error["message"]


# --- through the real hooks ---------------------------------------------------------------

def hook_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "show"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "editor@example.com")
    git(repo, "config", "user.name", "Editor")
    write(repo, "cutclear.toml", 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n')
    write(repo, "cuts/locked/.gitkeep", "")  # the `locked` glob must match a folder
    (repo / ".pre-commit-config.yaml").write_text(LOCAL_HOOKS.format(bin=BIN))
    subprocess.run([BIN / "pre-commit", "install"], cwd=repo, check=True,
                   capture_output=True)
    return repo


def commit(repo: Path, message: str) -> subprocess.CompletedProcess:
    git(repo, "add", "-A")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("CUTCLEAR_DISABLE_PLUGINS", None)
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo,
                          capture_output=True, text=True, env=env)


def test_a_commit_withdrawing_an_approval_in_place_is_refused_with_the_cache_warm(
        tmp_path, monkeypatch):
    """The approval is rejected in an edit of the same size whose mtime is put back, in a
    repo whose records the hooks have cached: the commit is refused."""
    from conftest import genai
    repo = hook_repo(tmp_path)
    monkeypatch.chdir(repo)
    write(repo, "records/vfx.genai.xml", genai(SKY))
    write(repo, "records/approvals.genai.xml", genai(APPROVAL.format(status="approved")))
    import opentimelineio as otio
    otio.adapters.write_to_file(timeline([("sky", SKY_URL, 24)]),
                                str(repo / "cuts/locked/reel1.otio"))
    first = commit(repo, "lock reel 1")
    assert first.returncode == 0, first.stdout + first.stderr
    write(repo, "notes.txt", "a note")  # a commit with the records' cache warm
    write(repo, "records/more.genai.xml", genai("<person id='P-9'>A. Person</person>"))
    assert commit(repo, "a note").returncode == 0
    assert entries(), "the hooks kept no parsed records"

    path = repo / "records/approvals.genai.xml"
    before = path.stat()
    path.write_text(path.read_text().replace('status="approved"', 'status="rejected"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    refused = commit(repo, "withdraw the approval")
    shown = refused.stdout + refused.stderr
    assert refused.returncode != 0, shown
    assert "cuts/locked/reel1.otio:V1:01:00:00:00: GA001 [error] sky" in shown
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"


def test_a_commit_breaking_a_cached_record_file_is_refused_by_the_records_hook(
        tmp_path, monkeypatch):
    from conftest import genai
    repo = hook_repo(tmp_path)
    monkeypatch.chdir(repo)
    write(repo, "records/vfx.genai.xml", genai(SKY))
    write(repo, "records/approvals.genai.xml", genai(APPROVAL.format(status="approved")))
    assert commit(repo, "records").returncode == 0
    path = repo / "records/approvals.genai.xml"
    path.write_text(path.read_text().replace("<granted>", "<grantd>", 1))
    for _ in range(2):  # refused each time: the failure was not kept as good
        refused = commit(repo, "a typo")
        shown = refused.stdout + refused.stderr
        assert refused.returncode != 0, shown
        assert "records/approvals.genai.xml:" in shown and "PV001" in shown
