"""A small facade over pluggy: load plugins, collect their rules, name the culprit.

A compliance gate must never run silently without a plugin it was meant to have, so every
failure to import a plugin or to collect its rules is a `PluginError` that names the
plugin (exit 2).
"""

from __future__ import annotations

from dataclasses import replace
from importlib.metadata import entry_points

import pluggy

from cutclear import hookspecs
from cutclear.model import Rule

GROUP = "cutclear"


class PluginError(Exception):
    """A plugin failed to load, crashed, or conflicts with another (exit 2)."""


def plugin_manager() -> pluggy.PluginManager:
    """A manager with every plugin announced under the `cutclear` entry-point group."""
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as e:
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: "
                              f"{type(e).__name__}: {e}") from e
        try:
            pm.register(plugin, name=ep.name)
        except Exception as e:
            raise PluginError(f"plugin {ep.name!r} cannot be registered: {e}") from e
    return pm


def collect_rules(pm: pluggy.PluginManager) -> dict[str, Rule]:
    """Every plugin's rules by code, each stamped with the plugin that gave it."""
    rules: dict[str, Rule] = {}
    for impl in reversed(pm.hook.cutclear_rules.get_hookimpls()):  # registration order
        try:
            given = list(impl.function())
        except Exception as e:
            raise PluginError(f"plugin {impl.plugin_name!r} crashed listing its rules: "
                              f"{type(e).__name__}: {e}") from e
        for rule in given:
            if not isinstance(rule, Rule):
                raise PluginError(f"plugin {impl.plugin_name!r} returned {rule!r}, "
                                  "not a cutclear.Rule")
            if rule.code in rules:
                raise PluginError(f"rule code {rule.code} of plugin {impl.plugin_name!r} is "
                                  f"already registered by plugin {rules[rule.code].source!r}")
            rules[rule.code] = replace(rule, source=impl.plugin_name)
    if not rules:
        raise PluginError("no rules are registered: cutclear's built-in plugins did not "
                          "load (reinstall cutclear; a gate with no rules would pass anything)")
    return dict(sorted(rules.items()))

