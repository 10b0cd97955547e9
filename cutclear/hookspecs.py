"""The hook specifications: the whole contract between cutclear and its plugins.

A plugin is a module (or object) with functions marked `@cutclear.hookimpl`, named after
the specifications below, announced under the `cutclear` entry-point group of its
distribution:

    [project.entry-points.cutclear]
    rights-registry = "rights_registry.plugin"

cutclear's own behaviour is built on the same hooks: the built-in rules
(`cutclear.plugins.ga`, ...), the *.genai.xml records and XMP sidecars as provenance
(`cutclear.plugins.records`, `cutclear.plugins.xmp`), and the text and JSON reports
(`cutclear.plugins.formats`). Every hook is called by cutclear's plugin manager, which
names the plugin in the error when an implementation raises (exit 2). Hook wrappers are
not supported. The typed records passed and returned live in `cutclear.model`
(`Rule`, `Problem`, `ClipUse`, `Finding`) and `cutclear.records` (`Asset`, `Consent`,
`Approval`, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

from cutclear.model import ClipUse, Rule

if TYPE_CHECKING:
    from cutclear.clearance import Context
    from cutclear.config import Config
    from cutclear.engine import Report
    from cutclear.records import Approval, Asset, Consent

hookspec = pluggy.HookspecMarker("cutclear")
hookimpl = pluggy.HookimplMarker("cutclear")


@hookspec
def cutclear_configure(config: Config, settings: dict) -> None:
    """Receive the configuration before anything is checked.

    Called once per run, with the whole `Config` and this plugin's own table of settings,
    `[tool.cutclear.plugins.<name>]` (an empty dict when there is none). Raise
    `cutclear.config.ConfigError` for a bad setting: the run stops with exit 2 and the
    message. Returns nothing.
    """


@hookspec
def cutclear_rules() -> list[Rule]:
    """Return the rules this plugin adds to the catalogue.

    Called once when the plugin manager collects rules. Every plugin's list is kept (not
    first-result). Codes must be unique across all plugins: a collision is an error naming
    both plugins. See `cutclear.model.Rule` for the `check` signature of each scope, and
    for what a rule may declare to be called less often (`can_flag`, `per_media`: without
    them a clip rule is called at every clip use); a declaration cutclear cannot read is
    an error naming the plugin.
    """


@hookspec
def cutclear_provenance(clip: ClipUse, ctx: Context) -> list[Asset] | None:
    """Return the provenance records (`Asset`s) that describe this clip's media.

    Called once per distinct media identity (path, name, reel, clip name, source ids) in a
    run; every plugin's answer is kept and the clip is checked against all the assets
    returned (the more restrictive reading wins: PV003 when their origin classes differ).
    Read them from anywhere: sidecar files, embedded media metadata, an asset database.
    Return None or [] when this plugin knows nothing of the clip. `ctx` gives the
    configuration, the record database and the date judged at.
    """


@hookspec(firstresult=True)
def cutclear_consents(person: str, ctx: Context) -> list[Consent] | None:
    """Look up the consents a performer has given, in an external registry.

    First answer wins, in registration order (the *.genai.xml records answer first):
    a non-empty list means found, an empty list means this registry knows the person
    and there is definitely no consent, None means do not know (the next plugin is
    asked). The consents returned are judged exactly as record consents are (TL002 scope,
    TL003 currency, TL004 form). Called at most once per person in a run.
    """


@hookspec(firstresult=True)
def cutclear_approvals(asset: Asset, ctx: Context) -> list[Approval] | None:
    """Look up the written approvals that apply to an asset, in an external registry.

    First answer wins, as for `cutclear_consents`: a list (found, or definitely none when
    empty) or None (do not know). Approvals returned are judged as record approvals are
    (status, production, dates, `assets` naming the asset). Called at most once per asset
    in a run.
    """


@hookspec
def cutclear_output_formats() -> dict[str, Callable[[Report], str]]:
    """Return report formats this plugin adds, by name, for `--format NAME`.

    Each formatter takes the `cutclear.engine.Report` of a run and returns the text to
    print or write to `--output`: the findings, the timelines and clip uses read, the
    assets each use was judged against (`report.assets_of(use)`), the settings
    (`report.config`), the records (`report.db`) and the rule catalogue (`report.rules`),
    as the built-in formats read them (`cutclear.reports`). Names must be unique across
    plugins. Called once per `cutclear check` or `cutclear conform` run.
    """
