"""The plan of an FCP7 cut: what `build` read, laid out as OTIO lays out a timeline.

Plain data, so that a feature's 10,000 clips cost what their numbers cost: `uses` lists
the clip uses from it, `to_otio` makes OTIO objects of it only where an OTIO timeline is
wanted. Items sit on a track at their cut points in the track's frames; a track is played
from frame 0, with gaps between its items (as an OTIO track holds them).
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

    Its source starts at `source_in` frames at `item_rate` plus `offset` frames at `rate`
    (the track's); it lasts `duration` frames at `rate`, `length` before any trim."""

    name: str  # the use's name: the clipitem's, else the file's
    file: File | None
    effect: str
    source_in: int
    item_rate: float
    offset: int
    rate: float
    length: int
    duration: int
    enabled: bool

    @property
    def media(self) -> bool:
        """False for what is rendered, not media (generators, Premiere's slugs)."""
        return self.file is not None and not self.file.generator


@dataclass(slots=True)
class Nest:
    """A use of a nested sequence or multicam clip: its own time `start` (an OTIO
    RationalTime at the nest's rate) plays for `duration` frames at `rate` (the track's),
    through the `tracks` of the use's kind."""

    name: str
    start: object
    rate: float
    duration: int
    tracks: list[Track]
    enabled: bool
    metadata: dict  # {"nest": id} or {"multicam": id}


@dataclass(slots=True)
class Placed:
    """An item on a track, at its cut points in the track's frames."""

    cut_in: int
    cut_out: int
    item: Clip | Nest


@dataclass(slots=True)
class Track:
    name: str
    kind: str  # "video" or "audio"
    rate: float  # of the gaps between items
    enabled: bool
    items: list[Placed]


@dataclass(slots=True)
class Timeline:
    name: str
    start: object  # OTIO RationalTime: the sequence's timecode
    displayformat: str  # "DF", "NDF" or "" (not said)
    tracks: list[Track]
