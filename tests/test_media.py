"""Media identity: normalising what timelines say about media, and matching it to assets.

The matching rules are the `<match>` keys of the genai spec: `<name>` (file name, glob,
case-insensitive), `<path>` (glob against the whole path or any trailing run of its
components), `<reel>`, `<clip>` (clip name, glob, case-insensitive) and `<sourceId>`
(AAF MobID / UMID, exact after normalisation). A clip matching several assets gets all.
"""

from __future__ import annotations

import pytest
from conftest import genai

from cutclear.media import AssetIndex, identity, normalise_path, normalise_source_id
from cutclear.recordfile import parse_record_file

# --- normalise_path --------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    # file URLs, with and without a host, with percent escapes
    ("file:///mnt/show/vfx/a.mov", "/mnt/show/vfx/a.mov"),
    ("file:///mnt/show/my%20shot%20v3.mov", "/mnt/show/my shot v3.mov"),
    ("file://localhost/Volumes/Show%20Media/a.mov", "/Volumes/Show Media/a.mov"),
    ("file:/mnt/show/a.mov", "/mnt/show/a.mov"),
    ("FILE:///mnt/show/a.mov", "/mnt/show/a.mov"),
    ("file:///mnt/show/%C3%A9t%C3%A9.mov", "/mnt/show/été.mov"),
    ("file:///mnt/show/100%25.mov", "/mnt/show/100%.mov"),
    ("file:///mnt/show/a%2523.mov", "/mnt/show/a%23.mov"),  # unescaped exactly once
    # Windows drives, in URLs (as FCP7 and Premiere write them) and as OS paths
    ("file://localhost/D%3a/media/a.mov", "D:/media/a.mov"),
    ("file:///D%3A/media/a.mov", "D:/media/a.mov"),
    ("file:///D:/media/a.mov", "D:/media/a.mov"),
    ("D:\\media\\a.mov", "D:/media/a.mov"),
    ("d:\\media\\a.mov", "D:/media/a.mov"),
    ("d:/media/a.mov", "D:/media/a.mov"),
    # UNC shares
    ("\\\\server\\share\\a.mov", "//server/share/a.mov"),
    ("file://server/share/a.mov", "//server/share/a.mov"),
    ("file://server/share/my%20a.mov", "//server/share/my a.mov"),
    # plain paths are kept (spaces included), surrounding whitespace is not
    ("/mnt/show/my shot.mov", "/mnt/show/my shot.mov"),
    ("media/camera/A001.mov", "media/camera/A001.mov"),
    ("  /mnt/show/a.mov \n", "/mnt/show/a.mov"),
    ("", ""),
])
def test_normalise_path(url, expected):
    assert normalise_path(url) == expected


@pytest.mark.parametrize("url", [
    "/mnt/show/plate.%04d.exr",
    "/mnt/show/plate.[1001-1100].exr",
    "/mnt/show/plate.@@@@.exr",
    "/mnt/show/plate.####.exr",
    "/mnt/show/plate.{####}.exr",
    "file:///mnt/show/plate.%2504d.exr",  # an escaped %04d in a URL
    "file:///mnt/show/plate.%04d.exr",  # written raw in a URL
    "file:///mnt/show/plate.####.exr",  # '#' is not a URL fragment here
])
def test_image_sequence_tokens_become_hashes(url):
    assert normalise_path(url) == "/mnt/show/plate.####.exr"


def test_frame_token_width_follows_the_pattern():
    assert normalise_path("/s/plate.%06d.exr") == "/s/plate.######.exr"
    assert normalise_path("/s/plate.[01001-01100].exr") == "/s/plate.#####.exr"
    assert normalise_path("/s/plate.@@@.exr") == "/s/plate.###.exr"


def test_question_mark_in_a_file_url_is_part_of_the_name():
    assert normalise_path("file:///mnt/show/what%3F.mov") == "/mnt/show/what?.mov"
    assert normalise_path("file:///mnt/show/what?.mov") == "/mnt/show/what?.mov"


