"""A small facade over pluggy: load plugins, call their hooks, name the culprit.

A compliance gate must never run silently without a plugin it was meant to have: a plugin
that fails to import, crashes in a hook, or registers a rule code or report format that
another plugin has is a `PluginError` naming it (exit 2). So is one that raises anything
at all, `SystemExit` and `KeyboardInterrupt` included (a plugin must not end the run with
an exit code of its choosing), and one that runs past `plugin-timeout`. Configuration can
require plugins (`required-plugins`); the environment can block them
(`CUTCLEAR_DISABLE_PLUGINS=name,name`), as pytest's `-p no:name` does: every report says
so, and blocking one of cutclear's own plugins for a locked cut needs the settings'
consent (`allow-disabled-plugins`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.metadata import EntryPoint, entry_points
from threading import get_ident

import pluggy

from cutclear import hookspecs
from cutclear.model import CAN_FLAG, Rule
from cutclear.watchdog import DEFAULT_TIMEOUT, PluginTimeout, Watchdog

GROUP = "cutclear"
HOOKS = tuple(name for name in vars(hookspecs) if name.startswith("cutclear_"))
DISABLE_ENV = "CUTCLEAR_DISABLE_PLUGINS"


class PluginError(Exception):
    """A plugin failed to load, crashed, or conflicts with another (exit 2)."""


@dataclass
class PluginInfo:
    name: str
    version: str
    module: str
    hooks: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)


def blocked() -> set[str]:
    return {n.strip() for n in os.environ.get(DISABLE_ENV, "").split(",") if n.strip()}


def _dist(ep) -> str:
    dist = getattr(ep, "dist", None)
    return f"distribution {dist.name} {dist.version}" if dist is not None else "no distribution"


def _builtin(ep) -> bool:
    dist = getattr(ep, "dist", None)
    return dist is not None and dist.name.lower().replace("_", "-") == "cutclear"


class Plugins:
    """The loaded plugins, their rules, and the hook calls cutclear makes.

    `disabled` names the installed plugins CUTCLEAR_DISABLE_PLUGINS kept out of this run,
    `disabled_builtin` those of them that are cutclear's own.
    """

    def __init__(self, required: tuple[str, ...] = (), timeout: float = DEFAULT_TIMEOUT):
        self.pm = pluggy.PluginManager(GROUP)
        self.pm.add_hookspecs(hookspecs)
        self.info: dict[str, PluginInfo] = {}
        self.watchdog = Watchdog(timeout)
        self.disabled: list[str] = []
        self.disabled_builtin: list[str] = []
        off = blocked()
        seen: dict[str, EntryPoint] = {}
        for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
            if ep.name in off:
                if ep.name not in self.disabled:
                    self.disabled.append(ep.name)
                    if _builtin(ep):
                        self.disabled_builtin.append(ep.name)
                continue
            if ep.name in seen:
                if seen[ep.name].value != ep.value:  # a plugin must not stand in for another
                    raise PluginError(
                        f"two plugins are named {ep.name!r}: {seen[ep.name].value} "
                        f"({_dist(seen[ep.name])}) and {ep.value} ({_dist(ep)}); uninstall "
                        "the one that should not be there")
                continue  # the same plugin seen twice on the path (e.g. an editable install)
            seen[ep.name] = ep
            try:
                plugin = self.guarded(ep.name, "loading", ep.load,
                                      failed=f"({ep.value}) failed to load")
                self.pm.register(plugin, name=ep.name)
            except PluginError:  # guarded has named the plugin and what went wrong
                raise
            except Exception as e:  # pluggy refuses the module (hooks it does not know)
                raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: "
                                  f"{type(e).__name__}: {e}") from e
            dist = getattr(ep, "dist", None)
            self.info[ep.name] = PluginInfo(ep.name, dist.version if dist else "",
                                            ep.value)
        for name in required:
            if name in off:
                raise PluginError(f"required plugin {name!r} is blocked by {DISABLE_ENV}")
            if name not in self.info:
                raise PluginError(f"required plugin {name!r} is not installed (required-"
                                  "plugins in the cutclear settings); install it, e.g. "
                                  "pip install <its distribution>")
        for hook in HOOKS:
            for impl in getattr(self.pm.hook, hook).get_hookimpls():
                self.info[impl.plugin_name].hooks.append(hook)
        self.rules = self._collect_rules()
        self._format_owner: dict[str, str] = {}

    # --- calling hooks, naming the plugin that fails ---------------------------------

    def _impls(self, hook: str):
        """Implementations in pluggy's call order (tryfirst first, then the most recent)."""
        return list(reversed(getattr(self.pm.hook, hook).get_hookimpls()))

    def guarded(self, plugin: str, what: str, function: Callable, *args,
                failed: str | None = None):
        """Run a plugin's code: whatever it raises, BaseException included, and a call
        that runs past the timeout (even one that swallows the timeout and returns), is a
        PluginError naming the plugin (exit 2). `what` is what the plugin was doing;
        `failed` how an exception is told (default: crashed in `what`)."""
        w = self.watchdog
        fired = w.fired
        outer = w.enter(plugin)
        try:
            result = function(*args)
        except BaseException as e:
            raise self._failure(plugin, what, e, failed) from _cause(e)
        finally:
            w.leave(outer)
        if w.fired != fired:
            raise self._failure(plugin, what, PluginTimeout(), failed)
        return result

    def check_rule(self, rule: Rule, *args) -> list:
        """A rule's problems; a rule that fails stops the gate rather than pass the cut."""
        found = self.check_rules([rule], *args)
        return found[0][1] if found else []

    def check_rules(self, rules: list[Rule], *args) -> list[tuple[Rule, list]]:
        """The problems of each rule on the same arguments, in one call: the rules that
        find something, with their problems. The engine asks every clip rule about every
        clip use and every asset rule about every asset (150,000 calls on a 10,000-clip
        feature), so the watchdog's note and the failure handling are paid once a batch."""
        w = self.watchdog
        outer, ident, found, fired = w.who, get_ident(), [], w.fired
        if not w.started:
            w.start()
        rule = None
        try:
            for rule in rules:
                w.seq += 1
                w.who, w.thread = rule.source, ident
                problems = list(rule.check(*args))
                if w.fired != fired:  # the rule swallowed its timeout: still its failure
                    raise PluginTimeout()
                if problems:
                    found.append((rule, problems))
        except BaseException as e:
            failure = self._failure(rule.source, f"rule {rule.code}", e, "crashed")
            raise type(failure)(f"rule {rule.code} of {failure}") from _cause(e)
        finally:
            w.seq += 1
            w.who = outer
        return found

    def _failure(self, plugin: str, what: str, e: BaseException,
                 failed: str | None) -> Exception:
        """The error that reports what a plugin raised."""
        from cutclear.config import ConfigError

        if isinstance(e, PluginError):
            return e
        if isinstance(e, PluginTimeout):
            return PluginError(f"plugin {plugin!r} did not finish {what} within "
                               f"{self.watchdog.timeout:g} s (plugin-timeout in the cutclear "
                               "settings): it was stopped, and nothing it would have found "
                               "is known")
        if isinstance(e, ConfigError):
            return ConfigError(f"plugin {plugin!r}: {e}")
        if isinstance(e, Exception):
            return PluginError(f"plugin {plugin!r} {failed or f'crashed in {what}'}: "
                               f"{type(e).__name__}: {e}")
        return PluginError(f"plugin {plugin!r} raised {type(e).__name__}"  # SystemExit ...
                           f"{f' ({e})' if str(e) else ''} in {what}: a plugin may not "
                           "end cutclear's run")

    def _call(self, impl, **kwargs):
        function = impl.function
        return self.guarded(impl.plugin_name, function.__name__, function,
                            *[kwargs[a] for a in impl.argnames])

    def call_all(self, hook: str, **kwargs) -> list[tuple[str, object]]:
        """Every implementation's answer, in call order."""
        return [(impl.plugin_name, result) for impl, result in self._each(hook, kwargs)]

    def _each(self, hook: str, kwargs: dict, first: bool = False) -> list[tuple]:
        """(implementation, answer) in call order; with `first`, up to the first answer
        that is not None. One loop notes each plugin for the watchdog and names it when
        it fails, as `guarded` does call by call: the provenance hook is asked once per
        media of a run (three plugins x 3,000 media on a feature), the approvals hook
        once per asset."""
        w = self.watchdog
        outer, ident, fired, found = w.who, get_ident(), w.fired, []
        if not w.started:
            w.start()
        impls = self._impls(hook)
        try:
            for impl in impls:
                w.seq += 1
                w.who, w.thread = impl.plugin_name, ident
                result = impl.function(*[kwargs[a] for a in impl.argnames])
                if w.fired != fired:  # the plugin swallowed its timeout: still its failure
                    raise PluginTimeout()
                found.append((impl, result))
                if first and result is not None:
                    break
        except BaseException as e:
            raise self._failure(impl.plugin_name, impl.function.__name__, e, None
                                ) from _cause(e)
        finally:
            w.seq += 1
            w.who = outer
        return found

    # --- what the engine asks ----------------------------------------------------------

    def _collect_rules(self) -> dict[str, Rule]:
        rules: dict[str, Rule] = {}
        for plugin, given in self.call_all("cutclear_rules"):
            for rule in given or ():
                if not isinstance(rule, Rule):
                    raise PluginError(f"plugin {plugin!r} returned {rule!r}, not a "
                                      "cutclear.Rule")
                _check_declarations(plugin, rule)
                if rule.code in rules:
                    raise PluginError(f"rule code {rule.code} of plugin {plugin!r} is "
                                      f"already registered by plugin {rules[rule.code].source!r}")
                rules[rule.code] = replace(rule, source=plugin)
                self.info[plugin].rules.append(rule.code)
        if not rules:
            raise PluginError("no rules are registered: cutclear's built-in plugins did not "
                              "load (reinstall cutclear; a gate with no rules would pass "
                              "anything)")
        return dict(sorted(rules.items()))

    def configure(self, config) -> None:
        tables = config.plugins
        off = blocked()
        for name in tables:
            if name not in self.info and name not in off:
                from cutclear.config import ConfigError
                raise ConfigError(f"plugins.{name}: no plugin of that name is loaded "
                                  f"(loaded: {', '.join(sorted(self.info))})")
        for impl in self._impls("cutclear_configure"):
            self._call(impl, config=config, settings=dict(tables.get(impl.plugin_name, {})))

    def provenance(self, clip, ctx) -> list:
        from cutclear.records import Asset

        found = []
        for plugin, assets in self.call_all("cutclear_provenance", clip=clip, ctx=ctx):
            found += _typed(plugin, "cutclear_provenance", assets or [], Asset)
        return found

    def _first_typed(self, hook: str, kind: type, **kwargs) -> list | None:
        found = self._each(hook, kwargs, first=True)
        if found and found[-1][1] is not None:
            return _typed(found[-1][0].plugin_name, hook, found[-1][1], kind)
        return None

    def consents(self, person: str, ctx) -> list | None:
        """The first answer to a consent look-up, asked once per person in a run."""
        from cutclear.records import Consent

        key = ("cutclear_consents", person)
        if key not in ctx.cache:
            ctx.cache[key] = self._first_typed("cutclear_consents", Consent, person=person,
                                               ctx=ctx)
        return ctx.cache[key]

    def approvals(self, asset, ctx) -> list | None:
        """The first answer to an approval look-up, asked once per asset in a run."""
        from cutclear.records import Approval

        key = ("cutclear_approvals", asset.id)
        if key not in ctx.cache:
            ctx.cache[key] = self._first_typed("cutclear_approvals", Approval, asset=asset,
                                               ctx=ctx)
        return ctx.cache[key]

    def render(self, formats: dict[str, Callable], name: str, report) -> str:
        """Run a report format, naming its plugin if it fails."""
        try:
            return self.guarded(self._format_owner.get(name, name), f"report format {name!r}",
                                formats[name], report, failed="crashed")
        except PluginError as e:
            raise PluginError(f"report format {name!r} of {e}") from e.__cause__

    def formats(self) -> dict[str, Callable]:
        found: dict[str, Callable] = {}
        owner: dict[str, str] = {}
        for plugin, given in self.call_all("cutclear_output_formats"):
            for name, formatter in (given or {}).items():
                if name in found:
                    raise PluginError(f"report format {name!r} of plugin {plugin!r} is "
                                      f"already provided by plugin {owner[name]!r}")
                found[name], owner[name] = formatter, plugin
        self._format_owner = owner
        return found


