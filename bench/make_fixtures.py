"""Benchmark fixtures: realistic edit repos, generated deterministically from a seed.

Three cases, each an edit repo under bench/out/<case>/:

    feature  one timeline: about 3,000 video and 7,000 audio clips on 8 video and 16 audio
             tracks, nested sequences included; written as OTIO, FCP7 XML, FCPXML, AAF and
             as one CMX 3600 EDL per video track
    series   10 timelines (episodes) of a third of that size each, in the same formats
    stress   one timeline of 100,000 clips, as OTIO JSON only (OTIO's FCP7 XML, FCPXML and
             EDL writers grow super-linearly: a 100,000-clip FCP7 XML takes over 20
             minutes; the AAF writer needs about 9 ms a clip; see bench/README.md)

Every distinct media file gets a per-media sidecar record `<media>.genai.xml` (an asset
without <match>, matched by the media's file name) beside where the media lives; 5% of the
media are GenAI (VFX shots, voice replicas, generated music) with tools, approvals,
consents and talent in shared record files under records/. Some GenAI is not cleared (no
approval, temp, a revoked consent), so the locked cuts have findings as real ones do.

The timelines are built as OTIO objects and written by the real OTIO adapters (otio_json,
fcp_xml, fcpx_xml, AAF, cmx_3600), as an NLE's export would be read. What each writer
cannot take is adapted before the write, and two defects of the FCPXML writer are
repaired after it (see `fcpx_timeline`, `repair_fcpxml`, `aaf_timeline`). Same seed and
scale, same files, AAF included (`deterministic_aaf` seeds pyaaf2's clock and ids).
Run directly: python bench/make_fixtures.py [--scale S] [--case NAME] [--regenerate].
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import copy
import datetime
import hashlib
import json
import random
import shutil
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import opentimelineio as otio
from lxml import etree
from opentimelineio.opentime import RationalTime, TimeRange, from_timecode

GENERATOR_VERSION = 4  # bump when the fixtures change: cached ones are then rebuilt
RATE = 24
START = "01:00:00:00"
HANDLES = 24  # frames of media beyond each use
PRODUCTION = "PRD-900"
AS_OF = "2026-06-01"  # the date the benchmark judges consents and approvals at
NS = "urn:cutclear:genai:1"
GENAI_SHARE = 0.05
NEW_MEDIA = 0.25  # chance that a clip uses media not used before (about 4 uses per file)
NESTED = 0.015  # chance that an item of a track is a nested sequence
HERE = Path(__file__).resolve().parent
OUT = HERE / "out"

FORMATS = ("otio", "fcp7", "fcpx", "edl", "aaf")
# name: (timelines, video clips, audio clips) per timeline at scale 1; formats written
CASES = {
    "feature": (1, 3000, 7000, FORMATS),
    "series": (10, 1000, 2333, FORMATS),
    "stress": (1, 30000, 70000, ("otio",)),
}
VIDEO_TRACKS = 8
AUDIO_TRACKS = 16
# Share of a timeline's clips per track, and the chance of a gap before a clip: V1 holds
# the cut, upper video tracks VFX, titles and fixes; A1-A6 dialogue, then effects, music.
VIDEO_WEIGHTS = (40, 18, 12, 9, 7, 6, 4, 4)
VIDEO_GAPS = (0.01, 0.35, 0.5, 0.6, 0.65, 0.7, 0.75, 0.8)
AUDIO_WEIGHTS = (12, 11, 10, 9, 8, 7, 6, 6, 5, 5, 5, 4, 4, 3, 3, 2)
AUDIO_GAPS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.4, 0.45, 0.45, 0.5, 0.5, 0.55, 0.6,
              0.6, 0.7)


@dataclass
class Media:
    index: int
    kind: str  # video | audio
    path: str  # repo-relative, where the sidecar goes beside it
    origin: str
    genai: bool = False
    asset: str = ""
    stage: str = "final"
    tool: str | None = None
    prompt: str | None = None
    talent: tuple[str, str, str] | None = None  # person, use, consent
    approval: str | None = None
    source_start: int = 0  # frames
    length: int = 0  # frames of media

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def url(self) -> str:
        return "file:///mnt/show/" + self.path


@dataclass
class Pool:
    """The media of one production: created on first use, reused by later clips."""

    rng: random.Random
    prefix: str = ""
    media: list[Media] = field(default_factory=list)
    by_kind: dict[str, list[Media]] = field(default_factory=lambda: {"video": [], "audio": []})
    counters: dict[str, int] = field(default_factory=dict)

    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def pick(self, kind: str, span: int) -> Media:
        used = self.by_kind[kind]
        if used and self.rng.random() > NEW_MEDIA:
            # editors reuse material of nearby scenes: mostly recent media
            back = min(int(self.rng.expovariate(1 / 40)), len(used) - 1)
            media = used[len(used) - 1 - back]
            if media.length >= span + 2 * HANDLES:
                return media
        return self._new(kind, span)

    def _new(self, kind: str, span: int) -> Media:
        rng = self.rng
        index = len(self.media)
        p = self.prefix
        genai = rng.random() < GENAI_SHARE
        length = span + rng.randint(0, 600) + 2 * HANDLES
        if kind == "video":
            if genai:
                n = self._next("gshot")
                path = f"media/vfx/{p}gen/sh{n:04d}/{p}sh{n:04d}_gen_v{rng.randint(1, 9)}.mov"
                origin = rng.choice(("trainedAlgorithmicMedia",
                                     "compositeWithTrainedAlgorithmicMedia"))
            elif rng.random() < 0.15:
                n = self._next("shot")
                path = f"media/vfx/{p}comp/sh{n:04d}/{p}sh{n:04d}_comp_v{rng.randint(1, 9)}.mov"
                origin = "composite"
            else:
                n = self._next("cam")
                day, roll = 1 + n // 400, 1 + n // 40
                cam = "AB"[n % 2]
                folder = f"media/camera/{p}day{day:02d}/{cam}{roll:03d}"
                path = f"{folder}/{cam}{roll:03d}C{n % 40 + 1:03d}_{p}{n:05d}.mov"
                origin = "digitalCapture"
        else:
            if genai:
                n = self._next("gsound")
                if rng.random() < 0.6:
                    path = f"media/sound/ai/{p}voice_{n:04d}.wav"
                else:
                    path = f"media/music/ai/{p}gen_cue_{n:04d}.wav"
                origin = "trainedAlgorithmicMedia"
            else:
                n = self._next("sound")
                r = rng.random()
                if r < 0.55:
                    day = 1 + n // 300
                    path = f"media/sound/prod/{p}day{day:02d}/{p}{day:02d}T{n:05d}.wav"
                elif r < 0.75:
                    path = f"media/sound/sfx/{n // 200:03d}/{p}sfx_{n:05d}.wav"
                elif r < 0.9:
                    path = f"media/sound/adr/{p}adr_{n:05d}.wav"
                else:
                    path = f"media/music/{p}cue_{n:04d}.wav"
                origin = "digitalCapture"
        media = Media(index, kind, path, origin, genai=genai, length=length,
                      source_start=rng.randint(0, 20) * 3600 * RATE)
        media.asset = f"AST-{p}{index:06d}" if not genai else f"GEN-{p}{index:06d}"
        self.media.append(media)
        self.by_kind[kind].append(media)
        return media


def frames(n: int) -> RationalTime:
    return RationalTime(n, RATE)


def make_clip(media: Media, rng: random.Random, duration: int) -> otio.schema.Clip:
    start = media.source_start + HANDLES + rng.randint(0, media.length - duration - 2 * HANDLES)
    ref = otio.schema.ExternalReference(
        target_url=media.url,
        available_range=TimeRange(frames(media.source_start), frames(media.length)))
    return otio.schema.Clip(name=media.name.rsplit(".", 1)[0], media_reference=ref,
                            source_range=TimeRange(frames(start), frames(duration)))


def clip_length(rng: random.Random, kind: str) -> int:
    if kind == "video":
        return max(12, min(480, int(rng.lognormvariate(4.4, 0.6))))  # about 4 s
    return max(12, min(1200, int(rng.lognormvariate(4.9, 0.7))))  # about 6 s


def make_nest(pool: Pool, rng: random.Random, kind: str, number: int,
              otio_kind: str) -> tuple[otio.schema.Stack, int]:
    """A nested sequence: a base track of 2-4 clips and an overlay track, trimmed."""
    base = otio.schema.Track(name="", kind=otio_kind)
    total = 0
    for _ in range(rng.randint(2, 4)):
        d = clip_length(rng, kind)
        base.append(make_clip(pool.pick(kind, d), rng, d))
        total += d
    over = otio.schema.Track(name="", kind=otio_kind)
    lead = rng.randint(0, total // 2)
    over.append(otio.schema.Gap(duration=frames(lead)))
    d = max(12, min(total - lead, clip_length(rng, kind)))
    over.append(make_clip(pool.pick(kind, d), rng, d))
    head = rng.randint(0, 12)
    tail = rng.randint(0, 12)
    visible = total - head - tail
    stack = otio.schema.Stack(name=f"NEST {number:04d}", children=[base, over],
                              source_range=TimeRange(frames(head), frames(visible)))
    return stack, visible


def make_track(pool: Pool, rng: random.Random, kind: str, clips: int, gap_chance: float,
               nests: list[int]) -> otio.schema.Track:
    """A track holding about `clips` clip uses (those in nested sequences included)."""
    otio_kind = otio.schema.TrackKind.Video if kind == "video" else otio.schema.TrackKind.Audio
    track = otio.schema.Track(name="", kind=otio_kind)
    placed = 0
    while placed < clips:
        if rng.random() < gap_chance:
            track.append(otio.schema.Gap(duration=frames(rng.randint(12, 600))))
        if rng.random() < NESTED and clips - placed >= 6:
            nests[0] += 1
            stack, _ = make_nest(pool, rng, kind, nests[0], otio_kind)
            track.append(stack)
            placed += sum(count_visible(stack))
        else:
            d = clip_length(rng, kind)
            track.append(make_clip(pool.pick(kind, d), rng, d))
            placed += 1
    return track


def count_visible(stack: otio.schema.Stack) -> list[int]:
    """Clips of a nested stack at least partly visible through its trims."""
    window = stack.source_range
    lo, hi = window.start_time.value, window.end_time_exclusive().value
    counts = []
    for track in stack:
        pos, n = 0, 0
        for item in track:
            d = item.duration().value
            if isinstance(item, otio.schema.Clip) and min(pos + d, hi) - max(pos, lo) > 0:
                n += 1
            pos += d
        counts.append(n)
    return counts


def split(total: int, weights: tuple[int, ...]) -> list[int]:
    shares = [total * w // sum(weights) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def make_timeline(pool: Pool, rng: random.Random, name: str, video: int,
                  audio: int) -> otio.schema.Timeline:
    tl = otio.schema.Timeline(name=name, global_start_time=from_timecode(START, RATE))
    nests = [0]
    for n, gap in zip(split(video, VIDEO_WEIGHTS), VIDEO_GAPS, strict=True):
        tl.tracks.append(make_track(pool, rng, "video", n, gap, nests))
    for n, gap in zip(split(audio, AUDIO_WEIGHTS), AUDIO_GAPS, strict=True):
        tl.tracks.append(make_track(pool, rng, "audio", n, gap, nests))
    return tl


# --- EDLs: one per video track, nested sequences flattened as an NLE exports them -----

def flatten(track: otio.schema.Track) -> otio.schema.Track:
    """The track with each nested sequence replaced by what shows of its tracks, top
    track first (an EDL has one layer: the visible clip of the nest at each moment)."""
    flat = otio.schema.Track(name=track.name, kind=track.kind)
    for item in track:
        if not isinstance(item, otio.schema.Stack):
            flat.append(copy.deepcopy(item))
            continue
        window = item.source_range
        lo, hi = window.start_time.value, window.end_time_exclusive().value
        # spans of each inner track's clips, in the nest's own time
        layers = []
        for inner in item:
            spans, pos = [], 0
            for child in inner:
                d = child.duration().value
                if isinstance(child, otio.schema.Clip):
                    spans.append((pos, pos + d, child))
                pos += d
            layers.append(spans)
        cuts = sorted({lo, hi} | {t for spans in layers for s in spans for t in s[:2]
                                  if lo < t < hi})
        pieces: list[tuple[float, float, object]] = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            top = None
            for spans in reversed(layers):  # the upper track wins
                top = next((s for s in spans if s[0] <= a and b <= s[1]), None)
                if top:
                    break
            if pieces and pieces[-1][2] is (top and top[2]) and pieces[-1][1] == a:
                pieces[-1] = (pieces[-1][0], b, pieces[-1][2])
            else:
                pieces.append((a, b, top[2] if top else None))
        for a, b, clip in pieces:
            if clip is None:
                flat.append(otio.schema.Gap(duration=frames(int(b - a))))
                continue
            # the clip's own start in the nest, to place its source range
            start_in_nest = next(s[0] for spans in layers for s in spans if s[2] is clip)
            piece = copy.deepcopy(clip)
            src = clip.source_range.start_time.value + (a - start_in_nest)
            piece.source_range = TimeRange(frames(int(src)), frames(int(b - a)))
            flat.append(piece)
    return flat


def edl_timeline(tl: otio.schema.Timeline, track: otio.schema.Track,
                 index: int) -> otio.schema.Timeline:
    """What OTIO's CMX writer needs: one video track, record time counted from the
    sequence start (a leading gap as long as the start timecode)."""
    edl = otio.schema.Timeline(name=f"{tl.name} V{index}")
    flat = flatten(track)
    flat.insert(0, otio.schema.Gap(duration=tl.global_start_time))
    edl.tracks.append(flat)
    return edl


# --- FCPXML: what otio-fcpx-xml-adapter 1.0's writer can take, repaired after it -----

def fcpx_timeline(tl: otio.schema.Timeline) -> otio.schema.Timeline:
    """The timeline as the FCPXML writer can write it, every clip kept.

    The writer puts each track but V1 on lanes connected to V1's items (FCPX's connected
    clips), so V1 is padded with a trailing gap to outlast every track; and it has no
    primary storyline for a nest of audio tracks only, so each audio nest gets an empty
    video track below its own (how FCPX holds an audio-only compound: a gap with the
    sound connected to it)."""
    fx = copy.deepcopy(tl)
    for stack in fx.find_children(descended_from_type=otio.schema.Stack):
        if stack[0].kind == otio.schema.TrackKind.Audio:
            stack.insert(0, otio.schema.Track(kind=otio.schema.TrackKind.Video, children=[
                otio.schema.Gap(duration=stack[0].duration())]))
    v1 = fx.tracks[0]
    longest = max(t.duration().value for t in fx.tracks)
    v1.append(otio.schema.Gap(duration=frames(int(longest - v1.duration().value) + RATE)))
    return fx


def repair_fcpxml(text: str) -> bytes:
    """Mend two defects of the writer's output, so that FCPX (and cutclear, which follows
    its timing model) places the clips where the adapter's own reader does:

    - a clip's `<video>`/`<audio>` (and the `<gap>` holding an audio) sit at offset 0 of
      the clip's local time, which runs in the media's timecode (the clip's `start`):
      wholly outside what the clip shows. They are put at the asset's start, as FCPX
      writes them;
    - a browser `asset-clip` per media at the top level, outside any event: not part of
      the project (a project export holds none), and cutclear reads top-level clips as
      clips of the library. They are left out."""
    root = etree.fromstring(text.encode("utf-8"))
    starts = {a.get("id"): a.get("start", "0s") for a in root.iter("asset")}
    for el in list(root.iterchildren("asset-clip")):
        root.remove(el)
    for el in root.iter("video", "audio"):
        start = starts.get(el.get("ref"))
        if start is None:
            continue
        holder = el.getparent()
        if holder.tag == "gap" and holder.getparent().tag == "clip":
            holder.set("offset", start)
            holder.set("start", start)
        el.set("offset", start)
        el.set("start", start)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                          doctype="<!DOCTYPE fcpxml>")


@contextlib.contextmanager
def fast_fcpx_writer():
    """otio-fcpx-xml-adapter 1.0's writer, with its search for the primary-storyline item a
    connected clip attaches to (`FcpxOtio._find_parent_element`: every element of the
    spine, each one's time values parsed again, for every connected clip) answered from
    a per-spine index instead. The answer is the same element: the index holds the
    elements the original visits, in its order, with the times it computes; it is used
    only while their ends are in order (else the original runs), and it starts the
    original's scan where the earlier elements end before the clip, all of which the
    original passes over. tests/test_bench.py checks that the output is byte-identical.
    Without it, the feature's FCPXML takes many minutes to write (see bench/README.md)."""
    module = otio.adapters.from_name("fcpx_xml").module()
    cls = module.FcpxOtio
    original = cls._find_parent_element
    index: dict[tuple[int, str], tuple] = {}

    def find_parent(self, spine, trimmed_range, format_id):
        key = (id(spine), format_id)
        entry = index.get(key)
        if entry is None or entry[0] is not spine or entry[1] != len(spine):
            items = []
            for item in spine.iter():
                if item.tag not in ("clip", "asset-clip", "gap", "ref-clip") \
                        or item.get("lane") is not None \
                        or item.tag == "gap" and item.find("./audio") is not None:
                    continue
                rate = self._frame_rate_from_element(item, format_id)
                offset = module.to_rational_time(item.get("offset"), rate)
                duration = module.to_rational_time(item.get("duration"), rate)
                items.append((offset, offset + duration, item))
            ends = [end for _, end, _ in items]
            ordered = all(a <= b for a, b in zip(ends, ends[1:], strict=False))
            entry = index[key] = (spine, len(spine), items, ends if ordered else None)
        items, ends = entry[2], entry[3]
        if ends is None:
            return original(self, spine, trimmed_range, format_id)
        for offset, end, item in items[bisect.bisect_right(ends, trimmed_range):]:
            if offset > trimmed_range:
                continue
            if end > trimmed_range:
                return item
        return None

    cls._find_parent_element = find_parent
    try:
        yield
    finally:
        cls._find_parent_element = original


# --- AAF: otio-aaf-adapter 2.0 with pyaaf2, nests flattened, seeded ----------------------

def aaf_timeline(tl: otio.schema.Timeline) -> otio.schema.Timeline:
    """The timeline as the AAF writer can write it: each track with its nested sequences
    flattened to what shows (the writer drops a nest's trims, and reading it back loses the
    audio clips after an audio nest), every clip given a mob id made from its media URL
    (the writer needs one; pyaaf2 would make random ones)."""
    out = otio.schema.Timeline(name=tl.name, global_start_time=tl.global_start_time)
    for track in tl.tracks:
        out.tracks.append(flatten(track))
    for clip in out.find_clips():
        digest = hashlib.sha256(clip.media_reference.target_url.encode()).hexdigest()
        clip.metadata["AAF"] = {"SourceID": "urn:smpte:umid:060a2b34.01010105.01010f20."
                                "13000000." + ".".join(digest[i:i + 8]
                                                       for i in range(0, 32, 8))}
    return out


@contextlib.contextmanager
def deterministic_aaf(seed: str):
    """pyaaf2 writes the clock (creation and modification dates), uuid4s (mob ids, the
    generation id, temporary folders) and a random order of directory entries into every
    file; for byte-identical fixtures they come from `seed` while the writer runs."""
    import aaf2.cfb
    import aaf2.file
    import aaf2.mobid
    import aaf2.mobs

    rng = random.Random(seed)
    fixed = datetime.datetime(2026, 1, 5, 9, 30)

    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return fixed

    class Uuid:
        def __getattr__(self, name):
            return getattr(uuid, name)

        @staticmethod
        def uuid4():
            return uuid.UUID(int=rng.getrandbits(128), version=4)

    clock_module = type("datetime", (), {"datetime": Clock})
    saved = (aaf2.file.uuid4, aaf2.file.datetime, aaf2.mobid.uuid, aaf2.mobs.datetime,
             aaf2.cfb.random)
    aaf2.file.uuid4, aaf2.file.datetime = Uuid.uuid4, clock_module
    aaf2.mobid.uuid, aaf2.mobs.datetime, aaf2.cfb.random = Uuid(), Clock, rng
    try:
        yield
    finally:
        (aaf2.file.uuid4, aaf2.file.datetime, aaf2.mobid.uuid, aaf2.mobs.datetime,
         aaf2.cfb.random) = saved


def count_clips(tl: otio.schema.Timeline, kind: str | None = None) -> int:
    total = 0
    for track in tl.tracks:
        if kind and track.kind != kind:
            continue
        for item in track:
            if isinstance(item, otio.schema.Clip):
                total += 1
            elif isinstance(item, otio.schema.Stack):
                total += sum(count_visible(item))
    return total


# --- records -----------------------------------------------------------------------

def assign_clearances(pool: Pool, rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    """Give the GenAI media tools, talent and approvals; return the shared record files'
    bodies: tools, talent (persons and consents), approvals."""
    tools = [
        '<tool id="TL-01" vendor="NimbusGen" version="4.2" enterprise="true" '
        'trainsOnInputs="no" retainsInputs="no">NimbusGen Studio</tool>',
        '<tool id="TL-02" vendor="VoxForge" version="3.1" enterprise="true" '
        'trainsOnInputs="no" retainsInputs="no">VoxForge Voice</tool>',
        '<tool id="TL-03" vendor="Cadenza" version="2" enterprise="true" '
        'trainsOnInputs="no" retainsInputs="no">Cadenza Score</tool>',
        '<tool id="TL-04" vendor="SkyFill" version="1.8" enterprise="false" '
        'trainsOnInputs="unknown" retainsInputs="yes">SkyFill Web</tool>',
    ]
    persons, consents = [], []
    for n in range(1, 41):
        pid, cid = f"P-{n:04d}", f"CNS-{n:04d}"
        persons.append(f'<person id="{pid}" union="SAG-AFTRA">Performer {n}</person>')
        status = "revoked" if n % 17 == 0 else "active"
        consents.append(
            f'<consent id="{cid}" person="{pid}" status="{status}">\n'
            f'  <grantor role="performer">Performer {n}</grantor>\n'
            f"  <production>{PRODUCTION}</production>\n"
            f"  <uses>voice likeness</uses>\n"
            f"  <description>Voice replica for ADR lines as scripted; no new dialogue."
            f"</description>\n"
            f'  <signed date="2025-08-20" separate="true" document="legal/{cid}.pdf"/>\n'
            f'  <term start="2025-09-01" end="2028-06-30"/>\n'
            + ('  <revoked date="2026-02-01"/>\n' if status == "revoked" else "")
            + "</consent>")
    approvals = []
    batch: list[Media] = []

    def flush() -> None:
        if not batch:
            return
        aid = f"APR-{len(approvals) + 1:05d}"
        for m in batch:
            m.approval = aid
        approvals.append(
            f'<approval id="{aid}" status="approved">\n'
            f'  <issuer org="Northlight Streaming">R. Amari</issuer>\n'
            f"  <production>{PRODUCTION}</production>\n"
            f"  <granted>2025-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}</granted>\n"
            f"  <covers>final-deliverable creative-output talent</covers>\n"
            f"  <assets>{' '.join(m.asset for m in batch)}</assets>\n"
            f"  <description>GenAI batch {len(approvals) + 1}</description>\n"
            f"</approval>")
        batch.clear()

    for m in pool.media:
        if not m.genai:
            continue
        m.stage = "temp" if rng.random() < 0.05 else "final"
        if "/voice_" in m.path:
            m.tool = "TL-02"
            n = rng.randint(1, 40)
            m.talent = (f"P-{n:04d}", "voice", f"CNS-{n:04d}")
            m.prompt = None
        elif "/music/" in m.path:
            m.tool, m.prompt = "TL-03", "tense low strings, 90 bpm"
        else:
            m.tool = rng.choice(("TL-01", "TL-01", "TL-04"))
            m.prompt = rng.choice(("storm clouds over the harbour, 35mm",
                                   "crowd of 200 on the quay, overcast",
                                   "1970s container cranes in fog"))
        if rng.random() < 0.9:  # the rest awaits approval: GA001 at lock
            batch.append(m)
            if len(batch) >= rng.randint(1, 6):
                flush()
    flush()
    return tools, persons + consents, approvals


def record_file(body: list[str] | str) -> str:
    if isinstance(body, list):
        body = "\n".join(body)
    inner = "\n".join("  " + line if line else line for line in body.splitlines())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<genai xmlns="{NS}" version="1">\n'
            f"{inner}\n</genai>\n")


def sidecar(m: Media) -> str:
    lines = [f'<asset id="{m.asset}">', f"  <origin>{m.origin}</origin>"]
    if m.genai:
        lines.append(f"  <stage>{m.stage}</stage>")
        if m.tool:
            lines.append(f'  <tool ref="{m.tool}"/>')
        if m.prompt:
            lines.append(f"  <prompt>{m.prompt}</prompt>")
        if m.talent:
            person, use, consent = m.talent
            lines.append(f'  <talent person="{person}" use="{use}" consent="{consent}"/>')
        if m.approval:
            lines.append(f'  <approval ref="{m.approval}"/>')
    elif m.kind == "video" and m.origin == "digitalCapture":
        lines.append("  <note>Camera original.</note>")
    lines.append("</asset>")
    return record_file(lines)


CONFIG = f"""\
# Benchmark edit repo, generated by bench/make_fixtures.py: every cut is locked.
production = "{PRODUCTION}"
genre = "fiction"
delivery = 2027-03-31
locked = ["cuts/**"]
edl-rate = {RATE}
"""


# --- cases -------------------------------------------------------------------------

def manifest_path(case: str, out: Path = OUT) -> Path:
    return out / case / "manifest.json"


def wanted(case: str, scale: float, seed: int, count: int | None = None) -> dict:
    return {"generator": GENERATOR_VERSION, "case": case, "scale": scale, "seed": seed,
            "count": count or CASES[case][0]}


def cached(case: str, scale: float, seed: int, out: Path = OUT,
           count: int | None = None) -> dict | None:
    try:
        manifest = json.loads(manifest_path(case, out).read_text())
    except (OSError, ValueError):
        return None
    if {k: manifest.get(k) for k in ("generator", "case", "scale", "seed", "count")} != \
            wanted(case, scale, seed, count):
        return None
    return manifest


def generate(case: str, scale: float = 1.0, seed: int = 2026, out: Path = OUT,
             regenerate: bool = False, log=print, count: int | None = None) -> dict:
    """Build the case's edit repo (unless a matching one is cached); return its manifest:
    the timelines per format (repo-relative), clip counts, record file count."""
    if not regenerate:
        manifest = cached(case, scale, seed, out, count)
        if manifest is not None:
            return manifest
    timelines_of_case, video, audio, formats = CASES[case]
    count = count or timelines_of_case
    video, audio = max(8, round(video * scale)), max(16, round(audio * scale))
    root = out / case
    if root.exists():
        shutil.rmtree(root)
    (root / "cuts").mkdir(parents=True)
    rng = random.Random(f"{seed}:{case}")
    pool = Pool(rng)
    timelines = []
    for n in range(1, count + 1):
        title = "FEATURE" if count == 1 else f"EP{n:02d}"
        if count > 1:
            pool.prefix = f"e{n:02d}_"  # each episode shoots its own; music is shared
        timelines.append((f"{case}_{n:02d}" if count > 1 else case,
                          make_timeline(pool, rng, f"{title} LOCKED", video, audio)))
    pool.prefix = ""
    tools, talent, approvals = assign_clearances(pool, rng)

    t0 = time.perf_counter()
    for m in pool.media:
        path = root / (m.path + ".genai.xml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sidecar(m), encoding="utf-8")
    (root / "records").mkdir()
    for name, body in (("tools", tools), ("talent", talent), ("approvals", approvals)):
        (root / "records" / f"{name}.genai.xml").write_text(record_file(body),
                                                           encoding="utf-8")
    (root / "cutclear.toml").write_text(CONFIG, encoding="utf-8")
    records = len(pool.media) + 3

    files: dict[str, list[str]] = {f: [] for f in formats}
    clips: dict[str, int] = {f: 0 for f in formats}
    writers: dict[str, float] = {f: 0.0 for f in formats}  # CPU seconds per writer
    for stem, tl in timelines:
        all_clips = count_clips(tl)
        if "otio" in formats:
            rel = f"cuts/otio/{stem}.otio"
            _write(tl, root / rel, "otio_json", log, writers)
            files["otio"].append(rel)
            clips["otio"] += all_clips
        if "fcp7" in formats:
            rel = f"cuts/fcp7/{stem}.xml"
            _write(tl, root / rel, "fcp_xml", log, writers)
            files["fcp7"].append(rel)
            clips["fcp7"] += all_clips
        if "fcpx" in formats:
            rel = f"cuts/fcpx/{stem}.fcpxml"
            _write(fcpx_timeline(tl), root / rel, "fcpx_xml", log, writers)
            files["fcpx"].append(rel)
            clips["fcpx"] += all_clips
        if "aaf" in formats:
            rel = f"cuts/aaf/{stem}.aaf"
            flat = aaf_timeline(tl)
            with deterministic_aaf(f"{seed}:{case}:{stem}"):
                _write(flat, root / rel, "AAF", log, writers)
            files["aaf"].append(rel)
            clips["aaf"] += count_clips(flat)
        if "edl" in formats:
            video_tracks = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
            for i, track in enumerate(video_tracks, 1):
                rel = f"cuts/edl/{stem}_V{i}.edl"
                edl = edl_timeline(tl, track, i)
                _write(edl, root / rel, "cmx_3600", log, writers)
                files["edl"].append(rel)
                clips["edl"] += count_clips(edl)
    manifest = {**wanted(case, scale, seed, count), "timelines": files, "clips": clips,
                "records": records, "media": len(pool.media),
                "writer_cpu_s": {f: round(t, 2) for f, t in writers.items()},
                "genai": sum(m.genai for m in pool.media), "as_of": AS_OF,
                "seconds": round(time.perf_counter() - t0, 1)}
    manifest_path(case, out).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


WRITER_FORMAT = {"otio_json": "otio", "fcp_xml": "fcp7", "fcpx_xml": "fcpx", "AAF": "aaf",
                 "cmx_3600": "edl"}


def _write(tl, path: Path, adapter: str, log, writers: dict[str, float]) -> None:
    """Write with the adapter, timing its CPU (the writers grow at different rates)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t0, c0 = time.perf_counter(), time.process_time()
    if adapter == "fcpx_xml":
        with fast_fcpx_writer():
            text = otio.adapters.write_to_string(tl, adapter)
        path.write_bytes(repair_fcpxml(text))
    else:
        otio.adapters.write_to_file(tl, str(path), adapter_name=adapter)
    writers[WRITER_FORMAT[adapter]] += time.process_time() - c0
    took = time.perf_counter() - t0
    if took > 5:
        log(f"  wrote {path.relative_to(path.parents[2])} in {took:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES),
                        help="case to build (repeatable; default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="size factor (default 1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--regenerate", action="store_true",
                        help="rebuild even when a matching cached case exists")
    parser.add_argument("--timelines", type=int,
                        help="timelines per case (default: the case's own, 10 for series)")
    args = parser.parse_args(argv)
    for case in args.case or list(CASES):
        t0 = time.perf_counter()
        m = generate(case, args.scale, args.seed, args.out, args.regenerate,
                     count=args.timelines if case == "series" else None)
        print(f"{case}: {m['clips']} clips, {m['records']} record files, {m['genai']} GenAI "
              f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