def test_identity_takes_the_name_from_the_normalised_path():
    media = identity("file://localhost/D%3a/show/SH042%20sky.mov", reel=" A042 ",
                     clip=" sh042 sky ")
    assert media.path == "D:/show/SH042 sky.mov"
    assert media.name == "SH042 sky.mov"
    assert media.reel == "A042"
    assert media.clip == "sh042 sky"


UMID_DOTTED = ("urn:smpte:umid:060a2b34.01010105.01010f20.13000000."
               "ab12cd34.ef56ab78.9012cd34.ef56ab78")
UMID_BARE = "060A2B340101010501010F2013000000AB12CD34EF56AB789012CD34EF56AB78"


def test_source_id_forms_normalise_to_the_same():
    assert normalise_source_id(UMID_DOTTED) == normalise_source_id(UMID_BARE) == \
        UMID_BARE.lower()
    assert normalise_source_id("URN:SMPTE:UMID:" + UMID_BARE) == UMID_BARE.lower()


# --- AssetIndex ------------------------------------------------------------------------

def index(body: str, relpath: str = "records/media.genai.xml") -> AssetIndex:
    """An index over the assets of a record file (parsed and validated for real)."""
    return AssetIndex(r for r in parse_record_file(genai(body).encode(), relpath)
                      if type(r).__name__ == "Asset")


def asset(asset_id: str, *keys: str) -> str:
    return (f'<asset id="{asset_id}"><match>{"".join(keys)}</match>'
            "<origin>digitalCapture</origin></asset>")


def ids(idx: AssetIndex, path: str = "", **kw) -> list[str]:
    return [a.id for a in idx.lookup(identity(path, **kw))]


class TestName:
    def test_glob_is_case_insensitive(self):
        idx = index(asset("SKY", "<name>sh042_sky_v*.mov</name>"))
        assert ids(idx, "/mnt/show/vfx/sh042_sky_v3.mov") == ["SKY"]
        assert ids(idx, "D:\\vfx\\SH042_SKY_V12.MOV") == ["SKY"]
        assert ids(idx, "/mnt/show/vfx/sh042_sky_v3.mov.bak") == []
        assert ids(idx, "/mnt/show/vfx/sh043_sky_v3.mov") == []

    def test_literal_is_case_insensitive(self):
        idx = index(asset("SKY", "<name>SH042_Sky_v3.mov</name>"))
        assert ids(idx, "file:///mnt/show/sh042_sky_v3.mov") == ["SKY"]
        assert ids(idx, "/mnt/show/sh042_sky_v4.mov") == []

    def test_name_is_the_last_component_only(self):
        idx = index(asset("DIR", "<name>sh042</name>") + asset("DIRGLOB", "<name>sh04*</name>"))
        assert ids(idx, "/mnt/show/sh042/a.mov") == []

    def test_character_class(self):
        idx = index(asset("SKY", "<name>sh042_sky_v[0-9].mov</name>"))
        assert ids(idx, "/x/sh042_sky_v7.mov") == ["SKY"]
        assert ids(idx, "/x/sh042_sky_vX.mov") == []

    def test_image_sequence_name_in_any_notation(self):
        idx = index(asset("PLATE", "<name>plate.%04d.exr</name>"))
        assert ids(idx, "/mnt/plates/plate.[1001-1100].exr") == ["PLATE"]
        assert ids(idx, "/mnt/plates/plate.####.exr") == ["PLATE"]

    def test_name_with_an_at_sign(self):
        idx = index(asset("LOGO", "<name>logo@2x.png</name>"))
        assert ids(idx, "/mnt/gfx/logo@2x.png") == ["LOGO"]


