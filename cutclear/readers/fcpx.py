"""FCPXML (Final Cut Pro X), read straight from the XML into OTIO objects.

otio-fcpx-xml-adapter 1.0 loses or misplaces too much to be patched into exactness: it
reads no multicam clip, only the first event of a library and the first of several
projects, no FCPXML 1.9+ `media-rep` path, puts sync-clip contents at 00:00:00:00, places
connected clips and secondary storylines in the wrong time base, reads 29.97 as 29 and
misplaces media at another rate than the project. So cutclear reads the structure itself
with lxml, in exact rational seconds, following the FCPXML timing model: every story
element sits at `offset` in its parent's local time, and its own local time begins at its
`start`. The conventions (which multicam angles and audition picks count, compound clips,
lanes and tracks) are in docs/formats/fcpx.md. The census is taken by `fcpx_census`.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from fractions import Fraction

import opentimelineio as otio

from cutclear.readers import fcpx_census
from cutclear.readers.base import MAX_BYTES, Read, Source, TimelineError, parse_xml
from cutclear.readers.fcpx_census import (
    CLIPS,
    IGNORED,
    intersect,
    is_element,
    media_kind,
    plays,
    time,
)

DEFAULT_KEY = otio.schema.Clip.DEFAULT_MEDIA_KEY
MAX_NESTING = 64  # compound clips inside compound clips; deeper means a cycle or an attack
MAX_VISITS = 2_000_000  # story elements placed, compounds expanded at every use
INF = Fraction(10**12)


@dataclass
class _Use:
    """One placed media use: kind, lane, record span (seconds) and its OTIO clip."""

    kind: str
    lane: int
    start: Fraction
    end: Fraction
    clip: otio.schema.Clip
    asset: str  # the asset's id


@dataclass
class _Context:
    """What holds for one element while it is placed."""

    shift: Fraction  # parent local time + shift = record time
    window: tuple[Fraction, Fraction]  # the part of the record visible through containers
    enable: str  # all, video, audio or none: what the enclosing uses play
    lane: int  # the lane (track) of the top-level story element
    in_resource: bool  # inside a compound or multicam: lanes no longer make tracks
    name: str  # the nearest clip name, for elements (<video>, <audio>) that have none
    enabled: bool = True
    depth: int = 0
    squash: tuple[Fraction, Fraction] | None = None  # inside a retimed container: all of it


RETIMED = ("timeMap", "conform-rate")  # speed changes: local time no longer maps linearly


@dataclass
class _Reader:
    by_id: dict
    rate: Fraction = Fraction(24)
    uses: list[_Use] = field(default_factory=list)
    trimmed: int = 0  # media elements wholly outside what their containers show
    urls: dict[str, dict[str, str]] = field(default_factory=dict)  # by asset id
    visits: int = 0
    sizes: dict[int, int] = field(default_factory=dict)  # story elements, by resource

    def placed(self) -> tuple[list[_Use], int]:
        """The uses, with the channels of one clip merged, and how many media elements
        did not become a use of their own (trimmed away or merged).

        FCPX writes a clip's audio components (dual mono, 4-channel recorders) as one
        <audio> element per channel, at the same span: they are one use of the media.
        """
        seen: set[tuple] = set()
        uses = []
        for use in self.uses:
            key = (use.asset, use.kind, use.start, use.end)
            if key not in seen:
                seen.add(key)
                uses.append(use)
        return uses, self.trimmed + len(self.uses) - len(uses)

    def place(self, el, ctx: _Context) -> None:
        tag = el.tag
        if tag in IGNORED or tag == "transition":
            return
        self._count_visit()
        if tag == "audition":  # only the pick (the first child) plays
            pick = next((c for c in el if is_element(c) and c.tag in CLIPS), None)
            if pick is not None:
                if pick.get("offset") is None and el.get("offset") is not None:
                    pick.set("offset", el.get("offset"))
                self.place(pick, ctx)
            return
        offset = time(el.get("offset"), "0s")
        rec_in = offset + ctx.shift
        duration = el.get("duration")
        start = self._start(el)
        inner_shift = rec_in - start
        if duration is None:  # a storyline: as long as its contents
            own = ctx.window
        else:
            rec_out = rec_in + time(duration)
            if el.get("audioDuration") is not None:  # a split edit: the sound runs longer
                audio_in = inner_shift + time(el.get("audioStart"), el.get("start", "0s"))
                rec_in, rec_out = (min(rec_in, audio_in),
                                   max(rec_out, audio_in + time(el.get("audioDuration"))))
            own = (max(rec_in, ctx.window[0]), min(rec_out, ctx.window[1]))
        if ctx.squash is not None:
            own = ctx.squash
        retimed = tag in ("clip", "sync-clip", "ref-clip", "mc-clip") and any(
            el.find(kind) is not None for kind in RETIMED)
        inner = ctx if not retimed else dataclasses.replace(ctx, squash=own)
        enabled = ctx.enabled and el.get("enabled") != "0"
        name = ctx.name if tag in ("gap", "spine") else el.get("name") or ctx.name
        enable = intersect(ctx.enable, el.get("srcEnable", "all"))
        if tag in ("asset-clip", "video", "audio"):
            self._leaf(el, enable, own, start, ctx, name, enabled)
        elif tag == "ref-clip":
            self._compound(el, enable, own, inner_shift, inner, name, enabled)
        elif tag == "mc-clip":
            self._multicam(el, enable, own, inner_shift, inner, name, enabled)
        for child in el:
            if not is_element(child) or child.tag not in CLIPS and child.tag != "spine":
                continue
            lane = int(child.get("lane", "0"))
            track = ctx.lane if ctx.in_resource or ctx.lane or not lane else lane
            content = lane == 0 and tag not in ("ref-clip", "mc-clip", "asset-clip")
            self.place(child, _Context(
                inner_shift, own if content else ctx.window,
                enable if content else ctx.enable, track, ctx.in_resource,
                name if content else ctx.name, enabled if content else ctx.enabled,
                ctx.depth, inner.squash if content else ctx.squash))

    def _count_visit(self) -> None:
        self.visits += 1
        if self.visits > MAX_VISITS:
            raise TimelineError(f"expands to more than {MAX_VISITS:,} story elements "
                                "(compound clips used inside each other many times): "
                                "refused rather than read without end")

    def _size(self, container, depth: int = 0) -> int:
        """How many story elements placing `container` visits, compounds expanded at
        every use; counted once per resource, so that a compound bomb is refused in
        linear time."""
        if depth > MAX_NESTING:
            raise TimelineError(f"compound or multicam clips nested more than {MAX_NESTING} "
                                "deep (a clip that contains itself?)")
        key = id(container)
        if key not in self.sizes:
            n = 0
            for el in container.iter(*CLIPS, "spine"):
                n += 1
                media = self.by_id.get(el.get("ref")) if el.tag in ("ref-clip", "mc-clip") \
                    else None
                inner = media[0] if media is not None and len(media) else None
                if inner is not None and is_element(inner):
                    n += min(self._size(inner, depth + 1), MAX_VISITS)
            self.sizes[key] = min(n, MAX_VISITS + 1)
        return self.sizes[key]

    def _start(self, el) -> Fraction:
        if el.get("start") is not None:
            return time(el.get("start"))
        if el.tag in ("ref-clip", "mc-clip"):  # the referenced media's own timecode
            media = self.by_id.get(el.get("ref"))
            inner = media[0] if media is not None and len(media) else None
            if inner is not None and is_element(inner):
                return time(inner.get("tcStart"), "0s")
        return Fraction(0)

    def _leaf(self, el, enable, own, start, ctx: _Context, name, enabled) -> None:
        asset = self.by_id.get(el.get("ref"))
        if asset is None or asset.tag != "asset" or not plays(el.tag, asset, enable):
            return  # generators (<video ref=effect>) and unplayed halves; unresolved: census
        if own[1] - own[0] <= 0:
            self.trimmed += 1
            return
        kind = media_kind(el.tag, asset, enable)
        source_start = start + (own[0] - (time(el.get("offset"), "0s") + ctx.shift))
        self.uses.append(_Use(kind, ctx.lane, own[0], own[1],
                              self._clip(el, asset, name, source_start, own, enabled),
                              el.get("ref")))

    def _compound(self, el, enable, own, shift, ctx: _Context, name, enabled) -> None:
        media = self.by_id.get(el.get("ref"))
        spine = media.find("sequence/spine") if media is not None else None
        if spine is None:
            return  # unresolved: the census counts it
        self._nest(spine, shift, own, enable, ctx, name, enabled)

    def _multicam(self, el, enable, own, shift, ctx: _Context, name, enabled) -> None:
        media = self.by_id.get(el.get("ref"))
        multicam = media.find("multicam") if media is not None else None
        if multicam is None:
            return
        for angle, angle_enable in fcpx_census.active_angles(el, multicam):
            self._nest(angle, shift, own, intersect(enable, angle_enable), ctx, name, enabled)

    def _nest(self, container, shift, own, enable, ctx: _Context, name, enabled) -> None:
        if ctx.depth >= MAX_NESTING:
            raise TimelineError(f"compound or multicam clips nested more than {MAX_NESTING} "
                                "deep (a clip that contains itself?)")
        if self.visits + self._size(container) > MAX_VISITS:
            self.visits = MAX_VISITS  # refused now, before the expansion, not after it
            self._count_visit()
        inner = _Context(shift, own, enable, ctx.lane, True, name, enabled, ctx.depth + 1,
                         ctx.squash)
        for child in container:
            if is_element(child) and (child.tag in CLIPS or child.tag == "spine"):
                self.place(child, inner)

    def _clip(self, el, asset, name, source_start, own, enabled) -> otio.schema.Clip:
        rate = float(self.rate)
        urls = self.urls.get(asset.get("id"))
        if urls is None:
            urls = self.urls[asset.get("id")] = _urls(asset)
        refs = {key: otio.schema.ExternalReference(target_url=url) for key, url in urls.items()}
        clip = otio.schema.Clip(
            name=name or asset.get("name") or "",
            source_range=otio.opentime.TimeRange(
                otio.opentime.RationalTime(float(source_start * self.rate), rate),
                otio.opentime.RationalTime(float((own[1] - own[0]) * self.rate), rate)))
        if refs:
            clip.set_media_references(refs, next(iter(refs)))
        clip.enabled = enabled
        return clip


def _urls(asset) -> dict[str, str]:
    """The asset's media by reference key, original media first (FCPXML 1.9+ keeps them
    in <media-rep>, earlier versions in `src`)."""
    urls: dict[str, str] = {}
    if asset.get("src"):
        urls[DEFAULT_KEY] = asset.get("src")
    for rep in asset.iterfind("media-rep"):
        kind = rep.get("kind") or "media-rep"
        key = DEFAULT_KEY \
            if kind == "original-media" else kind
        if rep.get("src") and key not in urls:
            urls[key] = rep.get("src")
    if urls and DEFAULT_KEY not in urls:
        first = next(iter(urls))
        urls = {DEFAULT_KEY: urls.pop(first), **urls}
    return urls


def _rate(by_id: dict, format_id: str | None, what: str, required: bool) -> Fraction:
    fmt = by_id.get(format_id)
    text = fmt.get("frameDuration") if fmt is not None else None
    if text is None:
        if required:
            raise TimelineError(f"{what} states no frame rate (format {format_id!r} has no "
                                "frameDuration)")
        return Fraction(24)
    frame = time(text)
    if frame <= 0:
        raise TimelineError(f"{what} has a frame duration of {text}: not a usable rate")
    return 1 / frame


def _tracks(uses: list[_Use], origin: Fraction, rate: Fraction) -> list[otio.schema.Track]:
    """Tracks per kind and lane (video from the primary storyline up, audio down); clips
    that overlap on one lane get a further track, as a compound's stacked lanes do."""
    lanes: dict[tuple[str, int], list[list[_Use]]] = {}
    for use in sorted(uses, key=lambda u: (float(u.start), float(u.end))):
        rows = lanes.setdefault((use.kind, use.lane), [])
        row = next((r for r in rows if r[-1].end <= use.start), None)
        if row is None:
            rows.append([use])
        else:
            row.append(use)
    order = sorted(lanes, key=lambda k: (k[0] != "Video", k[1] if k[0] == "Video" else -k[1]))
    tracks = []
    for kind, lane in order:
        for row in lanes[(kind, lane)]:
            track = otio.schema.Track(name=f"lane {lane}", kind=kind)
            position = origin
            for use in row:
                if use.start > position:
                    track.append(otio.schema.Gap(duration=_rt(use.start - position, rate)))
                track.append(use.clip)
                position = use.end
            tracks.append(track)
    return tracks


