"""Benchmark fixtures: realistic edit repos, generated deterministically from a seed.

Three cases, each an edit repo under bench/out/<case>/:

    feature  one timeline: about 3,000 video and 7,000 audio clips on 8 video and 16 audio
             tracks, nested sequences included; written as OTIO, as FCP7 XML and as one
             CMX 3600 EDL per video track
    series   10 timelines (episodes) of a third of that size each, in the same formats
    stress   one timeline of 100,000 clips, as OTIO JSON only (OTIO's FCP7 XML and EDL
             writers grow super-linearly: a 100,000-clip FCP7 XML takes over 20 minutes)

Every distinct media file gets a per-media sidecar record `<media>.genai.xml` (an asset
without <match>, matched by the media's file name) beside where the media lives; 5% of the
media are GenAI (VFX shots, voice replicas, generated music) with tools, approvals,
consents and talent in shared record files under records/. Some GenAI is not cleared (no
approval, temp, a revoked consent), so the locked cuts have findings as real ones do.

The timelines are built as OTIO objects and written by the real OTIO adapters (otio_json,
fcp_xml, cmx_3600), as an NLE's export would be read. Same seed and scale, same files.
Run directly: python bench/make_fixtures.py [--scale S] [--case NAME] [--regenerate].
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import opentimelineio as otio
from opentimelineio.opentime import RationalTime, TimeRange, from_timecode

GENERATOR_VERSION = 3  # bump when the fixtures change: cached ones are then rebuilt
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

# name: (timelines, video clips, audio clips) per timeline at scale 1; formats written
CASES = {
    "feature": (1, 3000, 7000, ("otio", "fcp7", "edl")),
    "series": (10, 1000, 2333, ("otio", "fcp7", "edl")),
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


def wanted(case: str, scale: float, seed: int) -> dict:
    return {"generator": GENERATOR_VERSION, "case": case, "scale": scale, "seed": seed}


def cached(case: str, scale: float, seed: int, out: Path = OUT) -> dict | None:
    try:
        manifest = json.loads(manifest_path(case, out).read_text())
    except (OSError, ValueError):
        return None
    if {k: manifest.get(k) for k in ("generator", "case", "scale", "seed")} != \
            wanted(case, scale, seed):
        return None
    return manifest


def generate(case: str, scale: float = 1.0, seed: int = 2026, out: Path = OUT,
             regenerate: bool = False, log=print) -> dict:
    """Build the case's edit repo (unless a matching one is cached); return its manifest:
    the timelines per format (repo-relative), clip counts, record file count."""
    if not regenerate:
        manifest = cached(case, scale, seed, out)
        if manifest is not None:
            return manifest
    count, video, audio, formats = CASES[case]
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
    for stem, tl in timelines:
        all_clips = count_clips(tl)
        if "otio" in formats:
            rel = f"cuts/otio/{stem}.otio"
            _write(tl, root / rel, "otio_json", log)
            files["otio"].append(rel)
            clips["otio"] += all_clips
        if "fcp7" in formats:
            rel = f"cuts/fcp7/{stem}.xml"
            _write(tl, root / rel, "fcp_xml", log)
            files["fcp7"].append(rel)
            clips["fcp7"] += all_clips
        if "edl" in formats:
            video_tracks = [t for t in tl.tracks if t.kind == otio.schema.TrackKind.Video]
            for i, track in enumerate(video_tracks, 1):
                rel = f"cuts/edl/{stem}_V{i}.edl"
                edl = edl_timeline(tl, track, i)
                _write(edl, root / rel, "cmx_3600", log)
                files["edl"].append(rel)
                clips["edl"] += count_clips(edl)
    manifest = {**wanted(case, scale, seed), "timelines": files, "clips": clips,
                "records": records, "media": len(pool.media),
                "genai": sum(m.genai for m in pool.media), "as_of": AS_OF,
                "seconds": round(time.perf_counter() - t0, 1)}
    manifest_path(case, out).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _write(tl, path: Path, adapter: str, log) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    otio.adapters.write_to_file(tl, str(path), adapter_name=adapter)
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
    args = parser.parse_args(argv)
    for case in args.case or list(CASES):
        t0 = time.perf_counter()
        m = generate(case, args.scale, args.seed, args.out, args.regenerate)
        print(f"{case}: {m['clips']} clips, {m['records']} record files, {m['genai']} GenAI "
              f"({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
