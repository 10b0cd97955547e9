"""The visual clearance report: one self-contained HTML file (Jinja2, inline SVG and CSS).

For the post supervisor and the legal reviewer: a picture of each timeline (tracks as
lanes, clips at their record positions, coloured by verdict, with a legend and a timecode
ruler), the findings in a table filtered by rule, severity, track and timeline, each
asset's provenance chain with every use of it, and the production, dates, cutclear
version and records the verdict rests on. No network, no CDN, no fonts to fetch: it opens
from a USB stick on an offline edit bay, and prints (legal prints it).

Size is kept in check for a feature: a cleared clip is one bare `<rect>`; the tooltip and
details come from its asset's card, written once per asset rather than once per use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from cutclear import __version__
from cutclear.output import disabled_line
from cutclear.reports.view import (
    VERDICTS,
    ClipView,
    TimelineView,
    chain,
    timecode,
    timeline_views,
)

if TYPE_CHECKING:
    from cutclear.engine import Report

LANE, GAP, RULER, LABEL = 18, 3, 22, 44  # px: lane height, between lanes, ruler, labels
MIN_WIDTH, MAX_WIDTH, PX_PER_SECOND = 900, 30000, 8
TICKS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600)  # seconds


@cache
def _template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("cutclear.reports", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.get_template("report.html.j2")


@dataclass
class Block:
    clip: ClipView
    id: str
    x: float
    y: int
    w: float
    title: str | None
    cards: str  # ids of the cards of its assets


def render_html(report: Report) -> str:
    views = timeline_views(report)
    clip_ids = {id(clip.use): f"c{n}" for n, clip in
                enumerate(c for view in views for c in view.clips)}
    cards = _cards(views, report, clip_ids)
    card_of: dict[int, list[str]] = {}
    for card in cards:
        for clip, _ in card["uses"]:
            card_of.setdefault(id(clip.use), []).append(card["id"])
    pictures = [_picture(view, clip_ids, card_of) for view in views]
    counts = {v[0]: 0 for v in VERDICTS}
    for view in views:
        for clip in view.clips:
            counts[clip.verdict] += 1
        if view.read.error:
            counts["unreadable"] += 1
    by_key = {(u.timeline, u.track, u.record_in, u.label): clip_ids[id(u)]
              for view in views for u in (c.use for c in view.clips)}
    config = report.config
    db = report.db
    context = {
        "report": report,
        "version": __version__,
        "production": config.production if config else None,
        "genre": config.genre if config else None,
        "delivery": config.delivery if config else None,
        "verdicts": VERDICTS,
        "counts": counts,
        "pictures": pictures,
        "findings": [{"f": f, "blocking": f.severity >= report.fail_on,
                      "clip_id": by_key.get((f.path, f.track, f.record_in, f.clip))}
                     for f in report.findings],
        "cards": cards,
        "record_files": list(db.files) if db else [],
        "record_errors": {e.path: e for e in db.errors} if db else {},
        "clips": sum(len(v.clips) for v in views),
        "blocking": len(report.blocking),
        "rules": sorted({f.rule for f in report.findings}),
        "tracks": sorted({f.track for f in report.findings if f.track}),
        "severities": [s for s in ("error", "warning", "info")
                       if any(str(f.severity) == s for f in report.findings)],
        "timeline_paths": [v.read.path for v in views],
        "partial": disabled_line(report),  # judged without some plugins or rules
    }
    return _template().render(**context)


def _picture(view: TimelineView, clip_ids: dict[int, str],
             card_of: dict[int, list[str]]) -> dict:
    seconds = view.length / view.rate
    width = min(max(seconds * PX_PER_SECOND, MIN_WIDTH), MAX_WIDTH)
    scale = width / view.length
    lanes = view.tracks
    row = {name: i for i, name in enumerate(lanes)}
    blocks = []
    for clip in view.clips:
        x = LABEL + (clip.start - view.origin) * scale
        w = max((clip.end - clip.start) * scale, 1.0)
        y = RULER + row[clip.use.track] * (LANE + GAP)
        title = None
        if clip.verdict != "cleared" or clip.findings:
            title = (f"{clip.use.label} {clip.use.track} {clip.use.record_in}-"
                     f"{clip.use.record_out}: {_verdict_label(clip.verdict)}"
                     + "".join(f"; {f.rule} [{f.severity}]" for f in clip.findings))
        blocks.append(Block(clip, clip_ids[id(clip.use)], round(x, 1), y, round(w, 1), title,
                            " ".join(card_of.get(id(clip.use), ()))))
    step = next((s for s in TICKS if s * view.rate * scale >= 90), TICKS[-1])
    ticks = []
    at = 0
    while at <= view.length:
        ticks.append((round(LABEL + at * scale, 1), timecode(view.origin + at, view.rate)))
        at += step * view.rate
    height = RULER + max(len(lanes), 1) * (LANE + GAP)
    return {"view": view, "width": round(width + LABEL + 90, 1), "height": height,
            "end_x": round(width, 1),
            "lanes": [(name, RULER + i * (LANE + GAP)) for i, name in enumerate(lanes)],
            "blocks": blocks, "ticks": ticks, "lane": LANE, "label": LABEL, "fps": view.rate,
            "start": timecode(view.origin, view.rate),
            "end": timecode(view.origin + view.length, view.rate)}


def _verdict_label(verdict: str) -> str:
    return next(label for key, label, _ in VERDICTS if key == verdict)


def _cards(views: list[TimelineView], report: Report, clip_ids: dict[int, str]) -> list[dict]:
    """One card per asset (its chain and every use of it) and one for undeclared media."""
    cards: dict[str, dict] = {}
    undeclared: list[ClipView] = []
    for view in views:
        for clip in view.clips:
            if not clip.assets:
                undeclared.append(clip)
            for asset in clip.assets:
                key = f"{asset.id}@{asset.source.path}:{asset.source.line}"
                if key not in cards:
                    cards[key] = {"id": f"a{len(cards)}", "asset": asset,
                                  "chain": chain(asset, report.db), "uses": [],
                                  "verdicts": set()}
                cards[key]["uses"].append((clip, clip_ids.get(id(clip.use))))
                cards[key]["verdicts"].add(clip.verdict)
    ordered = sorted(cards.values(), key=lambda c: (
        min(_RANK[v] for v in c["verdicts"]), not c["asset"].genai, c["asset"].id))
    if undeclared:
        ordered.insert(0, {"id": "undeclared", "asset": None, "chain": None,
                           "uses": [(c, clip_ids.get(id(c.use))) for c in undeclared],
                           "verdicts": {"undeclared"}})
    for card in ordered:
        groups: dict[str, list] = {}
        for clip, cid in card["uses"]:
            groups.setdefault(clip.use.timeline, []).append((clip, cid))
        card["groups"] = list(groups.items())
        card["label"] = card["uses"][0][0].use.label if card["asset"] else None
    return ordered


_RANK = {"blocked": 0, "undeclared": 1, "unreadable": 1, "pending": 2, "talent": 3,
         "approved": 4, "cleared": 5}