def _cause(e: BaseException) -> BaseException | None:
    """What a report of `e` is chained to: nothing for a timeout (the traceback is the
    watchdog's, not the plugin's), the original cause for an error already reported."""
    if isinstance(e, PluginTimeout):
        return None
    return e.__cause__ if isinstance(e, PluginError) else e


def _check_declarations(plugin: str, rule: Rule) -> None:
    """What a rule declares about the calls it needs must mean something: a misspelt
    `can_flag` would otherwise be read as one thing or another, and either reading could
    keep a clip from a rule that had to see it."""
    allowed = CAN_FLAG.get(rule.scope)
    if allowed is None:
        raise PluginError(f"rule {rule.code} of plugin {plugin!r} has scope {rule.scope!r}, "
                          f"not one of {', '.join(CAN_FLAG)}")
    if rule.can_flag not in allowed:
        raise PluginError(f"rule {rule.code} of plugin {plugin!r} declares can_flag="
                          f"{rule.can_flag!r}; {rule.scope} rules may declare "
                          f"{', '.join(repr(a) for a in allowed)}")
    if rule.per_media not in (False, True) or (rule.per_media and rule.scope != "clip"):
        raise PluginError(f"rule {rule.code} of plugin {plugin!r} declares per_media="
                          f"{rule.per_media!r}: only a clip rule may, with True or False")


def _typed(plugin: str, hook: str, values, kind: type) -> list:
    """A plugin's answer, checked: a wrong type is the plugin's bug, reported as such."""
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, kind) for v in values):
        raise PluginError(f"plugin {plugin!r} returned {values!r} from {hook}, not a list of "
                          f"{kind.__name__}")
    return list(values)
