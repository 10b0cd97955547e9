"""Red-team reproductions: each test shows a way a locked cut holding an unapproved GenAI
shot (AST-1207, sh057_cranes_v2, in the example edit repo's cuts/locked/) passes.

Every test asserts what SHOULD happen. Those still marked `@hole` (xfail, strict) are
holes not closed yet: each turns into an XPASS (a failure, with strict) once it is fixed,
so whoever fixes it removes the mark. The others were closed and now guard the fix; their
docstrings describe the hole as it was found.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "edit-repo"
BIN = Path(sys.executable).parent
hole = pytest.mark.xfail(strict=True, reason="red-team hole (see docstring)")

APPROVAL_1207 = """<?xml version="1.0" encoding="UTF-8"?>
<genai xmlns="urn:cutclear:genai:1" version="1">
  <approval id="APR-9999" status="approved">
    <issuer org="Northlight Streaming">nobody</issuer>
    <production>PRD-778</production>
    <granted>2025-11-04</granted>
    <covers>final-deliverable creative-output</covers>
    <assets>AST-1207</assets>
  </approval>
</genai>
"""


@pytest.fixture
def env(tmp_path):
    e = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"),
             PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    for k in ("CUTCLEAR_ROOT", "CUTCLEAR_DISABLE_PLUGINS", "CUTCLEAR_GATE"):
        e.pop(k, None)
    return e


def run(args, cwd, env):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def cutclear(cwd, env, *args):
    return run([sys.executable, "-m", "cutclear", *args], cwd, env)


def reel1_repo(tmp_path: Path) -> Path:
    """The example edit repo with one locked cut, reel1.edl, whose only error is GA001
    for sh057_cranes_v2 (AST-1207)."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns("documentary"))
    for f in (repo / "cuts" / "locked").iterdir():
        if f.name != "reel1.edl":
            f.unlink()
    shutil.rmtree(repo / "cuts" / "wip")
    toml = repo / "cutclear.toml"
    toml.write_text("\n".join(line for line in toml.read_text().splitlines()
                              if not line.startswith("exclude")) + "\n")
    return repo


def git(repo, env, *args):
    out = run(["git", *args], repo, env)
    assert out.returncode == 0, out.stderr
    return out.stdout


def git_repo(repo: Path, env) -> None:
    git(repo, env, "init", "-q", ".")
    git(repo, env, "config", "user.email", "rt@example.com")
    git(repo, env, "config", "user.name", "rt")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "--no-verify", "-m", "init")


def test_baseline_fails(tmp_path, env):
    repo = reel1_repo(tmp_path)
    out = cutclear(repo, env, "check")
    assert out.returncode == 1 and "GA001" in out.stdout, out.stdout + out.stderr


# --- 1. the timeline hook judges the work tree, not the commit -----------------------

def test_hook_counts_an_untracked_approval(tmp_path, env):
    """An approval that exists only as an untracked file (never staged) clears the cut
    for the hook; the commit lands, and the committed repo fails `cutclear check`.
    pre-commit's stash does not hide untracked files."""
    repo = reel1_repo(tmp_path)
    git_repo(repo, env)
    (repo / "records" / "draft.genai.xml").write_text(APPROVAL_1207)  # untracked
    with open(repo / "cuts" / "locked" / "reel1.edl", "a") as f:
        f.write("* touched\n")
    git(repo, env, "add", "cuts/locked/reel1.edl")
    out = run([str(BIN / "cutclear-hook"), "cuts/locked/reel1.edl"], repo, env)
    assert out.returncode != 0, "hook passed a commit whose tree holds no approval"


def test_hook_counts_an_approval_the_commit_deletes(tmp_path, env):
    """`git rm --cached` of the approval (deleted from the commit, kept on disk) passes."""
    repo = reel1_repo(tmp_path)
    (repo / "records" / "draft.genai.xml").write_text(APPROVAL_1207)
    git_repo(repo, env)
    assert cutclear(repo, env, "check").returncode == 0
    git(repo, env, "rm", "-q", "--cached", "records/draft.genai.xml")
    out = run([str(BIN / "cutclear-hook")], repo, env)  # pre-commit passes no file
    assert out.returncode != 0, "hook passed a commit that deletes the only approval"


