"""The engine: read records and timelines, run every selected rule, collect findings.

Rules about an asset do not depend on the clip that uses it, so each runs once per asset
and its result is stamped onto every use: a 3,000-clip cut with 300 assets costs 300 rule
evaluations, not 3,000. Uses are grouped by media: a rule that declares what it can flag
(`Rule.can_flag`) is left out where its own declaration says it cannot flag, and one whose
answer depends only on the media (`Rule.per_media`) runs once per media and is stamped on
every use (docs/rule-scope.md); a rule that declares nothing is called at every use.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cutclear.clearance import Context
from cutclear.config import DEFAULT_RECORDS, Config, ConfigError, find_config_file
from cutclear.conform import MediaRoot
from cutclear.discovery import discover
from cutclear.formats import RECORD_SUFFIX, adapter_for, looks_like_fcp7, not_a_timeline
from cutclear.globs import match_any
from cutclear.manager import PluginError, Plugins
from cutclear.media import AssetIndex
from cutclear.model import (
    ClipUse,
    Finding,
    GateError,
    MediaIdentity,
    Mode,
    Problem,
    Rule,
    Severity,
    TimelineRead,
)
from cutclear.readers import read_timeline
from cutclear.records import Asset, RecordDB
from cutclear.scope import Media, Scopes

# What cutclear cannot read counts against a locked cut: an unreadable record file (PV001)
# or timeline (PV005) can be neither ignored nor lowered below an error there, whatever
# select, ignore and [severity] say (in work in progress they can).
FAIL_CLOSED = ("PV001", "PV005")


@dataclass
class Selection:
    """Which rules run, at which severity: configuration plus command-line overrides."""

    rules: dict[str, Rule]
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, dict[Mode, Severity]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key, codes in (("select", self.select), ("extend-select", self.extend_select),
                           ("ignore", self.ignore), ("severity", tuple(self.severity))):
            for code in codes:
                if code != "ALL" and not any(c.startswith(code) for c in self.rules):
                    raise ConfigError(f"{key}: {code!r} matches no rule code (see "
                                      "`cutclear rules`)")
        self.active = {code: rule for code, rule in self.rules.items() if self._chosen(code)}
        # a severity set for a prefix ("GA" or "TL00") applies to its codes; the most
        # specific entry wins
        given = self.severity
        self.severity = {}
        for code in self.rules:
            keys = [k for k in given if k == "ALL" or code.startswith(k)]
            if keys:
                self.severity[code] = given[max(keys, key=lambda k: 0 if k == "ALL" else len(k))]

    def _chosen(self, code: str) -> bool:
        """As in ruff: the most specific matching prefix decides (ALL is the least)."""
        def specificity(prefixes: Iterable[str]) -> int:
            return max((0 if p == "ALL" else len(p) for p in prefixes
                        if p == "ALL" or code.startswith(p)), default=-1)
        selected = specificity(self.select + self.extend_select)
        return selected >= 0 and selected > specificity(self.ignore)

    def level(self, rule: Rule, mode: Mode, problem: Problem | None = None) -> Severity:
        if mode is Mode.LOCK and rule.code in FAIL_CLOSED:
            return max(rule.default(mode), self.severity.get(rule.code, {}).get(mode,
                                                                               Severity.OFF))
        override = self.severity.get(rule.code, {}).get(mode)
        if override is not None:
            return override
        if problem is not None and problem.severity is not None:
            return problem.severity
        return rule.default(mode)

    def runs(self, rule: Rule, mode: Mode) -> bool:
        """Whether `rule` runs in `mode`: chosen by select/ignore and not set off; the
        fail-closed rules always run at lock."""
        if mode is Mode.LOCK and rule.code in FAIL_CLOSED:
            return True
        return rule.code in self.active and self.level(rule, mode) is not Severity.OFF


@dataclass
class Report:
    """Everything one check run found."""

    as_of: dt.date
    timelines: list[TimelineRead]
    findings: list[Finding]
    record_files: int
    fail_on: Severity
    provenance: dict[MediaIdentity, list[Asset]] = field(default_factory=dict)
    # what the run judged with, for reports that show it (cutclear.reports): the settings
    # (root, production, delivery), the records read, and the rule catalogue
    config: Config | None = None
    db: RecordDB | None = None
    rules: dict[str, Rule] = field(default_factory=dict)
    disabled_plugins: tuple[str, ...] = ()  # kept out by CUTCLEAR_DISABLE_PLUGINS
    rules_off: tuple[str, ...] = ()  # rules the settings switch off for the locked cuts

    def assets_of(self, use: ClipUse) -> list[Asset]:
        """The assets (records, sidecars, plugins' sources) a clip use was judged against."""
        return self.provenance.get(use.media, [])

    @property
    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return counts

    @property
    def clips(self) -> list[ClipUse]:
        return [use for t in self.timelines for use in t.clips]

    @property
    def blocking(self) -> list[Finding]:
        """Findings at or above the fail level: what stops a commit or a conform."""
        return [f for f in self.findings if f.severity >= self.fail_on]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking else 0

    def raise_for_blocking(self) -> None:
        """Raise GateError listing the blocking findings, if there are any."""
        if self.blocking:
            from cutclear.output import text_line
            lines = "\n".join("  " + text_line(f) for f in self.blocking)
            raise GateError(f"cutclear: {len(self.blocking)} blocking finding"
                            f"{'' if len(self.blocking) == 1 else 's'}:\n{lines}",
                            self.blocking)


def mode_for(relpath: str, config: Config, forced: Mode | None) -> Mode:
    if forced is not None:
        return forced
    return Mode.LOCK if match_any(config.locked, relpath, ignore_case=True) else Mode.WIP


NO_CLIP = "not a timeline: it holds no clip, and a locked cut without clips is not a cut"


def resolve_paths(config: Config, paths: list[str], forced: Mode | None = None,
                  ) -> tuple[list[str], list[str]]:
    """Repo-relative timelines to check and every record file of the repo.

    Every `locked` glob, and the `records` globs when set, must match something in the
    repo: a typo in them would quietly unlock a cut or drop its records. Record files the
    `records` globs do not cover are returned too (`recordfile.load_records` reports them). A
    timeline outside the edit repo is accepted only when the mode is forced to lock (a
    delivered cut judged at conform against the repo's records); it is returned as an
    absolute path.
    """
    watch = {"locked": config.locked}
    if config.records != DEFAULT_RECORDS:
        watch["records"] = config.records
    repo = discover(config.root, config.records, config.exclude, locked=config.locked,
                    watch=watch)
    if repo.excluded_locked:
        raise ConfigError("\n".join(
            f"{config.path}: exclude: hides {rel}, which the locked globs make a locked cut: "
            "a locked cut is always checked; take it out of exclude (or out of locked)"
            for rel in repo.excluded_locked))
    if repo.unmatched:
        raise ConfigError("\n".join(
            f"{config.path}: {key}: {glob!r} matches no file or folder in the edit repo at "
            f"{config.root}: fix the glob (paths are relative to the settings file's folder)"
            for key, glob in repo.unmatched))
    records = sorted(repo.records + repo.strays)
    if not paths:
        return repo.timelines, records
    timelines: list[str] = []
    for path in paths:
        full = os.path.abspath(path)
        rel = os.path.relpath(full, config.root).replace(os.sep, "/")
        outside = rel == ".." or rel.startswith("../")
        if outside and forced is not Mode.LOCK:
            raise ConfigError(f"{path}: outside the edit repo at {config.root}")
        if not os.path.exists(full):
            raise ConfigError(f"{path}: no such file or folder")
        if not outside:
            _own_edit_repo(path, full, config)
        if os.path.isdir(full) and adapter_for(full) is None:
            if outside:
                found = discover(full, config.records, locked=("**",)).timelines
                timelines += [os.path.join(full, t).replace(os.sep, "/") for t in found]
            elif rel == ".":  # the edit repo itself: walked already
                timelines += repo.timelines
            else:
                timelines += discover(config.root, config.records, config.exclude,
                                      under=rel, locked=config.locked).timelines
        elif rel.lower().endswith(RECORD_SUFFIX):
            continue
        elif outside:
            timelines.append(full.replace(os.sep, "/"))
        elif (adapter_for(rel) != "fcp_xml" or mode_for(rel, config, forced) is Mode.LOCK
              or looks_like_fcp7(full)):
            timelines.append(rel)  # an unsupported format is reported as PV005
    return list(dict.fromkeys(timelines)), records


def _own_edit_repo(path: str, full: str, config: Config) -> None:
    """A path below settings of its own (a nested edit repo) is never judged by the outer
    repo's settings and records, which may exclude it or lack its consents."""
    found = find_config_file(full if os.path.isdir(full) else os.path.dirname(full))
    if found is not None and os.path.dirname(found[0]) != os.path.abspath(config.root):
        folder = os.path.dirname(found[0])
        raise ConfigError(f"{path}: belongs to the edit repo at {folder} (its own settings), "
                          f"not to {config.root}: check it there (--root {folder})")


class Engine:
    """Runs a selection of rules over records and timelines."""

    def __init__(self, config: Config, plugins: Plugins, selection: Selection, as_of: dt.date,
                 forced_mode: Mode | None = None, media_root: MediaRoot | None = None):
        self.config = config
        self.plugins = plugins
        self.media_root = media_root
        self.selection = selection
        self.forced_mode = forced_mode
        self.as_of = as_of
        self._asset_cache: dict[tuple[int, Mode], tuple[tuple[Rule, list[Problem]], ...]] = {}
        self._media_cache: dict[tuple[MediaIdentity, Mode],
                                tuple[tuple[Rule, list[Problem]], ...]] = {}
        self.scopes = Scopes(self._active)  # the active rules by what they declare
        self.provenance: dict[MediaIdentity, list[Asset]] = {}
        self.cached = False  # a cached run (the hook): plugins may keep media reads on disk

    def read(self, timelines: list[str], keep_items: bool = False, cache: bool = False,
             progress: Callable[[int, int, str], None] | None = None) -> list[TimelineRead]:
        """Read timeline files given relative to the repo root, each in its mode; with
        `cache`, timelines walked before with the same bytes are not read again.
        `progress(done, total, path)` is called before each file (a progress bar)."""
        self.cached = cache and not keep_items
        def read(rel: str) -> TimelineRead:
            full, mode = os.path.join(self.config.root, rel), mode_for(rel, self.config,
                                                                          self.forced_mode)
            if mode is Mode.LOCK and (problem := not_a_timeline(full)):
                return TimelineRead(rel, mode, error=problem)
            if cache and not keep_items:
                from cutclear.cache import cached_read
                result = cached_read(full, rel, mode, self.config.edl_rate,
                                     self.config.max_timeline_size)
            else:
                result = read_timeline(full, rel, mode, self.config.edl_rate, keep_items,
                                       max_bytes=self.config.max_timeline_size)
            if mode is Mode.LOCK and result.error is None and not result.clips:
                result.error = NO_CLIP  # an empty read passes every rule: never for a cut
            return result
        reads = []
        for done, rel in enumerate(timelines):
            if progress is not None:
                progress(done, len(timelines), rel)
            reads.append(read(rel))
        return reads

    def run(self, reads: list[TimelineRead], db: RecordDB) -> Report:
        """Judge timelines already read against the record database."""
        self._check_disabled(reads)
        # what one run worked out (assets by media, rule results by asset id and media)
        # is never reused by another, whose records differ (and an id may be reused)
        self.provenance, self._asset_cache, self._media_cache = {}, {}, {}
        ctx = Context(self.config, db, self.as_of, self.plugins, AssetIndex(db.assets),
                      self.media_root)
        ctx.cache["cutclear-cached-run"] = self.cached
        ctx.cache["cutclear-reads"] = reads  # for plugins that read media ahead, in parallel
        findings = self._record_findings(db, ctx, reads)
        for read in reads:
            findings += self._timeline_findings(read, ctx)
        findings.sort(key=Finding.sort_key)
        return Report(self.as_of, reads, findings, len(db.files), self.config.fail_on,
                      self.provenance, self.config, db, self.selection.rules,
                      tuple(self.plugins.disabled), self._rules_off(reads))

    def _rules_off(self, reads: list[TimelineRead]) -> tuple[str, ...]:
        """The rules a locked cut is held to that the settings switch off (select, ignore,
        [severity] = "off"): allowed, but a verdict without them must say so."""
        if not (self.forced_mode is Mode.LOCK or any(r.mode is Mode.LOCK for r in reads)):
            return ()
        c = self.config
        settings = Selection(self.selection.rules, c.select, c.extend_select, c.ignore,
                             c.severity)
        return tuple(sorted(code for code, rule in self.selection.rules.items()
                            if rule.lock is not Severity.OFF
                            and not settings.runs(rule, Mode.LOCK)))

    def _check_disabled(self, reads: list[TimelineRead]) -> None:
        """A locked cut is not judged without one of cutclear's own plugins unless the
        settings consent (allow-disabled-plugins): an environment variable left set in a
        shell must not quietly drop the rules a deliverable is held to."""
        off = [n for n in self.plugins.disabled_builtin
               if n not in self.config.allow_disabled_plugins]
        if off and (self.forced_mode is Mode.LOCK or any(r.mode is Mode.LOCK for r in reads)):
            raise PluginError(f"cutclear's own plugin{'s' if len(off) > 1 else ''} "
                              f"{', '.join(off)} disabled by CUTCLEAR_DISABLE_PLUGINS, and a "
                              "locked cut is checked: unset it, or list the plugin in "
                              f"allow-disabled-plugins in {self.config.file or 'the settings'}")

    def _call(self, rule: Rule, *args) -> list[Problem]:
        return self.plugins.check_rule(rule, *args)  # a failure stops the gate (exit 2)

    def _active(self, scope: str, mode: Mode) -> list[Rule]:
        return [r for r in self.selection.rules.values()
                if r.scope == scope and self.selection.runs(r, mode)]

    def _record_findings(self, db: RecordDB, ctx: Context,
                         reads: list[TimelineRead]) -> list[Finding]:
        # Record problems are judged at the strictest mode of the run.
        mode = Mode.LOCK if (self.forced_mode is Mode.LOCK or
                             any(r.mode is Mode.LOCK for r in reads)) else Mode.WIP
        findings = []
        for rule in self._active("records", mode):
            for p in self._call(rule, db, ctx):
                sev = self.selection.level(rule, mode, p)
                if sev is not Severity.OFF:
                    findings.append(Finding(rule.code, rule.name, sev, p.path or "", None,
                                            p.message, line=p.line))
        return findings

    def _timeline_findings(self, read: TimelineRead, ctx: Context) -> list[Finding]:
        mode = read.mode
        findings = []
        for rule in self._active("timeline", mode):
            for p in self._call(rule, read, ctx):
                findings.append(Finding(rule.code, rule.name, self.selection.level(rule, mode, p),
                                        read.path, mode, p.message))
        per_media: dict[MediaIdentity, Media] = {}
        for use in read.clips:
            media = per_media.get(use.media)
            if media is None:  # what is known of the media, once per media and timeline
                media = per_media[use.media] = self._media(use, mode, ctx)
            if media.use_rules:
                for rule, problems in self.plugins.check_rules(media.use_rules, use,
                                                               media.assets, ctx):
                    findings += self._stamp(rule, mode, use, None, problems)
            for rule, asset, problems in media.stamps:
                findings += self._stamp(rule, mode, use, asset, problems)
        return [f for f in findings if f.severity is not Severity.OFF]

    def _media(self, use: ClipUse, mode: Mode, ctx: Context) -> Media:
        """The assets of a use's media, the clip rules to call at each of its uses, and
        what the per-media clip rules and the asset rules find (stamped at every use)."""
        assets = self._provenance(use, ctx)
        use_rules, media_rules = self.scopes.clip_rules(mode, use, assets, ctx)
        stamps: list[tuple[Rule, Asset | None, list[Problem]]] = []
        if media_rules:
            key = (use.media, mode)  # per media, so the same in every timeline of the run
            if key not in self._media_cache:
                self._media_cache[key] = tuple(self.plugins.check_rules(media_rules, use,
                                                                        assets, ctx))
            stamps += [(rule, None, problems) for rule, problems in self._media_cache[key]]
        for asset in assets:  # what the asset rules say, once per asset
            stamps += [(rule, asset, problems) for rule, problems in self._asset_problems(
                asset, mode, self.scopes.asset_rules(mode, asset), ctx)]
        return Media(assets, use_rules, stamps)

    def _asset_problems(self, asset: Asset, mode: Mode, rules: list[Rule],
                        ctx: Context) -> tuple[tuple[Rule, list[Problem]], ...]:
        """The asset rules that find something about `asset`, once per asset and mode.
        Only findings are kept: most assets are clear, and an empty entry per rule and
        asset would outweigh the timeline itself on a series."""
        key = (id(asset), mode)
        if key not in self._asset_cache:
            self._asset_cache[key] = tuple(self.plugins.check_rules(rules, asset, ctx))
        return self._asset_cache[key]

    def _provenance(self, use: ClipUse, ctx: Context) -> list[Asset]:
        """Every asset any provenance plugin gives for the clip's media, asked once per
        distinct media in a run."""
        if use.media not in self.provenance:
            found = self.plugins.provenance(use, ctx)
            self.provenance[use.media] = list({id(a): a for a in found}.values())
        return self.provenance[use.media]

    def _stamp(self, rule: Rule, mode: Mode, use: ClipUse, asset: Asset | None,
               problems: list[Problem]) -> list[Finding]:
        """One finding per rule, clip use and asset: several problems are joined."""
        if not problems:
            return []
        severity = max(self.selection.level(rule, mode, p) for p in problems)
        message = "; ".join(p.message for p in problems)
        asset_id = asset.id if asset else problems[0].asset
        return [Finding(rule.code, rule.name, severity, use.timeline, mode, message,
                        track=use.track, clip=use.label, record_in=use.record_in,
                        record_out=use.record_out, asset=asset_id)]
