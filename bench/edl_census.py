"""What the EDL census costs: the bench feature as EDLs, read by cutclear.

Run by hand after `bench/make_fixtures.py --case feature` (or `bench/run`):

    .venv/bin/python bench/edl_census.py [--repeat 5]

Two inputs: the feature's eight EDLs (one per video track, 3,000 events), and the
whole feature (3,000 video and 7,000 audio clips on 24 tracks) written as one
10,000-event EDL (`V`, `A`, `A2`, `NONE` + `AUD n` for tracks 3 and up; overlapping
record-ins across tracks). For each it reports the time of a full read (parse, OTIO
tracks, walk, census check), of the parse alone, and of the census alone (counting the
placements' channels and verifying the walk's count), best of `--repeat` runs.
The census shares the parse, so its own cost is the counting and the check.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import opentimelineio as otio

from cutclear.model import Mode
from cutclear.readers import read_timeline
from cutclear.readers.base import Census
from cutclear.readers.cmx import parse

FEATURE = Path(__file__).parent / "out" / "feature"
RATE = 24


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def tc(frames: int) -> str:
    f = frames % RATE
    s = frames // RATE
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}:{f:02d}"


def whole_feature_edl(otio_path: Path, out: Path) -> int:
    """The feature's every clip as an event line at its record timecode."""
    tl = otio.adapters.read_from_file(str(otio_path))
    lines, n = ["TITLE: FEATURE ALL TRACKS", "FCM: NON-DROP FRAME", ""], 0
    origin = 3600 * RATE
    counts = {"Video": 0, "Audio": 0}
    for track in tl.tracks:
        counts[track.kind] += 1
        k = counts[track.kind]
        chan, aud = ("V", None) if track.kind == "Video" else (
            ("A", None) if k == 1 else ("A2", None) if k == 2 else ("NONE", k))
        for clip in track.find_clips(shallow_search=False):
            rng = clip.trimmed_range_in_parent() if clip.parent() is track else None
            if rng is None:
                continue  # clips of nested stacks: their stack's record span is enough here
            src = clip.trimmed_range()
            rec_in = origin + round(rng.start_time.to_frames())
            rec_out = rec_in + round(rng.duration.to_frames())
            src_in = round(src.start_time.rescaled_to(RATE).value)
            n += 1
            reel = (clip.name or "AX")[:8]
            lines.append(f"{n:06d}  {reel:8} {chan:5} C        {tc(src_in)} "
                         f"{tc(src_in + rec_out - rec_in)} {tc(rec_in)} {tc(rec_out)}")
            if aud:
                lines.append(f"AUD  {aud}")
            lines.append(f"* FROM CLIP NAME:  {clip.name}")
    out.write_text("\n".join(lines) + "\n")
    return n


def measure(paths: list[Path], repeat: int) -> tuple[float, float, float, int]:
    datas = [p.read_bytes() for p in paths]
    full = best(lambda: [read_timeline(str(p), p.name, Mode.LOCK, RATE) for p in paths],
                repeat)
    parsed = [parse(d, RATE) for d in datas]
    parse_time = best(lambda: [parse(d, RATE) for d in datas], repeat)
    placed = [sum(len(p.channels) for p in e.placements) for e in parsed]

    def census() -> None:
        for e, n in zip(parsed, placed, strict=True):
            Census(sum(len(p.channels) for p in e.placements), dict(e.unplaced)).verify(n)
    census_time = best(census, repeat)
    return full, parse_time, census_time, sum(placed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    edls = sorted((FEATURE / "cuts" / "edl").glob("*.edl"))
    otio_file = next((FEATURE / "cuts").rglob("*.otio"), None)
    if not edls or otio_file is None:
        print("no feature fixture: run bench/make_fixtures.py --case feature first")
        return 2
    whole = FEATURE / "feature_all_tracks.edl"
    events = whole_feature_edl(otio_file, whole)
    print(f"{'input':36} {'uses':>6} {'read s':>8} {'parse s':>8} {'census s':>9} "
          f"{'census/read':>11}")
    for label, paths in ((f"feature, {len(edls)} EDLs (video)", edls),
                         (f"feature, one EDL of {events} events", [whole])):
        full, parse_time, census_time, uses = measure(paths, args.repeat)
        print(f"{label:36} {uses:6d} {full:8.3f} {parse_time:8.3f} {census_time:9.5f} "
              f"{census_time / full:11.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
