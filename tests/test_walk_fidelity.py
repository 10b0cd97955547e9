"""The fast walk against an independent placement of every clip.

The walk (`cutclear.readers.walk`) computes record positions with running offsets, one
pass per track, and asks OTIO for as little as it can per clip. Here every media clip is
placed again the slow, obvious way: OTIO's own `range_in_parent` of the clip and then of
each composition above it, clipped by each one's trims, with metadata read by plain
look-ups. Both must agree on every clip (track, record timecodes, media identity, enabled
flag), and every media clip the file holds must be either placed or reported hidden: a
clip the fast path skipped would be a clip nobody checked.
"""

from __future__ import annotations

import collections
import dataclasses
import random
import re

import opentimelineio as otio
import pytest

from cutclear.media import identity
from cutclear.model import Mode
from cutclear.readers import load, read_timeline
from cutclear.readers.base import TimelineError
from cutclear.readers.walk import Timecode, _child, _get, walk

RT = otio.opentime.RationalTime
TR = otio.opentime.TimeRange


# --- the independent placement ----------------------------------------------------

def md_get(md, *keys) -> str:
    """A string from nested metadata by plain look-ups (OTIO raises for a missing key)."""
    for key in keys:
        try:
            md = md[key]
        except Exception:
            return ""
        if md is None:
            return ""
    return md if isinstance(md, str) else ""


def media_of(clip, ns):
    def wanted(name):
        return ns is None or name in ns

    def one(ref):
        if isinstance(ref, otio.schema.ExternalReference):
            path = ref.target_url or ""
        elif isinstance(ref, otio.schema.ImageSequenceReference):
            digits = ref.frame_zero_padding or len(str(ref.start_frame))
            path = (f"{ref.target_url_base.rstrip('/')}/{ref.name_prefix}{'#' * digits}"
                    f"{ref.name_suffix}")
        elif isinstance(ref, otio.schema.MissingReference):
            path = ref.name or ""
        else:
            path = ""
        reel = (wanted("cmx_3600") and md_get(clip.metadata, "cmx_3600", "reel")
                or wanted("fcp_xml") and md_get(ref.metadata, "fcp_xml", "timecode", "reel",
                                                "name") or "")
        ids = ([md_get(clip.metadata, "AAF", "MobID"), md_get(ref.metadata, "AAF", "MobID")]
               if wanted("AAF") else [])
        return identity(path, reel, clip.name or "", ids)

    main = one(clip.media_reference)
    active = clip.active_media_reference_key
    others = [one(r) for k, r in sorted(clip.media_references().items()) if k != active]
    alternates = tuple(m for m in others if m != main)
    return dataclasses.replace(main, alternates=alternates) if alternates else main


def is_media(clip) -> bool:
    return not all(isinstance(r, otio.schema.GeneratorReference)
                   for r in clip.media_references().values())


def under_title(clip) -> bool:
    node = clip.parent()
    while node is not None:
        for e in node.effects:
            attributes = e.metadata.get("AAF", {}).get("ComponentAttributeList", {}) \
                if "AAF" in e.metadata else {}
            if (md_get(attributes, "_EFFECT_PLUGIN_CLASS") == "Title"
                    or "_TITLE_FORMATS" in attributes):
                return True
        node = node.parent()
    return False


def place(clip, stack):
    """(top-level track, start, end, enabled) in the top-level track's time (before its
    shift), or None when the trims of the compositions above it hide the clip."""
    r = clip.range_in_parent()
    lo, hi = r.start_time.to_seconds(), r.end_time_exclusive().to_seconds()
    enabled = clip.enabled
    node = clip.parent()
    while node.parent() is not stack:
        enabled = enabled and node.enabled
        own = node.trimmed_range()
        w_lo, w_hi = own.start_time.to_seconds(), own.end_time_exclusive().to_seconds()
        lo, hi = max(lo, w_lo), min(hi, w_hi)
        if hi - lo <= 1e-9:
            return None
        at = node.range_in_parent().start_time.to_seconds()
        lo, hi = lo - w_lo + at, hi - w_lo + at
        node = node.parent()
    return node, lo, hi, enabled and node.enabled


