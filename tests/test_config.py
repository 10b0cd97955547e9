"""Production settings: where they are found, and that a mistake stops the run (exit 2)
instead of quietly switching a rule off."""

from __future__ import annotations

import os
import sys
import textwrap

import pytest
from conftest import RUNWAY, SKY, SKY_URL, timeline

GENAI_SKY = SKY + RUNWAY

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def sky_cut(repo, rel: str = "cuts/locked/reel1.otio"):
    repo.records("records/sky.genai.xml", GENAI_SKY)
    repo.timeline(rel, timeline([("sky", SKY_URL, 48)]))


def error_of(result) -> str:
    assert result.code == 2, (result.out, result.err)
    assert result.out == ""
    assert result.err.startswith("cutclear: error: ")
    assert "Traceback" not in result.err
    return result.err


# --- finding the configuration ----------------------------------------------------------

def test_cutclear_toml_found_by_walking_up_from_the_checked_path(repo):
    repo.write("show/cutclear.toml", 'locked = ["cuts/locked/**"]\n')
    repo.records("show/records/sky.genai.xml", GENAI_SKY)
    repo.timeline("show/cuts/locked/reel1.otio", timeline([("sky", SKY_URL, 48)]))
    result = repo.check("show/cuts/locked/reel1.otio")
    # the folder holding the configuration is the root paths are reported against
    assert result.json["timelines"] == [
        {"path": "cuts/locked/reel1.otio", "mode": "lock", "clips": 1}]
    assert result.findings("GA001")[0]["severity"] == "error"


def test_pyproject_tool_cutclear(repo):
    (repo.root / "cutclear.toml").unlink(missing_ok=True)
    repo.write("pyproject.toml", '[project]\nname = "show"\n\n'
                                 '[tool.cutclear]\nlocked = ["cuts/locked/**"]\n')
    sky_cut(repo)
    result = repo.check("cuts/locked/reel1.otio")
    assert result.json["timelines"][0]["mode"] == "lock"


def test_pyproject_without_tool_cutclear_is_skipped(repo):
    (repo.root / "cutclear.toml").unlink(missing_ok=True)
    repo.write("pyproject.toml", '[tool.cutclear]\nlocked = ["show/cuts/locked/**"]\n')
    repo.write("show/pyproject.toml", '[project]\nname = "tools"\n\n[tool.ruff]\n'
                                      "line-length = 100\n")
    sky_cut(repo, "show/cuts/locked/reel1.otio")
    result = repo.check("show/cuts/locked/reel1.otio")
    assert result.json["timelines"] == [
        {"path": "show/cuts/locked/reel1.otio", "mode": "lock", "clips": 1}]


def test_nearest_configuration_wins(repo):
    repo.write("pyproject.toml", '[tool.cutclear]\nlocked = ["**"]\n')
    repo.write("show/pyproject.toml", "[tool.cutclear]\nlocked = []\n")
    sky_cut(repo, "show/cuts/locked/reel1.otio")
    result = repo.check("show/cuts/locked/reel1.otio")
    assert result.json["timelines"][0] == {"path": "cuts/locked/reel1.otio", "mode": "wip",
                                           "clips": 1}


def test_both_cutclear_toml_and_tool_cutclear_in_one_folder_are_refused(repo):
    """Before: cutclear.toml silently won, so an editor's change to [tool.cutclear] did
    nothing."""
    repo.write("pyproject.toml", '[tool.cutclear]\nlocked = ["cuts/locked/**"]\n')
    repo.config('production = "PRD-778"\n')
    sky_cut(repo)
    err = error_of(repo.check())
    assert f"{repo.root}: both cutclear.toml and [tool.cutclear] in pyproject.toml" in err
    assert "keep one of them" in err


def test_pyproject_without_tool_cutclear_beside_cutclear_toml_is_fine(repo):
    repo.write("pyproject.toml", '[project]\nname = "show"\n')
    repo.config('locked = ["cuts/locked/**"]\n')
    sky_cut(repo)
    assert repo.check().json["timelines"][0]["mode"] == "lock"


