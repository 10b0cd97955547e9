"""The hook specifications: the whole contract between cutclear and its plugins.

A plugin is a module (or object) with functions marked `@cutclear.hookimpl`, named after
the specifications below, announced under the `cutclear` entry-point group of its
distribution. The built-in rules in `cutclear.plugins` are registered exactly that way.
"""

from __future__ import annotations

import pluggy

from cutclear.model import Rule

hookspec = pluggy.HookspecMarker("cutclear")
hookimpl = pluggy.HookimplMarker("cutclear")


@hookspec
def cutclear_rules() -> list[Rule]:
    """Return the rules this plugin adds to the catalogue.

    Called once when the plugin manager collects rules. Every plugin's list is kept
    (not first-result). Codes must be unique across all plugins: a collision is an error
    naming both plugins. See `cutclear.model.Rule` for the `check` signature of each scope.
    """