def expected(obj, ns):
    """Counter of (clip id, track, record in, record out, media, enabled) and the ids of
    the media clips out of sight, for every timeline in `obj`."""
    timelines = ([obj] if isinstance(obj, otio.schema.Timeline)
                 else list(obj.find_children(descended_from_type=otio.schema.Timeline)))
    uses, hidden = collections.Counter(), set()
    for tl in timelines:
        prefix = f"{tl.name or ''}/" if len(timelines) > 1 else ""
        rate = tl.global_start_time.rate if tl.global_start_time is not None else None
        rate = rate or next((c.trimmed_range().duration.rate for c in tl.find_clips()), 24.0)
        tc = otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate)
        fmt = (md_get(tl.metadata, "fcp_xml", "timecode", "displayformat")
               or md_get(tl.metadata, "cutclear", "displayformat")
               or md_get(tl.metadata, "fcpx_xml", "tcFormat")).upper()
        df = False if float(tc).is_integer() else (fmt == "DF" if fmt in ("DF", "NDF")
                                                   else None)

        def timecode(seconds, rate=rate, tc=tc, df=df):
            return otio.opentime.to_timecode(RT(round(seconds * rate), tc), tc, df)

        origin = tl.global_start_time.to_seconds() if tl.global_start_time else 0.0
        cmx = ns is None or "cmx_3600" in ns
        labels, nones, counts = {}, set(), {"Video": 0, "Audio": 0}
        tracks = list(tl.tracks)  # kept alive: ids of OTIO's Python objects name them
        for track in tracks:
            kind = track.kind if track.kind in counts else "Video"
            none = track.name == "NONE" and cmx
            counts[kind] += not none
            labels[id(track)] = prefix + (md_get(track.metadata, "cmx_3600", "channel")
                                          or f"{kind[0]}{counts[kind]}")
            if none:
                nones.add(id(track))
        seen_extra = set()
        for clip in tl.find_clips():
            if not is_media(clip) or under_title(clip):
                continue
            placed = place(clip, tl.tracks)
            if placed is None:
                hidden.add(id(clip))
                continue
            track, lo, hi, enabled = placed
            shift = track.source_range.start_time.to_seconds() if track.source_range else 0
            lo, hi = lo + origin - shift, hi + origin - shift
            row = (timecode(lo), timecode(hi), media_of(clip, ns), enabled)
            comments = []
            if cmx:
                try:
                    comments = list(clip.metadata["cmx_3600"]["comments"])
                except Exception:
                    comments = []
            extra = [int(c) for comment in comments
                     if (m := re.match(r"^AUD\s+([\d\s]+)$", str(comment).strip()))
                     for c in m.group(1).split()]
            if id(track) not in nones or not extra:
                uses[(id(clip), labels[id(track)], *row)] += 1
            for channel in extra:
                if (channel, lo, clip.name) not in seen_extra:
                    seen_extra.add((channel, lo, clip.name))
                    uses[(id(clip), f"{prefix}A{channel}", *row)] += 1
    return uses, hidden


def compare(obj, ns):
    """Walk `obj` and check every use against the independent placement."""
    hidden: list = []
    got = list(walk(obj, "cut", ns, keep_items=True, hidden=hidden))
    timeline_uses = [u for u in got if u.track != "BIN"]
    want, want_hidden = expected(obj, ns)
    have = collections.Counter((id(u.item), u.track, u.record_in, u.record_out, u.media,
                                u.enabled) for u in timeline_uses)
    assert have == want
    assert {id(c) for c in hidden} == want_hidden
    return got


# --- the shared corpus of real exports --------------------------------------------

def corpus_files(corpus):
    return sorted(p for p in corpus.rglob("*") if p.is_file()
                  and p.suffix.lower() in (".otio", ".xml", ".fcpxml", ".edl", ".aaf", ".ale"))


