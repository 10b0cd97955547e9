"""`cutclear audit`: every edit repo under the roots, each with its own settings, in one
merged JSON-lines report; the same report serially, with --jobs and on a Dask cluster;
a repo that cannot be audited is reported and makes the exit status 2."""

from __future__ import annotations

import datetime as dt
import json
import sys
import textwrap

import pytest
from conftest import CONFIG, RUNWAY, SKY, SKY_APPROVAL, SKY_URL, Repo

from cutclear.cli import main

AS_OF = ("--as-of", "2026-01-15")
SKY_CUT = [("sky", SKY_URL, 48)]


def make_repo(folder, capsys, config=CONFIG, approval=True) -> Repo:
    repo = Repo(folder, capsys)
    repo.config(config)
    repo.records("records/vfx.genai.xml", SKY + RUNWAY + (SKY_APPROVAL if approval else ""))
    repo.timeline("cuts/locked/reel1.otio", SKY_CUT)
    return repo


@pytest.fixture
def studio(tmp_path, capsys):
    """Two productions: `cleared` passes, `uncleared` has one GenAI shot without approval."""
    root = tmp_path / "studio"
    make_repo(root / "cleared", capsys)
    make_repo(root / "uncleared", capsys, config='production = "PRD-900"\n'
              'locked = ["cuts/locked/**"]\n', approval=False)
    return root


