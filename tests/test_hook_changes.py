"""The hook sees every change that can unclear a cut (issue 10, item 3): renames, several
edit repos in one git repo, a change of the installed plugins, record files of an edit
repo in a subfolder. Real commits through the real `git` and `pre-commit` programs."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from conftest import genai
from test_hooks import (
    BIN,
    CAM_CLIP,
    CAMERA,
    CONSENT,
    LOCAL_HOOKS,
    SKY,
    SKY_APPROVAL,
    SKY_CLIP,
    VOICE,
    VOICE_CLIP,
    cut,
    git,
    write,
)

SETTINGS = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A git repo with cutclear's hooks installed through pre-commit; edit repos are added
    by the tests. `site` is put on PYTHONPATH of the hooks: what a pre-commit environment
    has installed (its additional_dependencies)."""
    repo = tmp_path / "project"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "editor@example.com")
    git(repo, "config", "user.name", "Editor")
    (repo / ".pre-commit-config.yaml").write_text(LOCAL_HOOKS.format(bin=BIN))
    subprocess.run([BIN / "pre-commit", "install"], cwd=repo, check=True, capture_output=True)
    (tmp_path / "site").mkdir()
    monkeypatch.chdir(repo)
    return repo


def commit(repo: Path, message: str) -> subprocess.CompletedProcess:
    """`git add -A && git commit`, the hooks run by pre-commit."""
    git(repo, "add", "-A")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(repo.parent / "site")}
    env.pop("CUTCLEAR_DISABLE_PLUGINS", None)
    result = subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo,
                            capture_output=True, text=True, env=env)
    result.shown = result.stdout + result.stderr  # what the editor sees
    return result


def commits(repo: Path) -> int:
    return int(git(repo, "rev-list", "--count", "HEAD").stdout)


def edit_repo(repo: Path, folder: str, *records: tuple[str, str]) -> None:
    write(repo, f"{folder}/cutclear.toml", SETTINGS)
    write(repo, f"{folder}/cuts/locked/.gitkeep", "")  # the locked glob matches a folder
    for rel, body in records:
        write(repo, f"{folder}/{rel}", genai(body))


def test_renaming_a_consent_record_away_is_refused(project):
    edit_repo(project, ".", ("records/voice.genai.xml", CAMERA + SKY + VOICE),
              ("legal/consents.genai.xml", CONSENT.format(status="active")))
    cut(project, "cuts/locked/reel1.otio", CAM_CLIP, VOICE_CLIP)
    assert commit(project, "lock reel 1").returncode == 0
    git(project, "mv", "legal/consents.genai.xml", "legal/consents.genai.xml.old")
    refused = commit(project, "archive the consents")
    assert refused.returncode != 0
    assert ("cuts/locked/reel1.otio:V1:01:00:02:00: TL001 [error] ruiz adr: voice of P-0031 "
            "(Jane Doe) in AST-2001 has no consent") in refused.shown
    assert commits(project) == 1


