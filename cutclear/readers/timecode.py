"""SMPTE timecode for the record positions the walk computes (two per clip use)."""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import TimelineError

_WHOLE_RATES = frozenset({24.0, 25.0, 30.0, 48.0, 50.0, 60.0})  # SMPTE rates without DF
_DIGITS = tuple(f"{n:02d}" for n in range(100))


class Timecode:
    """Formats top-level seconds as SMPTE timecode at the timeline's rate.

    At whole-number SMPTE rates (never drop-frame) the digits are computed here, as OTIO
    computes them (hours wrap at 24); other rates go through `otio.opentime.to_timecode`.
    """

    def __init__(self, rate: float, drop_frame: bool | None):
        self.exact = rate
        self.rate = otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate)
        # None lets OTIO infer from the rate: 29.97 and 59.94 count drop-frame
        self.drop_frame = False if float(self.rate).is_integer() else drop_frame
        self._fps = int(self.rate) if self.rate in _WHOLE_RATES else 0
        try:  # OTIO refuses some rates (drop-frame at 23.976) at the first clip, not here
            otio.opentime.to_timecode(otio.opentime.RationalTime(0, self.rate), self.rate,
                                      self.drop_frame)
        except ValueError as e:
            raise TimelineError(f"no SMPTE timecode can be written at {rate:g} fps"
                                f"{' drop-frame' if self.drop_frame else ''} ({e})") from None

    def format(self, seconds: float) -> str:
        frames = round(seconds * self.exact)
        if frames < 0:
            raise TimelineError(f"a clip lies {-seconds:g} s before 00:00:00:00, where no "
                                "timecode can name it")
        fps = self._fps
        if fps:
            s, f = divmod(frames, fps)
            m, s = divmod(s, 60)
            h, m = divmod(m, 60)
            return f"{_DIGITS[h % 24]}:{_DIGITS[m]}:{_DIGITS[s]}:{_DIGITS[f]}"
        return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, self.rate),
                                         self.rate, self.drop_frame)
