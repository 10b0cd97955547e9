"""Time to read C2PA Content Credentials per media file, and a conform of N clips with media.

Run by hand with the extra installed (`pip install -e '.[test,c2pa]'`):

    .venv/bin/python bench/credentials.py                # 1,000 clips, media of 1 MB and 100 MB
    .venv/bin/python bench/credentials.py --clips 200 --big-mb 0
    .venv/bin/python bench/credentials.py --big-mb 0 --cpus 0 --cpus 0,1   # the default sets

The conform is timed pinned to each CPU set given with --cpus (default: one core, then
two; sets this process may not use are skipped), as `taskset -c` would pin it, with the
size of the credentials thread pool cutclear derives from that affinity. Wall time shows
what the pool buys; CPU time (user+sys of the child) is the cost, steadier on a shared
machine, whose load average is printed. Runs are interleaved and medians taken.

Media are signed once per kind (MP4, MOV, JPEG) with a throwaway CA, as the tests do
(`tests/media_files.py`), and copied to one file per clip, so that every clip has its own
file to read. Reports are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    parser.add_argument("--cpus", action="append", metavar="LIST",
                        help="pin the conform to these CPUs (e.g. 0 or 0,1; repeatable; "
                        "default: 0, then 0,1)")
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
        (repo / "cutclear.toml").write_text('production = "PRD-1"\nlocked = ["cuts/locked/**"]\n'
                                            'allow-disabled-plugins = ["cutclear-c2pa"]\n')
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
        conform(cmd, repo, args, total)
        seen(cmd, repo, args.clips)
    return 0


def seen(cmd: list[str], repo: Path, clips: int) -> None:
    """The figures count only if every clip's credentials were read: each signed file
    says GenAI, so each clip of the locked cut must have a finding on a C2PA asset."""
    import json

    out = repo / "conform.json"
    subprocess.run([*cmd[:-1], str(out)], cwd=repo, check=False, capture_output=True)
    flagged = {f["clip"] for f in json.loads(out.read_text())["findings"]
               if (f.get("asset") or "").startswith("C2PA:")}
    print(f"  clips flagged from their credentials: {len(flagged)} of {clips}"
          + ("" if len(flagged) == clips else "  (WARNING: not every file was read)"))


def cpu_sets(given: list[str] | None) -> list[set[int]]:
    allowed = os.sched_getaffinity(0)
    sets = [{int(c) for c in text.split(",")} for text in (given or ["0", "0,1"])]
    return [s for s in sets if s <= allowed]


def pool_size(cpus: set[int]) -> int:
    """The credentials pool a conform pinned to `cpus` uses (cutclear works it out)."""
    out = subprocess.run([sys.executable, "-c", "from cutclear.credentials import "
                          "POOL_SIZE; print(POOL_SIZE)"], capture_output=True, text=True,
                         check=True, preexec_fn=lambda: os.sched_setaffinity(0, cpus))
    return int(out.stdout)


def run_pinned(cmd: list[str], repo: Path, env: dict, cpus: set[int]) -> tuple[float, float]:
    """Wall and CPU seconds (user+sys) of one conform pinned to `cpus`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=repo, env={**os.environ, **env}, stderr=subprocess.PIPE,
                          text=True, preexec_fn=lambda: os.sched_setaffinity(0, cpus))
    if done.returncode not in (0, 1):  # 2: the conform did not do its job, not a figure
        raise SystemExit(f"conform failed (exit {done.returncode}): {done.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def conform(cmd: list[str], repo: Path, args, total: int) -> None:
    sets = cpu_sets(args.cpus)
    variants = [("c2pa reader active", {}),
                ("c2pa reader disabled", {"CUTCLEAR_DISABLE_PLUGINS": "cutclear-c2pa"})]
    load = os.getloadavg()
    print(f"conform of {args.clips} clips, each with its own signed media file "
          f"({total / (1 << 20):.0f} MB in all), median of {args.repeat} interleaved runs; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs:")
    times: dict[tuple[int, int], list[tuple[float, float]]] = {}
    for cpus in sets:  # one uncounted round: the page cache
        run_pinned(cmd, repo, variants[0][1], cpus)
    for _ in range(args.repeat):
        for i, cpus in enumerate(sets):
            for j, (_, env) in enumerate(variants):
                times.setdefault((i, j), []).append(run_pinned(cmd, repo, env, cpus))
    for i, cpus in enumerate(sets):
        label = f"pinned to CPU {','.join(map(str, sorted(cpus)))}"
        print(f"  {label} ({len(cpus)} core{'' if len(cpus) == 1 else 's'}, credentials pool "
              f"of {pool_size(cpus)} threads):")
        for j, (name, _) in enumerate(variants):
            wall = statistics.median(w for w, _ in times[(i, j)])
            cpu = statistics.median(c for _, c in times[(i, j)])
            print(f"    {name:22} wall {wall:7.2f} s   cpu {cpu:7.2f} s")
    print(f"  load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    sys.exit(main())
