"""Shared test helpers: small edit repos built in a temporary folder.

The helpers are cutclear's pytest plugin, `cutclear.testing` (the `cutclear_repo`
fixture, `timeline()` and `genai()`), which vendors' plugin suites use too: one
implementation, so what vendors test against is what cutclear's own suite exercises.
The names below are the ones cutclear's tests have always used.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cutclear.testing import NS, Repo, Result, genai, timeline

__all__ = ["CONFIG", "CORPUS", "NS", "RUNWAY", "Repo", "Result", "SKY", "SKY_APPROVAL", "SKY_URL",
           "corpus", "genai", "repo", "timeline"]

# beside the checkout (CI); CUTCLEAR_CORPUS names it elsewhere (a worktree, a laptop)
CORPUS = Path(os.environ.get("CUTCLEAR_CORPUS")
              or Path(__file__).resolve().parents[2] / "shared" / "corpus")

# The records most tests start from: a locked-cut setting, a final GenAI sky replacement
# made with an enterprise tool that does not train on inputs, and its written approval.
CONFIG = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'
SKY_URL = "file:///mnt/show/vfx/sh042/sh042_sky_v3.mov"
SKY = """
<asset id="AST-1193">
  <match><name>sh042_sky_v*.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
</asset>
"""
RUNWAY = ('\n<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true" '
          'trainsOnInputs="no" retainsInputs="no">Runway</tool>\n')
SKY_APPROVAL = """
<approval id="APR-0057" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable creative-output</covers>
  <assets>AST-1193</assets>
</approval>
"""


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
    """The timeline cache of the hook goes to a folder of the test run, not ~/.cache; a
    CUTCLEAR_ROOT of the developer's shell does not choose the tests' edit repo."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.delenv("CUTCLEAR_ROOT", raising=False)
