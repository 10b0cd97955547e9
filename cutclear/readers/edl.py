"""CMX 3600 EDLs (Avid, Premiere, Resolve, Nucoda conform lists), read by cutclear itself.

otio-cmx3600-adapter 1.0 refuses the EDLs Avid writes for TV series (audio events whose
source and record durations differ, overlapping record-ins, M2 speed changes, 32-character
reels without an FCM line), reads `:`-separated 29.97 timecode as drop-frame, puts a
`NONE` channel on a video track and keeps `AUD 3 4` channels as comments only. The format
is line-based, so cutclear parses the event lines itself (`cutclear.readers.cmx`) and
builds the OTIO tracks from them; the census counts the same event lines and their
channels. The conventions are in docs/formats/edl.md.
"""

from __future__ import annotations

import json

import opentimelineio as otio

from cutclear.readers.base import Census, Read, Source, TimelineError
from cutclear.readers.cmx import Placement, parse

NOT_A_REEL = frozenset({"AX", ""})  # Premiere's auxiliary source: the clip name says it all
DEFAULT_KEY = otio.schema.Clip.DEFAULT_MEDIA_KEY


def read(source: Source, options: dict) -> Read:
    rate = options.get("edl_rate")
    if rate is None:
        raise TimelineError("an EDL does not state its frame rate: set edl-rate in the "
                            "cutclear settings or pass --rate (e.g. --rate 24)")
    if source.data is None:
        raise TimelineError("an EDL is a text file, not a folder")
    edl = parse(source.data, float(rate))
    census = Census(sum(len(p.channels) for p in edl.placements), dict(edl.unplaced))
    return Read(_timeline(edl), census=census, namespaces=frozenset({"cmx_3600"}))


def _timeline(edl) -> otio.schema.Timeline:
    """One OTIO track per channel (V1, A1, A2, A3...), each holding its events at their
    record timecode; events that overlap on a channel go on a further track of the same
    channel (labelled alike), so that none is lost.

    The clips and gaps are written as OTIO JSON and built by OTIO's C++ reader, a few
    hundred a call: made one Python object at a time, each clip's metadata alone cost
    about 40 us in OTIO's Python conversion of dictionaries (more than the parse of its
    event line). That reader parses some doubles one bit off, so only integers and
    strings go through it as they are: a rate that does not come back exact is set again
    on every item, and speeds (metadata and effect) are added afterwards."""
    rate = edl.rate
    origin = min((p.rec_in for p in edl.placements), default=0)
    lanes: dict[str, list[list[Placement]]] = {}
    for p in sorted(edl.placements, key=lambda p: (p.rec_in, p.line)):
        for channel in p.channels:
            tracks = lanes.setdefault(channel, [])
            lane = next((t for t in tracks if t[-1].rec_out <= p.rec_in), None)
            if lane is None:
                tracks.append([p])
            else:
                lane.append(p)
    exact = _comes_back(rate)
    tl = otio.schema.Timeline(name=edl.title, global_start_time=otio.opentime.RationalTime(
        origin, rate))
    tl.metadata["cutclear"] = {"displayformat": "DF" if edl.drop_frame else "NDF"}
    for channel in sorted(lanes, key=_channel_order):
        for placements in lanes[channel]:
            tl.tracks.append(_track(channel, placements, origin, rate, exact))
    return tl


def _comes_back(rate: float) -> bool:
    """Whether OTIO's JSON reader reads `rate` back as the same double."""
    doc = json.dumps({"OTIO_SCHEMA": "RationalTime.1", "rate": rate, "value": 0})
    return otio.core.deserialize_json_from_string(doc).rate == rate


def _channel_order(channel: str) -> tuple[int, int]:
    return (channel[0] != "V", int(channel[1:]))


_RANGE = ('{"OTIO_SCHEMA":"TimeRange.1","start_time":{"OTIO_SCHEMA":"RationalTime.1",'
          '"rate":%s,"value":%d},"duration":{"OTIO_SCHEMA":"RationalTime.1","rate":%s,'
          '"value":%d}}')
_GAP = '{"OTIO_SCHEMA":"Gap.1","name":"","source_range":%s}'
_CLIP = ('{"OTIO_SCHEMA":"Clip.2","name":%s,"metadata":{"cmx_3600":%s},"source_range":%s,'
         '"media_references":{%s:%s},"active_media_reference_key":%s}')
_PART = '{"OTIO_SCHEMA":"Track.1","kind":"Video","children":[%s]}'
CHUNK = 256  # items per call of OTIO's JSON reader, which holds a call's whole document


def _range(start: int, duration: int, rate: str) -> str:
    return _RANGE % (rate, start, rate, duration)


def _track(channel: str, placements: list[Placement], origin: int, rate: float,
           exact: bool) -> otio.schema.Track:
    """The track of one channel lane: its clips and the gaps before them, made from OTIO
    JSON text (templates, not a tree of dictionaries for json.dumps) a chunk at a time, so
    that no more than CHUNK items are held as text and as OTIO's parse at once."""
    kind = otio.schema.TrackKind.Video if channel[0] == "V" else otio.schema.TrackKind.Audio
    track = otio.schema.Track(name=channel, kind=kind,
                              metadata={"cmx_3600": {"channel": channel}})
    items: list[tuple[int, int, Placement | None]] = []  # source start, duration, event
    cursor = origin
    for p in placements:
        if p.rec_in > cursor:
            items.append((0, p.rec_in - cursor, None))
        items.append((p.src_in, p.duration, p))
        cursor = p.rec_out
    rate_text = json.dumps(float(rate))
    for first in range(0, len(items), CHUNK):
        chunk = items[first:first + CHUNK]
        part = otio.core.deserialize_json_from_string(_PART % ",".join(
            _GAP % _range(0, duration, rate_text) if p is None
            else _clip(p, channel, rate_text) for _, duration, p in chunk))
        built = list(part)
        if len(built) != len(chunk):
            raise TimelineError("OTIO built fewer items than the EDL's track holds")
        del part[:]
        for item, (start, duration, p) in zip(built, chunk, strict=True):
            if not exact:
                item.source_range = otio.opentime.TimeRange(
                    otio.opentime.RationalTime(start, rate),
                    otio.opentime.RationalTime(duration, rate))
            if p is not None and p.speed is not None:
                item.metadata["cmx_3600"]["speed"] = p.speed
                item.effects.append(otio.schema.FreezeFrame() if p.speed == 0 else
                                    otio.schema.LinearTimeWarp(time_scalar=p.speed / rate))
        track.extend(built)
    return track


def _clip(p: Placement, channel: str, rate: str) -> str:
    """The clip of one event on one channel, as OTIO JSON. Its source range starts at the
    event's source in and lasts as long as the event is on the record side: the record
    span is what the viewer sees, whatever the speed (its effect is added by
    `_timeline`)."""
    if p.path:
        ref = json.dumps({"OTIO_SCHEMA": "ExternalReference.1", "target_url": p.path})
    else:
        ref = '{"OTIO_SCHEMA":"MissingReference.1"}'
    md = {"event": p.event, "line": p.line, "channel": channel, "notes": list(p.comments)}
    if p.reel not in NOT_A_REEL:
        md["reel"] = p.reel
    key = json.dumps(DEFAULT_KEY)
    return _CLIP % (json.dumps(p.name or p.reel), json.dumps(md),
                    _range(p.src_in, p.duration, rate), key, ref, key)