def test_every_corpus_file_is_walked_as_the_independent_placement_has_it(corpus):
    checked = 0
    for path in corpus_files(corpus):
        try:
            read = load(str(path), 24)
        except TimelineError:
            continue  # files that are a PV005 (an EDL at the wrong rate): no walk to check
        compare(read.obj, read.namespaces)
        checked += 1
    assert checked >= 30  # the corpus holds 33 timelines in six formats


# --- nested, trimmed, disabled, transitions: generated cuts -----------------------

def media_clip(rng: random.Random, n: int, rate: float, frames: int) -> otio.schema.Clip:
    start = rng.randint(0, 500)
    avail = TR(RT(0, rate), RT(start + frames + 100, rate))
    kind = rng.random()
    md = {}
    if kind < 0.1:
        ref = otio.schema.MissingReference(name=f"offline_{n}.mov")
    elif kind < 0.15:
        ref = otio.schema.ImageSequenceReference(
            target_url_base="file:///plates/sh010", name_prefix="sh010.", name_suffix=".exr",
            start_frame=1001, frame_zero_padding=4, available_range=avail)
    else:
        ref = otio.schema.ExternalReference(target_url=f"file:///media/m{n % 40}.mov",
                                            available_range=avail)
    if rng.random() < 0.2:
        md["cmx_3600"] = {"reel": f"R{n % 7}"}
    if rng.random() < 0.1:
        md["AAF"] = {"MobID": f"urn:smpte:umid:060a2b34.0101.{n:04x}"}
    if rng.random() < 0.1:
        md["vendor"] = {"note": None, "list": [1, 2]}
    clip = otio.schema.Clip(name=f"c{n}", media_reference=ref, metadata=md,
                            source_range=TR(RT(start, rate), RT(frames, rate)))
    if rng.random() < 0.05:  # a proxy as a second reference
        clip.set_media_references(
            {"DEFAULT_MEDIA": ref.clone(),
             "proxy": otio.schema.ExternalReference(target_url=f"file:///proxy/p{n}.mp4")},
            "DEFAULT_MEDIA")
    if rng.random() < 0.05:
        clip.enabled = False
    return clip


def fill(track, rng: random.Random, rate: float, items: int, depth: int, counter: list):
    for _ in range(items):
        roll = rng.random()
        frames = rng.choice([0, 1, 12, 24, 37, 100])
        if roll < 0.15:
            track.append(otio.schema.Gap(source_range=TR(RT(0, rate), RT(frames or 5, rate))))
        elif roll < 0.2 and len(track) and isinstance(track[-1], otio.schema.Clip):
            track.append(otio.schema.Transition(in_offset=RT(3, rate), out_offset=RT(3, rate)))
        elif roll < 0.22:
            track.append(otio.schema.Clip(
                name="slug", media_reference=otio.schema.GeneratorReference(
                    generator_kind="SolidColor"), source_range=TR(RT(0, rate), RT(24, rate))))
        elif roll < 0.32 and depth < 3:
            nest = otio.schema.Stack(name=f"nest{counter[0]}") if rng.random() < 0.7 \
                else otio.schema.Track(name=f"inner{counter[0]}")
            counter[0] += 1
            if isinstance(nest, otio.schema.Stack):
                for _ in range(rng.randint(1, 3)):
                    inner = otio.schema.Track()
                    fill(inner, rng, rate, rng.randint(1, 6), depth + 1, counter)
                    nest.append(inner)
            else:
                fill(nest, rng, rate, rng.randint(1, 6), depth + 1, counter)
            total = nest.duration().value
            if total and rng.random() < 0.8:  # trimmed at both ends, sometimes to nothing
                head = rng.randint(0, int(total))
                nest.source_range = TR(RT(head, rate), RT(rng.randint(0, int(total)), rate))
            if rng.random() < 0.05:
                nest.enabled = False
            track.append(nest)
        else:
            counter[0] += 1
            track.append(media_clip(rng, counter[0], rate, frames))