def test_without_settings_the_run_stops(repo):
    """Before: the git root (or the current folder) silently became the edit repo, with no
    locked globs, so a locked cut was judged as work in progress and exited 0."""
    (repo.root / "cutclear.toml").unlink(missing_ok=True)
    sky_cut(repo)
    err = error_of(repo.check(str(repo.root / "cuts" / "locked" / "reel1.otio")))
    assert err == (f"cutclear: error: no cutclear settings found from "
                   f"{repo.root / 'cuts' / 'locked'}: run `cutclear init` or pass --root\n")
    assert error_of(repo.check()).startswith(
        f"cutclear: error: no cutclear settings found from {repo.root}:")


# --- mistakes stop the run, naming the key ------------------------------------------------

def test_unknown_key(repo):
    repo.config('production = "PRD-778"\nlockd = ["cuts/locked/**"]\n')
    sky_cut(repo)
    err = error_of(repo.check())
    assert "cutclear.toml" in err
    assert "unknown key 'lockd'" in err


def test_unknown_key_in_pyproject(repo):
    (repo.root / "cutclear.toml").unlink(missing_ok=True)
    repo.write("pyproject.toml", '[tool.cutclear]\nrequire_provenance = true\n')
    sky_cut(repo)
    err = error_of(repo.check())
    assert "pyproject.toml" in err and "unknown key 'require_provenance'" in err


@pytest.mark.parametrize("toml, key", [
    ('genre = "drama"', "genre"),
    ("genre = 1", "genre"),
    ('delivery = "next spring"', "delivery"),
    ('delivery = "2026-02-30"', "delivery"),
    ("delivery = 2026-06-30T10:00:00", "delivery"),
    ('edl-rate = "fast"', "edl-rate"),
    ("edl-rate = 0", "edl-rate"),
    ("edl-rate = 1000", "edl-rate"),
    ('edl-rate = "24/0"', "edl-rate"),
    ("edl-rate = true", "edl-rate"),
    ('severity = { GA001 = "fatal" }', "severity.GA001"),
    ('severity = { GA001 = { final = "error" } }', "severity.GA001"),
    ('severity = { GA001 = { lock = "loud" } }', "severity.GA001"),
    ("severity = { GA001 = { wip = 3 } }", "severity.GA001"),
    ("severity = { GA001 = 3 }", "severity.GA001"),
    ('severity = "error"', "severity"),
    ('fail-on = "off"', "fail-on"),
    ('fail-on = "fatal"', "fail-on"),
    ("fail-on = 2", "fail-on"),
    ("locked = 5", "locked"),
    ("locked = [1, 2]", "locked"),
    ('locked = { cuts = "locked" }', "locked"),
    ('locked = [""]', "locked"),
    ("records = true", "records"),
    ("protected-names = 7", "protected-names"),
    ('require-provenance = "yes"', "require-provenance"),
    ("production = 778", "production"),
    ('production = "  "', "production"),
])
def test_bad_value(repo, toml, key):
    repo.config(toml + "\n")
    sky_cut(repo)
    err = error_of(repo.check())
    assert "cutclear.toml" in err
    assert f": {key}: " in err


def test_toml_syntax_error_names_the_file(repo):
    repo.config('production = "PRD-778\nlocked = ["cuts/**"]\n')
    sky_cut(repo)
    err = error_of(repo.check())
    assert str(repo.root / "cutclear.toml") in err
    assert "not valid TOML" in err


def test_toml_syntax_error_in_pyproject(repo):
    (repo.root / "cutclear.toml").unlink(missing_ok=True)
    repo.write("pyproject.toml", "[tool.cutclear\nlocked = []\n")
    sky_cut(repo)
    err = error_of(repo.check())
    assert str(repo.root / "pyproject.toml") in err and "not valid TOML" in err


# --- values that are accepted -------------------------------------------------------------

