"""`cutclear init`: the starting files of an edit repo that adopts cutclear.

Never overwrites: an existing file is left as it is and the user is told what to add.
Values are written by a TOML writer (tomli-w), so no production id can add a key of its
own. The pre-commit configuration runs the cutclear installed on the machine (`repo:
local`): edit bays often have no internet, and a hook that pre-commit must clone cannot be
installed there. With `--hook-repo`, the pinned form that pre-commit clones is written
instead.
"""

from __future__ import annotations

import json
import os

import tomli_w

from cutclear import __version__

# The published hooks (.pre-commit-hooks.yaml), run from the installed cutclear.
LOCAL_HOOKS = """\
  - repo: local
    hooks:
      - id: cutclear
        name: cutclear (GenAI clearance of timelines)
        entry: cutclear-hook
        language: system
        files: '(?i)(\\.(otio|otioz|xml|fcpxml|edl|aaf|ale|xmp)|(^|/)(cutclear|pyproject)\\.toml)$'
        always_run: true
        require_serial: true
        stages: [pre-commit, pre-merge-commit, manual]
        verbose: true  # also show notes on work-in-progress cuts when the commit passes
      - id: cutclear-records
        name: cutclear records (validate *.genai.xml)
        entry: cutclear-records-hook
        language: system
        files: '(?i)\\.genai\\.xml$'
        require_serial: true
        stages: [pre-commit, pre-merge-commit, manual]
"""

LOCAL_HEADER = """\
# Refuse commits that put uncleared GenAI material into a locked cut (cutclear).
# The hooks run the cutclear installed on this machine, so no network is needed: install
# cutclear and pre-commit where the editors' shell finds them, then once per clone run
#   pre-commit install
"""

REMOTE_HEADER = """\
# Refuse commits that put uncleared GenAI material into a locked cut (cutclear).
# pre-commit installs the hooks from the repository below (network needed once).
# Install once per clone: pre-commit install
"""


def remote_hooks(repo: str, rev: str) -> str:
    """The pinned form: pre-commit clones `repo` at tag `rev` (JSON strings are YAML
    strings, so neither value can add YAML of its own)."""
    return f"""\
  - repo: {json.dumps(repo)}
    rev: {json.dumps(rev)}
    hooks:
      - id: cutclear
        verbose: true  # also show notes on work-in-progress cuts when the commit passes
      - id: cutclear-records
"""


STARTER = (  # (key, value, comment); values go through the TOML writer
    ("genre", "fiction", "fiction | documentary | nonfiction | news"),
    ("locked", ["cuts/locked/**"], "timelines checked as locked cuts (must exist)"),
    ("edl-rate", 24, "EDLs do not state their frame rate"),
    ("protected-names", [], "names that need third-party-ip clearance in prompts"),
)


def settings(production: str | None) -> str:
    lines = ["# cutclear settings: `cutclear explain CODE` tells what each rule wants."]
    if production:
        lines.append(_line("production", production,
                           "approvals and consents must name this production"))
    else:
        lines.append('# production = "PRD-000"    # approvals and consents must name this '
                     "production")
    lines.append(_line(*STARTER[0]))
    lines.append("# delivery = 2027-06-30        # consents and approvals must still hold on "
                 "delivery")
    lines += [_line(*entry) for entry in STARTER[1:]]
    return "\n".join(lines) + "\n"


def _line(key: str, value: object, comment: str) -> str:
    return f"{key} = {_value(value):<{27 - len(key)}} # {comment}"


def _value(value: object) -> str:
    """One value as the TOML writer writes it (a list on one line)."""
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value})[len("v = "):].strip()


def pre_commit_hooks(hook_repo: str | None, hook_rev: str | None) -> str:
    return remote_hooks(hook_repo, hook_rev or f"v{__version__}") if hook_repo else LOCAL_HOOKS


def write_starter(root: str, production: str | None = None, hook_repo: str | None = None,
                  hook_rev: str | None = None) -> list[str]:
    """Write the starter files that do not exist yet; return what was done, line by line."""
    done = []
    if _has_settings(root):
        done.append("kept the existing cutclear settings")
    else:
        _write(os.path.join(root, "cutclear.toml"), settings(production))
        done.append("wrote cutclear.toml")
    if not os.path.isdir(os.path.join(root, "cuts", "locked")):
        done.append("cutclear stops (exit 2) while the `locked` glob matches nothing: put "
                    "the locked cuts in cuts/locked/ (git keeps a folder holding a file, "
                    "e.g. cuts/locked/.gitkeep) or change `locked` in cutclear.toml")
    hooks = pre_commit_hooks(hook_repo, hook_rev)
    config = os.path.join(root, ".pre-commit-config.yaml")
    if os.path.exists(config):
        done.append(".pre-commit-config.yaml exists and was kept; add under `repos:`:\n"
                    + hooks)
    else:
        _write(config, (REMOTE_HEADER if hook_repo else LOCAL_HEADER) + "repos:\n" + hooks)
        done.append("wrote .pre-commit-config.yaml (run `pre-commit install` to enable it)")
    return done


def _has_settings(root: str) -> bool:
    if os.path.lexists(os.path.join(root, "cutclear.toml")):
        return True
    try:
        with open(os.path.join(root, "pyproject.toml"), encoding="utf-8") as f:
            return "[tool.cutclear" in f.read()
    except (OSError, UnicodeDecodeError):
        return os.path.lexists(os.path.join(root, "pyproject.toml"))


def _write(path: str, text: str) -> None:
    with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite
        f.write(text)
