"""Report formats on the benchmark feature: size and generation time of each format.

    python bench/make_fixtures.py --case feature     # once
    python bench/reports.py [--case feature] [PATH ...]

Checks the case's edit repo once (by default its 10,000-clip OTIO timeline, cuts/otio),
then times every built-in format over that one Report, as `cutclear check --format` and
`cutclear report` would write it. The HTML report should stay under a few MB for the
feature and usable in a browser (issue 13).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", default="feature")
    parser.add_argument("paths", nargs="*", help="inside the case (default: cuts/otio)")
    args = parser.parse_args(argv)
    root = HERE / "out" / args.case
    if not root.is_dir():
        print(f"no fixture at {root}: run python bench/make_fixtures.py --case {args.case}",
              file=sys.stderr)
        return 2
    import cutclear
    from cutclear.manager import Plugins
    from cutclear.reports.cuesheet import render_csv

    os.chdir(root)
    started = time.perf_counter()
    report = cutclear.check(args.paths or ["cuts/otio"], as_of=dt.date(2026, 6, 1))
    checked = time.perf_counter() - started
    print(f"{args.case} {' '.join(args.paths or ['cuts/otio'])}: {len(report.clips)} clip "
          f"uses, {len(report.findings)} findings, {report.record_files} record files; "
          f"check {checked:.1f} s")
    formats = Plugins().formats()
    formats["cuesheet (csv)"] = render_csv
    for name, render in formats.items():
        started = time.perf_counter()
        text = render(report)
        took = time.perf_counter() - started
        size = len(text.encode("utf-8"))
        print(f"  {name:<15} {size / 1e6:7.2f} MB  {took:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
