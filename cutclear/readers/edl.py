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

import opentimelineio as otio

from cutclear.readers.base import Census, Read, Source, TimelineError
from cutclear.readers.cmx import Placement, parse

NOT_A_REEL = frozenset({"AX", ""})  # Premiere's auxiliary source: the clip name says it all


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
    channel (labelled alike), so that none is lost."""
    rate = edl.rate
    origin = min((p.rec_in for p in edl.placements), default=0)
    tl = otio.schema.Timeline(name=edl.title, global_start_time=otio.opentime.RationalTime(
        origin, rate))
    tl.metadata["cutclear"] = {"displayformat": "DF" if edl.drop_frame else "NDF"}
    lanes: dict[str, list[list[Placement]]] = {}
    for p in sorted(edl.placements, key=lambda p: (p.rec_in, p.line)):
        for channel in p.channels:
            tracks = lanes.setdefault(channel, [])
            lane = next((t for t in tracks if t[-1].rec_out <= p.rec_in), None)
            if lane is None:
                tracks.append([p])
            else:
                lane.append(p)
    for channel in sorted(lanes, key=_channel_order):
        for placements in lanes[channel]:
            tl.tracks.append(_track(channel, placements, origin, rate))
    return tl


def _channel_order(channel: str) -> tuple[int, int]:
    return (channel[0] != "V", int(channel[1:]))


def _track(channel: str, placements: list[Placement], origin: int, rate: float):
    kind = otio.schema.TrackKind.Video if channel[0] == "V" else otio.schema.TrackKind.Audio
    track = otio.schema.Track(name=channel, kind=kind,
                              metadata={"cmx_3600": {"channel": channel}})
    cursor = origin
    for p in placements:
        if p.rec_in > cursor:
            track.append(otio.schema.Gap(source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(0, rate),
                otio.opentime.RationalTime(p.rec_in - cursor, rate))))
        track.append(_clip(p, channel, rate))
        cursor = p.rec_out
    return track


def _clip(p: Placement, channel: str, rate: float) -> otio.schema.Clip:
    """The clip of one event on one channel. Its source range starts at the event's source
    in and lasts as long as the event is on the record side: the record span is what the
    viewer sees, whatever the speed."""
    if p.path:
        ref = otio.schema.ExternalReference(target_url=p.path)
    else:
        ref = otio.schema.MissingReference()
    md = {"event": p.event, "line": p.line, "channel": channel, "notes": list(p.comments)}
    if p.reel not in NOT_A_REEL:
        md["reel"] = p.reel
    if p.speed is not None:
        md["speed"] = p.speed
    clip = otio.schema.Clip(
        name=p.name or p.reel, media_reference=ref, metadata={"cmx_3600": md},
        source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(p.src_in, rate),
                                             otio.opentime.RationalTime(p.duration, rate)))
    if p.speed is not None:
        if p.speed == 0:
            clip.effects.append(otio.schema.FreezeFrame())
        else:
            clip.effects.append(otio.schema.LinearTimeWarp(time_scalar=p.speed / rate))
    return clip