def test_good_values(repo):
    repo.config("""
        production = "PRD-778"
        genre = "documentary"
        delivery = 2026-06-30
        locked = ["cuts/locked/**"]
        records = ["**/*.genai.xml"]
        exclude = ["archive/**"]
        edl-rate = "24000/1001"
        protected-names = ["Mickey Mouse"]
        require-provenance = true
        select = ["ALL"]
        extend-select = ["GA"]
        ignore = ["IP"]
        fail-on = "warning"
        severity = { DU004 = "info", GA003 = { wip = "warning", lock = "error" } }
    """)
    sky_cut(repo)
    result = repo.check()
    assert result.code == 1, result.err
    assert result.json["timelines"][0]["mode"] == "lock"


def test_delivery_as_a_toml_date_or_string(repo):
    for delivery in ("2026-06-30", '"2026-06-30"'):
        repo.config(f'production = "PRD-778"\ndelivery = {delivery}\n'
                    'locked = ["cuts/locked/**"]\n')
        sky_cut(repo)
        repo.records("records/legal.genai.xml", """
            <approval id="APR-1" status="approved">
              <production>PRD-778</production>
              <granted>2025-09-02</granted>
              <expires>2026-03-01</expires>
              <covers>final-deliverable</covers>
              <assets>AST-1193</assets>
            </approval>""")
        result = repo.check("--as-of", "2026-01-15")
        (f,) = result.findings("GA004")
        assert "expires on 2026-03-01, before delivery on 2026-06-30" in f["message"]


@pytest.mark.parametrize("rate", ["24", '"24"', '"24000/1001"', "23.976", '"23.976"', "25",
                                  "29.97", "59.94"])
def test_edl_rate_from_configuration(repo, rate):
    repo.config(f"edl-rate = {rate}\n")
    repo.write("cuts/reel1.edl", textwrap.dedent("""\
        TITLE: reel1
        FCM: NON-DROP FRAME

        001  A042     V     C        01:00:00:00 01:00:02:00 01:00:00:00 01:00:02:00
        * FROM CLIP NAME: sky.mov
    """))
    result = repo.check()
    assert result.findings("PV005") == []
    assert result.json["timelines"][0]["clips"] == 1


# --- rule selection -----------------------------------------------------------------------

@pytest.mark.parametrize("toml, key, code", [
    ('select = ["XX"]', "select", "XX"),
    ('select = ["GA", "GA999"]', "select", "GA999"),
    ('ignore = ["GA01"]', "ignore", "GA01"),
    ('extend-select = ["QQ001"]', "extend-select", "QQ001"),
    ('severity = { ZZ001 = "error" }', "severity", "ZZ001"),
])
def test_unknown_rule_codes(repo, toml, key, code):
    repo.config(toml + "\n")
    sky_cut(repo)
    err = error_of(repo.check())
    assert f"{key}: {code!r} matches no rule code" in err


@pytest.mark.parametrize("args, key", [
    (("--select", "GA,XX9"), "select"),
    (("--ignore", "nope"), "ignore"),
])
def test_unknown_rule_codes_on_the_command_line(repo, args, key):
    sky_cut(repo)
    err = error_of(repo.check(*args))
    assert f"{key}: " in err and "matches no rule code" in err


def rules_found(repo, toml: str, *args) -> set[str]:
    repo.config('locked = ["cuts/locked/**"]\n' + toml)
    result = repo.check(*args)
    assert result.code in (0, 1), result.err
    return {f["rule"] for f in result.findings()}


def test_selection(repo):
    sky_cut(repo)
    repo.records("records/sky.genai.xml", GENAI_SKY.replace("<stage>final</stage>", ""))
    assert {"GA001", "GA002"} <= rules_found(repo, "")
    assert rules_found(repo, 'select = ["PV"]\n') == set()
    assert rules_found(repo, 'ignore = ["GA001"]\n') & {"GA001", "GA002"} == {"GA002"}
    assert rules_found(repo, 'select = ["PV"]\nextend-select = ["GA002"]\n') == {"GA002"}
    # the most specific prefix decides
    assert rules_found(repo, 'ignore = ["GA"]\nextend-select = ["GA001"]\n') \
        & {"GA001", "GA002"} == {"GA001"}
    # the command line adds to the configured ignore list
    assert rules_found(repo, 'ignore = ["GA001"]\n', "--ignore", "ga002") \
        & {"GA001", "GA002"} == set()
    # --select replaces the configured selection
    assert rules_found(repo, 'select = ["PV"]\n', "--select", "GA001") == {"GA001"}


