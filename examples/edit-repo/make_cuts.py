"""Regenerates the example cuts under cuts/ (run: python make_cuts.py).

The cuts of "Harbour Lights", episode 1, are built here as OpenTimelineIO timelines and
written by the real OTIO adapters, as an editor's NLE would export them:

    cuts/locked/reel1.otio  .xml  .edl  _audio.edl   picture-locked reel 1
    cuts/wip/reel2.otio     .xml  .edl  _audio.edl   reel 2, still being cut

and the locked reel of the companion documentary, an edit repo of its own:

    documentary/cuts/locked/doc_reel1.otio  .xml  .edl  _audio.edl

.otio is written by otio_json, .xml by fcp_xml (Final Cut Pro 7 XML), the EDLs by
cmx_3600. Two limits of OTIO's CMX 3600 writer shape the EDLs (the other formats need
no help):
  * it writes only the first track and insists on exactly one video track, so, as an
    editor exports a picture EDL (V) and a sound EDL (A) for the conform, reelN.edl holds
    V1 and reelN_audio.edl holds A1 (the picture track goes along unwritten);
  * it counts record time from zero and ignores the timeline's start timecode, so each
    track is handed over behind a gap as long as that start, and record timecodes read
    01:00:00:00 as in the NLE (and as in the .otio and .xml).

Same input, same files: nothing here depends on the clock or on the machine.
"""

from __future__ import annotations

import copy
from pathlib import Path

import opentimelineio as otio
from opentimelineio.opentime import RationalTime, TimeRange, from_timecode

RATE = 24
START = "01:00:00:00"  # the sequences' start timecode
HANDLES = 48  # frames of media beyond each clip's in and out
CAMERA = "file:///mnt/show/media/camera/"
VFX = "file:///mnt/show/media/vfx/"
ADR = "file:///mnt/show/media/sound/adr/"  # recordings of the actors
AI_VOICE = "file:///mnt/show/media/sound/ai/"  # voice replicas
DOC = "file:///mnt/docs/media/"  # the documentary's own storage

# Each track: (clip name, media URL, source timecode in, frames), or a gap's frames.
REEL1 = {
    "V1": [
        ("A001C003", CAMERA + "A001C003.mov", "14:22:10:00", 120),
        ("sh042_sky_v3", VFX + "sh042/sh042_sky_v3.mov", "00:00:41:17", 96),
        ("A002C011", CAMERA + "A002C011.mov", "15:03:20:00", 144),
        ("sh057_cranes_v2", VFX + "sh057/sh057_cranes_v2.mov", "00:00:41:17", 72),
        ("A003C002", CAMERA + "A003C002.mov", "16:40:02:12", 96),
        ("sh063_newsreel_v1", VFX + "sh063/sh063_newsreel_v1.mov", "00:00:41:17", 120),
        ("A003C007", CAMERA + "A003C007.mov", "16:52:31:00", 72),
    ],
    "A1": [
        ("A001C003", CAMERA + "A001C003.mov", "14:22:10:00", 120),
        96,  # a gap: no sync sound under the VFX shot
        ("adr_ruiz_sc41_replica", AI_VOICE + "adr_ruiz_sc41_replica.wav", "00:00:10:00", 72),
        ("A002C011", CAMERA + "A002C011.mov", "15:03:23:00", 72),
        72,  # a gap
        ("adr_kowalski_sc44_replica", AI_VOICE + "adr_kowalski_sc44_replica.wav",
         "00:00:10:00", 96),
        120,  # a gap
        ("A003C007", CAMERA + "A003C007.mov", "16:52:31:00", 72),
    ],
}
REEL2 = {
    "V1": [
        ("B001C004", CAMERA + "B001C004.mov", "10:11:45:00", 144),
        ("sh071_storm_temp_v1", VFX + "sh071/sh071_storm_temp_v1.mov", "00:00:41:17", 96),
        ("B002C001", CAMERA + "B002C001.mov", "10:40:00:00", 120),
    ],
    "A1": [
        ("B001C004", CAMERA + "B001C004.mov", "10:11:45:00", 144),
        96,  # a gap
        ("B002C001", CAMERA + "B002C001.mov", "10:40:00:00", 120),
    ],
}

