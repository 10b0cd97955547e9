"""`cutclear init`: the starting files of an edit repo that adopts cutclear.

Never overwrites: an existing file is left as it is and the user is told what to add.
"""

from __future__ import annotations

import os

from cutclear import __version__

HOOK_REPO = "https://github.com/cutclear/cutclear"

PRE_COMMIT_HOOKS = f"""\
  - repo: {HOOK_REPO}
    rev: v{__version__}
    hooks:
      - id: cutclear
        verbose: true  # also show notes on work-in-progress cuts when the commit passes
      - id: cutclear-records
"""

PRE_COMMIT_CONFIG = f"""\
# Refuse commits that put uncleared GenAI material into a locked cut (cutclear).
# Install once per clone: pre-commit install
repos:
{PRE_COMMIT_HOOKS}"""


def settings(production: str | None) -> str:
    prod = (f'production = "{production}"' if production else
            '# production = "PRD-000"    # approvals and consents must name this production')
    return f"""\
# cutclear settings: `cutclear explain CODE` tells what each rule wants.
{prod}
genre = "fiction"              # fiction | documentary | nonfiction | news
# delivery = 2027-06-30        # consents and approvals must still hold on delivery
locked = ["cuts/locked/**"]    # timelines checked as locked cuts
edl-rate = 24                  # EDLs do not state their frame rate
protected-names = []           # names that need third-party-ip clearance in prompts
"""


def write_starter(root: str, production: str | None = None) -> list[str]:
    """Write the starter files that do not exist yet; return what was done, line by line."""
    done = []
    if _has_settings(root):
        done.append("kept the existing cutclear settings")
    else:
        _write(os.path.join(root, "cutclear.toml"), settings(production))
        done.append("wrote cutclear.toml")
    config = os.path.join(root, ".pre-commit-config.yaml")
    if os.path.exists(config):
        done.append(".pre-commit-config.yaml exists and was kept; add under `repos:`:\n"
                    + PRE_COMMIT_HOOKS)
    else:
        _write(config, PRE_COMMIT_CONFIG)
        done.append("wrote .pre-commit-config.yaml (run `pre-commit install` to enable it)")
    return done


def _has_settings(root: str) -> bool:
    if os.path.exists(os.path.join(root, "cutclear.toml")):
        return True
    try:
        with open(os.path.join(root, "pyproject.toml"), encoding="utf-8") as f:
            return "[tool.cutclear" in f.read()
    except FileNotFoundError:
        return False


def _write(path: str, text: str) -> None:
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite
        f.write(text)
