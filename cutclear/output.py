"""Report formats: one line per finding for people, JSON (version 1) for pipelines."""

from __future__ import annotations

import json
import sys

from cutclear import __version__
from cutclear.engine import Report
from cutclear.model import Finding


def location(f: Finding) -> str:
    if f.record_in is not None:
        return f"{f.path}:{f.track}:{f.record_in}"
    return f"{f.path}:{f.line}" if f.line else f.path


def text_line(f: Finding) -> str:
    what = f"{f.clip}: " if f.clip else ""
    return f"{location(f)}: {f.rule} [{f.severity}] {what}{f.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def summary_line(report: Report) -> str:
    clips = sum(len(t.clips) for t in report.timelines)
    scope = (f"{_plural(len(report.timelines), 'timeline')} ({_plural(clips, 'clip')}), "
             f"{_plural(report.record_files, 'record file')}")
    s = report.summary
    if not report.findings:
        return f"All clear: {scope}."
    counts = ", ".join(_plural(s[k], k) for k in ("error", "warning", "info") if s[k])
    return f"Found {counts} in {scope}."


def disabled_line(report: Report) -> str | None:
    """What a run without some plugins or rules must say: its verdict is not the full one."""
    notes = []
    if report.disabled_plugins:
        notes.append(f"Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                     f"{', '.join(report.disabled_plugins)}.")
    if report.rules_off:
        notes.append(f"Rules the settings switch off for locked cuts: "
                     f"{', '.join(report.rules_off)}.")
    return " ".join(notes) or None


def warn_partial(report: Report) -> None:
    """On stderr, what a verdict without some plugins or rules must say, where the report
    itself does not reach the terminal (a file, a plugin's format, --quiet)."""
    if disabled_line(report):
        print(f"cutclear: warning: {disabled_line(report)}", file=sys.stderr)


def render_text(report: Report) -> str:
    lines = [text_line(f) for f in report.findings]
    if lines:
        lines.append("")
    lines.append(summary_line(report))
    if disabled_line(report):
        lines.append(disabled_line(report))
    return "\n".join(lines) + "\n"


def finding_dict(f: Finding) -> dict:
    return {
        "rule": f.rule, "name": f.name, "severity": str(f.severity), "path": f.path,
        "mode": str(f.mode) if f.mode else None, "track": f.track, "clip": f.clip,
        "record_in": f.record_in, "record_out": f.record_out, "asset": f.asset,
        "message": f.message, "line": f.line,
    }


def render_json(report: Report) -> str:
    doc = {
        "version": 1,
        "cutclear": __version__,
        "as_of": report.as_of.isoformat(),
        "timelines": [{"path": t.path, "mode": str(t.mode), "clips": len(t.clips)}
                      for t in report.timelines],
        "findings": [finding_dict(f) for f in report.findings],
        "summary": report.summary,
    }
    if report.disabled_plugins:  # only then: a full run's document stays as it was
        doc["disabled_plugins"] = list(report.disabled_plugins)
    if report.rules_off:
        doc["rules_off"] = list(report.rules_off)
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
