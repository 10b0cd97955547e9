"""Time to read C2PA Content Credentials per media file, and a conform of N clips with media.

Run by hand with the extra installed (`pip install -e '.[test,c2pa]'`):

    .venv/bin/python bench/credentials.py                # 1,000 clips, media of 1 MB and 100 MB
    .venv/bin/python bench/credentials.py --clips 200 --big-mb 0

Media are signed once per kind (MP4, MOV, JPEG) with a throwaway CA, as the tests do
(`tests/media_files.py`), and copied to one file per clip, so that every clip has its own
file to read. Reports are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from media_files import jpeg, make_ca, manifest, mov, mp4, sign  # noqa: E402

from cutclear.credentials import read_credentials  # noqa: E402


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=1000)
    parser.add_argument("--mb", type=float, default=1.0, help="size of each media file")
    parser.add_argument("--big-mb", type=float, default=100.0,
                        help="size of one large MP4 timed alone (0: skip)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ca = make_ca("Bench Root")
    payload = int(args.mb * (1 << 20))
    kinds = {
        "mp4": sign(ca, "mp4", manifest(), mp4(mdat=payload)),
        "mov": sign(ca, "mov", manifest(), mov(mdat=payload)),
        "jpg": sign(ca, "jpg", manifest(), jpeg(app1=b"pad\x00" + b"\x00" * min(payload, 60000))),
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"read_credentials per file (median of {args.repeat}, c2pa validates the whole "
              "file, so the time grows with its size):")
        for kind, data in kinds.items():
            path = root / f"one.{kind}"
            path.write_bytes(data)
            t = timed(lambda p=path: read_credentials(str(p)), args.repeat)
            print(f"  {kind:4} {len(data) / (1 << 20):8.2f} MB  {t * 1000:8.2f} ms")
        if args.big_mb:
            big = root / "big.mp4"
            big.write_bytes(sign(ca, "mp4", manifest(), mp4(mdat=int(args.big_mb * (1 << 20)))))
            t = timed(lambda: read_credentials(str(big)), max(1, args.repeat // 2))
            print(f"  mp4  {big.stat().st_size / (1 << 20):8.2f} MB  {t * 1000:8.2f} ms "
                  f"({big.stat().st_size / (1 << 20) / t:.0f} MB/s)")
        repo = root / "repo"
        media = root / "online"
        (repo / "cuts" / "locked").mkdir(parents=True)
        (repo / ".git").mkdir()
        media.mkdir()
        (repo / "cutclear.toml").write_text('production = "PRD-1"\nlocked = ["cuts/locked/**"]\n')
        import opentimelineio as otio
        tl = otio.schema.Timeline(name="bench")
        track = otio.schema.Track(kind=otio.schema.TrackKind.Video)
        names = list(kinds)
        for i in range(args.clips):
            kind = names[i % len(names)]
            name = f"sh{i:04d}.{kind}"
            (media / name).write_bytes(kinds[kind])
            rng = otio.opentime.TimeRange(otio.opentime.RationalTime(0, 24),
                                          otio.opentime.RationalTime(24, 24))
            track.append(otio.schema.Clip(name=name, source_range=rng,
                                          media_reference=otio.schema.ExternalReference(
                                              target_url=f"file:///show/{name}",
                                              available_range=rng)))
        tl.tracks.append(track)
        otio.adapters.write_to_file(tl, str(repo / "cuts/locked/cut.otio"))
        exe = Path(sys.executable).parent / "cutclear"
        cmd = [str(exe), "conform", "cuts/locked/cut.otio", "--media-root", str(media),
               "--format", "json", "--output", os.devnull]
        total = media.stat().st_size + sum(p.stat().st_size for p in media.iterdir())
        print(f"conform of {args.clips} clips, each with its own signed media file "
              f"({total / (1 << 20):.0f} MB in all), median of {args.repeat}:")
        for label, env in (("c2pa reader active", {}),
                           ("c2pa reader disabled", {"CUTCLEAR_DISABLE_PLUGINS":
                                                     "cutclear-c2pa"})):
            t = timed(lambda e=env: subprocess.run(cmd, cwd=repo, env={**os.environ, **e},
                                                   check=False), args.repeat)
            print(f"  {label:22} {t:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