class TestPath:
    @pytest.mark.parametrize("media", [
        "/mnt/show/vfx/sh042/a.mov",
        "file:///mnt/show/vfx/sh042/a.mov",
        "vfx/sh042/a.mov",
        "/mnt/show/vfx/sh042/v3/deep/a.mov",
        "D:\\show\\vfx\\sh042\\a.mov",
        "\\\\server\\share\\vfx\\sh042\\a.mov",
    ])
    def test_relative_glob_matches_a_trailing_run_of_components(self, media):
        idx = index(asset("SH042", "<path>vfx/sh042/**</path>"))
        assert ids(idx, media) == ["SH042"]

    @pytest.mark.parametrize("media", [
        "/mnt/show/myvfx/sh042/a.mov",  # only whole components
        "/mnt/show/vfx/sh0421/a.mov",
        "/mnt/show/vfx/a.mov",
        "/mnt/show/vfx/sh042",  # the folder itself is no media inside it
    ])
    def test_relative_glob_does_not_match_elsewhere(self, media):
        idx = index(asset("SH042", "<path>vfx/sh042/**</path>"))
        assert ids(idx, media) == []

    def test_star_stays_inside_one_component(self):
        idx = index(asset("TOP", "<path>vfx/*.mov</path>"))
        assert ids(idx, "/mnt/show/vfx/a.mov") == ["TOP"]
        assert ids(idx, "/mnt/show/vfx/sh042/a.mov") == []

    def test_absolute_glob_stays_anchored(self):
        idx = index(asset("SHOW", "<path>/mnt/show/**</path>"))
        assert ids(idx, "/mnt/show/vfx/a.mov") == ["SHOW"]
        assert ids(idx, "file:///mnt/show/a.mov") == ["SHOW"]
        assert ids(idx, "/backup/mnt/show/a.mov") == []

    def test_drive_glob_stays_anchored_and_matches_any_spelling(self):
        idx = index(asset("MEDIA", "<path>D:\\media\\**</path>"))
        assert ids(idx, "d:\\media\\cam\\a.mov") == ["MEDIA"]
        assert ids(idx, "file://localhost/D%3a/media/a.mov") == ["MEDIA"]
        assert ids(idx, "E:\\media\\a.mov") == []

    def test_literal_relative_path_matches_a_trailing_run(self):
        idx = index(asset("A", "<path>vfx/sh042/a.mov</path>"))
        assert ids(idx, "/mnt/show/vfx/sh042/a.mov") == ["A"]
        assert ids(idx, "/mnt/show/xvfx/sh042/a.mov") == []
        assert ids(idx, "/mnt/show/vfx/sh042/b.mov") == []

    def test_literal_absolute_path_is_anchored(self):
        idx = index(asset("A", "<path>/mnt/show/a.mov</path>"))
        assert ids(idx, "file:///mnt/show/a.mov") == ["A"]
        assert ids(idx, "/x/mnt/show/a.mov") == []

    def test_unc_path(self):
        idx = index(asset("NAS", "<path>//server/share/**</path>"))
        assert ids(idx, "\\\\server\\share\\cam\\a.mov") == ["NAS"]
        assert ids(idx, "file://server/share/a.mov") == ["NAS"]
        assert ids(idx, "//other/share/a.mov") == []

    def test_character_class_is_not_taken_for_a_frame_range(self):
        idx = index(asset("SH04X", "<path>vfx/sh04[0-9]/**</path>"))
        assert ids(idx, "/mnt/show/vfx/sh042/a.mov") == ["SH04X"]
        assert ids(idx, "/mnt/show/vfx/sh04a/a.mov") == []

    def test_image_sequence_path(self):
        idx = index(asset("PLATE", "<path>plates/sh042/plate.%04d.exr</path>"))
        assert ids(idx, "file:///mnt/plates/sh042/plate.[1001-1100].exr") == ["PLATE"]
        assert ids(idx, "/mnt/plates/sh042/plate.@@@@.exr") == ["PLATE"]
        assert ids(idx, "/mnt/plates/sh043/plate.####.exr") == []

    def test_media_without_a_path_matches_no_path_glob(self):
        idx = index(asset("ALL", "<path>**</path>"))
        assert ids(idx, "/any/where.mov") == ["ALL"]
        assert ids(idx, "", clip="sh042", reel="A042") == []