def _mp4(path: Path) -> None:
    ftyp = struct.pack(">I", 20) + b"ftypisom" + struct.pack(">I", 512) + b"isom"
    pay = os.urandom(2000)
    path.write_bytes(ftyp + struct.pack(">I", 8 + len(pay)) + b"free" + pay)


@hole
def test_hook_does_not_recheck_a_changed_pinned_media_file(tmp_path, env):
    """A media file pinned by <sha256> is replaced by an unreviewed re-render and
    committed: `cutclear check` says GA005 (error at lock), the hook is not run on it."""
    repo = reel1_repo(tmp_path)
    media = repo / "media" / "vfx" / "sh042" / "sh042_sky_v3.mov"
    media.parent.mkdir(parents=True)
    _mp4(media)
    (repo / "cuts" / "locked" / "reel1.edl").write_text(
        "TITLE: X\n\n002  sh042sky V     C        00:00:41:17 00:00:45:17 01:00:05:00 "
        "01:00:09:00\n* FROM CLIP NAME:  sh042_sky_v3\n"
        "* FROM CLIP: media/vfx/sh042/sh042_sky_v3.mov\n")
    digest = cutclear(repo, env, "pin", str(media.relative_to(repo))).stdout.split(
        "<sha256>")[1].split("<")[0]
    side = repo / "media" / "vfx" / "sh042_sky_v3.mov.genai.xml"
    side.write_text(side.read_text().replace(
        '<asset id="AST-1193">',
        f'<asset id="AST-1193"><match><name>sh042_sky_v3.mov</name>'
        f'<sha256>{digest}</sha256></match>'))
    assert cutclear(repo, env, "check").returncode == 0
    git_repo(repo, env)
    assert run([str(BIN / "cutclear-hook")], repo, env).returncode == 0  # records the pass
    _mp4(media)  # the re-render
    git(repo, env, "add", str(media.relative_to(repo)))
    assert "GA005" in cutclear(repo, env, "check").stdout
    out = run([str(BIN / "cutclear-hook"), str(media.relative_to(repo))], repo, env)
    assert out.returncode != 0, "hook let an unreviewed re-render of pinned media land"


# --- 2. discovery skips locked cuts -------------------------------------------------

@pytest.mark.parametrize("folder", [".v2", "node_modules", "__pycache__"])
def test_locked_cut_in_a_skipped_folder_inside_the_locked_glob(tmp_path, env, folder):
    """README: "Inside the locked globs every file with a timeline suffix is read"."""
    repo = reel1_repo(tmp_path)
    hidden = repo / "cuts" / "locked" / folder
    hidden.mkdir()
    (repo / "cuts" / "locked" / "reel1.edl").rename(hidden / "reel1.edl")
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


def test_exclude_hides_every_locked_cut(tmp_path, env):
    """`exclude` naming the locked cut unlocks it silently: "All clear"."""
    repo = reel1_repo(tmp_path)
    with open(repo / "cutclear.toml", "a") as f:
        f.write('exclude = ["cuts/locked/reel1.edl"]\n')
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


def test_exclude_everything_is_all_clear_with_zero_timelines(tmp_path, env):
    repo = reel1_repo(tmp_path)
    with open(repo / "cutclear.toml", "a") as f:
        f.write('exclude = ["**/*.edl", "**/*.xml"]\n')
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout  # today: All clear: 0 timelines, 0 record files


# --- 3. settings switch GA001 off at lock without a word -----------------------------

@pytest.mark.parametrize("line", ['select = ["TL001"]', 'ignore = ["GA001"]',
                                  '[severity]\nGA001 = "off"'])
def test_rule_switched_off_at_lock_is_not_visible(tmp_path, env, line):
    repo = reel1_repo(tmp_path)
    with open(repo / "cutclear.toml", "a") as f:
        f.write(line + "\n")
    out = cutclear(repo, env, "check")
    assert out.returncode != 0 or "GA001" in out.stdout + out.stderr, out.stdout


# --- 4. the OTIO conform gate judges against whatever settings the cwd finds ---------

