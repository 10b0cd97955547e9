"""Attach each clip's provenance and findings to an OTIO timeline, as plain metadata.

Under the `cutclear` metadata namespace, as dicts, lists and strings only: any OTIO tool
reads them without cutclear's schemas, and `.otio` exports carry them. Flagged clips can
also get markers, the one annotation that FCP7 XML and EDL exports keep.
"""

from __future__ import annotations

import copy

import opentimelineio as otio

from cutclear.engine import Report
from cutclear.model import ClipUse, Finding, Mode, Severity
from cutclear.readers.walk import walk

NAMESPACE = "cutclear"
MARKER_COLOURS = {Severity.ERROR: otio.schema.MarkerColor.RED,
                  Severity.WARNING: otio.schema.MarkerColor.ORANGE}


def annotated_copy(timeline, report: Report, markers: bool = True):
    """A copy of `timeline` (checked as `report`'s in-memory timeline) with every clip's
    provenance and findings under metadata["cutclear"]; the original is left untouched."""
    name = getattr(timeline, "name", "") or "<timeline>"
    read = next(t for t in report.timelines if t.path == name)
    result = copy.deepcopy(timeline)
    by_use: dict[tuple, list[Finding]] = {}
    for f in report.findings:
        by_use.setdefault((f.path, f.track, f.record_in, f.clip), []).append(f)
    # OTIO hands out a new Python wrapper for a clip each time unless one is alive, and a
    # freed wrapper's id() is soon another clip's: hold every clip annotated, so that an
    # id seen again is the same clip (an EDL event on several audio channels), not a
    # stranger that inherited a dead one's address.
    done: dict[int, object] = {}
    # the copy walks in the same order as the original: pair them up
    for use, twin in zip(read.clips, walk(result, name), strict=True):
        if done.get(id(twin.item)) is twin.item:
            continue
        done[id(twin.item)] = twin.item
        findings = by_use.get((use.timeline, use.track, use.record_in, use.label), [])
        _annotate(twin.item, use, read.mode, report, findings, markers)
    return result


def _annotate(clip, use: ClipUse, mode: Mode, report: Report, findings: list[Finding],
              markers: bool) -> None:
    clip.metadata[NAMESPACE] = {
        "version": 1,
        "as_of": report.as_of.isoformat(),
        "mode": str(mode),
        "assets": [{"id": a.id, "origin": a.origin, "class": a.origin_class, "stage": a.stage,
                    "record": f"{a.source.path}:{a.source.line}"}
                   for a in report.assets_of(use)],
        "findings": [{"rule": f.rule, "name": f.name, "severity": str(f.severity),
                      "asset": f.asset, "message": f.message} for f in findings],
    }
    # markers of an earlier annotation are replaced, not added to
    kept = [m for m in clip.markers if NAMESPACE not in m.metadata]
    if len(kept) != len(clip.markers):
        clip.markers[:] = kept
    worst = max((f.severity for f in findings), default=Severity.OFF)
    if markers and worst in MARKER_COLOURS:
        codes = " ".join(sorted({f.rule for f in findings if f.severity >= Severity.WARNING}))
        clip.markers.append(otio.schema.Marker(
            name=f"cutclear {codes}", color=MARKER_COLOURS[worst],
            marked_range=otio.opentime.TimeRange(clip.trimmed_range().start_time,
                                                 otio.opentime.RationalTime(
                                                     0, clip.trimmed_range().duration.rate)),
            metadata={NAMESPACE: {"rules": codes.split()}}))
