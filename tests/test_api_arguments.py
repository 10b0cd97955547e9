"""The Python API checks its arguments (issue 10, item 8): a caller's mistake is a
ValueError or a ConfigError naming the argument, never a verdict and never a rule's crash."""

from __future__ import annotations

import datetime as dt

import opentimelineio as otio
import pytest
from conftest import CONFIG, SKY, timeline

import cutclear
from cutclear.manager import PluginError

SKY_CLIP = ("sky", "file:///mnt/show/vfx/sh042_sky_v3.mov", 24)


@pytest.fixture
def show(repo):
    repo.config(CONFIG)
    repo.records("records/vfx.genai.xml", SKY)
    repo.timeline("cuts/wip/reel1.otio", timeline([SKY_CLIP]))
    repo.write("cuts/locked/.gitkeep", "")  # the locked glob matches a folder
    return repo


def rules(report) -> list[tuple[str, str]]:
    return sorted({(f.rule, str(f.severity)) for f in report.findings})


def test_config_error_and_gate_error_are_exported():
    from cutclear.config import ConfigError
    from cutclear.model import GateError
    assert cutclear.ConfigError is ConfigError and cutclear.GateError is GateError
    assert {"ConfigError", "GateError"} <= set(cutclear.__all__)


@pytest.mark.parametrize("mode", ["lock", "LOCK", cutclear.Mode.LOCK])
def test_mode_as_a_word_judges_the_cut_as_locked(show, mode):
    report = cutclear.check([show.root / "cuts/wip/reel1.otio"], mode=mode,
                            as_of=dt.date(2026, 1, 15))
    assert ("GA001", "error") in rules(report)  # unapproved GenAI in a locked cut
    assert {t.mode for t in report.timelines} == {cutclear.Mode.LOCK}


@pytest.mark.parametrize("mode", ["locked", "", 1, True, "final"])
def test_any_other_mode_is_a_value_error(show, mode):
    with pytest.raises(ValueError, match=r"mode: expected cutclear.Mode, 'lock' or 'wip'"):
        cutclear.check([show.root / "cuts/wip/reel1.otio"], mode=mode)


def test_as_of_as_an_iso_string_is_that_date(show):
    target = [show.root / "cuts/wip/reel1.otio"]
    by_string = cutclear.check(target, mode="lock", as_of="2026-01-15")
    by_date = cutclear.check(target, mode="lock", as_of=dt.date(2026, 1, 15))
    assert by_string.as_of == dt.date(2026, 1, 15)
    assert by_string.findings == by_date.findings


@pytest.mark.parametrize("as_of", ["15/01/2026", "soon", 20260115, ["2026-01-15"]])
def test_a_bad_as_of_is_a_value_error_not_a_plugin_crash(show, as_of):
    with pytest.raises(ValueError, match="as_of: "):
        cutclear.check([show.root / "cuts/wip/reel1.otio"], mode="lock", as_of=as_of)


def test_root_must_exist(tmp_path):
    with pytest.raises(cutclear.ConfigError, match="no such folder"):
        cutclear.check(root=tmp_path / "typo")


def test_root_must_hold_the_settings_itself(show):
    (show.root / "cuts" / "locked").mkdir(parents=True, exist_ok=True)
    with pytest.raises(cutclear.ConfigError, match="holds no cutclear settings"):
        cutclear.check(root=show.root / "cuts" / "locked")  # not the edit repo
    assert cutclear.check(root=show.root, as_of="2026-01-15").timelines


def test_a_single_path_is_one_target_not_its_letters(show):
    report = cutclear.check(str(show.root / "cuts/wip/reel1.otio"), as_of="2026-01-15")
    assert [t.path for t in report.timelines] == ["cuts/wip/reel1.otio"]


@pytest.mark.parametrize("target", [42, {"name": "reel1"}, otio.schema.Clip(name="x")])
def test_a_target_that_is_no_timeline_is_a_value_error(show, target):
    with pytest.raises(ValueError, match="neither a path nor an OTIO Timeline"):
        cutclear.check([target], root=show.root)


def test_select_as_a_string_means_those_codes(show):
    report = cutclear.check([show.root / "cuts/wip/reel1.otio"], mode="lock",
                            as_of="2026-01-15", select="GA001")
    assert rules(report) == [("GA001", "error")]


@pytest.mark.parametrize("kwargs", [{"mode": "locked"}, {"as_of": "tomorrow"},
                                    {"select": 7}, {"config": "cutclear.toml"},
                                    {"plugins": ["cutclear-ga"]}])
def test_no_argument_mistake_reads_as_a_plugin_crash(show, kwargs):
    with pytest.raises(ValueError) as raised:
        cutclear.check([show.root / "cuts/wip/reel1.otio"], **kwargs)
    assert not isinstance(raised.value, PluginError)
    assert "crashed" not in str(raised.value)