def test_gate_run_from_another_edit_repo_writes_the_cut(tmp_path, env):
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    out_edl = tmp_path / "online.edl"
    gate_env = dict(env, CUTCLEAR_GATE="1")
    out = run([str(BIN / "otioconvert"), "-i", "../cuts/locked/reel1.edl", "-o",
               str(out_edl), "-a", "rate=24"], repo / "documentary", gate_env)
    assert out.returncode != 0 and not out_edl.exists(), out.stdout + out.stderr


@hole
def test_hook_misses_a_locked_cut_that_is_a_symlink_to_a_wip_file(tmp_path, env):
    """cuts/locked/reel1.edl -> ../wip/reel1_work.edl: editing the WIP file changes the
    locked cut, but the hook judges only the staged WIP path, in wip mode (GA001 info)."""
    repo = reel1_repo(tmp_path)
    locked = repo / "cuts" / "locked" / "reel1.edl"
    wip = repo / "cuts" / "wip" / "reel1_work.edl"
    wip.parent.mkdir()
    wip.write_text("TITLE: X\n\n001  A001C003 V     C        14:22:10:00 14:22:15:00 "
                   "01:00:00:00 01:00:05:00\n* FROM CLIP NAME:  A001C003\n"
                   "* FROM CLIP: media/camera/A001C003.mov\n")
    locked.unlink()
    locked.symlink_to("../wip/reel1_work.edl")
    assert cutclear(repo, env, "check").returncode == 0
    git_repo(repo, env)
    assert run([str(BIN / "cutclear-hook")], repo, env).returncode == 0  # records the pass
    with open(wip, "a") as f:
        f.write("004  sh057cra V     C        00:00:41:17 00:00:44:17 01:00:05:00 "
                "01:00:08:00\n* FROM CLIP NAME:  sh057_cranes_v2\n")
    git(repo, env, "add", "cuts/wip/reel1_work.edl")
    assert cutclear(repo, env, "check").returncode == 1  # the locked cut now fails
    out = run([str(BIN / "cutclear-hook"), "cuts/wip/reel1_work.edl"], repo, env)
    assert out.returncode != 0, out.stdout


@pytest.mark.parametrize("reel", ["BL", "BLK", "BLACK"])
def test_edl_black_reel_naming_genai_media_is_not_checked(tmp_path, env, reel):
    """An event on the black reel whose notes name the GenAI file (clip name and
    FROM CLIP path) is dropped as black; a conform by clip or file name links the file."""
    repo = reel1_repo(tmp_path)
    (repo / "cuts" / "locked" / "reel1.edl").write_text(
        "TITLE: X\n\n001  A001C003 V     C        14:22:10:00 14:22:15:00 01:00:00:00 "
        "01:00:05:00\n* FROM CLIP NAME:  A001C003\n"
        f"004  {reel:<8} V     C        00:00:41:17 00:00:44:17 01:00:15:00 01:00:18:00\n"
        "* FROM CLIP NAME:  sh057_cranes_v2\n"
        "* FROM CLIP: file:///mnt/show/media/vfx/sh057/sh057_cranes_v2.mov\n")
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


@pytest.mark.parametrize("line", ['ignore = ["PV005"]', 'ignore = ["PV"]', 'ignore = ["ALL"]',
                                  '[severity]\nPV005 = "off"',
                                  '[severity]\nPV005 = { lock = "info" }'])
def test_unreadable_locked_cut_passes_when_pv005_is_switched_off(tmp_path, env, line):
    """fail-closed: what cutclear cannot read counts against the cut (PV005). The settings
    can switch PV005 off (ignore, severity, or ignore = ["ALL"]), and a locked cut that is
    not a timeline at all then passes: exit 0."""
    repo = reel1_repo(tmp_path)
    (repo / "cuts" / "locked" / "reel1.edl").write_text("garbage\n")
    with open(repo / "cutclear.toml", "a") as f:
        f.write(line + "\n")
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