# --- per-rule severity ------------------------------------------------------------------

def ga001(repo, toml: str, *args) -> tuple[int, str | None]:
    repo.config('locked = ["cuts/locked/**"]\n' + textwrap.dedent(toml))
    result = repo.check(*args)
    assert result.code in (0, 1), result.err
    found = result.findings("GA001")
    return result.code, found[0]["severity"] if found else None


def test_severity_as_a_string_applies_to_both_modes(repo):
    sky_cut(repo)
    assert ga001(repo, "") == (1, "error")
    assert ga001(repo, "", "--wip") == (0, "info")
    assert ga001(repo, '[severity]\nGA001 = "warning"\n') == (0, "warning")
    assert ga001(repo, '[severity]\nGA001 = "warning"\n', "--wip") == (0, "warning")
    assert ga001(repo, '[severity]\nGA001 = "off"\n') == (0, None)


def test_severity_per_mode(repo):
    sky_cut(repo)
    table = '[severity]\nGA001 = { wip = "error", lock = "warning" }\n'
    assert ga001(repo, table) == (0, "warning")
    assert ga001(repo, table, "--wip") == (1, "error")


def test_severity_for_one_mode_keeps_the_default_of_the_other(repo):
    sky_cut(repo)
    table = '[severity.GA001]\nlock = "off"\n'
    assert ga001(repo, table) == (0, None)
    assert ga001(repo, table, "--wip") == (0, "info")


def test_fail_on_from_configuration(repo):
    sky_cut(repo)
    assert ga001(repo, '[severity]\nGA001 = "warning"\n') == (0, "warning")
    assert ga001(repo, 'fail-on = "warning"\n[severity]\nGA001 = "warning"\n') == (1, "warning")
    assert ga001(repo, 'fail-on = "info"\n', "--wip") == (1, "info")
    # the command line overrides the configuration
    assert ga001(repo, 'fail-on = "info"\n', "--wip", "--fail-on", "error") == (0, "info")


