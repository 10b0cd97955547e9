"""Small real media files written byte by byte, and C2PA signing with a throwaway CA.

The files are the smallest each container's parser accepts (a baseline JPEG of 8x8 grey
pixels, an ISO BMFF file with ftyp/moov/mdat as MP4 or QuickTime, a PCM WAV): enough for
c2pa-rs to embed and validate a manifest, and for the XMP scan to find a packet. The CA is
made at test time with `cryptography`; no key is committed.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass


def _seg(marker: int, payload: bytes) -> bytes:
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg(app1: bytes = b"") -> bytes:
    """A baseline JPEG of one 8x8 grey block; `app1` an APP1 payload (XMP) to embed."""
    app0 = _seg(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    xmp = _seg(0xE1, app1) if app1 else b""
    dqt = _seg(0xDB, b"\x00" + bytes([1] * 64))
    sof = _seg(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01" + b"\x01\x11\x00")
    dc = _seg(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
    ac = _seg(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    sos = _seg(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return b"\xff\xd8" + app0 + xmp + dqt + sof + dc + ac + sos + b"\x3f" + b"\xff\xd9"


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def bmff(brand: bytes = b"isom", extra: bytes = b"", mdat: int = 64) -> bytes:
    """An ISO BMFF file (MP4 with brand isom, QuickTime with `qt  `): ftyp, moov, mdat."""
    ftyp = box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"mp41")
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = box(b"mvhd", b"\x00" * 4 + struct.pack(">IIII", 0, 0, 1000, 0)
               + struct.pack(">IH", 0x00010000, 0x0100) + b"\x00" * 10 + matrix
               + b"\x00" * 24 + struct.pack(">I", 2))
    return ftyp + box(b"moov", mvhd) + extra + box(b"mdat", b"\x00" * mdat)


def mp4(**kw) -> bytes:
    return bmff(b"isom", **kw)


def mov(**kw) -> bytes:
    return bmff(b"qt  ", **kw)


def wav(extra_chunk: bytes = b"") -> bytes:
    """A PCM WAV of 800 silent samples; `extra_chunk` a whole RIFF chunk to add."""
    data = b"\x00\x00" * 800
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + extra_chunk
            + b"data" + struct.pack("<I", len(data)) + data)
    return b"RIFF" + struct.pack("<I", len(body)) + body


MIME = {"mp4": "video/mp4", "mov": "video/quicktime", "jpg": "image/jpeg", "wav": "audio/wav"}
MAKERS = {"mp4": mp4, "mov": mov, "jpg": jpeg, "wav": wav}
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


@dataclass
class CA:
    """A throwaway root CA and a signing certificate it issued (ES256)."""

    root_pem: str
    chain_pem: str
    key: object

    def sign(self, data: bytes) -> bytes:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def make_ca(name: str = "Test Root") -> CA:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def dn(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{name} Org")])

    now = dt.datetime.now(dt.timezone.utc)
    root_key, leaf_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(
        ec.SECP256R1())
    root = (x509.CertificateBuilder().subject_name(dn(name)).issuer_name(dn(name))
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()),
                           critical=False)
            .sign(root_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(dn(f"{name} Signer"))
            .issuer_name(root.subject).public_key(leaf_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False,
                                         False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256()))

    def pem(c) -> str:
        return c.public_bytes(serialization.Encoding.PEM).decode()
    return CA(pem(root), pem(leaf) + pem(root), leaf_key)


def manifest(generator: str = "Runway", version: str = "4", action: str = "c2pa.created",
             source_type: str | None = IPTC + "trainedAlgorithmicMedia",
             agent: dict | None = None, label: str = "c2pa.actions", **params) -> dict:
    act: dict = {"action": action, **params}
    if source_type is not None:
        act["digitalSourceType"] = source_type
    if agent:
        act["softwareAgent"] = agent
    return {"claim_generator_info": [{"name": generator, "version": version}],
            "title": "clip", "assertions": [{"label": label, "data": {"actions": [act]}}]}


def sign(ca: CA, kind: str, definition: dict, data: bytes | None = None,
         ingredient: tuple[str, bytes] | None = None) -> bytes:
    """`data` (a fresh file of `kind` by default) signed with `definition`; `ingredient`
    (kind, bytes) is added as the parent the manifest's c2pa.opened action names."""
    import c2pa

    ctx = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}},
                                  "verify": {"remote_manifest_fetch": False,
                                             "ocsp_fetch": False}})
    signer = c2pa.Signer.from_callback(ca.sign, c2pa.C2paSigningAlg.ES256, ca.chain_pem, None)
    builder = c2pa.Builder(definition, ctx)
    if ingredient:
        builder.add_ingredient({"title": f"parent.{ingredient[0]}", "relationship": "parentOf",
                                "label": "parent"}, MIME[ingredient[0]],
                               io.BytesIO(ingredient[1]))
    out = io.BytesIO()
    builder.sign(signer, MIME[kind], io.BytesIO(data if data is not None else MAKERS[kind]()),
                 out)
    return out.getvalue()


def opened(generator: str = "Premiere Pro", version: str = "25.1") -> dict:
    """A manifest that opens its parent ingredient (an edit of signed material)."""
    return manifest(generator, version, action="c2pa.opened", source_type=None,
                    parameters={"ingredientIds": ["parent"]})
