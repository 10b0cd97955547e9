"""Shared test helpers: small edit repos built in a temporary folder.

Timelines are written by the real OTIO adapters, records as real *.genai.xml files, and
cutclear runs in-process through its command-line entry point, as pre-commit-hooks tests
its hooks.
"""

from __future__ import annotations

import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio
import pytest

from cutclear.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NS = "urn:cutclear:genai:1"


def genai(body: str) -> str:
    """A record file around `body`."""
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<genai xmlns="{NS}" version="1">\n'
            f"{textwrap.indent(textwrap.dedent(body).strip(), '  ')}\n</genai>\n")


def timeline(clips, name: str = "cut", rate: float = 24, start_tc: str = "01:00:00:00",
             audio=()) -> otio.schema.Timeline:
    """A timeline with one video track of `clips` and optional audio clips.

    Each clip is (name, target_url or None, frames); a None name makes a gap.
    """
    tl = otio.schema.Timeline(name=name)
    tl.global_start_time = otio.opentime.from_timecode(start_tc, rate)
    for kind, items in ((otio.schema.TrackKind.Video, clips), (otio.schema.TrackKind.Audio, audio)):
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
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)

    def findings(self, rule: str | None = None) -> list[dict]:
        return [f for f in self.json["findings"] if rule is None or f["rule"] == rule]


class Repo:
    """An edit repo in a temporary folder."""

    def __init__(self, root: Path, capsys):
        self.root = root
        self._capsys = capsys

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def records(self, rel: str, body: str) -> Path:
        return self.write(rel, genai(body))

    def config(self, toml: str) -> Path:
        return self.write("cutclear.toml", textwrap.dedent(toml))

    def timeline(self, rel: str, tl: otio.schema.Timeline, **adapter_args) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        otio.adapters.write_to_file(tl, str(path), **adapter_args)
        return path

    def check(self, *args: str, fmt: str = "json") -> Result:
        """Run `cutclear check` in the repo, in-process."""
        old = os.getcwd()
        os.chdir(self.root)
        try:
            self._capsys.readouterr()
            code = main(["check", "--format", fmt, *args])
            captured = self._capsys.readouterr()
        finally:
            os.chdir(old)
        return Result(code, captured.out, captured.err)


@pytest.fixture
def repo(tmp_path, capsys) -> Repo:
    (tmp_path / ".git").mkdir()  # marks the repo root, as a real checkout would
    return Repo(tmp_path, capsys)


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus of real NLE exports is not at {CORPUS} (it lives "
                    "beside the project checkout, never inside it)")
    return CORPUS