def test_renaming_a_record_file_out_of_the_records_globs_is_refused(project):
    edit_repo(project, ".", ("records/camera.genai.xml", CAMERA + SKY),
              ("records/approvals.genai.xml", SKY_APPROVAL))
    (project / "cutclear.toml").write_text(SETTINGS + 'records = ["records/**"]\n')
    cut(project, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    assert commit(project, "lock reel 1").returncode == 0
    (project / "old").mkdir()
    git(project, "mv", "records/approvals.genai.xml", "old/approvals.genai.xml")
    refused = commit(project, "move the approvals")
    assert refused.returncode != 0
    assert "GA001 [error] sh042 sky" in refused.shown


def test_each_edit_repo_a_commit_touches_is_rechecked(project):
    for show in ("show-a", "show-b"):
        edit_repo(project, show, (f"records/{show}.genai.xml", CAMERA + SKY + VOICE),
                  ("legal/consents.genai.xml", CONSENT.format(status="active")))
        cut(project, f"{show}/cuts/locked/reel1.otio", CAM_CLIP, VOICE_CLIP)
    assert commit(project, "two shows").returncode == 0
    write(project, "show-a/records/notes.genai.xml", genai("<person id='P-9'>A. Person</person>"))
    write(project, "show-b/legal/consents.genai.xml", genai(CONSENT.format(status="revoked")))
    refused = commit(project, "notes for A, a revocation for B")
    assert refused.returncode != 0
    assert "cutclear: edit repo show-b/:" in refused.shown
    assert ("cuts/locked/reel1.otio:V1:01:00:02:00: TL003 [error] ruiz adr: consent CNS-0142 "
            "of P-0031 (Jane Doe) for voice in AST-2001 is revoked") in refused.shown
    assert "edit repo show-a/" not in refused.shown  # A is clear and says nothing


def test_timelines_of_several_edit_repos_are_each_judged_by_their_own_records(project):
    edit_repo(project, "show-a", ("records/a.genai.xml", CAMERA + SKY),
              ("records/approvals.genai.xml", SKY_APPROVAL))
    edit_repo(project, "show-b", ("records/b.genai.xml", CAMERA + SKY))  # not approved here
    assert commit(project, "two shows").returncode == 0
    cut(project, "show-a/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    cut(project, "show-b/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    refused = commit(project, "lock both")
    assert refused.returncode != 0
    assert "cutclear: edit repo show-b/:\ncuts/locked/reel1.otio:V1:01:00:02:00: GA001" in \
        refused.shown
    assert refused.shown.count("GA001") == 1  # show A's approval covers its own cut only


HOUSE = '''
from cutclear import Problem, Rule, Severity, hookimpl

def no_sky(use, assets, ctx):
    if "sky" in use.media.name:
        yield Problem("house style: no sky replacements")

@hookimpl
def cutclear_rules():
    return [Rule("HS001", "no-sky", "a sky replacement", Severity.INFO, Severity.ERROR,
                 "House style.", "none", "clip", no_sky)]
'''


def install_plugin(project: Path) -> None:
    """What a new entry in additional_dependencies puts in the hook's environment."""
    site = project.parent / "site"
    (site / "house_rules.py").write_text(HOUSE)
    info = site / "house_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: house-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[cutclear]\nhouse = house_rules\n")


def test_a_change_of_the_installed_plugins_rechecks_every_edit_repo(project):
    edit_repo(project, "show", ("records/camera.genai.xml", CAMERA + SKY),
              ("records/approvals.genai.xml", SKY_APPROVAL))
    cut(project, "show/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    assert commit(project, "lock reel 1").returncode == 0
    write(project, "notes.txt", "day 12")
    assert commit(project, "notes").returncode == 0  # nothing changed: nothing to say

    install_plugin(project)  # the hook environment now has a house rule
    (project / "notes.txt").write_text("day 13")
    refused = commit(project, "more notes")
    assert refused.returncode != 0
    assert ("cuts/locked/reel1.otio:V1:01:00:02:00: HS001 [error] sh042 sky: house style: "
            "no sky replacements") in refused.shown
    assert commits(project) == 2
    again = commit(project, "more notes")  # refused until the cut passes the new rule
    assert again.returncode != 0 and "HS001" in again.shown


def test_the_first_commit_in_a_new_hook_environment_rechecks_and_then_returns_at_once(
        project, monkeypatch):
    from cutclear.hooks import check_timelines

    edit_repo(project, "show", ("records/camera.genai.xml", CAMERA + SKY))
    cut(project, "show/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(project, "add", "-A")
    git(project, "commit", "-q", "--no-verify", "-m", "committed without the hook")
    write(project, "notes.txt", "day 12")
    git(project, "add", "notes.txt")
    assert check_timelines.main(["--as-of", "2026-01-15"]) == 1  # the cut fails: found
    (project / "show/records/approvals.genai.xml").write_text(genai(SKY_APPROVAL))
    git(project, "add", "-A")
    assert check_timelines.main(["--as-of", "2026-01-15",
                                 "show/records/approvals.genai.xml"]) == 0
    called = []
    monkeypatch.setattr("cutclear.cli.main", lambda argv: called.append(argv) or 0)
    assert check_timelines.main(["--as-of", "2026-01-15"]) == 0
    assert called == []  # passed under these plugins: a commit of notes checks nothing


def test_the_records_hook_works_for_an_edit_repo_in_a_subfolder(project):
    edit_repo(project, "show", ("records/camera.genai.xml", CAMERA + SKY))
    assert commit(project, "show").returncode == 0, "no false PV001 for a good record"
    write(project, "show/records/more.genai.xml", genai(textwrap.dedent("""
        <asset id="AST-7"><match><name>y.mov</name></match>
          <origin>digitalCapture</origin><approval ref="APR-404"/></asset>""")))
    refused = commit(project, "a dangling reference")
    assert refused.returncode != 0
    assert ("records/more.genai.xml:3: PV002 [error] approval/@ref references approval "
            "APR-404, which no record defines") in refused.shown
    assert "PV001" not in refused.shown


def test_the_records_hook_judges_each_record_with_its_own_edit_repo(project):
    edit_repo(project, "show-a", ("records/a.genai.xml", CAMERA + SKY + SKY_APPROVAL))
    edit_repo(project, "show-b", ("records/b.genai.xml", SKY_APPROVAL))  # B lacks AST-1193
    refused = commit(project, "two shows")
    assert refused.returncode != 0
    records_hook = refused.shown.split("cutclear records")[1]
    assert "PV001" not in records_hook
    assert [line for line in records_hook.splitlines() if "[error]" in line] == [
        "records/b.genai.xml:3: PV002 [error] approval/assets references asset AST-1193, "
        "which no record defines: define it or correct the id"]


def test_an_ignored_approval_in_a_dot_folder_of_the_locked_globs_is_refused(project):
    """Discovery reads record files in dot-folders inside the locked globs; before, the hook
    did not count them as files the commit lacks, so an ignored approval there passed a
    cut that fails once committed."""
    edit_repo(project, "show", ("records/camera.genai.xml", CAMERA + SKY))
    write(project, ".gitignore", "show/cuts/locked/.approvals/\n")
    write(project, "show/cuts/locked/.approvals/late.genai.xml", genai(SKY_APPROVAL))
    cut(project, "show/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    refused = commit(project, "lock reel 1")
    assert refused.returncode != 0
    assert "show/cuts/locked/.approvals/late.genai.xml" in refused.shown


def test_every_file_the_commit_lacks_is_found_by_the_two_git_calls(project):
    """The hook asks git once for the untracked files (ignored ones included) and once for
    the unstaged changes, side by side; each kind still stops the commit."""
    from cutclear.hooks import check_timelines

    edit_repo(project, ".", ("records/camera.genai.xml", CAMERA + SKY))
    write(project, ".gitignore", "legal/\n*.bak.genai.xml\n")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    write(project, "records/untracked.genai.xml", genai(SKY_APPROVAL))
    write(project, "legal/ignored.genai.xml", genai(SKY_APPROVAL))
    write(project, "records/old.bak.genai.xml", genai(SKY_APPROVAL))
    write(project, "records/camera.genai.xml", genai(CAMERA + SKY + SKY_APPROVAL))  # unstaged
    write(project, "notes.txt", "not read by cutclear")
    assert check_timelines.not_committed() == [
        "legal/ignored.genai.xml", "records/camera.genai.xml", "records/old.bak.genai.xml",
        "records/untracked.genai.xml"]


def test_outside_a_git_repo_the_git_calls_answer_nothing(tmp_path, monkeypatch):
    from cutclear.hooks import check_timelines

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert check_timelines.gits(("ls-files", "-z", "--others"), ("diff", "--name-only")) == []
