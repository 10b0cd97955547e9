"""The terminal: findings in colour as ruff prints them, `--statistics`, a progress bar.

Colour (paths bold, rule codes and severities in the severity's colour) is used on a
terminal only; `FORCE_COLOR` (any non-empty value) turns it on anywhere and `NO_COLOR`
off, FORCE_COLOR winning as in ruff. The progress bar goes to stderr, only when stderr is
a terminal, the run reads many timelines, and it is not a pre-commit hook or a quiet run:
hooks and pipes see the report alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import IO, TYPE_CHECKING

from cutclear.model import Finding, Severity
from cutclear.output import location, summary_line

if TYPE_CHECKING:
    from cutclear.engine import Report

BOLD, RESET = "\x1b[1m", "\x1b[0m"
COLOURS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m",
           Severity.INFO: "\x1b[1;36m", Severity.OFF: ""}


def use_colour(stream: IO) -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def coloured_line(f: Finding) -> str:
    c = COLOURS[f.severity]
    what = f"{BOLD}{f.clip}{RESET}: " if f.clip else ""
    return (f"{BOLD}{location(f)}{RESET}: {c}{f.rule}{RESET} [{c}{f.severity}{RESET}] "
            f"{what}{f.message}")


def render_colour(report: Report) -> str:
    """The text report with ANSI colour; the same words as `render_text`."""
    lines = [coloured_line(f) for f in report.findings]
    if lines:
        lines.append("")
    worst = max((f.severity for f in report.findings), default=None)
    summary = summary_line(report)
    lines.append(f"{COLOURS[worst]}{summary}{RESET}" if worst else f"{BOLD}{summary}{RESET}")
    return "\n".join(lines) + "\n"


def statistics(report: Report) -> list[dict]:
    """Findings counted per rule, most frequent first (as `ruff --statistics`)."""
    counts: dict[str, dict] = {}
    for f in report.findings:
        entry = counts.setdefault(f.rule, {"code": f.rule, "name": f.name, "count": 0,
                                           "severity": f.severity})
        entry["count"] += 1
        entry["severity"] = max(entry["severity"], f.severity)
    rows = sorted(counts.values(), key=lambda e: (-e["count"], e["code"]))
    return [{**e, "severity": str(e["severity"])} for e in rows]


def render_statistics(report: Report, as_json: bool = False, colour: bool = False) -> str:
    rows = statistics(report)
    if as_json:
        return json.dumps(rows, indent=2) + "\n"
    width = max((len(str(r["count"])) for r in rows), default=1)
    out = []
    for r in rows:
        code = r["code"]
        if colour:
            code = f"{COLOURS[Severity.parse(r['severity'])]}{code}{RESET}"
        out.append(f"{r['count']:>{width}}\t{code}\t[{r['severity']}] {r['name']}")
    return "\n".join(out) + ("\n" if out else "")


class Progress:
    """`[#####.....] 12/40 cuts/reel3.xml` on one stderr line, redrawn at most 10 times
    a second and erased when done. Call it as `progress(done, total, path)`."""

    MIN_TIMELINES = 5  # fewer read too fast to be worth a bar
    WIDTH = 24

    def __init__(self, stream: IO):
        self.stream = stream
        self.last = 0.0
        self.drawn = False

    @classmethod
    def wanted(cls, stream: IO, quiet: bool) -> bool:
        return (not quiet and not os.environ.get("PRE_COMMIT")
                and hasattr(stream, "isatty") and stream.isatty())

    def __call__(self, done: int, total: int, path: str) -> None:
        now = time.monotonic()
        if total < self.MIN_TIMELINES or (self.drawn and now - self.last < 0.1):
            return
        self.last, self.drawn = now, True
        full = self.WIDTH * done // total
        bar = "#" * full + "." * (self.WIDTH - full)
        columns = _columns()
        text = f"[{bar}] {done}/{total} {path}"[: columns - 1]
        self.stream.write(f"\r\x1b[2K{text}")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _columns() -> int:
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        return 80
    return columns if columns > 0 else 80  # a terminal that does not say its size
