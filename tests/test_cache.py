"""The content-keyed cache of walked timelines (used by the pre-commit hook)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import timeline

from cutclear import cache, readers

AS_OF = ("--as-of", "2026-01-15")
SKY = """<asset id="AST-1"><match><name>sky.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>"""


@pytest.fixture
def cut(repo):
    repo.config('locked = ["cuts/locked/**"]\n')
    repo.records("records/vfx.genai.xml", SKY)
    repo.timeline("cuts/locked/reel1.xml", timeline([("sky", "file:///m/sky.mov", 24)]),
                  adapter_name="fcp_xml")
    return repo


def entries() -> list[Path]:
    return sorted(Path(cache.folder()).glob("*.json"))


def test_a_timeline_walked_before_is_not_read_again(cut, monkeypatch):
    first = cut.check(*AS_OF, "--cache")
    assert len(entries()) == 1

    def unreadable(*args, **kwargs):
        raise AssertionError("the timeline was parsed again")
    monkeypatch.setattr(readers, "load", unreadable)
    second = cut.check(*AS_OF, "--cache")
    assert second.json["findings"] == first.json["findings"] != []
    assert second.json["timelines"] == [{"path": "cuts/locked/reel1.xml", "mode": "lock",
                                         "clips": 1}]


def test_a_changed_timeline_is_read_again(cut):
    cut.check(*AS_OF, "--cache")
    cut.timeline("cuts/locked/reel1.xml", timeline([("cam", "file:///m/cam.mov", 24),
                                                    ("sky", "file:///m/sky.mov", 24)]),
                  adapter_name="fcp_xml")
    result = cut.check(*AS_OF, "--cache")
    assert [(f["clip"], f["record_in"]) for f in result.findings("GA001")] == [
        ("sky", "01:00:01:00")]
    assert len(entries()) == 2


def test_an_entry_that_cannot_be_read_is_ignored(cut):
    expected = cut.check(*AS_OF).json["findings"]
    cut.check(*AS_OF, "--cache")
    (entry,) = entries()
    entry.write_text('{"clips": [{"track": 1}]')
    assert cut.check(*AS_OF, "--cache").json["findings"] == expected