@pytest.mark.parametrize("seed", range(12))
def test_generated_nested_cuts_are_walked_as_the_independent_placement_has_it(seed):
    rng = random.Random(seed)
    rate = [24, 25, 30, 30000 / 1001, 24000 / 1001, 48][seed % 6]
    tl = otio.schema.Timeline(name=f"cut {seed}")
    if seed % 4:
        tl.global_start_time = RT(rate * 3600 * (1 + seed % 3), rate)
    counter = [0]
    for n in range(rng.randint(2, 6)):
        track = otio.schema.Track(
            name="", kind=otio.schema.TrackKind.Audio if n % 3 == 2 else
            otio.schema.TrackKind.Video)
        if seed % 5 == 0 and n == 0:  # a track starting before its first clip (CMX)
            track.source_range = TR(RT(-48, rate), RT(10 ** 6, rate))
        fill(track, rng, rate, rng.randint(20, 80), 0, counter)
        if rng.random() < 0.1:
            track.enabled = False
        tl.tracks.append(track)
    got = compare(tl, None)
    assert got  # the generator makes media clips in every seed
    # the same through the file: written and read back as cutclear reads it
    compare(otio.adapters.read_from_string(otio.adapters.write_to_string(tl)), None)


def test_a_clip_trimmed_out_of_sight_is_hidden_and_a_sliver_is_placed():
    rate = 24
    nest = otio.schema.Stack(name="nest", source_range=TR(RT(10, rate), RT(20, rate)))
    inner = otio.schema.Track()
    inner.extend([otio.schema.Clip(name="gone", media_reference=otio.schema.ExternalReference(
        target_url="file:///m/gone.mov"), source_range=TR(RT(0, rate), RT(10, rate))),
        otio.schema.Clip(name="sliver", media_reference=otio.schema.ExternalReference(
            target_url="file:///m/sliver.mov"), source_range=TR(RT(0, rate), RT(1, rate)))])
    nest.append(inner)
    tl = otio.schema.Timeline(tracks=[otio.schema.Track(children=[nest])])
    hidden: list = []
    got = list(walk(tl, "cut", None, keep_items=False, hidden=hidden))
    assert [(u.media.clip, u.record_in, u.record_out) for u in got] == [
        ("sliver", "00:00:00:00", "00:00:00:01")]
    assert [c.name for c in hidden] == ["gone"]
    compare(tl, None)


# --- what the per-clip short-cuts rest on --------------------------------------------

WHOLE = [24, 25, 30, 48, 50, 60]


@pytest.mark.parametrize("rate", WHOLE)
def test_timecodes_at_whole_rates_are_otio_s(rate):
    fast = Timecode(rate, None)
    frames = list(range(0, 3 * rate * 3600, 997)) + [rate * 3600 * 24 - 1, rate * 3600 * 24,
                                                       rate * 3600 * 25 + 7, 0, 1, rate - 1]
    for n in frames:
        want = otio.opentime.to_timecode(RT(n, rate), rate, False)
        assert fast.format(n / rate) == want, n


@pytest.mark.parametrize("rate", [30000 / 1001, 24000 / 1001, 60000 / 1001, 23.98, 29.97])
def test_timecodes_at_other_rates_are_still_otio_s(rate):
    smpte = otio.opentime.RationalTime.nearest_smpte_timecode_rate(rate)
    for drop in (None, True, False):
        try:
            otio.opentime.to_timecode(RT(0, smpte), smpte, drop)
        except ValueError:  # drop-frame at 23.976: a located PV005, never a traceback
            with pytest.raises(TimelineError, match="no SMPTE timecode"):
                Timecode(rate, drop)
            continue
        tc = Timecode(rate, drop)
        for n in range(0, 200000, 1009):
            want = otio.opentime.to_timecode(RT(n, smpte), smpte, tc.drop_frame)
            assert tc.format(n / rate) == want


