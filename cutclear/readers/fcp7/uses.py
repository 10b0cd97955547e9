"""The clip uses of a plan (plan.py), listed without building OTIO objects.

`cutclear check` needs only where each clip sits, what media it plays and whether it is
enabled; making 10,000 OTIO clips, gaps and references to walk them once cost four times
the parse. This module places the plan's clips exactly as `readers.walk` places the OTIO
timeline `to_otio` makes of the same plan (the same seconds, summed in the same order, the
same windows through nests, the same checks of every time, the same track labels), so
either way gives the same uses; tests/test_fcp7_fast.py holds them to it on every real
export. The census checks the count either way.
"""

from __future__ import annotations

import math
from functools import lru_cache

import opentimelineio as otio

from cutclear.media import identity
from cutclear.model import ClipUse
from cutclear.readers.base import TimelineError
from cutclear.readers.fcp7.plan import Clip, Nest, Timeline, Track

MAX_SECONDS = 1e7  # as readers.walk: no time in a real cut comes near it
LABELS = {"video": "V", "audio": "A"}


def clip_uses(plans: list[Timeline], relpath: str, hidden: list) -> list[ClipUse]:
    """Every clip use of the file's timelines, in the order `walk` gives them. Media clips
    out of sight (trimmed away by a nest) are appended to `hidden`."""
    from cutclear.readers.walk import Timecode  # walk imports this package (its guard)

    found: list[ClipUse] = []
    identities: dict = {}  # media identity by (file, use name)
    several = len(plans) > 1
    for tl in plans:
        sequence = tl.name if several else ""
        prefix = f"{sequence}/" if several else ""
        start = tl.start
        if not (math.isfinite(start.rate) and start.rate > 0 and math.isfinite(start.value)):
            raise TimelineError(f"the timeline starts at rate {start.rate:g}: not a usable "
                                "rate")
        fmt = formatter(Timecode(start.rate, tl.displayformat == "DF" if tl.displayformat
                                 else None), start.rate)
        counts = {"video": 0, "audio": 0}
        for track in tl.tracks:
            counts[track.kind] += 1
            label = f"{prefix}{LABELS[track.kind]}{counts[track.kind]}"

            def use(clip: Clip, rec_in: float, rec_out: float, on: bool, label=label,
                    name=track.name, fmt=fmt, sequence=sequence) -> None:
                key = (id(clip.file), clip.name)  # the plan keeps its files alive
                media = identities.get(key)
                if media is None:
                    file = clip.file  # as walk's clip_media reads to_otio's reference
                    media = identities[key] = identity(file.url or file.name, file.reel,
                                                       clip.name)
                found.append(ClipUse(relpath, sequence, label, name, fmt(rec_in),
                                     fmt(rec_out), media, on))

            _track(track, start.to_seconds(), None, True, hidden, use)
    return found


def formatter(tc, rate: float):
    """`tc.format` (walk's Timecode at the timeline's `rate`), computed by integer
    arithmetic at the whole-number SMPTE rates (24, 25, 30, 48, 50, 60: never drop-frame),
    as OTIO's to_timecode gives them there, which costs 20 times as much; anything else
    (a negative time, a day or more, other rates) is left to `tc.format`, once per
    instant (a clip's out is often the next one's in). tests/test_fcp7_fast.py holds the
    two to the same strings."""
    slow = lru_cache(maxsize=None)(tc.format)
    if not float(rate).is_integer() or \
            otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate) != rate:
        return slow
    fps = int(rate)
    day = fps * 86400  # OTIO's timecode rolls over after 24 hours

    def fmt(seconds: float) -> str:
        frames = round(seconds * rate)
        if not 0 <= frames < day:
            return slow(seconds)
        seconds_, frame = divmod(frames, fps)
        minutes, seconds_ = divmod(seconds_, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours:02d}:{minutes:02d}:{seconds_:02d}:{frame:02d}"

    return fmt


