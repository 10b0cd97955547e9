"""XMP embedded in media files: each container as its writers embed it, read by the packet
scan (and by ExifTool where it is installed)."""

from __future__ import annotations

import struct
import zlib

import pytest
from conftest import CONFIG
from media_files import box, jpeg, mov, mp4, wav

from cutclear import xmpscan

AS_OF = ("--as-of", "2026-01-10")
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def packet(source_type: str = "trainedAlgorithmicMedia", prompt: str = "harbour at dusk",
           system: str = "Firefly", version: str = "3") -> bytes:
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
            '<rdf:Description rdf:about="" '
            'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
            f'Iptc4xmpExt:DigitalSourceType="{IPTC}{source_type}" '
            f'Iptc4xmpExt:AISystemUsed="{system}" Iptc4xmpExt:AISystemVersionUsed="{version}" '
            f'Iptc4xmpExt:AIPromptInformation="{prompt}" '
            'Iptc4xmpExt:AIPromptWriterName="J. Writer"/>\n'
            '</rdf:RDF></x:xmpmeta>\n' + " " * 200 + '\n<?xpacket end="w"?>').encode()


XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def png(xmp: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    itxt = b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + xmp
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"iTXt", itxt)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def tiff(xmp: bytes) -> bytes:
    # little-endian TIFF, one IFD: width, height, XMP (tag 700, type BYTE)
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (700, 1, len(xmp), 8 + 2 + 3 * 12 + 4)]
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", *e) for e in entries) + b"\x00\x00\x00\x00"
    return b"II*\x00" + struct.pack("<I", 8) + ifd + xmp


def mxf(xmp: bytes) -> bytes:
    # a partition pack key, then the XMP as the value of a KLV triplet (BER length)
    key = bytes.fromhex("060e2b34020501010d01020101020400")
    return key + b"\x83" + len(xmp).to_bytes(3, "big") + xmp + b"\x00" * 64


CONTAINERS = {
    "mov": lambda x: mov(extra=box(b"uuid", XMP_UUID + x)),
    "mp4": lambda x: mp4(extra=box(b"moov", box(b"udta", box(b"XMP_", x)))),
    "mxf": mxf,
    "jpg": lambda x: jpeg(app1=b"http://ns.adobe.com/xap/1.0/\x00" + x),
    "png": png,
    "tif": tiff,
    "wav": lambda x: wav(extra_chunk=b"_PMX" + struct.pack("<I", len(x)) + x
                         + (b"\x00" if len(x) % 2 else b"")),
}


@pytest.fixture(autouse=True)
def _packet_scan(monkeypatch):
    """These tests exercise the packet scan; the ExifTool test asks for ExifTool itself."""
    monkeypatch.setenv(xmpscan.NO_EXIFTOOL_ENV, "1")


def cut_with_media(repo, name: str, data: bytes) -> None:
    repo.config(CONFIG + 'protected-names = ["Blade Runner"]\n')
    (repo.root / "media").mkdir(exist_ok=True)
    (repo.root / "media" / name).write_bytes(data)
    repo.timeline("cuts/locked/cut.otio", [("sh042", f"media/{name}", 24)])


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_embedded_xmp_declares_generative_media_with_its_tool(repo, kind):
    cut_with_media(repo, f"sh042.{kind}", CONTAINERS[kind](packet()))
    result = repo.check(*AS_OF, "--select", "GA001,DU001,DU004")
    asset = f"XMP:media/sh042.{kind}"
    assert [(f["rule"], f["asset"]) for f in result.findings()] == [
        ("DU001", asset), ("GA001", asset)]
    assert f"GenAI asset {asset} (Firefly 3)" in result.findings("GA001")[0]["message"]
    assert "tool Firefly 3" in result.findings("DU001")[0]["message"]


def test_the_embedded_prompt_is_read_by_the_ip_rule(repo):
    cut_with_media(repo, "sh042.mov", CONTAINERS["mov"](packet(prompt="in the style of "
                                                                      "Blade Runner")))
    result = repo.check(*AS_OF, "--select", "IP001")
    assert "name protected term Blade Runner" in result.findings("IP001")[0]["message"]


