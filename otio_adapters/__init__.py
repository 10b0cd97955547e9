"""cutclear's OpenTimelineIO plugin: the conform gate and the annotator.

Registered through the `opentimelineio.plugins` entry point; OTIO reads
`plugin_manifest.json` beside this file and runs the hook scripts before every adapter
write. Both are off unless switched on, so installing cutclear changes nothing for other
OTIO users:

- `CUTCLEAR_GATE=1` (or the hook argument {"cutclear": {"gate": True}}, or
  `otioconvert -H cutclear_gate=True`): check the timeline
  being written as a locked cut; raise cutclear.GateError before anything is written.
- `CUTCLEAR_ANNOTATE=1` (or {"cutclear": {"annotate": true}}): write each clip's
  provenance and findings under metadata["cutclear"], and markers on flagged clips.

Further settings, as environment variables or keys of the "cutclear" argument map:
`CUTCLEAR_ROOT` / "root" (the edit repo; default: found from the current folder),
`CUTCLEAR_AS_OF` / "as_of", `CUTCLEAR_MEDIA_ROOT` / "media_root",
`CUTCLEAR_MARKERS=0` / "markers": false.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import OrderedDict
from dataclasses import dataclass

from cutclear.config import ConfigError, parse_date

TRUE = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class Settings:
    gate: bool = False
    annotate: bool = False
    root: str | None = None
    as_of: dt.date | None = None
    media_root: str | None = None
    markers: bool = True


def settings(argument_map: dict | None) -> Settings:
    """The switches from the hook arguments, else from the environment."""
    argument_map = argument_map or {}
    given = {k[len("cutclear_"):]: v for k, v in argument_map.items()
             if k.startswith("cutclear_")}  # otioconvert -H cutclear_gate=True
    table = argument_map.get("cutclear") or {}
    if not isinstance(table, dict):
        raise ConfigError(f"the 'cutclear' hook argument must be a dict, not {table!r}")
    given.update(table)
    env = os.environ

    def flag(key: str, default: bool) -> bool:
        value = given.get(key, env.get(f"CUTCLEAR_{key.upper()}"))
        if value is None:
            return default
        return value if isinstance(value, bool) else str(value).strip().lower() in TRUE

    as_of = given.get("as_of") or env.get("CUTCLEAR_AS_OF")
    return Settings(
        gate=flag("gate", False), annotate=flag("annotate", False),
        root=given.get("root") or env.get("CUTCLEAR_ROOT"),
        as_of=parse_date(str(as_of), "as_of") if as_of else None,
        media_root=given.get("media_root") or env.get("CUTCLEAR_MEDIA_ROOT"),
        markers=flag("markers", True))


# OTIO runs pre_adapter_write hooks twice for adapters that write through
# write_to_string (FCP7 XML, EDL), with a fresh argument map each time: remember the last
# few timelines checked (and annotated copies made) so that a cut is checked once.
_RECENT: OrderedDict[int, tuple[object, object, bool]] = OrderedDict()


def remember(timeline, report, annotated: bool = False) -> None:
    _RECENT[id(timeline)] = (timeline, report, annotated)  # holding it keeps its id unique
    while len(_RECENT) > 8:
        _RECENT.popitem(last=False)


def forget() -> None:
    """After a write: the next write of the same timeline object, changed or not, and
    under records that may have changed, is checked afresh."""
    _RECENT.clear()


def recalled(timeline) -> tuple[object, bool]:
    """(report, whether this is an annotated copy) for a timeline just handled."""
    entry = _RECENT.get(id(timeline))
    return (entry[1], entry[2]) if entry and entry[0] is timeline else (None, False)


def check(timeline, s: Settings):
    """Check the timeline being written as a locked cut; one report for both hooks."""
    report, _ = recalled(timeline)
    if report is None:
        from cutclear.api import check as run
        from cutclear.config import load_config
        from cutclear.model import Mode

        config = load_config(s.root or ".")
        if config.file is None:  # no records, no production: nothing could be cleared
            raise ConfigError(f"no cutclear settings (cutclear.toml or [tool.cutclear]) "
                              f"found from {os.path.abspath(s.root or '.')}: point "
                              "CUTCLEAR_ROOT (or the 'root' hook argument) at the edit repo")
        report = run([timeline], config=config, mode=Mode.LOCK, as_of=s.as_of,
                     media_root=s.media_root)
        remember(timeline, report)
    return report