def test_hook_passes_deleting_a_nested_edit_repos_settings(tmp_path, env):
    """The example's documentary/ is an edit repo of its own with failing locked cuts.
    `git rm documentary/cutclear.toml` re-checks "the edit repo it belongs to", which is
    now the parent (which excludes documentary/**): exit 0, and from then on the
    documentary's locked cuts are judged as the parent's WIP (or not at all)."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    for f in (repo / "cuts" / "locked").iterdir():
        f.unlink()  # the parent passes on its own
    assert cutclear(repo, env, "check").returncode == 0
    assert cutclear(repo / "documentary", env, "check").returncode == 1
    git_repo(repo, env)
    git(repo, env, "rm", "-q", "documentary/cutclear.toml")
    out = run([str(BIN / "cutclear-hook")], repo, env)
    assert out.returncode != 0, out.stdout


# the shared corpus of real exports sits beside the checkout (development only)
CORPUS_FCPX = Path(__file__).resolve().parents[3] / "shared/corpus/fcpx/fcpx_clips.fcpxml"


@pytest.mark.skipif(not CORPUS_FCPX.exists(), reason="the shared corpus of real exports is not "
                    "beside the checkout (../shared/corpus)")
def test_fcpxml_duplicate_resource_id_last_wins(tmp_path, env):
    """Asset r5 defined twice: first as the GenAI file, then as the camera file.
    cutclear's FCPXML reader keeps the last (`by_id = {el.get("id"): el ...}`), OTIO's
    fcpx_xml adapter (what otioconvert and the conform use) the first: `cutclear check`
    passes a cut whose conform pulls sh057_cranes_v2.mov. Ambiguous ids should be PV005."""
    repo = reel1_repo(tmp_path)
    (repo / "cuts" / "locked" / "reel1.edl").unlink()
    s = CORPUS_FCPX.read_text()
    i = s.index('<asset id="r5"')
    j = s.index("</asset>", i) + len("</asset>")
    benign = s[i:j]
    evil = (benign.replace("file:///Volumes/Media/otio/IMG_0857.MOV",
                           "file:///mnt/show/media/vfx/sh057/sh057_cranes_v2.mov")
            .replace('name="IMG_0857"', 'name="sh057_cranes_v2"')
            .replace("96D00EC92B431A8ECDDE741DF63CF602", "96D00EC92B431A8ECDDE741DF63CF603"))
    (repo / "cuts" / "locked" / "r.fcpxml").write_text(s[:i] + evil + "\n" + benign + s[j:])
    import opentimelineio as otio
    read = otio.adapters.read_from_file(str(repo / "cuts" / "locked" / "r.fcpxml"))
    assert any("sh057_cranes_v2" in (getattr(c.media_reference, "target_url", "") or "")
               for c in read.find_clips())  # what OTIO (and so the conform) sees
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


@hole
def test_hook_passes_a_submodule_bump_that_withdraws_an_approval(tmp_path, env):
    """records/ is a git submodule (a shared records repo). Bumping it to the commit that
    deletes the approval of AST-1207 is a gitlink change: pre-commit passes no file the
    hook knows, the hook returns 0, the commit lands, and `cutclear check` fails."""
    recs = tmp_path / "recs"
    recs.mkdir()
    for f in (EXAMPLE / "records").iterdir():
        shutil.copy(f, recs / f.name)
    (recs / "draft.genai.xml").write_text(APPROVAL_1207)
    git_repo(recs, env)
    git(recs, env, "rm", "-q", "draft.genai.xml")
    git(recs, env, "commit", "-q", "-m", "approval withdrawn")
    repo = reel1_repo(tmp_path)
    shutil.rmtree(repo / "records")
    git(repo, env, "init", "-q", ".")
    git(repo, env, "config", "user.email", "rt@example.com")
    git(repo, env, "config", "user.name", "rt")
    git(repo, env, "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        str(recs), "records")
    git(repo / "records", env, "checkout", "-q", "HEAD~1")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "--no-verify", "-m", "init")
    assert run([str(BIN / "cutclear-hook")], repo, env).returncode == 0  # records the pass
    git(repo / "records", env, "checkout", "-q", "-")
    git(repo, env, "add", "records")
    assert cutclear(repo, env, "check").returncode == 1
    out = run([str(BIN / "cutclear-hook")], repo, env)
    assert out.returncode != 0, out.stdout


@pytest.mark.parametrize("notes", [
    ("* FROM CLIP NAME:  A001C003", "* FROM CLIP NAME:  sh057_cranes_v2"),
    ("* FROM CLIP: file:///mnt/show/media/camera/A001C003.mov",
     "* FROM CLIP: file:///mnt/show/media/vfx/sh057/sh057_cranes_v2.mov"),
])
def test_edl_repeated_note_first_wins_where_otio_takes_the_last(tmp_path, env, notes):
    """One event with two FROM CLIP NAME (or FROM CLIP) notes: cutclear's CMX reader keeps
    the first (camera), otio-cmx3600-adapter (otioconvert, the conform) the last (the
    GenAI shot). `cutclear check` passes; conflicting notes should be PV005."""
    repo = reel1_repo(tmp_path)
    edl = repo / "cuts" / "locked" / "reel1.edl"
    edl.write_text("TITLE: X\n\n004  AX       V     C        00:00:41:17 00:00:44:17 "
                   f"01:00:15:00 01:00:18:00\n{notes[0]}\n{notes[1]}\n")
    import opentimelineio as otio
    read = otio.adapters.read_from_file(str(edl), rate=24)
    clip = read.find_clips()[0]
    assert "sh057" in clip.name + (getattr(clip.media_reference, "target_url", "") or "")
    out = cutclear(repo, env, "check")
    assert out.returncode != 0, out.stdout


def test_cutclear_root_of_the_outer_repo_unlocks_a_nested_edit_repo(tmp_path, env):
    """CUTCLEAR_ROOT left exported for the fiction show (the outer edit repo): the
    documentary's locked cut (its own cutclear.toml locks it, and it fails there) is
    judged with the outer settings, as WIP and with the wrong records: All clear. The
    hook, with the same variable, passes the commit."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    cut = "documentary/cuts/locked/doc_reel1.edl"
    assert cutclear(repo / "documentary", env, "check",
                    "cuts/locked/doc_reel1.edl").returncode == 1
    out = cutclear(repo, dict(env, CUTCLEAR_ROOT=str(repo)), "check", cut)
    assert out.returncode != 0, out.stdout