@pytest.mark.parametrize("toml, message", [
    ('tool = "x"\n', "no cutclear settings found"),
    ("[tool]\ncutclear = 3\n", "[tool.cutclear] must be a table"),
])
def test_odd_pyproject_shapes_are_errors_or_skipped(tmp_path, capsys, toml, message):
    from cutclear.cli import main
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text(toml)
    code = main(["check", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and message in err


def test_huge_rate_is_a_clear_error(capsys, tmp_path):
    from cutclear.cli import main
    (tmp_path / "cutclear.toml").write_text("")
    assert main(["check", str(tmp_path), "--rate", "1e400"]) == 2
    assert "--rate: '1e400' is not a frame rate" in capsys.readouterr().err


def test_severity_for_all_rules(repo):
    repo.config('locked = ["cuts/locked/**"]\n[severity]\nALL = "info"\n')
    repo.timeline("cuts/locked/reel1.otio", timeline([("a", "file:///m/a.mov", 24)]))
    result = repo.check("--as-of", "2026-01-15")
    assert [(f["rule"], f["severity"]) for f in result.findings()] == [("GA003", "info")]
    assert result.code == 0


# --- the edit repo is explicit (--root, CUTCLEAR_ROOT) ---------------------------------

def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    from cutclear.cli import main
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_root_option_and_cutclear_root_name_the_edit_repo(repo, tmp_path_factory, capsys,
                                                          monkeypatch):
    """Before: --root did not exist, and run from another folder cutclear took that folder
    for the edit repo."""
    repo.config('locked = ["cuts/locked/**"]\n')
    sky_cut(repo)
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    code, out, _ = run_cli(capsys, "check", "--root", str(repo.root), "--format", "json")
    assert code == 1 and '"rule": "GA001"' in out
    monkeypatch.setenv("CUTCLEAR_ROOT", str(repo.root))
    code, out, _ = run_cli(capsys, "check", "--format", "json")
    assert code == 1 and '"path": "cuts/locked/reel1.otio"' in out


def test_root_without_settings_exits_2(tmp_path, capsys):
    code, out, err = run_cli(capsys, "check", "--root", str(tmp_path))
    assert (code, out) == (2, "")
    assert err.startswith(f"cutclear: error: no cutclear settings found in {tmp_path} ")
    assert "run `cutclear init` there or pass the edit repo as --root" in err


def test_api_root_must_hold_the_settings(tmp_path):
    import cutclear
    from cutclear.config import ConfigError
    with pytest.raises(ConfigError, match="holds no cutclear settings"):
        cutclear.check([timeline([("sky", SKY_URL, 48)])], root=str(tmp_path))


def test_conform_root_judges_a_delivered_cut_outside_the_edit_repo(repo, tmp_path_factory,
                                                                  capsys, monkeypatch):
    """Before: `conform` of a cut outside the repo was "outside the edit repo" (or, with no
    settings above it, judged against no records at all)."""
    repo.config('production = "PRD-778"\n')
    repo.records("records/sky.genai.xml", GENAI_SKY)
    delivery = tmp_path_factory.mktemp("delivery")
    repo.timeline(str(delivery / "reel1.otio"), timeline([("sky", SKY_URL, 48)]))
    monkeypatch.chdir(delivery)
    code, out, err = run_cli(capsys, "conform", "--root", str(repo.root), "reel1.otio",
                             "--as-of", "2026-01-15", "--format", "json")
    assert code == 1, err
    import json
    report = json.loads(out)
    assert [(f["rule"], f["path"]) for f in report["findings"]] == [
        ("GA001", (delivery / "reel1.otio").as_posix())]
    code, _, err = run_cli(capsys, "conform", "reel1.otio")  # no settings above it
    assert code == 2 and "no cutclear settings found from" in err


def test_hook_without_settings_exits_2(tmp_path, monkeypatch, capsys):
    """Before: the pre-commit hook judged the cut with no settings at all (no locked
    globs: work in progress) and let the commit through."""
    from cutclear.hooks import check_timelines
    (tmp_path / "cuts").mkdir()
    import opentimelineio as otio
    otio.adapters.write_to_file(timeline([("sky", SKY_URL, 48)]),
                                str(tmp_path / "cuts" / "reel1.otio"))
    monkeypatch.chdir(tmp_path)
    assert check_timelines.main(["cuts/reel1.otio"]) == 2
    assert "no cutclear settings found from" in capsys.readouterr().err


# --- settings cannot unlock a cut by accident ---------------------------------------------

@pytest.mark.parametrize("toml, key, glob", [
    ('locked = ["cut/locked/**"]', "locked", "cut/locked/**"),
    ('locked = ["cuts/locked/**", "reels/final/*.xml"]', "locked", "reels/final/*.xml"),
    ('records = ["record/**"]', "records", "record/**"),
])
def test_glob_that_matches_nothing_is_an_error_naming_the_key(repo, toml, key, glob):
    """Before: a typo in `locked` judged the locked cut as work in progress (exit 0); one
    in `records` dropped every record file."""
    repo.config(toml + "\n")
    sky_cut(repo)
    err = error_of(repo.check())
    assert f"{repo.root / 'cutclear.toml'}: {key}: {glob!r} matches no file or folder" in err


@pytest.mark.parametrize("glob", ["cuts/locked", "cuts/locked/", "./cuts/locked/**",
                                  "./cuts/locked"])
def test_bare_folder_means_its_contents(repo, glob):
    """Before: `cuts/locked` and `./cuts/locked/**` matched no timeline: work in progress."""
    repo.config(f'locked = ["{glob}"]\n')
    sky_cut(repo)
    result = repo.check()
    assert result.json["timelines"][0]["mode"] == "lock"
    assert result.code == 1


@pytest.mark.parametrize("toml, message", [
    ('locked = ["/show/edit/cuts/locked/**"]', "'/show/edit/cuts/locked/**' is an absolute "
     "path: write it relative to the folder of the settings file"),
    ('locked = ["C:/show/cuts/**"]', "is an absolute path"),
    ('records = ["~/records/**"]', "is an absolute path"),
    ('locked = ["cuts\\\\locked\\\\**"]', "has a backslash: separate folders with '/' "
     "('cuts/locked/**')"),
    ('exclude = ["../other/**"]', "leaves the edit repo"),
])
def test_absolute_paths_and_backslashes_are_refused_with_the_fix(repo, toml, message):
    repo.config(toml + "\n")
    sky_cut(repo)
    err = error_of(repo.check())
    assert f"cutclear.toml: {toml.split(' ')[0]}: " in err and message in err


def test_empty_select_is_an_error(repo):
    """Before: `select = []` ran no rule, and a cut with an unapproved shot passed."""
    repo.config('locked = ["cuts/locked/**"]\nselect = []\n')
    sky_cut(repo)
    assert "cutclear.toml: select: an empty list selects no rule" in error_of(repo.check())


@pytest.mark.parametrize("kind", ["folder", "fifo", "latin-1"])
def test_settings_file_that_is_not_a_utf8_file_is_exit_2_naming_it(repo, kind):
    """Before: a folder or FIFO named cutclear.toml was passed over (and the run went on
    without settings); Latin-1 text was an internal error."""
    path = repo.root / "cutclear.toml"
    path.unlink(missing_ok=True)
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes('production = "Amélie"\n'.encode("latin-1"))
    sky_cut(repo)
    err = error_of(repo.check())
    assert err.startswith(f"cutclear: error: {path}: ")
    assert ("not UTF-8 text" if kind == "latin-1" else "not a regular file") in err


def test_every_error_of_the_file_is_listed_naming_file_and_key(repo):
    """Before: only the first mistake was reported, so fixing a file took as many runs as
    it had mistakes; plugin tables and unknown severity codes did not name the file."""
    repo.config('genre = "drama"\nlockd = []\nedl-rate = 0\n'
                '[severity]\nGA001 = "loud"\nGA002 = "info"\n'
                '[plugins]\nrights-registry = 3\n')
    sky_cut(repo)
    err = error_of(repo.check())
    path = repo.root / "cutclear.toml"
    lines = err.removeprefix("cutclear: error: ").splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "genre", "unknown key 'lockd' in the cutclear settings (known", "edl-rate",
        "severity.GA001", "plugins.rights-registry"]
    assert all(line.startswith(f"{path}: ") for line in lines)


@pytest.mark.parametrize("toml, key", [
    ('[severity]\nGX001 = "error"\n', "severity: 'GX001' matches no rule code"),
    ('select = ["GA", "ZZ"]\n', "select: 'ZZ' matches no rule code"),
    ('[plugins.no-such-plugin]\nkey = 1\n', "plugins.no-such-plugin: no plugin of that name"),
])
def test_rule_codes_and_plugin_tables_name_the_file(repo, toml, key):
    repo.config(toml)
    sky_cut(repo)
    err = error_of(repo.check())
    assert f"{repo.root / 'cutclear.toml'}: {key}" in err


def test_init_writes_values_with_a_toml_writer(tmp_path, capsys):
    """Before: the production id was pasted into the TOML, so a quote in it could set any
    other key (here: unlock every cut)."""
    from cutclear.cli import main
    evil = 'PRD-778"\nlocked = []\nrecords = ["nothing/**"]\n# '
    assert main(["init", "--production", evil, str(tmp_path)]) == 0
    with open(tmp_path / "cutclear.toml", "rb") as f:
        settings = tomllib.load(f)
    assert settings["production"] == evil
    assert settings["locked"] == ["cuts/locked/**"]
    assert "records" not in settings
