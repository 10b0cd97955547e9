"""FCP7 XML into a plan of the cut, read straight from the XML with lxml.

What otio-fcp-adapter 1.0 gets wrong is read here from the structure itself: nested
sequences at any depth and referenced before their definition, multicam clips (every
angle, each a nest of camera media), -1 edges under transitions, a nest's audio written
as one linked clipitem per output channel, Premiere's exploded stereo tracks, disabled
clips and tracks. The FCP7 conventions (which uses count, on which track) are in
docs/formats/fcp7.md; the census (census.py) counts the same file by those conventions
independently of this module.

A nest (or multicam clip) is built afresh at each use, holding only its tracks of the
use's kind: picture on a video track, sound on an audio track, as the NLE plays it.

The plan (`Timeline`, `Track`, `Clip`, `Nest`) is plain data laid out as OTIO lays out a
timeline: `uses` lists its clip uses directly (what `cutclear check` needs, without
building thousands of OTIO objects), `to_otio` turns it into the OTIO timeline that OTIO
tools and `keep_items` get. Both read the one plan, so they cannot disagree on what
is placed where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import opentimelineio as otio

from cutclear.readers.fcp7.plan import Clip, File, Nest, Timeline, Track
from cutclear.readers.fcp7.xml import (
    Document,
    Fcp7Error,
    as_number,
    enabled,
    first,
    number,
    rate,
    rate_fields,
    rate_of,
    stripped,
    text,
)

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
MAX_DEPTH = 64  # nests within nests; deeper is taken for a reference cycle
# A nest used twice in a nest used twice ... expands exponentially: a file that expands to
# more uses than any real cut is refused rather than left to run for hours.
MAX_USES = 2_000_000


@dataclass
class Builder:
    doc: Document
    _files: dict = field(default_factory=dict)
    _placed: int = 0

    # --- sequences and tracks ---------------------------------------------------------
    def timeline(self, seq) -> Timeline:
        seq_rate = rate(seq)
        tc = first(seq, "timecode")
        fmt = ""
        if tc is not None:
            start = RT(_tc_frame(tc, seq_rate), rate(tc, seq_rate))
            fmt = text(tc, "displayformat").upper()
            if fmt == "DF":
                _drop_frame_rate(tc, start.rate)
        else:
            start = RT(0, seq_rate)
        tracks = [t for kind in ("video", "audio") for t in self.tracks(seq, kind, 0)]
        return Timeline(text(seq, "name"), start, fmt if fmt in ("DF", "NDF") else "", tracks)

    def tracks(self, seq, kind: str, depth: int, fallback: float | None = None,
               window: tuple[float, float] | None = None) -> list[Track]:
        """The tracks of one kind of a sequence (or a multicam angle's clip; an angle
        without a rate of its own plays at the multicam clip's, `fallback`). A nest holds
        only what its use shows: the items within `window` (seconds of its own time)."""
        if depth > MAX_DEPTH:
            raise Fcp7Error(f"sequence {seq.get('id') or text(seq, 'name')!r} is nested in "
                            "itself (a reference cycle)")
        seq_rate = rate(seq, 0.0) or fallback
        media = seq.find(f"media/{kind}")
        if media is None:
            return []
        seen: set = set()  # linked channels of one use, across the audio tracks
        result = []
        for group in _channel_groups(media.findall("track"), kind):
            lanes = []
            for track in group:
                r = seq_rate or rate(track, 0.0) or _first_rate(track)
                placed = (self._place(item, kind, r, depth, seen, window) for item in track
                          if item.tag in ("clipitem", "generatoritem"))
                lanes.append((track, r, [p for p in placed if p is not None]))
            merged = [p for _, _, placed in lanes for p in placed]
            result += _tracks(group[0], kind, lanes[0][1], merged,
                              any(enabled(t) for t in group))
        return result

    # --- items ----------------------------------------------------------------------
    def _place(self, item, kind: str, seq_rate: float, depth: int, seen: set,
               window) -> Clip | Nest | None:
        """The item as placed on its track, or None: not seen through `window`, not
        media, another channel of a use already placed, or (counted by the census) an
        unresolved reference."""
        item = self.doc.resolve(item)
        if item is None:
            return None
        it = self.doc.item(item)
        s = it.span
        if s.cut_out <= s.cut_in or window is not None and (
                min(s.cut_out / seq_rate, window[1]) - max(s.cut_in / seq_rate, window[0])
                <= 1e-9):
            return None
        self._placed += 1
        if self._placed > MAX_USES:
            raise Fcp7Error(f"its nested sequences expand to more than {MAX_USES:,} items, "
                            "more than any real cut holds")
        item_rate = it.rate or seq_rate
        offset = s.cut_in - s.extent_in
        length = s.cut_out - s.cut_in
        name, on = it.name, it.enabled
        if item.tag == "generatoritem":
            return Clip(s.cut_in, s.cut_out, seq_rate, name, None,
                        text(item, "effect/effectid"), s.source_in, item_rate, offset, length,
                        on)
        target = self.doc.resolve(it.media) if it.media is not None else None
        if target is None:
            return None  # no media, or an unresolved reference: the census reports it
        what = it.media.tag
        if kind == "audio" and _duplicate(it.links, what, target, s.extent_in, seen):
            return None  # another channel of a use already placed
        if what == "file":
            media = self._files.get(target)  # lxml elements as keys stay alive, so unique
            if media is None:
                media = self._files[target] = _file(target, item_rate)
            return Clip(s.cut_in, s.cut_out, seq_rate, name or media.name, media, "",
                        s.source_in, item_rate, offset, length, on)
        src_start = RT(s.source_in, item_rate).rescaled_to(seq_rate) + RT(offset, seq_rate)
        rng = TR(src_start, RT(length, seq_rate))
        if what == "sequence":
            nest = self._nest(target, kind, rng, depth, name)
        else:
            nest = self._multicam(target, kind, rng, depth, name)
        nest.cut_in, nest.cut_out, nest.enabled = s.cut_in, s.cut_out, on
        return nest

    def _nest(self, seq, kind: str, rng, depth: int, name: str) -> Nest:
        inner = _inner(rng, seq)
        return Nest(0, 0, rng.duration.rate, name or text(seq, "name"), inner.start_time,
                    self.tracks(seq, kind, depth + 1, window=_seconds(inner)), True,
                    {"nest": seq.get("id") or ""})

    def _multicam(self, multiclip, kind: str, rng, depth: int, name: str) -> Nest:
        """Every angle of a multicam clip, as tracks of one nest: any angle is one switch
        away from the deliverable, so all are checked; angles the file names inactive
        are disabled."""
        inner = _inner(rng, multiclip)
        nest = Nest(0, 0, rng.duration.rate, name or text(multiclip, "name"),
                    inner.start_time, [], True, {"multicam": multiclip.get("id") or ""})
        active = _active_angles(multiclip, kind)
        for index, angle in enumerate(multiclip.findall("angle"), 1):
            for clip in angle:
                if clip.tag not in ("clip", "sequence"):
                    continue
                for track in self._angle_tracks(clip, kind, rng.duration.rate, depth,
                                                _seconds(inner)):
                    track.name = f"{text(angle, 'name') or text(clip, 'name')}: {track.name}"
                    track.enabled = track.enabled and (active is None or index in active)
                    nest.tracks.append(track)
        return nest

    def _angle_tracks(self, clip, kind: str, fallback: float, depth: int, window) -> list:
        clip = self.doc.resolve(clip)
        if clip is None:
            return []
        return self.tracks(clip, kind, depth + 1, fallback, window)


def _file(file, item_rate: float) -> File:
    """What a <file> says; its timecode start is kept at the rate of its first use. One
    pass over its children (a feature has 3,000 files), each field as `text` finds it: the
    first of its tag; the rate and the reel as `rate` and `text` find them under the
    first of their parents that has one."""
    kids: dict = {}
    rates, timecodes = [], []
    for child in file:
        tag = child.tag
        if tag == "rate":
            rates.append(child)
        elif tag == "timecode":
            timecodes.append(child)
        elif tag not in kids:
            kids[tag] = child
    timebase = ntsc = None
    for r in rates:
        timebase, ntsc = rate_fields(r, timebase, ntsc)
    file_rate = rate_of(timebase, ntsc, file, item_rate)
    tc_start = _tc_frame(timecodes[0], file_rate) if timecodes else 0
    reel = next((name for tc in timecodes for r in tc.iterchildren("reel")
                 for name in r.iterchildren("name")), None)
    url = stripped(kids.get("pathurl"))
    return File(stripped(kids.get("name")), url,
                "" if url else stripped(kids.get("mediaSource")), file_rate, tc_start,
                as_number(stripped(kids.get("duration")), "duration", file) or 0,
                stripped(reel), round(tc_start * item_rate / file_rate))


def _duplicate(links: frozenset[str], what: str, target, start: int, seen: set) -> bool:
    """Linked audio clipitems of the same media at the same record start are the channels
    of one use (a stereo pair, a nest's audio per output channel)."""
    if not links:
        return False
    key = (links, what, target, start)  # the key keeps `target` alive
    if key in seen:
        return True
    seen.add(key)
    return False


def _channel_groups(tracks: list, kind: str) -> list[list]:
    """Premiere writes a stereo track as two mono tracks ("exploded"): group them back
    into the one track the editor sees. Other tracks stand alone."""
    groups: list[list] = []
    for track in tracks:
        index = track.get("currentExplodedTrackIndex")
        if kind == "audio" and index not in (None, "0") and groups and \
                len(groups[-1]) < int(groups[-1][0].get("totalExplodedTrackCount") or 1):
            groups[-1].append(track)
        else:
            groups.append([track])
    return groups


def _tracks(track_el, kind: str, track_rate: float, placed: list, on: bool) -> list[Track]:
    """One track for a track of the file (or an exploded group). Premiere writes
    linked audio that overlaps the next clip by a few frames (the sound of a dissolve):
    the earlier clip is cut where the later one starts, so nothing after it drifts. A clip
    wholly under another goes on a track of its own after this one, so it is still checked.
    """
    lanes: list[list] = [[]]
    for p in sorted(placed, key=lambda p: (p.cut_in, p.cut_out)):
        for lane in lanes:
            if not lane or p.cut_in >= lane[-1].cut_out:
                lane.append(p)
                break
            if p.cut_in > lane[-1].cut_in:
                _trim(lane[-1], p.cut_in)
                lane.append(p)
                break
        else:
            lanes.append([p])
    name = text(track_el, "name")
    return [Track(name, kind, track_rate, on, lane) for lane in lanes]


def _trim(item: Clip | Nest, cut_out: int) -> None:
    item.cut_out = cut_out


def _seconds(rng) -> tuple[float, float]:
    return rng.start_time.to_seconds(), rng.end_time_exclusive().to_seconds()


def _inner(rng, container):
    """A nest's or multicam clip's source range in its own frames."""
    inner_rate = rate(container, rng.duration.rate)
    return TR(rng.start_time.rescaled_to(inner_rate), rng.duration)


def _active_angles(multiclip, kind: str) -> set[int] | None:
    """The angles a multicam clip plays for `kind`, where the file says so."""
    tag = "activevideoangle" if kind == "video" else "activeaudioangle"
    index = number(multiclip, tag) if multiclip.find(tag) is not None else None
    if index is not None:
        return {index}
    marked = {i for i, angle in enumerate(multiclip.findall("angle"), 1)
              if text(angle, tag).upper() == "TRUE"}
    return marked or None


def _first_rate(track) -> float:
    for item in track:
        if item.find("rate") is not None:
            return rate(item)
    return 24.0


def _drop_frame_rate(tc, tc_rate: float) -> None:
    """A sequence timecode said to be drop-frame (DF) at a rate that has none (23.976, say)
    is a contradiction the timecodes of its clips cannot be given in: refused, located
    (OTIO would raise while formatting them)."""
    smpte = RT.nearest_smpte_timecode_rate(tc_rate)
    if float(smpte).is_integer():
        return  # 24, 25, 30...: no drop-frame to contradict; shown non-drop, as before
    try:
        otio.opentime.to_timecode(RT(0, smpte), smpte, True)
    except ValueError:
        raise Fcp7Error(f"<timecode> at line {tc.sourceline} says drop-frame (DF) at "
                        f"{tc_rate:g} fps, a rate without drop-frame timecode") from None


def _tc_frame(tc, fallback_rate: float) -> int:
    frame = number(tc, "frame")
    if frame is not None:
        return frame
    value = text(tc, "string")
    if not value:
        return 0
    try:
        return otio.opentime.from_timecode(value.replace(";", ":"),
                                           rate(tc, fallback_rate)).to_frames()
    except ValueError:
        raise Fcp7Error(f"timecode {value!r} at line {tc.sourceline} is not valid") from None