def _track(track: Track, offset: float, window, enabled: bool, hidden: list, use) -> None:
    """use(clip, start, end, enabled) in top-level seconds for each media clip of a track
    whose frame 0 sits at `offset`, seen through `window` (None: all of it). Every time
    is checked as walk checks it (`_check`), inline: this loop runs once per clip."""
    enabled = enabled and track.enabled
    position = 0.0
    at = 0  # frames of the track filled so far
    for item in track.items:
        cut_in = item.cut_in
        if cut_in > at:  # a gap
            gap = (cut_in - at) / track.rate
            if gap > MAX_SECONDS:
                _check(cut_in - at, track.rate, "")
            position += gap
        at = item.cut_out
        duration = (at - cut_in) / item.rate
        if not 0 <= duration <= MAX_SECONDS:
            _check(at - cut_in, item.rate, item.name, duration=True)
        start = offset + position
        position += duration
        if isinstance(item, Clip):
            source = _clip_start(item)  # to_otio's source start, which walk checks too
            if abs(source / item.rate) > MAX_SECONDS:
                _check(source, item.rate, item.name)
            if item.file is None or item.file.generator:
                continue  # rendered, not media
            if window is not None:
                seen = _intersect(start, start + duration, window)
                if seen is None:
                    hidden.append(item)
                    continue
                use(item, seen[0], seen[1], enabled and item.enabled)
            else:
                use(item, start, start + duration, enabled and item.enabled)
            continue
        _check(item.start.value, item.start.rate, item.name)
        seen = _intersect(start, start + duration, window)
        if seen is None:
            hidden.extend(_media_in(item))
            continue
        _nest(item, start - item.start.to_seconds(), seen, enabled, hidden, use)


def _nest(nest: Nest, offset: float, window, enabled: bool, hidden: list, use) -> None:
    """A nest's tracks, each from its own start at `offset`, seen through `window`."""
    enabled = enabled and nest.enabled
    for track in nest.tracks:
        duration = _track_duration(track)
        _check(duration.value, duration.rate, track.name, duration=True)
        seen = _intersect(offset, offset + duration.to_seconds(), window)
        if seen is None:
            hidden.extend(c for item in track.items for c in _media_in(item))
            continue
        _track(track, offset, seen, enabled, hidden, use)


def _track_duration(track: Track):
    """A track's length as OTIO sums it (its gaps and items, rescaled to the faster rate
    where they differ)."""
    rates = {track.rate, *(item.rate for item in track.items)}
    # the last cut point is the length only where the first item starts at or after
    # frame 0: one that starts before it is placed at 0 (no gap), as OTIO lays it out
    if len(rates) == 1 and (not track.items or track.items[0].cut_in >= 0):
        return otio.opentime.RationalTime(track.items[-1].cut_out if track.items else 0,
                                          track.rate)
    total = otio.opentime.RationalTime()
    at = 0
    for item in track.items:
        if item.cut_in > at:
            total += otio.opentime.RationalTime(item.cut_in - at, track.rate)
        total += otio.opentime.RationalTime(item.duration, item.rate)
        at = item.cut_out
    return total


def _media_in(item) -> list[Clip]:
    """The media clips in an item, at any depth (what OTIO's find_clips finds)."""
    if isinstance(item, Clip):
        return [item] if item.media else []
    return [c for t in item.tracks for i in t.items for c in _media_in(i)]


def _clip_start(clip: Clip) -> float:
    """The source start to_otio gives the clip, in frames at its rate."""
    start = clip.source_in * clip.rate / clip.item_rate + clip.offset
    if clip.media:
        start += clip.file.tc_start * clip.rate / clip.item_rate
    return start


def _check(value: float, rate: float, name: str, duration: bool = False) -> float:
    """value / rate, refused where walk's range check refuses a time (or a duration)."""
    if abs(value / rate) > MAX_SECONDS:
        raise TimelineError(f"item {name!r} has a time of {value:g} frames at {rate:g} fps: "
                            "not a plausible time in a cut")
    if duration and value < 0:
        raise TimelineError(f"item {name!r} has a negative duration ({value:g} frames)")
    return value / rate


def _intersect(start: float, end: float, window):
    if window is None:
        return start, end
    start, end = max(start, window[0]), min(end, window[1])
    return (start, end) if end - start > 1e-9 else None
