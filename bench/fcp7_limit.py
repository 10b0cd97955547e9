#!/usr/bin/env python3
"""The physical limit of reading an FCP7 XML cut, beside cutclear's read of it.

The limit is the least any exact reader must do: one lxml parse (cutclear's safe parser
settings) and one pass over the sequences extracting every clip use at its top-level
time, nested sequences entered through their trims, media by its <pathurl>. Nothing
else: no census, no -1 edges under transitions, no linked channels, no multicam, no
timecodes, no objects per use beyond a tuple. cutclear's read is `read_timeline` (parse,
census, plan, clip uses with their timecodes and media identities), as `cutclear check`
runs it. Both run in this process, alternately, CPU time (`time.process_time`), medians.

    .venv/bin/python bench/fcp7_limit.py                    # the scale-1 feature
    .venv/bin/python bench/fcp7_limit.py --repeat 9 CUT.xml ...
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

from lxml import etree

from cutclear.model import Mode
from cutclear.readers import read_timeline

FEATURE = Path(__file__).resolve().parent / "out" / "feature" / "cuts" / "fcp7" / "feature.xml"


def limit(data: bytes) -> list[tuple]:
    """(track, start, end, pathurl) of every clip use, in top-level seconds."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True, remove_blank_text=True)
    root = etree.fromstring(data, parser)
    defined = {}
    for el in root.iter("file", "sequence"):
        key = el.get("id")
        if key is not None and len(el):
            defined.setdefault((el.tag, key), el)
    found: list[tuple] = []
    paths: dict = {}
    for seq in root.iter("sequence"):
        if any(a.tag == "clipitem" for a in seq.iterancestors()):
            continue  # a nest: read where it is used
        for kind in ("video", "audio"):
            for n, track in enumerate(seq.iterfind(f"media/{kind}/track"), 1):
                _track(track, f"{kind[0].upper()}{n}", _rate(seq), 0.0, None, defined,
                       paths, found)
    return found


def _track(track, label, rate, offset, window, defined, paths, found):
    for item in track.iterchildren("clipitem"):
        f = {}
        media = None
        for child in item:
            tag = child.tag
            if tag in ("file", "sequence"):
                media = child
            elif tag in ("start", "end", "in"):
                f[tag] = child.text
        lo, hi = offset + int(f["start"]) / rate, offset + int(f["end"]) / rate
        if window is not None:
            lo, hi = max(lo, window[0]), min(hi, window[1])
            if hi - lo <= 1e-9:
                continue
        if media is None:
            continue
        target = media if len(media) else defined.get((media.tag, media.get("id")))
        if media.tag == "file":
            path = paths.get(target)
            if path is None:
                path = paths[target] = target.findtext("pathurl")
            found.append((label, lo, hi, path))
        else:  # a nest: its frame `in` plays at the item's start
            nest_rate = _rate(target)
            inner = offset + int(f["start"]) / rate - int(f["in"]) / nest_rate
            kind = "video" if label[0] == "V" else "audio"
            for inner_track in target.iterfind(f"media/{kind}/track"):
                _track(inner_track, label, nest_rate, inner, (lo, hi), defined, paths, found)


def _rate(el) -> float:
    timebase = int(el.findtext("rate/timebase"))
    return timebase * 1000 / 1001 if el.findtext("rate/ntsc") == "TRUE" else timebase


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("files", nargs="*", type=Path, default=[FEATURE])
    opts = parser.parse_args(argv)
    print(f"{'file':<24} {'clips':>7} {'limit s':>8} {'cutclear s':>11} {'ratio':>6}")
    for path in opts.files:
        if not path.is_file():
            print(f"{path}: no such file (bench/run builds the feature)", file=sys.stderr)
            return 2
        data = path.read_bytes()
        times: dict[str, list[float]] = {"limit": [], "cutclear": []}
        counts = {}
        for _ in range(opts.repeat + 1):  # the first round warms up, uncounted
            for name in ("limit", "cutclear"):
                gc.collect()
                start = time.process_time()
                counts[name] = len(limit(data) if name == "limit" else _cutclear(path))
                times[name].append(time.process_time() - start)
        if counts["limit"] != counts["cutclear"]:
            print(f"warning: {path.name}: the limit found {counts['limit']} clip uses, "
                  f"cutclear {counts['cutclear']}", file=sys.stderr)
        lim, cut = (statistics.median(times[k][1:]) for k in ("limit", "cutclear"))
        print(f"{path.name:<24} {counts['cutclear']:>7,} {lim:>8.3f} {cut:>11.3f} "
              f"{cut / lim:>5.2f}x")
    return 0


def _cutclear(path: Path) -> list:
    read = read_timeline(str(path), path.name, Mode.LOCK)
    if read.error:
        raise SystemExit(f"{path}: {read.error}")
    return read.clips


if __name__ == "__main__":
    sys.exit(main())
