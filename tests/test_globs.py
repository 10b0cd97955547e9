"""Glob matching: one dialect, linear time whatever a record file's author writes.

`<clip>*a*a*a*a*a*ab</clip>` in a record once made a regex backtrack for minutes over a
long clip name; a gate that hangs is a gate someone switches off.
"""

from __future__ import annotations

import random
import re

import pytest
from conftest import CONFIG, timeline

from cutclear.globs import Automaton, _regex, _tokens, compile_glob, match_any

HOSTILE = "*a*a*a*a*a*ab"


def test_hostile_clip_glob_in_a_record_is_matched_in_linear_time(repo):
    """Before: this check ran for hours (the regex tried every split of the 300 'a's)."""
    repo.config(CONFIG)
    repo.records("records/trap.genai.xml", f"""
        <asset id="TRAP"><match><clip>{HOSTILE}</clip></match>
          <origin>digitalCapture</origin></asset>
        <asset id="CAM"><match><path>/m/**</path></match><origin>digitalCapture</origin></asset>""")
    repo.timeline("cuts/locked/reel1.otio", timeline([("a" * 300, "file:///m/a.mov", 24),
                                                      ("a" * 300 + "b", "file:///m/b.mov", 24)]))
    result = repo.check("--as-of", "2026-01-15")
    assert result.code == 0 and result.findings() == []
    assert isinstance(compile_glob(HOSTILE, ignore_case=True), Automaton)
    assert compile_glob(HOSTILE).search("a" * 300 + "b")
    assert not compile_glob(HOSTILE).search("a" * 100_000)


@pytest.mark.parametrize("pattern, path, expected", [
    ("cuts/*.xml", "cuts/reel1.xml", True),
    ("cuts/*.xml", "cuts/old/reel1.xml", False),
    ("cuts/**/*.xml", "cuts/reel1.xml", True),
    ("cuts/**/*.xml", "cuts/a/b/reel1.xml", True),
    ("cuts/**", "cuts/a/b", True),
    ("sh0[0-4]?_*_v*.mov", "sh042_sky_v3.mov", True),
    ("sh0[!0-4]*_v*.mov", "sh042_sky_v3.mov", False),
    ("*a*b*", "x/ab", False),  # `*` never crosses '/'
    ("**/*a*b*", "x/ab", True),
    ("[z-a]*", "b", False),  # a reversed range matches nothing (it used to crash)
])
def test_glob_dialect(pattern, path, expected):
    assert bool(compile_glob(pattern).search(path)) is expected
    tokens = _tokens(pattern)  # the automaton agrees with the regex form on every case
    assert Automaton(pattern, tokens, False, False).search(path) is expected


def test_automaton_agrees_with_the_regex_form():
    rnd = random.Random(7)
    for _ in range(3000):
        pattern = "".join(rnd.choice("ab/*?[]!-") for _ in range(rnd.randint(0, 7)))
        tokens = _tokens(pattern)
        for ignore_case in (False, True):
            for tail in (False, True):
                tail = tail and not pattern.startswith("/")
                rx = re.compile(("(?:^|(?<=/))" if tail else "^") + _regex(tokens) + r"\Z",
                                re.IGNORECASE if ignore_case else 0)
                auto = Automaton(pattern, tokens, ignore_case, tail)
                for _ in range(5):
                    text = "".join(rnd.choice("abAB/") for _ in range(rnd.randint(0, 8)))
                    assert auto.search(text) == bool(rx.search(text)), (pattern, text)


def test_a_folder_means_its_contents():
    assert match_any(("cuts/locked",), "cuts/locked/reel1.xml")
    assert match_any(("cuts/locked",), "cuts/locked")
    assert not match_any(("cuts/locked",), "cuts/locked_old/reel1.xml")
    assert match_any(("cuts/Locked",), "CUTS/locked/r.xml", ignore_case=True)