def _rt(seconds: Fraction, rate: Fraction) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(float(seconds * rate), float(rate))


def _project(project, by_id: dict) -> tuple[otio.schema.Timeline, int]:
    sequence = project.find("sequence")
    name = project.get("name") or ""
    if sequence is None:
        raise TimelineError(f"project {name!r} has no sequence")
    rate = _rate(by_id, sequence.get("format"), f"project {name!r}", True)
    origin = time(sequence.get("tcStart"), "0s")
    reader = _Reader(by_id, rate)
    # the whole spine, not only what <sequence duration> claims: a clip past a stated
    # duration that is too short would otherwise count as trimmed away, unseen
    spine = sequence.find("spine")
    ctx = _Context(Fraction(0), (origin, INF), "all", 0, False, "")
    for child in spine if spine is not None else ():
        if is_element(child) and (child.tag in CLIPS or child.tag == "spine"):
            reader.place(child, ctx)
    tl = otio.schema.Timeline(name=name, global_start_time=_rt(origin, rate))
    tl.metadata["fcpx_xml"] = {"tcFormat": sequence.get("tcFormat", "NDF")}
    uses, unplaced = reader.placed()
    tl.tracks.extend(_tracks(uses, origin, rate))
    return tl, unplaced


def _bin_clip(el, by_id: dict) -> tuple[otio.schema.Stack, int]:
    """A clip in an event (the browser), at its own source timecode; an audition by its
    pick."""
    if el.tag == "audition":
        el = next((c for c in el if is_element(c) and c.tag in CLIPS), el)
    asset = by_id.get(el.get("ref"))
    fmt = el.get("format") or (asset.get("format") if asset is not None else None)
    if fmt is None and asset is not None and len(asset) and is_element(asset[0]):
        fmt = asset[0].get("format")  # a compound's or multicam's own format
    rate = _rate(by_id, fmt, f"clip {el.get('name')!r}", False)
    reader = _Reader(by_id, rate)
    start = reader._start(el)
    duration = time(el.get("duration")) if el.get("duration") else INF
    reader.place(el, _Context(start - time(el.get("offset"), "0s"), (start, start + duration),
                              "all", 0, False, ""))
    stack = otio.schema.Stack(name=el.get("name") or "", source_range=otio.opentime.TimeRange(
        _rt(start, rate), _rt(duration, rate)))
    uses, unplaced = reader.placed()
    stack.extend(_tracks(uses, start, rate))
    return stack, unplaced


