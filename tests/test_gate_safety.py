"""The OTIO gate cannot be switched off by a typo (issue 10, item 7): real `otioconvert`
runs and `write_to_file` calls on a locked cut holding an unapproved GenAI shot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import opentimelineio as otio
import pytest
from conftest import genai
from test_conform import APPROVAL, AS_OF, SKY, cut

import cutclear

BIN = Path(sys.executable).parent


@pytest.fixture
def show(tmp_path, monkeypatch):
    """The conform tests' edit repo (records of an unapproved sky shot), outputs elsewhere."""
    root = tmp_path / "show"
    (root / "records").mkdir(parents=True)
    (root / "cutclear.toml").write_text('production = "PRD-778"\nedl-rate = 24\n')
    (root / "records" / "vfx.genai.xml").write_text(genai(SKY))
    for adapter, suffix in (("otio_json", ".otio"), ("fcp_xml", ".xml")):
        otio.adapters.write_to_file(cut(), str(root / f"reel1{suffix}"), adapter_name=adapter)
    (tmp_path / "online").mkdir()
    monkeypatch.chdir(tmp_path / "online")
    return root


def otioconvert(src: Path, dst: str, *hooks: str, **env: str) -> subprocess.CompletedProcess:
    args = [str(BIN / "otioconvert"), "-i", str(src), "-o", dst]
    for h in hooks:
        args += ["-H", h]
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CUTCLEAR_")}
    environ.update({"CUTCLEAR_AS_OF": AS_OF, **env})
    return subprocess.run(args, capture_output=True, text=True, env=environ)


@pytest.mark.parametrize("switch,value", [("CUTCLEAR_GATE", "ture"), ("CUTCLEAR_GATE", "2"),
                                          ("CUTCLEAR_GATE", "enabled"),
                                          ("CUTCLEAR_ANNOTATE", "maybe"),
                                          ("CUTCLEAR_MARKERS", "nope")])
def test_a_switch_that_is_not_a_true_false_word_refuses_the_write(show, switch, value):
    result = otioconvert(show / "reel1.otio", "online.edl", CUTCLEAR_ROOT=str(show),
                         **{switch: value})
    assert result.returncode == 1
    assert result.stderr == (f"ERROR: cutclear gate settings are not valid, so nothing was "
                             f"written: {switch}: {value!r} is not a true/false word (1, true, "
                             "yes, on / 0, false, no, off)\n")
    assert not Path("online.edl").exists()


def test_a_typo_in_the_hook_argument_refuses_the_write(show):
    result = otioconvert(show / "reel1.otio", "online.edl", "cutclear_gate=Ture",
                         f"cutclear_root={show}")
    assert result.returncode == 1
    assert "cutclear_gate: 'Ture' is not a true/false word" in result.stderr
    assert not Path("online.edl").exists()


@pytest.mark.parametrize("word,written", [("TRUE", False), ("Yes", False), ("on", False),
                                          ("1", False), ("off", True), ("No", True),
                                          ("0", True), ("", True)])
def test_true_false_words_in_any_case_switch_the_gate(show, word, written):
    result = otioconvert(show / "reel1.otio", "online.edl", CUTCLEAR_ROOT=str(show),
                         CUTCLEAR_GATE=word)
    assert Path("online.edl").exists() is written, result.stderr
    assert result.returncode == (0 if written else 1)


def test_a_refusal_prints_the_findings_without_a_traceback(show):
    result = otioconvert(show / "reel1.xml", "online.edl", CUTCLEAR_ROOT=str(show),
                         CUTCLEAR_GATE="1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "ERROR: cutclear: 1 blocking finding:",
        "  reel1:V1:01:00:02:00: GA001 [error] sh042 sky: GenAI asset AST-1193 (Runway "
        "Gen-4) has no valid written approval for the final deliverable: add an approval "
        "covering final-deliverable that lists AST-1193, or replace the shot",
        "Nothing was written: clear these findings (see `cutclear explain CODE`) and write "
        "again."]


def test_a_root_below_the_settings_refuses_the_write(show):
    """Walking up from CUTCLEAR_ROOT would find the edit repo above: a typo forgiven."""
    (show / "records" / "approvals.genai.xml").write_text(genai(APPROVAL))  # the cut is clear
    for root in (show / "records", show / "no-such-folder"):
        result = otioconvert(show / "reel1.otio", "online.otio", CUTCLEAR_ROOT=str(root),
                             CUTCLEAR_GATE="1")
        assert result.returncode == 1, result.stderr
        assert f"CUTCLEAR_ROOT {root}" in result.stderr and "Traceback" not in result.stderr
        assert not Path("online.otio").exists()
    ok = otioconvert(show / "reel1.otio", "online.otio", CUTCLEAR_ROOT=str(show),
                     CUTCLEAR_GATE="1")
    assert ok.returncode == 0, ok.stderr


def test_the_verdict_of_a_failed_write_is_not_reused(show):
    """A write the gate passed fails in the adapter (OTIO then runs no post-write hook);
    the approval is withdrawn; writing the same timeline object again is checked again."""
    approval = show / "records" / "approvals.genai.xml"
    approval.write_text(genai(APPROVAL))
    args = {"cutclear": {"gate": True, "root": str(show), "as_of": AS_OF}}
    tl = cut()
    with pytest.raises(Exception) as failed:  # the adapter's own error
        otio.adapters.write_to_file(tl, "missing/folder/online.otio",
                                    hook_function_argument_map=args)
    assert not isinstance(failed.value, cutclear.GateError)
    approval.unlink()
    with pytest.raises(cutclear.GateError, match="GA001"):
        otio.adapters.write_to_file(tl, "online.otio", hook_function_argument_map=args)
    assert not Path("online.otio").exists()


def test_a_refusal_is_a_gate_error_and_an_otio_error(show):
    args = {"cutclear": {"gate": True, "root": str(show), "as_of": AS_OF}}
    with pytest.raises(otio.exceptions.OTIOError) as raised:
        otio.adapters.write_to_file(cut(), "online.xml", hook_function_argument_map=args)
    assert isinstance(raised.value, cutclear.GateError)
    assert [f.rule for f in raised.value.findings] == ["GA001"]