class TestClipReelSourceId:
    def test_clip_glob_is_case_insensitive(self):
        idx = index(asset("SKY", "<clip>sh042 sky*</clip>"))
        assert ids(idx, clip="SH042 Sky v3") == ["SKY"]
        assert ids(idx, clip="sh043 sky v3") == []

    def test_clip_literal_is_case_insensitive(self):
        idx = index(asset("SKY", "<clip>sh042 sky v3</clip>"))
        assert ids(idx, clip="SH042 SKY V3") == ["SKY"]
        assert ids(idx, clip="sh042 sky v3 (1)") == []

    def test_clip_key_does_not_match_the_file_name(self):
        idx = index(asset("SKY", "<clip>sky.mov</clip>"))
        assert ids(idx, "/mnt/sky.mov", clip="shot 1") == []

    def test_reel(self):
        idx = index(asset("TAPE", "<reel>A042</reel>"))
        assert ids(idx, reel="A042") == ["TAPE"]
        assert ids(idx, reel="a042") == ["TAPE"]
        assert ids(idx, reel="A0421") == []
        assert ids(idx, "/mnt/A042.mov") == []  # a reel is not a file name

    def test_source_id_in_any_form(self):
        idx = index(asset("UMID", f"<sourceId>{UMID_DOTTED}</sourceId>"))
        assert ids(idx, source_ids=[UMID_BARE]) == ["UMID"]
        assert ids(idx, source_ids=["urn:smpte:umid:" + UMID_BARE.lower()]) == ["UMID"]
        assert ids(idx, source_ids=[UMID_BARE[:-2]]) == []  # exact, not a prefix

    def test_source_id_written_bare_matches_dotted_media(self):
        idx = index(asset("UMID", f"<sourceId>{UMID_BARE}</sourceId>"))
        assert ids(idx, source_ids=["", UMID_DOTTED]) == ["UMID"]


def test_any_key_that_matches_links_the_clip():
    idx = index(asset("MULTI", "<name>nomatch.mov</name>", "<reel>A042</reel>",
                      "<clip>sky</clip>"))
    assert ids(idx, "/x/other.mov", reel="A042") == ["MULTI"]
    assert ids(idx, "/x/other.mov", clip="SKY") == ["MULTI"]
    assert ids(idx, "/x/other.mov", reel="B001", clip="sea") == []


def test_a_clip_matching_several_assets_gets_all_once_each():
    idx = index(
        asset("CAM", "<path>media/camera/**</path>")
        + asset("SKY", "<name>sh042_*.mov</name>", "<clip>sh042*</clip>")
        + asset("EXACT", "<name>sh042_sky_v3.mov</name>")
        + asset("OTHER", "<name>sh043_*.mov</name>"))
    found = ids(idx, "/show/media/camera/sh042_sky_v3.mov", clip="sh042 sky")
    assert sorted(found) == ["CAM", "EXACT", "SKY"]
    assert len(found) == len(set(found))


def test_sidecar_asset_matches_its_media_file_name():
    idx = index('<asset id="SIDE"><origin>trainedAlgorithmicMedia</origin></asset>',
                relpath="vfx/sh042/sh042_sky_v3.mov.genai.xml")
    assert ids(idx, "/mnt/render/SH042_SKY_V3.mov") == ["SIDE"]
    assert ids(idx, "/mnt/render/sh042_sky_v4.mov") == []
    assert ids(idx, clip="sh042_sky_v3.mov") == []  # a file name, not a clip name


def test_sidecar_of_a_file_with_an_at_sign():
    idx = index('<asset id="SIDE"><origin>digitalArt</origin></asset>',
                relpath="gfx/logo@2x.png.genai.xml")
    assert ids(idx, "/mnt/gfx/logo@2x.png") == ["SIDE"]
