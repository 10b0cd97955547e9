"""Shared test helpers: small edit repos built in a temporary folder.

The helpers are cutclear's pytest plugin, `cutclear.testing` (the `cutclear_repo`
fixture, `timeline()` and `genai()`), which vendors' plugin suites use too: one
implementation, so what vendors test against is what cutclear's own suite exercises.
The names below are the ones cutclear's tests have always used.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cutclear.testing import NS, Repo, Result, genai, timeline

__all__ = ["CORPUS", "NS", "Repo", "Result", "corpus", "genai", "repo", "timeline"]

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture
def repo(cutclear_repo: Repo) -> Repo:
    """An edit repo in a temporary folder (the `cutclear_repo` fixture)."""
    return cutclear_repo


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real NLE exports is not at {CORPUS} (it lives "
                    "beside the project checkout, never inside it)")
    return CORPUS


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """The timeline cache of the hook goes to a folder of the test run, not ~/.cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
