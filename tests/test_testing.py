"""cutclear's pytest plugin (`cutclear.testing`): what vendors' suites get from it."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

import opentimelineio as otio
import pytest

from cutclear.testing import Repo, genai, timeline


def test_installed_as_a_pytest_plugin(pytestconfig):
    (ep,) = [ep for ep in entry_points(group="pytest11") if ep.name == "cutclear"]
    assert ep.value == "cutclear.testing"
    assert pytestconfig.pluginmanager.has_plugin("cutclear")


def test_importing_it_stays_light():
    """pytest imports it in every session of an environment with cutclear installed."""
    code = ("import sys, cutclear.testing; "
            "print(sorted(m for m in ('opentimelineio', 'lxml', 'cutclear.cli', "
            "'cutclear.engine') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_cutclear_s_own_repo_fixture_is_the_vendors_one(repo, cutclear_repo):
    assert repo is cutclear_repo and isinstance(repo, Repo)
    assert (repo.root / ".git").is_dir()


def test_timelines_from_clips_or_objects(cutclear_repo):
    clips = [("sky", "file:///vfx/sky.mov", 24), (None, None, 12), ("cam", None, 24)]
    written = [cutclear_repo.timeline("a.otio", clips),
               cutclear_repo.timeline("b.otio", clips=clips, rate=25, name="reel 2"),
               cutclear_repo.timeline("c.otio", timeline(clips))]
    a, b, c = (otio.adapters.read_from_file(str(p)) for p in written)
    assert [i.name for i in a.video_tracks()[0]] == ["sky", "", "cam"]
    assert b.name == "reel 2" and b.duration().rate == 25
    assert otio.adapters.write_to_string(a) == otio.adapters.write_to_string(c)
    with pytest.raises(TypeError, match="not both"):
        cutclear_repo.timeline("d.otio", clips, clips=clips)
    with pytest.raises(TypeError, match="not both"):
        cutclear_repo.timeline("d.otio", timeline(clips), clips=clips)
    with pytest.raises(TypeError, match="clips="):
        cutclear_repo.timeline("d.otio")


def test_records_and_check(cutclear_repo):
    cutclear_repo.config('production = "PRD-1"\nlocked = ["cuts/locked/**"]\n')
    path = cutclear_repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sky.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin></asset>""")
    assert path.read_text() == genai(
        '<asset id="AST-1"><match><name>sky.mov</name></match>\n'
        "  <origin>trainedAlgorithmicMedia</origin></asset>")
    assert '<genai xmlns="urn:cutclear:genai:1" version="1">' in path.read_text()
    cutclear_repo.timeline("cuts/locked/reel1.otio", [("sky", "file:///m/sky.mov", 24)])
    result = cutclear_repo.check("--as-of", "2026-01-15", "--select", "GA001")
    assert result.code == 1 and result.err == ""
    assert [f["rule"] for f in result.findings()] == ["GA001"] == \
        [f["rule"] for f in result.findings("GA001")]
    assert result.findings("TL001") == [] and result.json["summary"]["error"] == 1