def test_embedded_camera_xmp_conflicts_with_a_generative_record(repo):
    cut_with_media(repo, "A001.mov", CONTAINERS["mov"](packet("digitalCapture")))
    repo.records("records/a.genai.xml", """
        <asset id="AST-1"><match><name>A001.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin></asset>""")
    result = repo.check(*AS_OF, "--select", "PV003")
    assert "AST-1 (generative), XMP:media/A001.mov (other)" in \
        result.findings("PV003")[0]["message"]


@pytest.mark.parametrize("data, error", [
    (mov(extra=box(b"uuid", XMP_UUID + packet()[:300])), "an XMP packet is cut off"),
    (mov(extra=box(b"uuid", XMP_UUID + packet("aiMagic"))),
     "DigitalSourceType 'http://cv.iptc.org/newscodes/digitalsourcetype/aiMagic' is not an "
     "IPTC digital source type"),
    (mov(extra=box(b"uuid", XMP_UUID + packet().replace(b"</rdf:RDF>", b""))),
     "not well-formed"),
])
def test_unusable_embedded_xmp_is_pv007(repo, data, error):
    cut_with_media(repo, "sh042.mov", data)
    result = repo.check(*AS_OF, "--select", "PV007")
    message = result.findings("PV007")[0]["message"]
    assert message.startswith("the XMP embedded in media/sh042.mov cannot be used (")
    assert error in message and result.code == 1


def test_media_without_xmp_or_with_camera_only_xmp_says_nothing(repo):
    cut_with_media(repo, "plain.mov", mov())
    assert repo.check(*AS_OF, "--select", "PV007,GA001").findings() == []


def test_the_scan_reads_head_and_tail_of_large_files_only(tmp_path, monkeypatch):
    monkeypatch.setattr(xmpscan, "HEAD_BYTES", 4096)
    monkeypatch.setattr(xmpscan, "TAIL_BYTES", 4096)
    tail = tmp_path / "tail.mov"
    tail.write_bytes(b"\x00" * 20000 + packet() + b"\x00" * 100)
    assert len(xmpscan.scan(str(tail))) == 1
    middle = tmp_path / "middle.mov"
    middle.write_bytes(b"\x00" * 10000 + packet() + b"\x00" * 10000)
    assert xmpscan.scan(str(middle)) == []  # out of reach: where no container keeps it


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_exiftool_reads_the_embedded_xmp_when_installed(repo, monkeypatch, kind):
    monkeypatch.delenv(xmpscan.NO_EXIFTOOL_ENV)
    if xmpscan.exiftool() is None:
        pytest.skip("ExifTool is not installed (Debian: libimage-exiftool-perl); the packet "
                    "scan is tested instead")
    cut_with_media(repo, f"sh042.{kind}", CONTAINERS[kind](packet()))
    result = repo.check(*AS_OF, "--select", "GA001")
    assert [f["asset"] for f in result.findings()] == [f"XMP:media/sh042.{kind}"]
    # ExifTool itself finds the packet in every container but this synthetic MXF (not
    # a full MXF structure), for which the scan steps in
    assert bool(xmpscan._with_exiftool(xmpscan.exiftool(), str(
        repo.root / "media" / f"sh042.{kind}"))) is (kind != "mxf")


def test_exiftool_reads_a_whole_cut_in_one_run(repo, monkeypatch):
    monkeypatch.delenv(xmpscan.NO_EXIFTOOL_ENV)
    if xmpscan.exiftool() is None:
        pytest.skip("ExifTool is not installed (Debian: libimage-exiftool-perl)")
    repo.config(CONFIG)
    (repo.root / "media").mkdir()
    clips = []
    for kind in sorted(CONTAINERS):
        (repo.root / "media" / f"sh.{kind}").write_bytes(CONTAINERS[kind](packet()))
        clips.append((kind, f"media/sh.{kind}", 24))
    repo.timeline("cuts/locked/cut.otio", clips)
    paths = [str(repo.root / "media" / f"sh.{k}") for k in sorted(CONTAINERS)]
    batch = xmpscan.embedded_many(paths)
    assert sorted(k for k in CONTAINERS if batch.get(paths[sorted(CONTAINERS).index(k)])) == \
        sorted(k for k in CONTAINERS if k != "mxf")  # the synthetic MXF: the scan steps in
    result = repo.check(*AS_OF, "--select", "GA001")
    assert sorted(f["asset"] for f in result.findings()) == [
        f"XMP:media/sh.{k}" for k in sorted(CONTAINERS)]
