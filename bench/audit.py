"""Wall time of `cutclear audit` over N synthetic edit repos: serially, with --jobs, and on
a Dask LocalCluster of 2 worker processes (`--scheduler`).

Run by hand with the dask extra installed (`pip install -e '.[test,dask]'`):

    .venv/bin/python bench/audit.py                      # 50 repos, 3 runs each
    .venv/bin/python bench/audit.py --repos 200 --jobs 4 --repeat 1

Each repo (10 productions of N/10 repos) holds an OTIO and an FCP7 XML timeline of
`--clips` clips and a CMX 3600 EDL of its first video track, plus two record files: GenAI
assets, most approved, a few not (so that the report has findings to merge). The repos
are generated once per run in a temporary folder, seeded. The cluster is started before
the timed runs (its start-up is printed apart). Every mode must give the same report,
which is checked; times are medians. Then the merged report is rendered by `cutclear
report --audit` and `cutclear cuesheet --audit`. Nothing is asserted about the times.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cutclear.testing import genai, timeline

TOOL = ('<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true" '
        'trainsOnInputs="no" retainsInputs="no">Runway</tool>')


def make_repo(folder: Path, production: str, clips: int, rng: random.Random) -> None:
    import opentimelineio as otio

    folder.mkdir(parents=True)
    (folder / "cutclear.toml").write_text(
        f'production = "{production}"\nlocked = ["cuts/locked/**"]\nedl-rate = 24\n')
    shots = [(f"sh{i:03d}", f"file:///mnt/{production}/vfx/sh{i:03d}_v1.mov",
              rng.randint(12, 96)) for i in range(clips)]
    assets, approved = [], []
    for i in range(0, clips, 3):  # every third shot is GenAI
        assets.append(f'<asset id="AST-{i}"><match><name>sh{i:03d}_v*.mov</name></match>'
                      '<origin>trainedAlgorithmicMedia</origin><stage>final</stage>'
                      '<tool ref="TL-01"/></asset>')
        if rng.random() > 0.1:
            approved.append(f"AST-{i}")
    (folder / "records").mkdir()
    (folder / "records" / "vfx.genai.xml").write_text(genai("\n".join([TOOL, *assets])))
    (folder / "records" / "approvals.genai.xml").write_text(genai(
        f'<approval id="APR-1" status="approved"><issuer org="Studio">A. Contact</issuer>'
        f"<production>{production}</production><granted>2025-09-02</granted>"
        "<covers>final-deliverable creative-output</covers>"
        f"<assets>{' '.join(approved) or 'AST-none'}</assets></approval>"))
    (folder / "cuts" / "locked").mkdir(parents=True)
    (folder / "cuts" / "wip").mkdir()
    tl = timeline(shots, name=folder.name)
    otio.adapters.write_to_file(tl, str(folder / "cuts" / "locked" / "reel1.otio"))
    otio.adapters.write_to_file(tl, str(folder / "cuts" / "wip" / "reel1.xml"),
                                adapter_name="fcp_xml")
    otio.adapters.write_to_file(tl, str(folder / "cuts" / "locked" / "reel1.edl"),
                                adapter_name="cmx_3600")


def run(cutclear: str, root: Path, *extra: str) -> tuple[float, bytes, int]:
    start = time.perf_counter()
    proc = subprocess.run([cutclear, "audit", str(root), "--as-of", "2026-01-15", *extra],
                          capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"cutclear audit {' '.join(extra)} failed ({proc.returncode}):\n"
                 f"{proc.stderr.decode()}")
    return elapsed, proc.stdout, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repos", type=int, default=50)
    parser.add_argument("--clips", type=int, default=60, help="clips per timeline")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster workers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    cutclear = str(Path(sys.executable).with_name("cutclear"))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "studio"
        start = time.perf_counter()
        for i in range(args.repos):
            production = f"PRD-{100 + i % 10}"
            make_repo(root / production / f"ep{i // 10:03d}", production, args.clips, rng)
        print(f"{args.repos} edit repos of 3 timelines ({args.clips} clips each) generated "
              f"in {time.perf_counter() - start:.1f} s")
        modes: dict[str, tuple[str, ...]] = {"serial": (), f"--jobs {args.jobs}":
                                             ("--jobs", str(args.jobs))}
        cluster = None
        try:
            from distributed import LocalCluster
        except ImportError:
            print("dask is not installed (pip install 'cutclear[dask]'): no cluster run")
        else:
            start = time.perf_counter()
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None, silence_logs=50)
            print(f"LocalCluster of {args.workers} workers started in "
                  f"{time.perf_counter() - start:.1f} s (not in the times below)")
            modes[f"dask, {args.workers} workers"] = ("--scheduler", cluster.scheduler_address)
        try:
            times: dict[str, list[float]] = {m: [] for m in modes}
            reports: dict[str, bytes] = {}
            for _ in range(args.repeat):  # interleaved
                for mode, extra in modes.items():
                    elapsed, out, code = run(cutclear, root, *extra)
                    times[mode].append(elapsed)
                    reports[mode] = out
        finally:
            if cluster is not None:
                cluster.close()
        first = next(iter(reports.values()))
        same = all(r == first for r in reports.values())
        findings = first.count(b'"type": "finding"')
        print(f"\nmerged report: {findings} findings, exit {code}; identical in every mode: "
              f"{'yes' if same else 'NO'}")
        print(f"\n| mode | wall time (median of {args.repeat}) | per repo |\n|---|---|---|")
        for mode, ts in times.items():
            median = statistics.median(ts)
            print(f"| {mode} | {median:.2f} s | {median / args.repos * 1000:.0f} ms |")
        rendered(cutclear, Path(tmp), first, args.repeat)
        print(f"\n{os.cpu_count()} CPUs on this machine, load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if same else 1


def rendered(cutclear: str, tmp: Path, merged: bytes, repeat: int) -> None:
    """The studio's HTML report and cue sheet from the merged report (--audit)."""
    source = tmp / "audit.jsonl"
    source.write_bytes(merged)
    print(f"\n| from the merged report ({len(merged) / 1024:.0f} KiB) | wall time (median of "
          f"{repeat}) | output |\n|---|---|---|")
    for command, out in (("report", tmp / "studio.html"), ("cuesheet", tmp / "studio.csv")):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            proc = subprocess.run([cutclear, command, "--audit", str(source), "-o", str(out)],
                                  capture_output=True)
            times.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                sys.exit(f"cutclear {command} --audit failed ({proc.returncode}):\n"
                         f"{proc.stderr.decode()}")
        print(f"| {command} --audit | {statistics.median(times):.2f} s | "
              f"{out.stat().st_size / 1024:.0f} KiB |")


if __name__ == "__main__":
    sys.exit(main())
