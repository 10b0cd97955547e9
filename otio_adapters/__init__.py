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
`CUTCLEAR_ROOT` / "root" (the edit repo, the folder holding its settings; default: found
from the current folder), `CUTCLEAR_AS_OF` / "as_of", `CUTCLEAR_MEDIA_ROOT` /
"media_root", `CUTCLEAR_MARKERS=0` / "markers": false.

A switch takes true/false words only (1, true, yes, on / 0, false, no, off; empty means
unset): anything else, a typo of "true" included, refuses the write, since a gate that a
typo switches off passes every cut. A refusal is a `Refused` error, a cutclear.GateError
and an OTIO error both: OTIO's console tools print its message (the findings and what
to do) and exit 1, without a Python traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import OrderedDict
from dataclasses import dataclass

import opentimelineio as otio

from cutclear.config import ConfigError, parse_date, require_settings_in
from cutclear.model import GateError

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


class Refused(GateError, otio.exceptions.OTIOError):
    """The gate refused a write. The message is the whole story: when nothing catches the
    refusal (otioconvert and OTIO's other console tools do not), the process prints the
    message alone, without a Python traceback, and exits 1."""

    __module__ = "cutclear"

    def __init__(self, message: str, findings: list | None = None):
        super().__init__(message, findings)
        _print_refusals_plainly()


def _print_refusals_plainly() -> None:
    """Make an uncaught refusal print as `ERROR: <message>`; other errors as before."""
    previous = sys.excepthook
    if getattr(previous, "cutclear_refusals", False):
        return

    def excepthook(kind, value, tb):
        if isinstance(value, Refused):
            sys.stderr.write(f"ERROR: {value}\n")
        else:
            previous(kind, value, tb)
    excepthook.cutclear_refusals = True
    sys.excepthook = excepthook


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
    origin = {k: f"cutclear_{k}" for k in given}
    given.update(table)
    origin.update({k: f"the 'cutclear' hook argument's {k!r}" for k in table})
    env = os.environ

    def flag(key: str, default: bool) -> bool:
        name = origin[key] if key in given else f"CUTCLEAR_{key.upper()}"
        value = given.get(key, env.get(f"CUTCLEAR_{key.upper()}"))
        if isinstance(value, bool):
            return value
        word = value.strip().lower() if isinstance(value, str) else \
            str(value) if isinstance(value, int) else None
        if word in TRUE or word in FALSE:
            return word in TRUE
        if value is None or word == "":
            return default
        raise ConfigError(f"{name}: {value!r} is not a true/false word (1, true, yes, on / "
                          "0, false, no, off)")

    as_of = given.get("as_of") or env.get("CUTCLEAR_AS_OF")
    return Settings(
        gate=flag("gate", False), annotate=flag("annotate", False),
        root=given.get("root") or env.get("CUTCLEAR_ROOT"),
        as_of=parse_date(str(as_of), "as_of") if as_of else None,
        media_root=given.get("media_root") or env.get("CUTCLEAR_MEDIA_ROOT"),
        markers=flag("markers", True))


# OTIO runs pre_adapter_write hooks twice for adapters that write through
# write_to_string (FCP7 XML, EDL), with a fresh argument map each time: remember the
# timelines checked (and annotated copies made) during one write so that a cut is checked
# once. A memo belongs to the write call it was made in: OTIO runs no post-write hook when
# the adapter fails, so a memo of a failed write must not pass the next one.
_RECENT: OrderedDict[int, tuple[object, object, bool, object]] = OrderedDict()
_WRITES = frozenset({otio.adapters.Adapter.write_to_file.__code__,
                     otio.adapters.Adapter.write_to_string.__code__})


def _write_call():
    """The frame of the outermost OTIO adapter write running now (None outside a write)."""
    frame, outer = sys._getframe(1), None
    while frame is not None:
        if frame.f_code in _WRITES:
            outer = frame
        frame = frame.f_back
    return outer


def remember(timeline, report, annotated: bool = False) -> None:
    write = _write_call()
    for key in [k for k, entry in _RECENT.items() if entry[3] is not write]:
        del _RECENT[key]  # memos of an earlier write, finished or failed
    if write is not None:  # holding the timeline keeps its id unique
        _RECENT[id(timeline)] = (timeline, report, annotated, write)
    while len(_RECENT) > 8:
        _RECENT.popitem(last=False)


def forget() -> None:
    """After a write: the next write of the same timeline object, changed or not, and
    under records that may have changed, is checked afresh."""
    _RECENT.clear()


def recalled(timeline) -> tuple[object, bool]:
    """(report, whether this is an annotated copy) for a timeline handled earlier in the
    same write."""
    entry = _RECENT.get(id(timeline))
    write = _write_call()
    if entry and entry[0] is timeline and write is not None and entry[3] is write:
        return entry[1], entry[2]
    return None, False


def check(timeline, s: Settings):
    """Check the timeline being written as a locked cut; one report for both hooks."""
    report, _ = recalled(timeline)
    if report is None:
        from cutclear.api import check as run
        from cutclear.config import load_config
        from cutclear.model import Mode

        if s.root is None:  # an in-memory timeline says nothing of where it came from
            raise ConfigError("the conform gate does not know which edit repo the cut "
                              "belongs to: set CUTCLEAR_ROOT (or -H cutclear_root=DIR, or "
                              "the 'root' hook argument) to the edit repo's folder")
        require_settings_in(s.root, "CUTCLEAR_ROOT")
        config = load_config(s.root, root=s.root)
        report = run([timeline], config=config, mode=Mode.LOCK, as_of=s.as_of,
                     media_root=s.media_root)
        if report.disabled_plugins:  # the gate is silent when all is clear: not about this
            print("cutclear: warning: Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                  f"{', '.join(report.disabled_plugins)}.", file=sys.stderr)
        remember(timeline, report)
    return report
