"""The pre-commit hooks, with the real git and pre-commit programs in temporary edit repos.

Most cases call the hooks' `main` in-process on what git has staged, as pre-commit-hooks
tests its hooks; the end-to-end cases make real commits through `pre-commit install`, and
`pre-commit try-repo` installs the hooks from this checkout's manifest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import genai, timeline
from cutclear.hooks import check_records, check_timelines

from cutclear.cli import main as cutclear

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AS_OF = "2026-01-15"

CAMERA = """
<asset id="CAM"><match><path>media/camera/**</path></match><origin>digitalCapture</origin></asset>
"""
SKY = """
<asset id="AST-1193"><match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/></asset>
<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true" trainsOnInputs="no" retainsInputs="no">Runway</tool>
"""
SKY_APPROVAL = """
<approval id="APR-0057" status="approved"><issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production><granted>2025-09-02</granted>
  <covers>final-deliverable</covers><assets>AST-1193</assets></approval>
"""
VOICE = """
<person id="P-0031" union="SAG-AFTRA">Jane Doe</person>
<asset id="AST-2001"><match><name>ruiz_adr.wav</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage><tool ref="TL-01"/>
  <talent person="P-0031" use="voice" consent="CNS-0142"/><approval ref="APR-0060"/></asset>
<approval id="APR-0060" status="approved"><production>PRD-778</production>
  <granted>2025-09-02</granted><covers>final-deliverable talent</covers>
  <assets>AST-2001</assets></approval>
"""
CONSENT = """
<consent id="CNS-0142" person="P-0031" status="{status}">
  <grantor role="performer">Jane Doe</grantor><production>PRD-778</production>
  <uses>voice</uses><description>Voice replica for two ADR lines, ep 3 sc 41.</description>
  <signed date="2025-08-20" separate="true"/></consent>
"""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=check)


@pytest.fixture
def edit_repo(tmp_path, monkeypatch):
    """A git edit repo with camera originals declared and a locked-cut glob."""
    repo = tmp_path / "show"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "editor@example.com")
    git(repo, "config", "user.name", "Editor")
    (repo / "cutclear.toml").write_text(textwrap.dedent("""\
        production = "PRD-778"
        locked = ["cuts/locked/**"]
        """))
    write(repo, "records/camera.genai.xml", genai(CAMERA + SKY))
    write(repo, "cuts/locked/.gitkeep", "")  # the `locked` glob must match a folder
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    monkeypatch.chdir(repo)
    return repo


def write(repo: Path, rel: str, text: str) -> str:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return rel


def cut(repo: Path, rel: str, *clips: tuple[str, str, int]) -> str:
    import opentimelineio as otio
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    otio.adapters.write_to_file(timeline(list(clips)), str(path))
    return rel


def staged(repo: Path) -> list[str]:
    """What pre-commit passes: staged files that still exist."""
    out = git(repo, "diff", "--cached", "--name-only", "--diff-filter=d").stdout
    return out.split()


CAM_CLIP = ("A001C003", "file:///mnt/show/media/camera/A001C003.mov", 48)
SKY_CLIP = ("sh042 sky", "file:///mnt/show/vfx/sh042_sky_v3.mov", 24)
VOICE_CLIP = ("ruiz adr", "file:///mnt/show/audio/ruiz_adr.wav", 24)


def run_hook(repo: Path, capsys, hook=check_timelines) -> tuple[int, str]:
    capsys.readouterr()
    code = hook.main([*staged(repo), "--as-of", AS_OF] if hook is check_timelines
                     else staged(repo))
    return code, capsys.readouterr().out


def test_locked_cut_with_unapproved_genai_is_refused_then_passes_with_approval(
        edit_repo, capsys):
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys)
    assert code == 1
    assert out.startswith("cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sh042 sky: "
                          "GenAI asset AST-1193 (Runway Gen-4) has no valid written approval")
    assert "add an approval covering final-deliverable that lists AST-1193" in out

    write(edit_repo, "records/approvals.genai.xml", genai(SKY_APPROVAL))
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys)
    assert (code, out) == (0, "")  # quiet when all is well


def test_revoking_a_consent_later_is_refused(edit_repo, capsys):
    write(edit_repo, "records/voice.genai.xml", genai(VOICE + CONSENT.format(status="active")))
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, VOICE_CLIP)
    git(edit_repo, "add", "-A")
    assert run_hook(edit_repo, capsys) == (0, "")
    git(edit_repo, "commit", "-q", "-m", "lock reel 1")

    write(edit_repo, "records/voice.genai.xml", genai(VOICE + CONSENT.format(status="revoked")))
    git(edit_repo, "add", "-A")
    assert staged(edit_repo) == ["records/voice.genai.xml"]  # no timeline in this commit
    code, out = run_hook(edit_repo, capsys)
    assert code == 1
    assert ("cuts/locked/reel1.otio:V1:01:00:02:00: TL003 [error] ruiz adr: consent CNS-0142 "
            "of P-0031 (Jane Doe) for voice in AST-2001 is revoked") in out


def test_deleting_a_consent_record_is_refused(edit_repo, capsys):
    write(edit_repo, "records/voice.genai.xml", genai(VOICE))
    write(edit_repo, "legal/consents.genai.xml", genai(CONSENT.format(status="active")))
    cut(edit_repo, "cuts/locked/reel1.otio", VOICE_CLIP)
    git(edit_repo, "add", "-A")
    git(edit_repo, "commit", "-q", "-m", "lock reel 1")

    git(edit_repo, "rm", "-q", "legal/consents.genai.xml")
    assert staged(edit_repo) == []  # pre-commit passes nothing for a deletion
    code, out = run_hook(edit_repo, capsys)
    assert code == 1
    assert "TL001 [error] ruiz adr: voice of P-0031 (Jane Doe) in AST-2001 has no consent" in out


def test_record_change_rechecks_the_edit_repo_in_a_subfolder(edit_repo, capsys):
    """The edit repo may be a folder of a larger git repo: its settings mark its root."""
    sub = edit_repo / "show"
    sub.mkdir()
    for name in ("cutclear.toml", "records"):
        (edit_repo / name).rename(sub / name)
    cut(edit_repo, "show/cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(edit_repo, "add", "-A")
    git(edit_repo, "commit", "-q", "-m", "move into show/")
    write(edit_repo, "show/records/notes.genai.xml", genai("<person id='P-1'>A. Person</person>"))
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys)
    assert code == 1
    assert out.startswith("cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sh042 sky")


def test_wip_cut_with_temp_genai_passes_with_a_note(edit_repo, capsys):
    write(edit_repo, "records/temp.genai.xml", genai("""
        <asset id="AST-9"><match><name>previz_*.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><tool ref="TL-01"/></asset>"""))
    cut(edit_repo, "cuts/wip/reel2.otio", CAM_CLIP, ("previz", "file:///vfx/previz_01.mov", 24))
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys)
    assert code == 0
    assert "cuts/wip/reel2.otio:V1:01:00:02:00: GA002 [info] previz: GenAI asset AST-9" in out


def test_malformed_record_file_is_refused_with_its_line(edit_repo, capsys):
    write(edit_repo, "records/bad.genai.xml",
          genai('<asset id="AST-5"><match><name>x.mov</name></match>\n'
                "<origin>trainedAlgorithmicMedia</origin>\n<stage>final</stage>"))
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys, hook=check_records)
    assert code == 1
    assert out.startswith("records/bad.genai.xml:")
    line = int(out.split(":")[1])
    assert line == 6  # where the unclosed <asset> is found out
    assert "PV001 [error] not well-formed XML" in out


def test_unknown_reference_in_a_staged_record_is_refused(edit_repo, capsys):
    write(edit_repo, "records/more.genai.xml", genai("""
        <asset id="AST-7"><match><name>y.mov</name></match>
          <origin>digitalCapture</origin><approval ref="APR-404"/></asset>"""))
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys, hook=check_records)
    assert code == 1
    assert ("records/more.genai.xml:3: PV002 [error] approval/@ref references approval "
            "APR-404, which no record defines") in out


def test_commit_touching_nothing_relevant_returns_at_once(edit_repo):
    assert check_timelines.main([]) == 0  # a new hook environment: everything re-checked once
    write(edit_repo, "notes/call_sheet.txt", "day 12")
    git(edit_repo, "add", "-A")
    code = ("import sys; from cutclear.hooks.check_timelines import main; "
            "rc = main(sys.argv[1:]); print(rc, 'opentimelineio' in sys.modules, "
            "'lxml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, *staged(edit_repo)], cwd=edit_repo,
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "False"]  # nothing read, nothing imported


def test_init_writes_starter_files_without_overwriting(tmp_path, capsys):
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n")
    assert cutclear(["init", "--production", "PRD-778", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert 'production = "PRD-778"' in (tmp_path / "cutclear.toml").read_text()
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    assert "id: cutclear" in out  # tells what to add instead
    assert cutclear(["init", str(tmp_path)]) == 0
    assert 'production = "PRD-778"' in (tmp_path / "cutclear.toml").read_text()


def test_init_config_is_valid_for_pre_commit(tmp_path):
    assert cutclear(["init", str(tmp_path)]) == 0
    subprocess.run([BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml"],
                   cwd=tmp_path, check=True, capture_output=True)


def test_manifest_is_valid():
    subprocess.run([BIN / "pre-commit", "validate-manifest",
                    str(ROOT / ".pre-commit-hooks.yaml")], check=True, capture_output=True)


# --- end to end: real commits through pre-commit ------------------------------------

LOCAL_HOOKS = """\
repos:
  - repo: local
    hooks:
      - id: cutclear
        name: cutclear
        entry: {bin}/cutclear-hook
        language: system
        files: '(?i)(\\.(otio|otioz|xml|fcpxml|edl|aaf|ale|xmp)|(^|/)(cutclear|pyproject)\\.toml)$'
        always_run: true
        require_serial: true
      - id: cutclear-records
        name: cutclear records
        entry: {bin}/cutclear-records-hook
        language: system
        files: '\\.genai\\.xml$'
"""


def commit(repo: Path, message: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["git", "commit", "-m", message], cwd=repo, capture_output=True,
                          text=True, env=env)


def test_real_commit_through_pre_commit_is_refused_then_accepted(edit_repo):
    """The installed hooks, run by pre-commit on `git commit` (dates judged today: the
    approval used here has no expiry)."""
    (edit_repo / ".pre-commit-config.yaml").write_text(LOCAL_HOOKS.format(bin=BIN))
    subprocess.run([BIN / "pre-commit", "install"], cwd=edit_repo, check=True,
                   capture_output=True)
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(edit_repo, "add", "-A")
    refused = commit(edit_repo, "lock reel 1")
    assert refused.returncode != 0
    shown = refused.stdout + refused.stderr  # git hands the hook's terminal output on
    assert "cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sh042 sky" in shown
    assert git(edit_repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"

    write(edit_repo, "records/approvals.genai.xml", genai(SKY_APPROVAL))
    git(edit_repo, "add", "-A")
    accepted = commit(edit_repo, "lock reel 1 with approval")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert git(edit_repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_try_repo_installs_the_published_hooks(edit_repo):
    """`pre-commit try-repo` builds the hook environment from this checkout's manifest,
    as an edit repo's `repo:` entry would (pip installs cutclear and its dependencies)."""
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(edit_repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(edit_repo.parent / "pre-commit-home")}
    result = subprocess.run([BIN / "pre-commit", "try-repo", str(ROOT), "cutclear",
                             "--files", "cuts/locked/reel1.otio"], cwd=edit_repo,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "GA001 [error] sh042 sky" in result.stdout


def test_projects_own_pre_commit_config_passes(tmp_path):
    """cutclear's own linters, run by pre-commit over the tracked files of this checkout."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit lints tracked files only")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    result = subprocess.run([BIN / "pre-commit", "run", "--all-files", "--config",
                             ".pre-commit-config.yaml"], cwd=ROOT, capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ruff check" in result.stdout


def test_a_staged_xmp_sidecar_rechecks_the_cuts(edit_repo, capsys):
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP)
    git(edit_repo, "add", "-A")
    git(edit_repo, "commit", "-q", "-m", "lock")
    write(edit_repo, "media/camera/A001C003.xmp", "<broken")
    git(edit_repo, "add", "-A")
    code, out = run_hook(edit_repo, capsys)
    assert code == 1 and "PV007 [error] A001C003: XMP sidecar media/camera/A001C003.xmp" in out


# --- pre-commit without internet: `repo: local`, the default of `cutclear init` -----------

OFFLINE = {"PIP_NO_INDEX": "1", "http_proxy": "http://127.0.0.1:9",
           "https_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "HTTPS_PROXY": "http://127.0.0.1:9", "GIT_ALLOW_PROTOCOL": "file"}


def test_init_writes_local_hooks_that_refuse_a_commit_offline(edit_repo, capsys):
    """Before: `cutclear init` wrote a `repo: https://github.com/...` entry that pre-commit
    must clone: on an edit bay without internet the commit failed on the clone, with no
    cutclear verdict. Now the installed cutclear runs (`repo: local`), network blocked."""
    assert cutclear(["init", str(edit_repo)]) == 0
    config = (edit_repo / ".pre-commit-config.yaml").read_text()
    assert "- repo: local" in config and "https://" not in config
    env = {**os.environ, **OFFLINE, "PRE_COMMIT_HOME": str(edit_repo.parent / "pc-home"),
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([BIN / "pre-commit", "install"], cwd=edit_repo, check=True,
                   capture_output=True, env=env)
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    git(edit_repo, "add", "-A")
    refused = subprocess.run(["git", "commit", "-m", "lock reel 1"], cwd=edit_repo,
                             capture_output=True, text=True, env=env)
    shown = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "cuts/locked/reel1.otio:V1:01:00:02:00: GA001 [error] sh042 sky" in shown
    write(edit_repo, "records/approvals.genai.xml", genai(SKY_APPROVAL))
    git(edit_repo, "add", "-A")
    accepted = subprocess.run(["git", "commit", "-m", "with approval"], cwd=edit_repo,
                              capture_output=True, text=True, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_local_hooks_are_the_published_hooks():
    """What `repo: local` runs must be what the published manifest runs: same entry,
    files, always_run, serial and stages (a drift would skip changes locally)."""
    import yaml

    from cutclear.starter import LOCAL_HOOKS
    published = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    local = {h["id"]: h for h in yaml.safe_load(LOCAL_HOOKS)[0]["hooks"]}
    assert set(local) == set(published)
    for hook_id, hook in local.items():
        assert hook["language"] == "system"
        for key in ("entry", "files", "always_run", "require_serial", "stages"):
            assert hook.get(key) == published[hook_id].get(key), (hook_id, key)


def test_init_with_a_hook_repo_writes_the_pinned_form(tmp_path):
    from cutclear import __version__
    assert cutclear(["init", "--hook-repo", "https://git.example.com/tools/cutclear",
                     str(tmp_path)]) == 0
    config = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert '- repo: "https://git.example.com/tools/cutclear"' in config
    assert f'rev: "v{__version__}"' in config
    subprocess.run([BIN / "pre-commit", "validate-config", ".pre-commit-config.yaml"],
                   cwd=tmp_path, check=True, capture_output=True)


def test_readme_and_docs_give_the_offline_setup_init_writes():
    """The README's pre-commit section shows exactly the `repo: local` block of `cutclear
    init`, keeps the pinned form at this version's tag, and says how pre-commit itself is
    installed (docs/precommit.md has the offline steps)."""
    from cutclear import __version__
    from cutclear.starter import LOCAL_HOOKS
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Guarding an edit repo with pre-commit")[1].split("\n## ")[0]
    assert LOCAL_HOOKS in section
    assert f"rev: v{__version__}" in section
    assert "docs/precommit.md" in section
    guide = (ROOT / "docs" / "precommit.md").read_text()
    assert LOCAL_HOOKS in guide
    for step in ("pip install cutclear pre-commit", "apt install pre-commit", "--no-index",
                 "pip download cutclear pre-commit"):
        assert step in guide, step


def test_hooks_take_the_edit_repo_from_root(edit_repo, tmp_path_factory, capsys):
    """Before: the hooks had no --root, and CUTCLEAR_ROOT was not read."""
    cut(edit_repo, "cuts/locked/reel1.otio", CAM_CLIP, SKY_CLIP)
    write(edit_repo, "records/more.genai.xml", genai("<person id='P-9'>A. Person</person>"))
    git(edit_repo, "add", "-A")
    empty = tmp_path_factory.mktemp("no-settings")
    for hook in (check_timelines, check_records):
        capsys.readouterr()
        assert hook.main([*staged(edit_repo), "--root", str(empty)]) == 2
        assert f"no cutclear settings found in {empty}" in capsys.readouterr().err
    assert check_timelines.main([*staged(edit_repo), "--root", str(edit_repo),
                                 "--as-of", AS_OF]) == 1
    assert "GA001 [error] sh042 sky" in capsys.readouterr().out