def audit(capsys, *args: str) -> tuple[int, list[dict], str]:
    capsys.readouterr()
    code = main(["audit", *AS_OF, *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_the_merged_report_of_two_repos(studio, capsys, monkeypatch):
    monkeypatch.chdir(studio.parent)
    code, lines, err = audit(capsys, "studio")
    assert code == 1
    assert lines == [
        {"type": "finding", "repo": "studio/uncleared", "production": "PRD-900",
         "rule": "GA001", "name": "genai-in-locked-cut", "severity": "error",
         "path": "cuts/locked/reel1.otio", "mode": "lock", "track": "V1", "clip": "sky",
         "record_in": "01:00:00:00", "record_out": "01:00:02:00", "asset": "AST-1193",
         "message": "GenAI asset AST-1193 (Runway Gen-4) has no valid written approval for "
         "the final deliverable: add an approval covering final-deliverable that lists "
         "AST-1193, or replace the shot", "line": None},
        *[{"type": "cue", "repo": f"studio/{name}", "production": production,
           "timeline": "cuts/locked/reel1.otio", "track": "V1", "record_in": "01:00:00:00",
           "record_out": "01:00:02:00", "duration": "00:00:02:00", "clip": "sky",
           "asset": "AST-1193", "origin": "trainedAlgorithmicMedia", "stage": "final",
           "tool": "TL-01 Runway Gen-4 (trains on inputs: no, retains inputs: no, "
           "enterprise)", "prompts": "", "inputs": "", "talent": "", "consents": "",
           "approvals": approvals, "presentation": "", "disclosure_kind": "",
           "disclosure_text": "", "findings": findings}
          for name, production, approvals, findings in (
              ("cleared", "PRD-778", "APR-0057 approved by A. Contact, Netflix, granted "
               "2025-09-02, covers final-deliverable creative-output", ""),
              ("uncleared", "PRD-900", "", "GA001 [error] " + lines[0]["message"]))],
        {"type": "repo", "repo": "studio/cleared", "production": "PRD-778", "status": "ok",
         "error": None, "timelines": 1, "clips": 1, "record_files": 1, "fail_on": "error",
         "blocking": 0, "summary": {"error": 0, "warning": 0, "info": 0}, "cues": 1},
        {"type": "repo", "repo": "studio/uncleared", "production": "PRD-900",
         "status": "blocked", "error": None, "timelines": 1, "clips": 1, "record_files": 1,
         "fail_on": "error", "blocking": 1, "summary": {"error": 1, "warning": 0, "info": 0},
         "cues": 1},
        {"type": "production", "production": "PRD-778", "status": "ok",
         "repos": ["studio/cleared"], "failed": 0, "blocking": 0, "partial": 0,
         "timelines": 1, "clips": 1, "summary": {"error": 0, "warning": 0, "info": 0}},
        {"type": "production", "production": "PRD-900", "status": "blocked",
         "repos": ["studio/uncleared"], "failed": 0, "blocking": 1, "partial": 0,
         "timelines": 1, "clips": 1, "summary": {"error": 1, "warning": 0, "info": 0}},
        {"type": "audit", "version": 2, "cutclear": lines[-1]["cutclear"],
         "as_of": "2026-01-15", "mode": None, "repos": 2, "failed": 0, "blocking": 1,
         "partial": 0, "summary": {"error": 1, "warning": 0, "info": 0}, "exit_code": 1},
    ]
    assert "audited 2 edit repos: 1 with blocking findings, 0 could not be audited" in err


def test_each_repo_is_judged_with_its_own_settings(studio, capsys):
    # one repo makes GA001 a warning: its finding no longer blocks, the others' would
    (studio / "uncleared" / "cutclear.toml").write_text(
        'production = "PRD-900"\nlocked = ["cuts/locked/**"]\n[severity]\nGA001 = "warning"\n')
    code, lines, _ = audit(capsys, str(studio))
    assert code == 0
    assert [(x["rule"], x["severity"], x["mode"]) for x in lines if x["type"] == "finding"] \
        == [("GA001", "warning", "lock")]


def test_all_clear_exits_0(tmp_path, capsys):
    make_repo(tmp_path / "show", capsys)
    code, lines, _ = audit(capsys, str(tmp_path))
    assert code == 0 and lines[-1]["exit_code"] == 0 and lines[-1]["repos"] == 1


def test_serial_jobs_and_output_file_give_the_same_report(studio, capsys, tmp_path):
    for i in range(3):  # more repos than processes
        make_repo(studio / f"extra{i}", capsys, approval=i != 1)
    code, serial, _ = audit(capsys, str(studio))
    code2, parallel, _ = audit(capsys, str(studio), "--jobs", "2")
    assert code == code2 == 1
    assert parallel == serial and len([x for x in serial if x["type"] == "repo"]) == 5
    out = tmp_path / "audit.jsonl"
    assert audit(capsys, str(studio), "-j", "2", "-o", str(out))[:2] == (1, [])
    assert [json.loads(x) for x in out.read_text().splitlines()] == serial


def failing_studio(studio, capsys):
    (studio / "broken").mkdir()
    (studio / "broken" / "cutclear.toml").write_text("production = \n")
    make_repo(studio / "typo", capsys, config='production = "PRD-778"\n'
             'locked = ["cuts/lokced/**"]\n')
    return studio


def test_a_repo_that_cannot_be_audited_is_reported_and_exits_2(studio, capsys):
    failing_studio(studio, capsys)
    code, lines, err = audit(capsys, str(studio))
    assert code == 2  # even though another repo has a blocking finding
    repos = {x["repo"].rsplit("/", 1)[1]: x for x in lines if x["type"] == "repo"}
    assert sorted(repos) == ["broken", "cleared", "typo", "uncleared"]
    assert repos["broken"]["status"] == "failed"
    assert "broken/cutclear.toml: not valid TOML" in repos["broken"]["error"]
    assert repos["typo"]["status"] == "failed"
    assert "locked: 'cuts/lokced/**' matches no file or folder" in repos["typo"]["error"]
    assert repos["uncleared"]["status"] == "blocked"
    none = [x for x in lines if x["type"] == "production" and x["production"] is None][0]
    assert none == {"type": "production", "production": None, "status": "failed",
                    "repos": [repos["broken"]["repo"]], "failed": 1, "blocking": 0,
                    "partial": 0, "timelines": 0, "clips": 0,
                    "summary": {"error": 0, "warning": 0, "info": 0}}  # production unknown
    show = [x for x in lines if x["type"] == "production" and x["production"] == "PRD-778"]
    assert show[0]["status"] == "failed" and show[0]["failed"] == 1  # typo; cleared is ok
    assert lines[-1]["failed"] == 2 and lines[-1]["exit_code"] == 2
    assert "broken/cutclear.toml: not valid TOML" in err
    assert "2 could not be audited" in err
    assert audit(capsys, str(studio), "--jobs", "2")[1] == lines


CRASH = '''
    from cutclear import hookimpl

    @hookimpl
    def cutclear_provenance(clip, ctx):
        if clip.media.name == "crash.mov":
            raise RuntimeError("registry down")
        return []
'''


def test_a_crashing_plugin_fails_its_repo_only(studio, capsys, tmp_path, monkeypatch):
    install_plugin(tmp_path, monkeypatch, "crash", CRASH)
    Repo(studio / "cleared", capsys).timeline("cuts/wip/crash.otio",
                                              [("c", "file:///m/crash.mov", 24)])
    for jobs in ("1", "2"):  # the pool's processes are forked with this sys.path
        code, lines, _ = audit(capsys, str(studio), "--jobs", jobs)
        repos = {x["repo"].rsplit("/", 1)[1]: x for x in lines if x["type"] == "repo"}
        assert code == 2
        assert repos["cleared"]["status"] == "failed"
        assert "plugin 'crash' crashed in cutclear_provenance: RuntimeError: registry down" \
            in repos["cleared"]["error"]
        assert repos["uncleared"]["status"] == "blocked"
    sys.modules.pop("vendor_crash", None)


DIE = '''
    import os
    from cutclear import hookimpl

    @hookimpl
    def cutclear_provenance(clip, ctx):
        if clip.media.name == "die.mov":
            os._exit(3)  # the worker process dies mid-task
        return []
'''


def install_plugin(tmp_path, monkeypatch, name: str, source: str) -> None:
    site = tmp_path / "site"
    info = site / f"vendor_{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (site / f"vendor_{name}.py").write_text(textwrap.dedent(source))
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: vendor_{name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[cutclear]\n{name} = vendor_{name}\n")
    monkeypatch.syspath_prepend(str(site))


def test_a_dead_worker_process_fails_repos_not_passes_them(studio, capsys, tmp_path,
                                                           monkeypatch):
    install_plugin(tmp_path, monkeypatch, "die", DIE)
    Repo(studio / "cleared", capsys).timeline("cuts/wip/die.otio",
                                              [("d", "file:///m/die.mov", 24)])
    code, lines, err = audit(capsys, str(studio), "--jobs", "2")
    repos = {x["repo"].rsplit("/", 1)[1]: x for x in lines if x["type"] == "repo"}
    assert code == 2 and sorted(repos) == ["cleared", "uncleared"]
    assert repos["cleared"]["status"] == "failed"
    assert repos["cleared"]["error"].startswith("could not be audited: BrokenProcessPool")
    # the other repo is either audited before the pool broke or failed with it: never ok
    assert repos["uncleared"]["status"] in ("blocked", "failed")


def test_progress_on_a_terminal(tmp_path, capsys, monkeypatch):
    for i in range(5):
        make_repo(tmp_path / f"ep{i}", capsys)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    code, lines, err = audit(capsys, str(tmp_path))
    assert code == 0 and len(lines) == 5 + 5 + 1 + 1  # cues, repos, production, audit
    assert "[........................] 0/5 " in err  # the bar, cut to the terminal width
    assert err.count("\r\x1b[2K") >= 2  # drawn, then erased before the summary


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_for_a_few_repos_from_the_start(studio, capsys, monkeypatch, jobs):
    # a repo can take minutes: two of them get a bar too, drawn before the first is done
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("PRE_COMMIT", raising=False)
    code, lines, err = audit(capsys, str(studio), "--jobs", jobs)
    assert code == 1
    assert "[........................] 0/2 " in err
    assert err.index("\r\x1b[2K") < err.index("cutclear: audited 2 edit repos")
    monkeypatch.setenv("PRE_COMMIT", "1")  # inside a hook: never
    assert "\x1b" not in audit(capsys, str(studio), "--jobs", jobs)[2]


def test_nested_repos_are_each_audited(studio, capsys):
    # the parent excludes its companion documentary, which has settings of its own
    (studio / "cleared" / "cutclear.toml").write_text(CONFIG + 'exclude = ["doc/**"]\n')
    make_repo(studio / "cleared" / "doc", capsys, approval=False)
    (studio / ".trash").mkdir()
    make_repo(studio / ".trash" / "old", capsys, approval=False)  # hidden: not a repo
    code, lines, _ = audit(capsys, str(studio))
    assert [x["repo"].split("studio/")[1] for x in lines if x["type"] == "repo"] \
        == ["cleared", "cleared/doc", "uncleared"]
    blocked = {x["repo"].split("studio/")[1]: x["blocking"] for x in lines
               if x["type"] == "repo"}
    assert blocked == {"cleared": 0, "cleared/doc": 1, "uncleared": 1}


def test_settings_in_pyproject_mark_a_repo_and_other_pyprojects_do_not(tmp_path, capsys):
    make_repo(tmp_path / "show", capsys)
    (tmp_path / "show" / "cutclear.toml").rename(tmp_path / "show" / "pyproject.toml")
    (tmp_path / "show" / "pyproject.toml").write_text("[tool.cutclear]\n" + CONFIG)
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    code, lines, _ = audit(capsys, str(tmp_path))
    assert code == 0 and [x["repo"] for x in lines if x["type"] == "repo"] \
        == [f"{tmp_path}/show".replace("\\", "/")]


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_a_root_without_repos_is_an_error(tmp_path, capsys, make):
    root = tmp_path / "nas"
    if make == "empty":
        root.mkdir()
        (root / "cuts").mkdir()
    code, lines, err = audit(capsys, str(root))
    assert code == 2 and lines == []
    assert str(root) in err and ("no such folder" in err or "no edit repo found" in err)


def test_bad_jobs_is_refused(studio, capsys):
    with pytest.raises(SystemExit) as e:
        main(["audit", str(studio), "--jobs", "0"])
    assert e.value.code == 2
    assert "'0' is not a number of processes" in capsys.readouterr().err


def test_a_dask_cluster_gives_the_serial_report(studio, capsys):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    failing_studio(studio, capsys)
    code, serial, _ = audit(capsys, str(studio))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=50) as cluster:
        code2, on_dask, _ = audit(capsys, str(studio), "--scheduler",
                                  cluster.scheduler_address)
    assert code == code2 == 2
    assert on_dask == serial
    assert len([x for x in serial if x["type"] == "repo"]) == 4


def test_the_facility_recipe_with_dask_s_own_commands(studio, capsys, tmp_path):
    """docs/audit.md, "Running it on a cluster": a scheduler and workers started with the
    `dask` command, one process per core and one thread each, then the audit on them."""
    import socket
    import subprocess
    from pathlib import Path

    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    dask = Path(sys.executable).with_name("dask")
    if not dask.exists():
        pytest.skip("the dask command is not installed beside this Python")
    failing_studio(studio, capsys)
    code, serial, _ = audit(capsys, str(studio))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    started = [subprocess.Popen([str(dask), "scheduler", "--host", "127.0.0.1", "--port",
                                 str(port), "--no-dashboard"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        started.append(subprocess.Popen(
            [str(dask), "worker", address, "--nworkers", "2", "--nthreads", "1",
             "--no-dashboard"], cwd=tmp_path,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        code2, on_cluster, _ = audit(capsys, str(studio), "--scheduler", address)
    finally:
        for proc in reversed(started):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert code == code2 == 2
    assert on_cluster == serial


def test_an_unreachable_scheduler_is_an_error(studio, capsys, monkeypatch):
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from cutclear import audit as audit_module

    monkeypatch.setattr(audit_module, "CONNECT_TIMEOUT", 1)
    code, lines, err = audit(capsys, str(studio), "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and lines == []
    assert "--scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler" in err


def test_records_in_a_repo_are_read_from_its_own_folder(studio, capsys, monkeypatch):
    # the audit runs from anywhere: nothing is resolved against the current folder
    monkeypatch.chdir(studio / "uncleared" / "cuts")
    code, lines, _ = audit(capsys, "../..")
    assert code == 1 and lines[-1]["repos"] == 2
    assert [x["repo"] for x in lines if x["type"] == "repo"] \
        == ["../../cleared", "../../uncleared"]


def test_a_repo_a_worker_cannot_see_fails(tmp_path):
    from cutclear.audit import AuditOptions, RepoTask, audit_repo

    task = RepoTask(str(tmp_path / "not-mounted"), "nas/show")
    result = audit_repo(task, AuditOptions(dt.date(2026, 1, 15)))
    assert result.status == "failed" and result.repo == "nas/show"
    assert f"{tmp_path / 'not-mounted'}: no such folder on " in result.error
    assert "every worker must see the repos" in result.error


def test_a_verdict_of_another_cutclear_version_is_not_accepted():
    from cutclear.audit import RepoResult, checked

    result = checked(RepoResult("show", "PRD-1", cutclear="0.0.1", timelines=3))
    assert result.status == "failed" and result.timelines == 0
    assert "audited by cutclear 0.0.1 on the worker" in result.error


def test_a_folder_that_cannot_be_listed_fails_the_audit(studio, capsys, monkeypatch):
    # the tests run as root, for whom chmod 000 denies nothing: the denial is simulated
    # at the file system boundary, for that one folder
    import os

    locked = studio / "vault"
    locked.mkdir()
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, lines, err = audit(capsys, str(studio))
    repos = {x["repo"].rsplit("/", 1)[1]: x for x in lines if x["type"] == "repo"}
    assert code == 2 and sorted(repos) == ["cleared", "uncleared", "vault"]
    assert repos["vault"]["status"] == "failed"
    assert repos["vault"]["error"] == (f"{locked}: cannot list this folder (Permission "
                                       "denied): edit repos in it cannot be found; give "
                                       "the audit read access to it")


def test_scheduler_without_the_dask_extra_says_what_to_install(studio, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    code, lines, err = audit(capsys, str(studio), "--scheduler", "tcp://127.0.0.1:8786")
    assert code == 2 and lines == []
    assert "--scheduler needs Dask: pip install 'cutclear[dask]'" in err
