"""The plan of an FCP7 cut: what `build` read, laid out as OTIO lays out a timeline.

Plain data, so that a feature's 10,000 clips cost what their numbers cost: `uses` lists
the clip uses from it, `to_otio` makes OTIO objects of it only where an OTIO timeline is
wanted. Items sit on a track at their cut points (`cut_in`, `cut_out`) in the track's
frames, at the track's `rate`; a track is played from frame 0, with gaps between its items
(as an OTIO track holds them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class File:
    """What a <file> says, read once for all its uses."""

    name: str
    url: str
    generator: str  # Premiere's slugs, mattes, bars and titles: rendered, not media
    rate: float
    tc_start_file: int  # the media's first frame, at the file's rate
    duration: int
    reel: str
    tc_start: int  # the media's first frame, at the rate of the clipitem that uses it


@dataclass(slots=True)
class Clip:
    """A clipitem of a file, or a generatoritem (`file` None, its `effect` given).

    Its source starts at `source_in` frames at `item_rate` plus `offset` frames at `rate`;
    `length` is its duration before any trim."""

    cut_in: int
    cut_out: int
    rate: float
    name: str  # the use's name: the clipitem's, else the file's
    file: File | None
    effect: str
    source_in: int
    item_rate: float
    offset: int
    length: int
    enabled: bool

    @property
    def duration(self) -> int:
        return self.cut_out - self.cut_in

    @property
    def media(self) -> bool:
        """False for what is rendered, not media (generators, Premiere's slugs)."""
        return self.file is not None and not self.file.generator


@dataclass(slots=True)
class Nest:
    """A use of a nested sequence or multicam clip: its own time `start` (an OTIO
    RationalTime at the nest's rate) plays from `cut_in` to `cut_out`, through the
    `tracks` of the use's kind."""

    cut_in: int
    cut_out: int
    rate: float
    name: str
    start: object
    tracks: list[Track]
    enabled: bool
    metadata: dict  # {"nest": id} or {"multicam": id}

    @property
    def duration(self) -> int:
        return self.cut_out - self.cut_in


@dataclass(slots=True)
class Track:
    name: str
    kind: str  # "video" or "audio"
    rate: float  # of the gaps between items
    enabled: bool
    items: list[Clip | Nest]


@dataclass(slots=True)
class Timeline:
    name: str
    start: object  # OTIO RationalTime: the sequence's timecode
    displayformat: str  # "DF", "NDF" or "" (not said)
    tracks: list[Track]