# "Quinn: The Ferry Years", reel 1: an interview, two photographs of Harold Quinn that
# went through a GenAI tool, and archive film.
DOC_REEL1 = {
    "V1": [
        ("INT_A001C001", DOC + "camera/INT_A001C001.mov", "09:14:02:00", 120),
        ("ph_0412_quinn_1974", DOC + "archive/stills/ph_0412_quinn_1974.mov", "00:00:10:00",
         96),
        ("ARC_0031_ferry_1974", DOC + "archive/film/ARC_0031_ferry_1974.mov", "00:02:10:00",
         96),
        ("ph_0415_quinn_1974", DOC + "archive/stills/ph_0415_quinn_1974.mov", "00:00:10:00",
         96),
    ],
    "A1": [
        ("INT_A001C001", DOC + "camera/INT_A001C001.mov", "09:14:02:00", 120),
        96,  # a gap: no sound under the photograph
        ("ARC_0031_ferry_1974", DOC + "archive/film/ARC_0031_ferry_1974.mov", "00:02:10:00",
         96),
        96,
    ],
}


def frames(n: int) -> RationalTime:
    return RationalTime(n, RATE)


def make_clip(name: str, url: str, source_in: str, length: int) -> otio.schema.Clip:
    start = from_timecode(source_in, RATE)
    media = otio.schema.ExternalReference(
        target_url=url,
        available_range=TimeRange(start - frames(HANDLES), frames(length + 2 * HANDLES)))
    return otio.schema.Clip(name=name, media_reference=media,
                            source_range=TimeRange(start, frames(length)))


def make_timeline(name: str, tracks: dict) -> otio.schema.Timeline:
    timeline = otio.schema.Timeline(name=name, global_start_time=from_timecode(START, RATE))
    for track_name, items in tracks.items():
        kind = otio.schema.TrackKind.Video if track_name[0] == "V" else \
            otio.schema.TrackKind.Audio
        track = otio.schema.Track(name=track_name, kind=kind)
        for item in items:
            track.append(otio.schema.Gap(duration=frames(item)) if isinstance(item, int)
                         else make_clip(*item))
        timeline.tracks.append(track)
    return timeline


def reel1() -> otio.schema.Timeline:
    return make_timeline("HL101 REEL 1 LOCKED", REEL1)


def reel2() -> otio.schema.Timeline:
    return make_timeline("HL101 REEL 2 WIP", REEL2)


def doc_reel1() -> otio.schema.Timeline:
    return make_timeline("QFY REEL 1 LOCKED", DOC_REEL1)


def edl_timeline(timeline: otio.schema.Timeline, kind: str) -> otio.schema.Timeline:
    """What OTIO's CMX writer needs to write `timeline`'s first `kind` track (see above)."""
    wanted = next(t for t in timeline.tracks if t.kind == kind)
    picture = next(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video)
    edl = otio.schema.Timeline(name=timeline.name)
    for track in [wanted] + ([picture] if wanted is not picture else []):
        track = copy.deepcopy(track)
        track.insert(0, otio.schema.Gap(duration=timeline.global_start_time))
        edl.tracks.append(track)
    return edl


def write_cut(timeline: otio.schema.Timeline, stem: Path) -> list[Path]:
    """Write `timeline` as stem.otio, stem.xml, stem.edl (picture), stem_audio.edl."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    out = {stem.with_suffix(".otio"): (timeline, "otio_json"),
           stem.with_suffix(".xml"): (timeline, "fcp_xml"),
           stem.with_suffix(".edl"): (edl_timeline(timeline, "Video"), "cmx_3600"),
           stem.with_name(stem.name + "_audio.edl"): (edl_timeline(timeline, "Audio"),
                                                      "cmx_3600")}
    for path, (tl, adapter) in out.items():
        otio.adapters.write_to_file(tl, str(path), adapter_name=adapter)
    return list(out)


def main() -> None:
    here = Path(__file__).resolve().parent
    for timeline, stem in ((reel1(), here / "cuts" / "locked" / "reel1"),
                           (reel2(), here / "cuts" / "wip" / "reel2"),
                           (doc_reel1(),
                            here / "documentary" / "cuts" / "locked" / "doc_reel1")):
        for path in write_cut(timeline, stem):
            print(path.relative_to(here))


if __name__ == "__main__":
    main()
