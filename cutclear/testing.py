"""pytest helpers for cutclear plugins: small edit repos built in a temporary folder.

Installed as a pytest plugin (entry point `pytest11`), so a vendor's test suite gets the
`cutclear_repo` fixture without copying cutclear's conftest:

    def test_registry_clears_the_replica(cutclear_repo):
        cutclear_repo.config('production = "PRD-778"')
        cutclear_repo.records("records/ep3.genai.xml", '<person id="P-1">Jane Doe</person>')
        cutclear_repo.timeline("cuts/reel1.otio", [("adr", "file:///m/adr.wav", 48)])
        result = cutclear_repo.check("--as-of", "2026-01-15")
        assert result.code == 0 and not result.findings("TL001")

Timelines are written by the real OTIO adapters (chosen by suffix), records as real
`*.genai.xml` files, and cutclear runs in-process through its command-line entry point,
so a test exercises exactly what `cutclear check` does in production, plugins included.

pytest imports this module in every session of an environment where cutclear is
installed, whatever project is being tested, so it imports nothing heavy at import time:
OpenTimelineIO is imported by the functions that need it.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import opentimelineio as otio

__all__ = ["NS", "Repo", "Result", "cutclear_repo", "genai", "timeline"]

NS = "urn:cutclear:genai:1"

#: One clip of `timeline()`: (clip name or None for a gap, media URL or None, frames).
ClipSpec = tuple["str | None", "str | None", int]


def genai(body: str) -> str:
    """A complete record file around `body` (the elements inside <genai>).

    Tests then state only the records that matter; the root element, namespace and
    version are always the ones the schema expects.
    """
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<genai xmlns="{NS}" version="1">\n'
            f"{textwrap.indent(textwrap.dedent(body).strip(), '  ')}\n</genai>\n")


def timeline(clips: Iterable[ClipSpec], name: str = "cut", rate: float = 24,
             start_tc: str = "01:00:00:00", audio: Iterable[ClipSpec] = ()) -> otio.schema.Timeline:
    """An OTIO timeline with one video track of `clips` and optional audio clips.

    Each clip is (name, target_url or None, frames): a None name makes a gap, a None
    URL a clip with a missing media reference (as an offline clip in an NLE).
    """
    import opentimelineio as otio

    tl = otio.schema.Timeline(name=name)
    tl.global_start_time = otio.opentime.from_timecode(start_tc, rate)
    for kind, items in ((otio.schema.TrackKind.Video, list(clips)),
                        (otio.schema.TrackKind.Audio, list(audio))):
        if not items and kind == otio.schema.TrackKind.Audio:
            continue
        track = otio.schema.Track(name="", kind=kind)
        for clip_name, url, frames in items:
            rng = otio.opentime.TimeRange(otio.opentime.RationalTime(0, rate),
                                          otio.opentime.RationalTime(frames, rate))
            if clip_name is None:
                track.append(otio.schema.Gap(source_range=rng))
                continue
            # available_range: the FCP7 writer needs it
            ref = otio.schema.ExternalReference(target_url=url, available_range=rng) if url \
                else otio.schema.MissingReference()
            track.append(otio.schema.Clip(name=clip_name, media_reference=ref,
                                          source_range=rng))
        tl.tracks.append(track)
    return tl


@dataclass
class Result:
    """What one `cutclear check` run gave: exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        """The JSON report (the run must have used `--format json`, the default here)."""
        return json.loads(self.out)

    def findings(self, rule: str | None = None) -> list[dict]:
        """The findings of the JSON report, all or only those of rule code `rule`."""
        return [f for f in self.json["findings"] if rule is None or f["rule"] == rule]


class Repo:
    """An edit repo in a temporary folder: configuration, records, timelines, a check."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]):
        self.root = root
        self._capsys = capsys

    def write(self, rel: str, text: str) -> Path:
        """Write a text file at the repo-relative path `rel`, making its folders."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def records(self, rel: str, body: str) -> Path:
        """Write a record file (`rel` should end in .genai.xml) holding `body`."""
        return self.write(rel, genai(body))

    def config(self, toml: str) -> Path:
        """Write `cutclear.toml` (the [tool.cutclear] keys, without the table header)."""
        return self.write("cutclear.toml", textwrap.dedent(toml))

    def timeline(self, rel: str,
                 tl: otio.core.SerializableObject | Sequence[ClipSpec] | None = None,
                 *, clips: Sequence[ClipSpec] | None = None, audio: Sequence[ClipSpec] = (),
                 name: str = "cut", rate: float = 24, start_tc: str = "01:00:00:00",
                 **adapter_args: Any) -> Path:
        """Write a timeline file with the OTIO adapter its suffix selects.

        `tl` is an OTIO Timeline (or any OTIO object the adapter writes, such as a
        SerializableCollection of sequences), or the clips to build a timeline from (as
        `clips=`, see `timeline()`; `audio`, `name`, `rate` and `start_tc` apply only
        when building).
        Other keyword arguments go to the adapter, e.g. `use_empty_mob_ids=True` for AAF.
        """
        import opentimelineio as otio

        if tl is not None and not isinstance(tl, otio.core.SerializableObject):
            if clips is not None:
                raise TypeError("give the clips either positionally or as clips=, not both")
            tl, clips = None, tl
        if tl is None:
            if clips is None:
                raise TypeError("give an OTIO object or clips=[(name, url, frames), ...]")
            tl = timeline(clips, name=name, rate=rate, start_tc=start_tc, audio=audio)
        elif clips is not None or audio:
            raise TypeError("give an OTIO object or clips to build a timeline, not both")
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        otio.adapters.write_to_file(tl, str(path), **adapter_args)
        return path

    def check(self, *args: str, fmt: str = "json") -> Result:
        """Run `cutclear check --format FMT ARGS...` in the repo, in-process.

        In-process, so that a failing plugin's traceback and coverage land in the test;
        the working folder is the repo's root for the run, as for an editor's commit.
        """
        from cutclear.cli import main

        old = os.getcwd()
        os.chdir(self.root)
        try:
            self._capsys.readouterr()
            code = main(["check", "--format", fmt, *args])
            captured = self._capsys.readouterr()
        finally:
            os.chdir(old)
        return Result(code, captured.out, captured.err)


DEFAULT_SETTINGS = "# cutclear settings: the defaults (Repo.config writes your own)\n"


@pytest.fixture
def cutclear_repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Repo:
    """An edit repo in `tmp_path`: its root marked by .git, as a checkout's is, and by a
    `cutclear.toml` of default settings (cutclear runs only where settings are; replace
    it with `config()`, or delete it to test settings in pyproject.toml)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "cutclear.toml").write_text(DEFAULT_SETTINGS, encoding="utf-8")
    return Repo(tmp_path, capsys)