def test_paths_of_two_edit_repos_in_one_check_judge_the_second_by_the_first(tmp_path, env):
    """`cutclear check A B` takes the settings found from A; B under a nested edit repo
    (its own cutclear.toml locks it) is judged by A's settings and records: exit 0 with
    A first, exit 2 ("outside the edit repo") with B first. As in CI:
    `cutclear check $(git diff --name-only main -- '*.edl')`."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    out = cutclear(repo, env, "check", "cuts/wip/reel2.edl",
                   "documentary/cuts/locked/doc_reel1.edl")
    assert out.returncode != 0, out.stdout


def test_a_distribution_can_shadow_a_builtin_plugin_by_name(tmp_path, env):
    """A distribution that declares `cutclear-ga = ...` in the `cutclear` entry-point
    group, found before cutclear on sys.path (PYTHONPATH, user site, .pth; within one
    folder the order is the directory's), replaces the built-in GA rules: the second
    `cutclear-ga` is skipped without a word (manager.py: `if self.pm.get_plugin(ep.name)
    is not None: continue`). GA001 is gone: All clear, exit 0."""
    pp = tmp_path / "pp"
    info = pp / "aaa_shadow-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: aaa-shadow\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[cutclear]\ncutclear-ga = shadow_rt\n")
    (pp / "shadow_rt.py").write_text(
        "from cutclear.hookspecs import hookimpl\n\n@hookimpl\ndef cutclear_rules():\n"
        "    return []\n")
    repo = reel1_repo(tmp_path)
    out = cutclear(repo, dict(env, PYTHONPATH=str(pp)), "check")
    assert out.returncode != 0, out.stdout


@hole
def test_a_plugin_calling_os_exit_ends_the_run_with_0(tmp_path, env):
    """fail-closed.md: "A plugin cannot end the run with an exit code of its choosing".
    os._exit(0) (or a C extension's exit(0)) in any hook does: no report, exit 0, and the
    pre-commit hook passes the commit."""
    pp = tmp_path / "pp"
    info = pp / "zz_exit-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zz-exit\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[cutclear]\nzz-exit = exit_rt\n")
    (pp / "exit_rt.py").write_text(
        "import os\nfrom cutclear.hookspecs import hookimpl\n\n@hookimpl\n"
        "def cutclear_rules():\n    os._exit(0)\n")
    repo = reel1_repo(tmp_path)
    out = cutclear(repo, dict(env, PYTHONPATH=str(pp)), "check")
    assert out.returncode != 0, out.stdout