def test_a_time_before_zero_is_still_refused():
    with pytest.raises(TimelineError, match="before 00:00:00:00"):
        Timecode(24, None).format(-1.0)


def test_metadata_look_ups_find_what_plain_look_ups_find():
    clip = otio.schema.Clip(name="x", metadata={
        "cmx_3600": {"reel": "A001", "comments": ["AUD 3"], "none": None},
        "fcp_xml": {"timecode": {"reel": {"name": "TAPE"}}}, "AAF": {"MobID": 7},
        "list": [1, "two"], "empty": {}})
    md = clip.metadata
    for keys in [("cmx_3600", "reel"), ("cmx_3600", "nope"), ("cmx_3600", "none"),
                 ("fcp_xml", "timecode", "reel", "name"), ("fcp_xml", "timecode", "x"),
                 ("AAF", "MobID"), ("list", "x"), ("empty", "x"), ("missing",), ("list",),
                 ("cmx_3600", "reel", "deeper")]:
        assert _get(md, *keys) == md_get(md, *keys), keys
    assert _child(md, "missing") is None and _child(md["empty"], "x") is None
    assert list(_child(_child(md, "cmx_3600"), "comments")) == ["AUD 3"]
    assert _child({"plain": 1}, "plain") == 1 and _child("text", "x") is None
    assert _child(otio.schema.Clip().metadata, "x") is None


def test_a_read_places_every_use_the_independent_placement_finds(tmp_path):
    """Through read_timeline (the bytes let go of, OTIO reading the file itself)."""
    rng = random.Random(99)
    tl = otio.schema.Timeline(name="cut", global_start_time=RT(24 * 3600, 24))
    counter = [0]
    for _ in range(4):
        track = otio.schema.Track()
        fill(track, rng, 24, 60, 0, counter)
        tl.tracks.append(track)
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path))
    read = read_timeline(str(path), "cut.otio", Mode.LOCK)
    assert read.error is None, read.error
    want, _ = expected(otio.adapters.read_from_file(str(path)), None)
    assert sorted((u.track, u.record_in, u.record_out, u.media.clip, u.enabled)
                  for u in read.clips) == sorted(
        (track, tc_in, tc_out, media.clip, enabled)
        for (_, track, tc_in, tc_out, media, enabled), n in want.items() for _ in range(n))


def test_a_media_identity_made_in_another_process_keys_the_same_dict_entry(tmp_path):
    """The hash of an identity is computed once, and never carried by pickle (`audit`
    sends uses between processes, whose string hashes differ): an identity unpickled in
    another process finds the entry of an equal one made there."""
    import os
    import subprocess
    import sys
    script = tmp_path / "make.py"
    script.write_text(
        "import pickle, sys\n"
        "from cutclear.model import ClipUse, MediaIdentity\n"
        "m = MediaIdentity('/m/sky.mov', 'sky.mov', 'R1', 'sky', ('ab',),\n"
        "                  (MediaIdentity('/p/sky.mp4', 'sky.mp4'),))\n"
        "sys.stdout.buffer.write(pickle.dumps([ClipUse('c.otio', '', 'V1', '', "
        "'01:00:00:00', '01:00:01:00', m)]))\n")
    made = subprocess.run([sys.executable, str(script)], capture_output=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": "1"}).stdout
    check = tmp_path / "use.py"
    check.write_text(
        "import pickle, sys\n"
        "from cutclear.model import MediaIdentity\n"
        "(use,) = pickle.loads(sys.stdin.buffer.read())\n"
        "fresh = MediaIdentity('/m/sky.mov', 'sky.mov', 'R1', 'sky', ('ab',),\n"
        "                      (MediaIdentity('/p/sky.mp4', 'sky.mp4'),))\n"
        "print({fresh: 'found'}.get(use.media), hash(use.media) == hash(fresh))\n")
    out = subprocess.run([sys.executable, str(check)], input=made, capture_output=True,
                         check=True, env={**os.environ, "PYTHONHASHSEED": "2"}).stdout
    assert out.decode().split() == ["found", "True"]
