"""Hand-made files, one per way a reader once dropped a GenAI clip without a word: each is
now placed (and checked) or refused with PV005, never passed over."""

from __future__ import annotations

import opentimelineio as otio
import pytest

from cutclear.model import Mode
from cutclear.readers import read_timeline

FCPXML = """<?xml version="1.0" encoding="UTF-8"?>
<fcpxml version="1.9"><resources>
<format id="r1" frameDuration="1/24s" width="1920" height="1080"/>
<asset id="r2" name="real" start="0s" duration="100s" hasVideo="1" format="r1">
  <media-rep kind="original-media" src="file:///m/real.mov"/></asset>
<asset id="r3" name="genai" start="0s" duration="100s" hasVideo="1" format="r1">
  <media-rep kind="original-media" src="file:///m/runway_gen.mov"/></asset>
</resources>
<library><event name="e"><project name="p"><sequence format="r1" duration="{duration}" tcStart="0s">
<spine>
<asset-clip ref="r2" offset="0s" duration="10s" name="real"/>
<asset-clip ref="r3" offset="10s" duration="10s" name="genai"{enable}/>
</spine></sequence></project></event></library></fcpxml>
"""

FCP7_EMPTY_FILE = """<?xml version="1.0" encoding="UTF-8"?>
<xmeml version="4"><sequence id="s1"><name>seq</name><rate><timebase>24</timebase></rate>
<media><video><track>
<clipitem id="c1"><name>real</name><start>0</start><end>24</end><in>0</in><out>24</out>
<file id="f1"><name>real.mov</name><pathurl>file:///m/real.mov</pathurl>
<rate><timebase>24</timebase></rate></file></clipitem>
<clipitem id="c2"><name>runway_gen.mov</name><start>24</start><end>48</end><in>0</in>
<out>24</out><file/></clipitem>
</track></video></media></sequence></xmeml>
"""


def read(path):
    return read_timeline(str(path), path.name, Mode.LOCK, 24)


def test_fcpxml_clips_past_the_stated_sequence_duration_are_placed(tmp_path):
    """Before: a <sequence duration> shorter than the spine trimmed the clips after it
    away, and the census took them off its count: the GenAI clip at 10 s vanished."""
    path = tmp_path / "cut.fcpxml"
    path.write_text(FCPXML.format(duration="10s", enable=""))
    result = read(path)
    assert result.error is None
    assert [(u.media.name, u.record_in) for u in result.clips] == [
        ("real.mov", "00:00:00:00"), ("runway_gen.mov", "00:00:10:00")]


def test_fcpxml_unknown_src_enable_is_pv005(tmp_path):
    """Before: srcEnable="All" (not a value FCP writes) read as "plays nothing" in both
    the reader and the census, which agreed on one clip."""
    path = tmp_path / "cut.fcpxml"
    path.write_text(FCPXML.format(duration="20s", enable=' srcEnable="All"'))
    result = read(path)
    assert result.clips == []
    assert result.error == "srcEnable='All' is not all, video or audio: what the clip plays " \
                           "is unknown"


def test_fcp7_empty_file_element_without_an_id_is_pv005(tmp_path):
    """Before: an empty <file/> was neither a definition nor a reference, so the clipitem
    dropped out of both the build and the census."""
    path = tmp_path / "cut.xml"
    path.write_text(FCP7_EMPTY_FILE)
    result = read(path)
    assert result.clips == []
    assert result.error == "holds items cutclear cannot place: 1 unresolved <file> id " \
                           "references"


@pytest.fixture
def title_otio(tmp_path):
    rt, tr = otio.opentime.RationalTime, otio.opentime.TimeRange
    tl = otio.schema.Timeline("t", global_start_time=rt(0, 24))
    track = otio.schema.Track("V1")
    tl.tracks.append(track)
    track.append(otio.schema.Clip("real", otio.schema.ExternalReference("file:///m/real.mov"),
                                  tr(rt(0, 24), rt(24, 24))))
    nest = otio.schema.Stack("nest", source_range=tr(rt(0, 24), rt(48, 24)))
    inner = otio.schema.Track("v")
    inner.append(otio.schema.Clip("genai",
                                  otio.schema.ExternalReference("file:///m/runway_gen.mov"),
                                  tr(rt(0, 24), rt(48, 24))))
    nest.append(inner)
    nest.effects.append(otio.schema.Effect("fx", metadata={
        "AAF": {"ComponentAttributeList": {"_EFFECT_PLUGIN_CLASS": "Title"}}}))
    track.append(nest)
    path = tmp_path / "cut.otio"
    otio.adapters.write_to_file(tl, str(path))
    return path


def test_otio_media_under_a_title_effect_is_not_counted_as_seen(title_otio):
    """Before: a composition carrying an Avid title effect hid every clip in it, and the
    census counted them as hidden: a GenAI clip under a "title" passed."""
    result = read(title_otio)
    assert result.clips == []
    assert result.error == ("the file holds 2 clip uses but the reader placed 1: the read "
                            "is incomplete, so nothing in it is trusted")


def test_a_reader_that_cannot_be_imported_fails_the_cut(tmp_path):
    """Readers are imported when their format is first read: a broken install of one
    (aaf2 missing) is that timeline's PV005 and exit 1, never a pass or a traceback."""
    import os
    import shutil
    import subprocess
    import sys

    shutil.copy(os.path.join(os.path.dirname(__file__), "data/real/aaf/trims.aaf"),
                tmp_path / "cut.aaf")
    (tmp_path / "cutclear.toml").write_text('production = "P"\n')
    code = ("import sys; sys.modules['aaf2'] = None\n"
            "from cutclear.cli import main; sys.exit(main(['check', 'cut.aaf']))")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True)
    assert run.returncode == 1, run.stderr
    assert "cut.aaf" in run.stdout and "PV005" in run.stdout
    assert "Traceback" not in run.stderr
