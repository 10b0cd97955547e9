"""Record files (*.genai.xml): validation (PV001), references (PV002), duplicate ids
(PV004), linking across files, and parsing of hostile input.

A record file that fails to parse or validate contributes nothing, so a broken record can
make a cut fail but never pass.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading

import pytest
from conftest import CONFIG, RUNWAY, SKY, SKY_APPROVAL, SKY_URL, genai, timeline

from cutclear import recordfile
from cutclear.recordfile import RecordFileError, parse_record_file
from cutclear.records import MAX_RECORD_BYTES

AS_OF = "2026-01-15"
TRUSTED = "nothing in this file is trusted until it is fixed"


@pytest.fixture
def cut(repo):
    """A repo with a locked cut using one GenAI shot."""
    repo.config(CONFIG)
    repo.timeline("cuts/locked/reel1.otio", timeline([("sky", SKY_URL, 48)]))
    return repo


def check(repo, *args, fmt="json"):
    return repo.check("--as-of", AS_OF, *args, fmt=fmt)


def only(findings: list[dict]) -> dict:
    assert len(findings) == 1, findings
    return findings[0]


def pv001(result, path: str) -> dict:
    f = only([f for f in result.findings("PV001") if f["path"] == path])
    assert f["severity"] == "error"
    assert f["clip"] is None and f["track"] is None and f["record_in"] is None
    assert f["message"].endswith(TRUSTED)
    assert result.code == 1
    return f


# --- baseline: the records used below do clear the shot --------------------------------

def test_cleared_shot_has_no_findings(cut):
    cut.records("records/sky.genai.xml", SKY + RUNWAY + SKY_APPROVAL)
    result = check(cut)
    assert result.code == 0, result.out
    assert result.findings() == []


# --- PV001: not well-formed, wrong root, schema, vocabulary ------------------------------

def test_malformed_xml_is_reported_with_its_line(cut):
    cut.write("records/broken.genai.xml",
              '<?xml version="1.0"?>\n'
              '<genai xmlns="urn:cutclear:genai:1" version="1">\n'
              '  <person id="P-1">Jane Doe</person>\n'
              '  <person id="P-2">John Doe</persn>\n'
              "</genai>\n")
    result = check(cut)
    f = pv001(result, "records/broken.genai.xml")
    assert f["line"] == 4
    assert f["message"].startswith("not well-formed XML: ")
    assert "person" in f["message"]

    text = check(cut, fmt="text")
    assert any(line.startswith("records/broken.genai.xml:4: PV001 [error] not well-formed XML")
               for line in text.out.splitlines()), text.out


@pytest.mark.parametrize("xml, root", [
    ('<?xml version="1.0"?>\n<xmeml version="5"><sequence/></xmeml>\n', "xmeml"),
    ('<?xml version="1.0"?>\n<genai version="1"/>\n', "genai"),  # no namespace
    ('<?xml version="1.0"?>\n<g:genai xmlns:g="urn:cutclear:genai:2" version="1"/>\n',
     "genai"),
])
def test_wrong_root_element(cut, xml, root):
    cut.write("records/x.genai.xml", xml)
    f = pv001(check(cut), "records/x.genai.xml")
    assert f["message"].startswith(
        f'root element is <{root}>, expected <genai xmlns="urn:cutclear:genai:1" version="1">')
    assert f["line"] == 2


@pytest.mark.parametrize("body, line, words", [
    pytest.param("""
        <asset id="A">
          <match><name>a.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin>
          <stage>temporary</stage>
        </asset>""", 6, ["stage", "'temporary'"], id="unknown-stage"),
    pytest.param("""
        <approval id="APR-1" status="approved">
          <production>PRD-778</production>
          <granted>2025-02-30</granted>
          <covers>final-deliverable</covers>
        </approval>""", 5, ["granted", "'2025-02-30'", "xs:date"], id="feb-30"),
    pytest.param("""
        <consent id="C-1" person="P-1" status="active">
          <grantor role="performer">Jane Doe</grantor>
          <production>PRD-778</production>
          <uses>likeness</uses>
          <signed date="2025-13-01" separate="true"/>
        </consent>""", 7, ["signed", "'2025-13-01'", "xs:date"], id="month-13"),
    pytest.param("""
        <asset id="A">
          <match><name>a.mov</name></match>
        </asset>""", 3, ["asset", "origin"], id="missing-origin"),
    pytest.param("""
        <approval id="APR-1" status="approved">
          <production>PRD-778</production>
          <granted>2025-02-01</granted>
          <covers>final-deliverable everything</covers>
        </approval>""", 6, ["covers", "'everything'"], id="unknown-category"),
    pytest.param("""
        <consent id="C-1" person="P-1" status="pending">
          <grantor role="performer">Jane Doe</grantor>
          <production>PRD-778</production>
          <uses>likeness</uses>
        </consent>""", 3, ["status", "'pending'"], id="unknown-status"),
    pytest.param("""
        <asset id="A">
          <match><name>a.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin>
          <talent person="P-1" use="likeness" exception="because"/>
        </asset>""", 6, ["exception", "'because'"], id="unknown-exception"),
    pytest.param('<asset id="has space"><match><name>a.mov</name></match>'
                 "<origin>digitalCapture</origin></asset>", 3, ["id"], id="bad-id"),
    pytest.param("<clip>x</clip>", 3, ["clip"], id="unknown-element"),
])
def test_schema_violation(cut, body, line, words):
    cut.records("records/x.genai.xml", body)
    f = pv001(check(cut), "records/x.genai.xml")
    assert f["message"].startswith("not valid against the genai schema: ")
    for word in words:
        assert word in f["message"]
    assert f["line"] == line
    assert "{urn:cutclear:genai:1}" not in f["message"]  # element names as users write them


def test_unsupported_format_version(cut):
    cut.write("records/x.genai.xml",
              '<genai xmlns="urn:cutclear:genai:1" version="2"></genai>\n')
    f = pv001(check(cut), "records/x.genai.xml")
    assert "version" in f["message"] and "'2'" in f["message"]


def test_unknown_origin_term(cut):
    cut.records("records/x.genai.xml", """
        <asset id="AST-9">
          <match><name>a.mov</name></match>
          <origin>aiGenerated</origin>
        </asset>""")
    f = pv001(check(cut), "records/x.genai.xml")
    assert f["message"].startswith(
        "origin 'aiGenerated' of asset AST-9 is not an IPTC digital source type")
    assert f["line"] == 5


@pytest.mark.parametrize("origin, cls", [
    ("trainedAlgorithmicMedia", "generative"),
    ("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "generative"),
    ("https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia", "generative"),
    ("\n      trainedAlgorithmicMedia\n    ", "generative"),
    ("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", "generative"),
    ("compositeWithTrainedAlgorithmicMedia", "generative-edit"),
    ("https://cv.iptc.org/newscodes/digitalsourcetype/compositeSynthetic", "generative-edit"),
    ("digitalCapture", "other"),
    ("  http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture  ", "other"),
    ("negativeFilm", "other"),
    ("humanEdits", "other"),
    ("composite", "other"),
    ("algorithmicallyEnhanced", "other"),
])
def test_origin_terms_and_uris(origin, cls):
    body = f'<asset id="A"><match><name>a.mov</name></match><origin>{origin}</origin></asset>'
    (asset,) = parse_record_file(genai(body).encode(), "records/a.genai.xml")
    assert asset.origin_class == cls
    assert asset.genai is (cls != "other")


@pytest.mark.parametrize("origin", ["TrainedAlgorithmicMedia", "trained algorithmic media",
                                    "http://cv.iptc.org/newscodes/digitalsourcetype/",
                                    "genai"])
def test_origin_outside_the_vocabulary_is_refused(origin):
    body = f'<asset id="A"><match><name>a.mov</name></match><origin>{origin}</origin></asset>'
    with pytest.raises(RecordFileError, match="not an IPTC digital source type"):
        parse_record_file(genai(body).encode(), "records/a.genai.xml")


def test_c2pa_generated_media_counts_as_genai_in_a_cut(cut):
    cut.records("records/sky.genai.xml", SKY.replace(
        "trainedAlgorithmicMedia", "http://c2pa.org/digitalsourcetype/trainedAlgorithmicData")
        + RUNWAY)
    result = check(cut)
    f = only(result.findings("GA001"))
    assert f["asset"] == "AST-1193" and f["severity"] == "error"


def test_camera_original_by_uri_is_not_genai(cut):
    cut.records("records/cam.genai.xml", """
        <asset id="CAM">
          <match><path>vfx/**</path></match>
          <origin> https://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture </origin>
        </asset>""")
    result = check(cut)
    assert result.code == 0, result.out
    assert result.findings() == []


def test_asset_without_match_outside_a_sidecar(cut):
    cut.records("records/shots.genai.xml", """
        <asset id="AST-1">
          <origin>trainedAlgorithmicMedia</origin>
        </asset>""")
    f = pv001(check(cut), "records/shots.genai.xml")
    assert f["line"] == 3
    assert f["message"].startswith("asset AST-1 has no <match> and the file is not a "
                                   "per-media sidecar")


# --- per-media sidecars ---------------------------------------------------------------

def test_sidecar_matches_its_media_by_file_name(cut):
    cut.timeline("cuts/locked/reel1.otio", timeline([
        ("sky", "file:///mnt/render/SH042_SKY_V3.MOV", 24),
        ("sea", "file:///mnt/render/sh042_sky_v4.mov", 24),
    ]))
    cut.records("vfx/sh042/sh042_sky_v3.mov.genai.xml", """
        <asset id="AST-SIDE">
          <origin>trainedAlgorithmicMedia</origin>
          <stage>final</stage>
          <tool ref="TL-01"/>
        </asset>""" + RUNWAY)
    result = check(cut)
    assert result.findings("PV001") == []
    ga001 = only(result.findings("GA001"))
    assert (ga001["clip"], ga001["asset"]) == ("sky", "AST-SIDE")
    undeclared = only(result.findings("GA003"))
    assert undeclared["clip"] == "sea" and undeclared["asset"] is None


def test_sidecar_asset_with_match_uses_the_match(cut):
    cut.records("vfx/other.mov.genai.xml", SKY + RUNWAY)
    result = check(cut)
    assert only(result.findings("GA001"))["asset"] == "AST-1193"


# --- a broken file contributes nothing ----------------------------------------------

def test_approval_in_a_broken_file_does_not_clear(cut):
    cut.records("records/sky.genai.xml", SKY + RUNWAY)
    # the approval itself is fine, but the file also holds an invalid record
    cut.records("records/legal.genai.xml", SKY_APPROVAL + '<person id="P-1" minor="maybe">X</person>')
    result = check(cut)
    assert result.code == 1
    pv001(result, "records/legal.genai.xml")
    assert only(result.findings("GA001"))["asset"] == "AST-1193"

    # the same approval in a valid file clears the shot
    cut.records("records/legal.genai.xml", SKY_APPROVAL)
    result = check(cut)
    assert result.code == 0, result.out
    assert result.findings() == []


def test_asset_in_a_broken_file_leaves_the_clip_undeclared(cut):
    cut.records("records/sky.genai.xml", SKY + RUNWAY + SKY_APPROVAL + "<oops/>")
    result = check(cut, "--select", "PV,GA003")
    pv001(result, "records/sky.genai.xml")
    f = only(result.findings("GA003"))
    assert f["clip"] == "sky" and f["asset"] is None
    assert result.findings("PV002") == []  # nothing of the file is linked either


def test_one_broken_file_does_not_discard_the_others(cut):
    cut.records("records/sky.genai.xml", SKY + RUNWAY + SKY_APPROVAL)
    cut.write("records/vendor.genai.xml", "<genai")
    result = check(cut)
    pv001(result, "records/vendor.genai.xml")
    assert [f["rule"] for f in result.findings()] == ["PV001"]


# --- PV002: references --------------------------------------------------------------

def test_unknown_reference(cut):
    cut.records("records/sky.genai.xml", SKY.replace("TL-01", "TL-404"))
    result = check(cut)
    f = only(result.findings("PV002"))
    assert f["path"] == "records/sky.genai.xml"
    assert f["line"] == 3  # the asset element
    assert f["message"] == ("tool/@ref references tool TL-404, which no record defines: "
                            "define it or correct the id")
    assert f["severity"] == "error" and f["clip"] is None
    assert result.code == 1


def test_reference_to_a_record_of_the_wrong_kind(cut):
    cut.records("records/sky.genai.xml", SKY.replace('<tool ref="TL-01"/>',
                                                     '<tool ref="P-0031"/>')
                + '<person id="P-0031">Jane Doe</person>')
    f = only(check(cut).findings("PV002"))
    assert f["message"] == "tool/@ref references P-0031, which is a person, not a tool"


def test_approval_listing_an_unknown_asset(cut):
    cut.records("records/legal.genai.xml", SKY_APPROVAL.replace("AST-1193", "AST-1193 AST-9999"))
    cut.records("records/sky.genai.xml", SKY + RUNWAY)
    result = check(cut)
    f = only(result.findings("PV002"))
    assert f["path"] == "records/legal.genai.xml"
    assert f["message"].startswith("approval/assets references asset AST-9999, which no "
                                   "record defines")


def test_consent_of_an_unknown_person(cut):
    cut.records("records/consents.genai.xml", """
        <consent id="CNS-1" person="P-404" status="active">
          <grantor role="performer">Jane Doe</grantor>
          <production>PRD-778</production>
          <uses>likeness</uses>
        </consent>""")
    f = only(check(cut).findings("PV002"))
    assert f["message"].startswith("consent/@person references person P-404")


# --- PV004: duplicate ids ------------------------------------------------------------

def test_duplicate_id_across_two_files(cut):
    cut.records("records/a.genai.xml", SKY + RUNWAY)
    cut.records("records/b.genai.xml", """
        <tool id="TL-01" vendor="Other" trainsOnInputs="no">Other</tool>""")
    result = check(cut)
    f = only(result.findings("PV004"))
    assert f["path"] == "records/b.genai.xml"
    assert f["line"] == 3
    assert f["message"] == ("id TL-01 is defined again (first at records/a.genai.xml:10); "
                            "ids must be unique across all record files")
    assert result.code == 1


def test_duplicate_id_within_one_file(cut):
    cut.records("records/a.genai.xml", RUNWAY + RUNWAY)
    f = only(check(cut).findings("PV004"))
    assert f["path"] == "records/a.genai.xml"
    assert "first at records/a.genai.xml:3" in f["message"]


# --- ids across files and two-way links ----------------------------------------------

def test_references_resolve_across_files(cut):
    cut.records("vfx/sh042.genai.xml", SKY.replace(
        "</asset>", '  <approval ref="APR-0057"/>\n</asset>'))
    cut.records("legal/tools.genai.xml", RUNWAY)
    cut.records("legal/approvals.genai.xml", SKY_APPROVAL)
    result = check(cut)
    assert result.code == 0, result.out
    assert result.findings() == []


def test_approval_listing_the_asset_applies_without_a_back_reference(cut):
    cut.records("vfx/sh042.genai.xml", SKY + RUNWAY)
    cut.records("legal/approvals.genai.xml", SKY_APPROVAL)
    result = check(cut)
    assert result.findings() == [], result.out

    db = recordfile.load_records(str(cut.root), ["vfx/sh042.genai.xml",
                                              "legal/approvals.genai.xml"])
    (asset,) = db.assets
    assert [a.id for a in db.approvals_for(asset)] == ["APR-0057"]


def test_approval_referenced_by_the_asset_but_not_listing_it(cut):
    cut.records("vfx/sh042.genai.xml", SKY.replace(
        "</asset>", '  <approval ref="APR-0057"/>\n</asset>') + RUNWAY)
    cut.records("legal/approvals.genai.xml", SKY_APPROVAL.replace("AST-1193", "AST-0001")
                + SKY.replace("AST-1193", "AST-0001").replace("sh042_sky_v*", "other"))
    result = check(cut)
    ga004 = [f for f in result.findings("GA004") if f["asset"] == "AST-1193"]
    assert "does not list AST-1193 in its <assets>" in only(ga004)["message"]
    assert only(result.findings("GA001"))["asset"] == "AST-1193"


def test_unrelated_approval_does_not_clear(cut):
    cut.records("vfx/sh042.genai.xml", SKY + RUNWAY)
    cut.records("legal/approvals.genai.xml", SKY_APPROVAL.replace("AST-1193", "AST-0001")
                + SKY.replace("AST-1193", "AST-0001").replace("sh042_sky_v*", "other"))
    result = check(cut)
    assert only(result.findings("GA001"))["asset"] == "AST-1193"
    assert result.findings("GA004") == []  # it is not linked to this asset at all


# --- hostile XML ---------------------------------------------------------------------

NS_ROOT = '<genai xmlns="urn:cutclear:genai:1" version="1">'
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE genai [\n <!ENTITY lol0 "lol">\n'
          + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
          + "]>\n" + NS_ROOT + '<person id="P-1">&lol9;</person></genai>\n')
REFUSED = "<!DOCTYPE> is not allowed in record files"


@pytest.fixture
def secret(tmp_path_factory):
    path = tmp_path_factory.mktemp("private") / "secret.txt"
    path.write_text("TOPSECRET-4711\n")
    return path


def xxe(target: str) -> str:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE genai [\n  <!ENTITY x SYSTEM "{target}">\n]>\n'
            f'{NS_ROOT}<person id="P-1">&x;</person></genai>\n')


class TestHostileParser:
    """parse_record_file refuses what could expand, read files or reach the network."""

    def test_billion_laughs(self):
        with pytest.raises(RecordFileError) as err:
            parse_record_file(LAUGHS.encode(), "a.genai.xml")
        assert str(err.value).startswith(REFUSED)
        assert err.value.line == 2
        assert "lollol" not in str(err.value)

    def test_external_entity_reading_a_local_file(self, secret):
        with pytest.raises(RecordFileError) as err:
            parse_record_file(xxe(secret.as_uri()).encode(), "a.genai.xml")
        assert str(err.value).startswith(REFUSED)
        assert "TOPSECRET" not in str(err.value)

    def test_external_entity_etc_passwd(self):
        with pytest.raises(RecordFileError, match="DOCTYPE") as err:
            parse_record_file(xxe("file:///etc/passwd").encode(), "a.genai.xml")
        assert "root:" not in str(err.value)

    def test_parameter_entity(self, secret):
        data = (f'<!DOCTYPE genai [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>\n'
                f"{NS_ROOT}</genai>")
        with pytest.raises(RecordFileError, match="DOCTYPE"):
            parse_record_file(data.encode(), "a.genai.xml")

    def test_external_dtd(self):
        data = f'<!DOCTYPE genai SYSTEM "http://127.0.0.1:9/genai.dtd">\n{NS_ROOT}</genai>'
        with pytest.raises(RecordFileError) as err:
            parse_record_file(data.encode(), "a.genai.xml")
        assert str(err.value).startswith(REFUSED)
        assert err.value.line == 1

    @pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
    def test_doctype_in_a_wide_encoding(self, secret, encoding):
        data = xxe(secret.as_uri()).replace('version="1.0"?>',
                                            f'version="1.0" encoding="{encoding}"?>')
        with pytest.raises(RecordFileError) as err:
            parse_record_file(data.encode(encoding), "a.genai.xml")
        assert "TOPSECRET" not in str(err.value)

    def test_billion_laughs_in_utf16(self):
        data = LAUGHS.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
        with pytest.raises(RecordFileError):
            parse_record_file(data.encode("utf-16"), "a.genai.xml")

    def test_xinclude_is_not_processed(self, secret):
        data = (f'{NS_ROOT[:-1]} xmlns:xi="http://www.w3.org/2001/XInclude">'
                f'<xi:include href="{secret.as_uri()}" parse="text"/></genai>')
        with pytest.raises(RecordFileError, match="not valid against the genai schema") as err:
            parse_record_file(data.encode(), "a.genai.xml")
        assert "TOPSECRET" not in str(err.value)

    def test_oversized_data(self):
        data = genai("").encode() + b" " * (MAX_RECORD_BYTES + 1)
        with pytest.raises(RecordFileError) as err:
            parse_record_file(data, "a.genai.xml")
        assert f"over the {MAX_RECORD_BYTES:,}-byte limit" in str(err.value)

    def test_undefined_entity(self):
        with pytest.raises(RecordFileError, match="not well-formed XML"):
            parse_record_file(f'{NS_ROOT}<person id="P">&x;</person></genai>'.encode(),
                              "a.genai.xml")

    @pytest.mark.parametrize("data", [b"", b"\xff\xfe\x00garbage", b"\x00" * 64,
                                      b'<?xml version="1.0" encoding="klingon"?><genai/>'])
    def test_garbage_is_an_error_not_a_crash(self, data):
        with pytest.raises(RecordFileError):
            parse_record_file(data, "a.genai.xml")


class TestHostileFiles:
    """The same through `cutclear check`: PV001, nothing leaked, nothing expanded."""

    def test_billion_laughs(self, cut):
        cut.write("records/laughs.genai.xml", LAUGHS)
        result = check(cut)
        f = pv001(result, "records/laughs.genai.xml")
        assert f["message"].startswith(REFUSED)
        assert f["line"] == 2
        assert "lollol" not in result.out

    def test_external_entity(self, cut, secret):
        cut.write("records/xxe.genai.xml", xxe(secret.as_uri()))
        for fmt in ("json", "text"):
            result = check(cut, fmt=fmt)
            assert result.code == 1
            assert "TOPSECRET" not in result.out + result.err
        assert pv001(check(cut), "records/xxe.genai.xml")["message"].startswith(REFUSED)

    def test_external_dtd_is_never_fetched(self, cut):
        requests: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                requests.append(self.path)
                body = b'<!ENTITY x "PWNED">'
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/genai.dtd"
            cut.write("records/dtd.genai.xml",
                      f'<?xml version="1.0"?>\n<!DOCTYPE genai SYSTEM "{url}">\n'
                      f'{NS_ROOT}<person id="P-1">&x;</person></genai>\n')
            result = check(cut)
        finally:
            server.shutdown()
            server.server_close()
        f = pv001(result, "records/dtd.genai.xml")
        assert f["message"].startswith(REFUSED)
        assert requests == []
        assert "PWNED" not in result.out

    def test_oversized_file_is_refused_unread(self, cut):
        big = cut.root / "records" / "huge.genai.xml"
        big.parent.mkdir(parents=True, exist_ok=True)
        with open(big, "wb") as f:
            f.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
        f = pv001(check(cut), "records/huge.genai.xml")
        assert f["message"].startswith(
            f"file is 52,428,800 bytes, over the {MAX_RECORD_BYTES:,}-byte limit")


def _limit_memory():  # pragma: no cover - runs in the child
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def run_cli(root, *args, timeout=60):
    """`cutclear check` in a subprocess with bounded time and memory, so that a
    regression (reading a FIFO or /dev/zero to the end) fails instead of hanging."""
    limit = _limit_memory if sys.platform.startswith("linux") else None
    return subprocess.run([sys.executable, "-m", "cutclear", "check", "--format", "json",
                           "--as-of", AS_OF, *args], cwd=root, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_record_file_does_not_hang(cut):
    os.makedirs(cut.root / "records")
    os.mkfifo(cut.root / "records" / "pipe.genai.xml")
    proc = run_cli(cut.root)
    assert proc.returncode == 1, proc.stderr
    (f,) = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "PV001"]
    assert f["path"] == "records/pipe.genai.xml"
    assert f["message"].startswith("not a regular file")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_record_file_linked_to_an_endless_device_does_not_hang(cut):
    os.makedirs(cut.root / "records")
    try:
        os.symlink("/dev/zero", cut.root / "records" / "zero.genai.xml")
    except OSError:
        pytest.skip("cannot create symlinks here")
    proc = run_cli(cut.root)
    assert proc.returncode == 1, proc.stderr
    (f,) = [f for f in json.loads(proc.stdout)["findings"] if f["rule"] == "PV001"]
    assert f["path"] == "records/zero.genai.xml"
    assert f["message"].startswith("not a regular file")
