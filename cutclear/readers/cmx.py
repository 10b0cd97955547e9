"""A strict CMX 3600 event parser: the event lines of an EDL, their channels and notes.

No OpenTimelineIO here: the result is the EDL's placements (one per event line that puts
media on the record side) and the lines it could not understand, from which both the
census and the OTIO tracks are made. An unreadable *event* line (one that starts with an
event number) is never skipped: it is counted as unplaced, with its line number and
what was wrong, and so fails the read. Other lines are notes; a note cutclear does not
know cannot hide media.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from cutclear.readers.base import TimelineError

TC = r"\d{1,2}[:;.,]\d{2}[:;.,]\d{2}[:;.,]\d{2}"
TC_FULL = re.compile(rf"{TC}\Z")
EVENT = re.compile(
    rf"^(?P<num>\d+)\s+(?P<reel>\S(?:.*?\S)?)\s+(?P<chan>\S+)\s+"
    rf"(?P<trans>C|D|W\d{{3}}|KB|KO|K(?:\s+[BO])?)(?:\s+(?P<dur>\d{{1,3}}))?\s+"
    rf"(?P<tc>{TC}\s+{TC}\s+{TC}\s+{TC})\s*$")
CHANNEL = re.compile(r"^(?:V\d*|A\d*|AA|B|NONE)(?:/(?:V\d*|A\d*|AA|B))*$")
AUD = re.compile(r"^AUD\s+([\d\s]+)$")
M2 = re.compile(rf"^M2\s+(?P<reel>\S(?:.*?\S)?)\s+(?P<speed>[-+]?\d+(?:\.\d*)?)\s+({TC})\s*$")
SPLIT = re.compile(rf"^SPLIT:\s*(AUDIO|VIDEO)\s+DELAY\s*=\s*({TC})\s*$")
NOTE = re.compile(r"^\*?\s*(FROM CLIP NAME|TO CLIP NAME|FROM CLIP|TO CLIP|FROM FILE|TO FILE)"
                  r"\s*:\s*(.*)$", re.IGNORECASE)
BLACK = frozenset({"BL", "BLK", "BLACK"})  # the black reel: no media
EXACT_RATES = {24: 24000 / 1001, 30: 30000 / 1001, 48: 48000 / 1001, 60: 60000 / 1001,
               120: 120000 / 1001}


@dataclass
class Placement:
    """Media put on the record side by one event line, on one or more channels."""

    line: int
    event: str
    reel: str
    channels: tuple[str, ...]
    src_in: int
    rec_in: int
    rec_out: int
    transition: str = "C"
    wipe_frames: int = 0  # transition duration of a D/W/K line
    name: str = ""
    path: str = ""
    comments: list[str] = field(default_factory=list)
    speed: float | None = None  # M2: source frames per second (0: a freeze frame)
    src_out: int = 0
    split: tuple[str, int] | None = None  # SPLIT: AUDIO or VIDEO and its delay in frames

    @property
    def duration(self) -> int:
        return self.rec_out - self.rec_in


@dataclass
class Edl:
    title: str
    rate: float
    drop_frame: bool
    placements: list[Placement]
    unplaced: dict[str, int]


class _Timecodes:
    """Timecode to frames at the EDL's rate; drop-frame from the separator (`;`, `,` or
    `.`) or, for `:`, from the FCM line in force."""

    def __init__(self, rate: float):
        self.nominal = round(rate)
        if self.nominal <= 0:
            raise ValueError("the EDL rate must be positive")
        self.exact = next((exact for n, exact in EXACT_RATES.items()
                           if n == self.nominal and abs(rate - exact) < 0.01), rate)
        self.can_drop = self.nominal in (30, 60) and self.exact != self.nominal

    def frames(self, tc: str, fcm_drop: bool, line: int) -> tuple[int, bool]:
        """`tc` as matched by TC: h or hh, then three fields of two digits, one separator
        character between fields (read by position: a third of the parse's time went to
        splitting them with a regex)."""
        if len(tc) not in (10, 11) or not TC_FULL.match(tc):
            raise TimelineError(f"line {line}: {tc!r} is not a timecode")
        h, m, s, f = int(tc[:-9]), int(tc[-8:-6]), int(tc[-5:-3]), int(tc[-2:])
        drop = tc[-3] in ";.," or (fcm_drop and tc[-3] == ":")
        if drop and not self.can_drop:
            if tc[-3] != ":":
                raise TimelineError(
                    f"line {line}: drop-frame timecode {tc} at {self.exact:g} fps: drop-frame "
                    "exists at 29.97 and 59.94 only; set the EDL's real rate with edl-rate "
                    "or --rate")
            drop = False  # an FCM: DROP FRAME line at a rate without drop-frame
        if m > 59 or s > 59 or f >= self.nominal:
            raise TimelineError(
                f"line {line}: timecode {tc}: the EDL's timecodes do not fit "
                f"{self.exact:g} fps; set the EDL's real rate with edl-rate or --rate")
        total = (h * 3600 + m * 60 + s) * self.nominal + f
        if drop:
            dropped = 2 * self.nominal // 30
            if s == 0 and f < dropped and m % 10:
                raise TimelineError(f"line {line}: {tc} does not exist in drop-frame "
                                    "timecode (those frame numbers are skipped)")
            minutes = h * 60 + m
            total -= dropped * (minutes - minutes // 10)
        return total, drop


_LINES = re.compile(r"\r\n|\r|\n")


def parse(data: bytes, rate: float) -> Edl:
    """Every event line of an EDL as placements; unreadable event lines as unplaced."""
    if b"\x00" in data:
        raise TimelineError("holds binary data: not a CMX 3600 EDL (a text file)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # Avid on Windows writes the ANSI code page
    tcs = _Timecodes(rate)
    title, fcm_drop, drop_frame = "", False, None
    placements: list[Placement] = []
    unplaced: dict[str, int] = {}
    group: list[Placement] = []  # the lines of the current event (a dissolve has two)
    split: tuple[str, int] | None = None
    events = 0

    def refuse(kind: str, line: int, what: str) -> None:
        """Count an unreadable event line under its kind, named by the first one."""
        key = next((k for k in unplaced if k.startswith(kind + " (")),
                   f"{kind} (line {line}: {what})")
        unplaced[key] = unplaced.get(key, 0) + 1

    # lines end at CR, LF or CRLF only: str.splitlines also splits at U+2028, NEL (0x85,
    # Windows-1252's ellipsis read as latin-1), FF, VT and 0x1c-0x1e, which a clip name
    # may hold, and would cut the name short (tests/redteam/test_late_holes.py)
    for number, raw in enumerate(_LINES.split(text), 1):
        line = raw.strip()
        if not line:
            continue
        upper = line.upper()
        if upper.startswith("TITLE:"):
            title = title or line[6:].strip()
            continue
        if upper.startswith("FCM:"):
            fcm_drop = "NON" not in upper and "DROP" in upper
            continue
        if line[0].isdigit():
            events += 1
            m = EVENT.match(line)
            if m is None:
                refuse("unreadable event line", number, _diagnose(line))
                group = []
                continue
            chan = m["chan"].upper()
            if not CHANNEL.match(chan):
                refuse("event line with an unknown channel", number, repr(m["chan"]))
                group = []
                continue
            times = [tcs.frames(tc, fcm_drop, number) for tc in m["tc"].split()]
            (src_in, _), (src_out, _), (rec_in, rec_drop), (rec_out, _) = times
            if drop_frame is None:
                drop_frame = rec_drop
            if rec_out < rec_in:
                refuse("event line whose record out precedes its record in", number,
                       m["tc"].split()[2] + " > " + m["tc"].split()[3])
                group = []
                continue
            trans = re.sub(r"\s+", "", m["trans"])
            p = Placement(number, m["num"], m["reel"], _channels(chan), src_in, rec_in,
                          rec_out, trans, int(m["dur"] or 0), src_out=src_out)
            p.split, split = split, None  # made once the event's notes are read
            if trans != "C" and len(group) == 1 and group[0].duration == 0:
                group.append(p)  # the "to" line of a dissolve, wipe or key
            else:
                group = [p]
            placements.append(p)
            continue
        m = SPLIT.match(upper)
        if m:  # applies to the next event line
            split = (m[1], tcs.frames(m[2], fcm_drop, number)[0])
        elif group:
            _note(line, upper, group, number)
    if not events:
        raise TimelineError("not a timeline: it holds no CMX 3600 event lines (not an EDL, "
                            "or an empty one)")
    split_up = [part for p in placements for part in _split(p)]
    kept = _resolve(split_up)
    return Edl(title, tcs.exact, bool(drop_frame), kept, unplaced)


def _note(line: str, upper: str, group: list[Placement], number: int) -> None:
    """A note line after an event line: names, paths, channels 3 and up, speed.

    Two notes naming different media for one event are refused: NLEs and adapters do not
    agree on which one wins (otio-cmx3600-adapter keeps the last), so the conform could
    link media cutclear did not check."""
    m = NOTE.match(line)
    if m:
        key, value = m[1].upper(), m[2].strip()
        target = group[0] if key.startswith("FROM") else group[-1]
        field_ = "name" if key.endswith("NAME") else "path"
        known = getattr(target, field_)
        if known and known != value:
            raise TimelineError(f"line {number}: a second {key} note ({value!r}) contradicts "
                                f"{known!r} for event {target.event}: which media the event "
                                "uses is ambiguous; keep one note")
        setattr(target, field_, value)
        return
    m = AUD.match(upper)
    if m:
        extra = tuple(f"A{int(c)}" for c in m[1].split())
        for p in group:
            p.channels = tuple(dict.fromkeys(p.channels + extra))
        return
    m = M2.match(line)
    if m:
        reel = m["reel"]
        target = next((p for p in reversed(group) if p.reel == reel), group[-1])
        target.speed = float(m["speed"])
        return
    group[-1].comments.append(line.lstrip("*").strip())


def _channels(field_: str) -> tuple[str, ...]:
    """V, A, A2, AA, B (picture and A1), AA/V, NONE (channels only in AUD lines)."""
    out: list[str] = []
    for part in field_.split("/"):
        if part == "NONE":
            continue
        if part == "AA":
            out += ["A1", "A2"]
        elif part == "B":
            out += ["V1", "A1"]
        elif part[0] == "V":
            out.append("V" + (part[1:] or "1"))
        else:
            out.append("A" + (part[1:] or "1"))
    return tuple(dict.fromkeys(out))


def _split(p: Placement) -> list[Placement]:
    """A split edit: the delayed channels (audio or video) start later than the others."""
    if p.split is None:
        return [p]
    kind, delay = p.split
    late = tuple(c for c in p.channels if c[0] == kind[0])
    early = tuple(c for c in p.channels if c[0] != kind[0])
    if not late or delay <= 0:
        return [p]
    delayed = replace(p, channels=late, src_in=p.src_in + delay,
                      rec_in=min(p.rec_in + delay, p.rec_out), comments=list(p.comments))
    return [replace(p, channels=early), delayed] if early else [delayed]


def _resolve(placements: list[Placement]) -> list[Placement]:
    """Drop what puts no media on the record side: black, zero-length lines, and the
    "from" line of a dissolve that only continues the event before it. A "from" line
    that does not continue the previous event on its channels shows its source during
    the transition, and so is a use of its own."""
    kept: list[Placement] = []
    last: dict[tuple[str, ...], Placement] = {}  # the latest placement per channel set
    for i, p in enumerate(placements):
        nxt = placements[i + 1] if i + 1 < len(placements) else None
        if p.duration == 0:
            if nxt is None or nxt.transition == "C" or nxt.line == p.line:
                continue  # a zero-length event shows nothing
            prev = last.get(p.channels)
            if prev is not None and prev.reel == p.reel and prev.rec_out == p.rec_in \
                    and prev.src_out == p.src_in:
                continue  # the tail of the previous event, under the transition
            p.rec_out = p.rec_in + nxt.wipe_frames
            if p.duration == 0:
                continue
        last[p.channels] = p
        # the black reel is no media, unless its notes name some: a conform that links by
        # clip name or file would still bring that media in
        if p.reel.upper() in BLACK and not (p.name or p.path) or not p.channels:
            continue
        kept.append(p)
    return kept


def _diagnose(line: str) -> str:
    found = len(re.findall(TC, line))
    if found != 4:
        return f"{found} timecodes where an event has 4 (source in/out, record in/out)"
    return "no channel (V, A, A2, AA, B, NONE) and transition (C, D, Wnnn, K) fields"
