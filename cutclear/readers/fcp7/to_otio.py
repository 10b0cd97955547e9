"""A plan (plan.py) as OTIO objects: what OTIO tools (the `cutclear_fcp7` adapter) and
`keep_items` get. Every item gets objects of its own (a media reference is cheaper to make
than to clone); nothing here decides what is placed, only how OTIO holds it.
"""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.fcp7.guard import READER
from cutclear.readers.fcp7.plan import Clip, File, Nest, Timeline, Track

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange
KINDS = {"video": otio.schema.TrackKind.Video, "audio": otio.schema.TrackKind.Audio}


def timelines(plans: list[Timeline]):
    """One timeline, or a collection of the file's timelines."""
    built = [timeline(tl) for tl in plans]
    return built[0] if len(built) == 1 else otio.schema.SerializableCollection(
        name="", children=built)


def timeline(plan: Timeline) -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name=plan.name)
    tl.global_start_time = plan.start
    if plan.displayformat:
        tl.metadata["fcp_xml"] = {"timecode": {"displayformat": plan.displayformat}}
    tl.metadata["cutclear"] = {"reader": READER}
    tl.tracks.extend(track(t) for t in plan.tracks)
    return tl


def track(plan: Track) -> otio.schema.Track:
    tr = otio.schema.Track(name=plan.name, kind=KINDS[plan.kind])
    tr.enabled = plan.enabled
    position = 0
    for item in plan.items:
        if item.cut_in > position:
            tr.append(otio.schema.Gap(source_range=TR(RT(0, plan.rate),
                                                       RT(item.cut_in - position, plan.rate))))
        tr.append(nest(item) if isinstance(item, Nest) else clip(item))
        position = item.cut_out
    return tr


def nest(plan: Nest) -> otio.schema.Stack:
    stack = otio.schema.Stack(name=plan.name,
                              source_range=TR(plan.start, RT(plan.duration, plan.rate)))
    stack.extend(track(t) for t in plan.tracks)
    stack.metadata["cutclear"] = dict(plan.metadata)
    stack.enabled = plan.enabled
    return stack


def clip(plan: Clip) -> otio.schema.Clip:
    start = RT(plan.source_in, plan.item_rate).rescaled_to(plan.rate) + RT(plan.offset,
                                                                          plan.rate)
    duration = RT(plan.duration, plan.rate)
    media = plan.file
    if media is None:
        result = _generator(plan, TR(start, RT(plan.length, plan.rate)))
    elif media.generator:
        result = otio.schema.Clip(name=plan.name, media_reference=reference(media))
    else:
        start += RT(media.tc_start, plan.item_rate).rescaled_to(start.rate)
        result = otio.schema.Clip(name=plan.name, media_reference=reference(media))
    result.source_range = TR(start, duration)
    result.enabled = plan.enabled
    return result


def reference(media: File):
    available = TR(RT(media.tc_start_file, media.rate), RT(media.duration, media.rate))
    if media.generator:
        return otio.schema.GeneratorReference(name=media.name, generator_kind=media.generator,
                                              available_range=available)
    md = {"fcp_xml": {"timecode": {"reel": {"name": media.reel}}}} if media.reel else None
    if media.url:
        return otio.schema.ExternalReference(target_url=media.url, available_range=available,
                                             metadata=md)
    # offline media: still a use of it, matched by name and reel
    return otio.schema.MissingReference(name=media.name, available_range=available,
                                        metadata=md)


def _generator(plan: Clip, available):
    """A generatoritem (slug, colour matte, bars...): rendered, not media. Marked as
    otio-fcp-adapter marks one, so that its FCP7 writer writes it back."""
    ref = otio.schema.GeneratorReference(name=plan.name, generator_kind=plan.effect,
                                         available_range=available,
                                         metadata={"fcp_xml": {"effecttype": "generator"}})
    return otio.schema.Clip(name=plan.name, media_reference=ref)