def read(source: Source, options: dict) -> Read:
    """Read an FCPXML file or .fcpxmld bundle: every project, and every event's clips."""
    if source.data is None:  # an .fcpxmld bundle holds its document as Info.fcpxml
        source = Source.open(os.path.join(source.path, "Info.fcpxml"),
                             options.get("max_bytes", MAX_BYTES))
    root = parse_xml(source)
    if root.tag != "fcpxml":
        raise TimelineError(f"not FCPXML (the root element is <{root.tag}>)")
    version = root.get("version", "")
    if not version.startswith("1."):  # 1.0 to 1.13 share the timing model read here
        raise TimelineError(f"FCPXML version {version!r}: cutclear reads FCPXML 1.x, and a "
                            "version it does not know may place clips it cannot see")
    resources = root.find("resources")
    by_id: dict = {}
    for el in resources if resources is not None else ():
        if not is_element(el):
            continue
        if el.get("id") in by_id:  # readers disagree on which one a ref means
            raise TimelineError(f"line {el.sourceline}: resource id {el.get('id')!r} is "
                                f"defined twice (also at line {by_id[el.get('id')].sourceline})"
                                ": which media its uses play is ambiguous")
        by_id[el.get("id")] = el
    timelines, trimmed = [], 0
    for project in root.iter("project"):
        tl, n = _project(project, by_id)
        timelines.append(tl)
        trimmed += n
    bins = []
    for holder in [root, *root.iter("event")]:
        clips = otio.schema.SerializableCollection(name=holder.get("name") or "")
        for el in holder:
            if is_element(el) and el.tag in CLIPS and el.tag != "gap":
                stack, n = _bin_clip(el, by_id)
                clips.append(stack)
                trimmed += n
        if len(clips):
            bins.append(clips)
    census = fcpx_census.take(root, by_id)
    census.media -= trimmed
    if len(timelines) == 1 and not bins:
        return Read(timelines[0], census=census, namespaces=frozenset({"fcpx_xml"}))
    library = root.find("library")
    name = library.get("location", "") if library is not None else ""
    collection = otio.schema.SerializableCollection(name=name, children=[*timelines, *bins])
    return Read(collection, census=census, namespaces=frozenset({"fcpx_xml"}))
