"""C2PA Content Credentials: real manifests signed at test time, read at check and conform.

Every file here is signed by c2pa-python's Builder with a CA made by `cryptography` for the
test run; nothing is fetched and no key is committed. The tests need the optional extra
(`pip install 'cutclear[c2pa]'`, which `.ci/run` installs) and skip without it.
"""

from __future__ import annotations

import json
import os
import sys

import pytest
from conftest import CONFIG, NS
from media_files import IPTC, MAKERS, make_ca, manifest, opened, sign

from cutclear.cli import main
from cutclear.credentials import classify, summarise

AS_OF = ("--as-of", "2026-01-10")
SKIP = "c2pa-python is not installed: pip install 'cutclear[c2pa]' (.ci/run installs it)"


@pytest.fixture(scope="module")
def c2pa():
    return pytest.importorskip("c2pa", reason=SKIP)


@pytest.fixture(scope="module")
def ca(c2pa):
    return make_ca("Studio Root")


def conform(repo, media_root, *args):
    """`cutclear conform cuts/locked/cut.otio --media-root DIR` in the repo, as JSON."""
    old = os.getcwd()
    os.chdir(repo.root)
    try:
        repo._capsys.readouterr()
        code = main(["conform", "--format", "json", *AS_OF, "cuts/locked/cut.otio",
                     "--media-root", str(media_root), *args])
        out = repo._capsys.readouterr()
    finally:
        os.chdir(old)
    findings = json.loads(out.out)["findings"] if out.out else []
    return code, findings, out.err


def online(repo, tmp_path, name: str, data: bytes):
    """A locked cut of one clip whose media, `name`, sits in an online folder."""
    media = tmp_path / "online"
    media.mkdir(exist_ok=True)
    (media / name).write_bytes(data)
    repo.config(CONFIG)
    repo.timeline("cuts/locked/cut.otio", [("sh042", f"file:///show/vfx/{name}", 24)])
    return media


def rules(findings) -> list[tuple[str, str | None]]:
    return sorted((f["rule"], f.get("asset")) for f in findings)


# --- reading claims: the mapping, without files ---------------------------------------

@pytest.mark.parametrize("written, cls", [
    ("trainedAlgorithmicMedia", "generative"),
    (IPTC + "trainedAlgorithmicMedia", "generative"),
    ("https://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia ",
     "generative-edit"),
    ("http://c2pa.org/digitalsourcetype/trainedAlgorithmicData", "generative"),
    ("compositeSynthetic", "generative-edit"),
    (IPTC + "digitalCapture", "other"),
    ("http://c2pa.org/digitalsourcetype/empty", "unknown"),
    (IPTC + "virtualRecording", "unknown"),
    ("composite", "unknown"),
    ("", "unknown"),
    ("somethingElse", "unknown"),
])
def test_digital_source_types_map_to_classes_and_ambiguity_is_unknown(written, cls):
    assert classify(written) == cls


def test_every_manifest_and_both_action_assertions_are_read():
    store = {"active_manifest": "urn:a", "validation_state": "Valid", "manifests": {
        "urn:a": {"claim_generator": "Premiere Pro/25.1", "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.opened"}]}}]},
        "urn:b": {"claim_generator_info": [{"name": "Firefly", "version": "3"}], "assertions": [
            {"label": "c2pa.actions.v2", "data": {"actions": [
                {"action": "c2pa.edited"},
                {"action": "c2pa.created", "softwareAgent": "Firefly Video 1.2",
                 "digitalSourceType": "compositeWithTrainedAlgorithmicMedia"}]}}]}}}
    creds = summarise(store, "x.mov")
    assert [(c.manifest, c.generator, c.agent, c.cls) for c in creds.claims] == [
        ("urn:b", "Firefly 3", "Firefly Video 1.2", "generative-edit")]
    assert creds.generators == ("Premiere Pro/25.1", "Firefly 3")


def test_a_created_action_without_a_source_type_is_unknown_not_camera():
    # c2pa-rs 0.91 no longer signs such a manifest, but older tools did
    store = {"validation_state": "Valid", "manifests": {"urn:a": {"assertions": [
        {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created"}]}}]}}}
    creds = summarise(store, "x.mov")
    assert [c.cls for c in creds.claims] == ["unknown"] and creds.believed() == []


def test_an_invalid_store_keeps_genai_claims_and_drops_the_others():
    store = {"validation_state": "Invalid", "manifests": {
        "urn:a": {"assertions": [{"label": "c2pa.actions", "data": {"actions": [
            {"action": "c2pa.created", "digitalSourceType": "digitalCapture"}]}}]},
        "urn:b": {"assertions": [{"label": "c2pa.actions.v2", "data": {"actions": [
            {"action": "c2pa.created", "digitalSourceType": "trainedAlgorithmicMedia"}]}}]}},
        "validation_results": {"activeManifest": {"failure": [
            {"code": "assertion.bmffHash.mismatch", "url": "self#jumbf=/c2pa/urn:a"},
            {"code": "signingCredential.untrusted", "url": "self#jumbf=/c2pa/urn:a"}]}}}
    creds = summarise(store, "x.mov")
    assert creds.invalid and creds.failures == ("assertion.bmffHash.mismatch",)
    assert [c.cls for c in creds.believed()] == ["generative"]


# --- signed media at conform ----------------------------------------------------------

@pytest.mark.parametrize("kind", ["mp4", "mov", "jpg", "wav"])
def test_generative_credentials_make_a_genai_asset_without_any_record(repo, tmp_path, ca, kind):
    data = sign(ca, kind, manifest("Runway", "4", agent={"name": "Gen-4", "version": "2.1"}))
    media = online(repo, tmp_path, f"sh042_sky_v3.{kind}", data)
    code, findings, err = conform(repo, media)
    asset = f"C2PA:sh042_sky_v3.{kind}"
    assert code == 1, err
    # DU005: what the generator keeps of its inputs is unknown for a tool known only from
    # its credentials
    assert rules(findings) == [("DU001", asset), ("DU005", asset), ("GA001", asset),
                               ("GA002", asset), ("PV009", None)]
    ga001 = next(f for f in findings if f["rule"] == "GA001")
    assert ga001["severity"] == "error"
    assert f"GenAI asset {asset} (Runway 4, Gen-4 2.1)" in ga001["message"]
    pv009 = next(f for f in findings if f["rule"] == "PV009")
    assert pv009["severity"] == "warning" and "Studio Root Signer" in pv009["message"]


def test_a_generative_claim_in_an_ingredient_only_is_found(repo, tmp_path, ca):
    parent = sign(ca, "jpg", manifest("Firefly", "3", source_type="trainedAlgorithmicMedia"))
    data = sign(ca, "mp4", opened(), ingredient=("jpg", parent))
    media = online(repo, tmp_path, "sh050_matte.mp4", data)
    code, findings, _ = conform(repo, media, "--select", "GA001")
    assert code == 1
    assert rules(findings) == [("GA001", "C2PA:sh050_matte.mp4")]
    assert "(Firefly 3)" in findings[0]["message"]


def test_a_file_changed_after_signing_is_pv008_and_its_genai_claim_still_counts(
        repo, tmp_path, ca):
    data = bytearray(sign(ca, "mp4", manifest()))
    data[-5] ^= 0xFF  # a byte of the media data
    media = online(repo, tmp_path, "sh042.mp4", bytes(data))
    code, findings, _ = conform(repo, media, "--select", "PV008,GA001")
    assert code == 1
    assert rules(findings) == [("GA001", "C2PA:sh042.mp4"), ("PV008", None)]
    pv008 = next(f for f in findings if f["rule"] == "PV008")
    assert "assertion.bmffHash.mismatch" in pv008["message"]
    assert "generative claim is still believed" in pv008["message"]


def test_a_tampered_camera_claim_is_not_believed(repo, tmp_path, ca):
    data = bytearray(sign(ca, "mov", manifest("Camera", "1.0",
                                              source_type=IPTC + "digitalCapture")))
    data[-5] ^= 0xFF
    media = online(repo, tmp_path, "A001C003.mov", bytes(data))
    code, findings, _ = conform(repo, media, "--select", "PV008,GA003")
    assert rules(findings) == [("GA003", None), ("PV008", None)]  # still undeclared
    assert "What it claims is not believed" in findings[1]["message"]


def test_valid_camera_credentials_declare_the_media(repo, tmp_path, ca):
    data = sign(ca, "mov", manifest("Camera", "1.0", source_type=IPTC + "digitalCapture"))
    media = online(repo, tmp_path, "A001C003.mov", data)
    code, findings, _ = conform(repo, media, "--select", "GA,PV008")
    assert code == 0 and findings == []


@pytest.mark.parametrize("source_type", ["http://c2pa.org/digitalsourcetype/empty",
                                         IPTC + "virtualRecording", "composite"])
def test_empty_or_ambiguous_source_types_leave_the_media_undeclared(
        repo, tmp_path, ca, source_type):
    data = sign(ca, "mp4", manifest("Unreal", "5.4", source_type=source_type))
    media = online(repo, tmp_path, "sh060.mp4", data)
    code, findings, _ = conform(repo, media, "--select", "GA")
    assert rules(findings) == [("GA003", None)]


def test_a_camera_record_against_generative_credentials_is_pv003(repo, tmp_path, ca):
    media = online(repo, tmp_path, "sh042.mp4", sign(ca, "mp4", manifest()))
    repo.records("records/camera.genai.xml", """
        <asset id="CAM"><match><name>sh042.mp4</name></match><origin>digitalCapture</origin></asset>
    """)
    code, findings, _ = conform(repo, media, "--select", "PV003,GA001")
    assert rules(findings) == [("GA001", "C2PA:sh042.mp4"), ("PV003", None)]
    assert "C2PA:sh042.mp4 (generative), CAM (other)" in findings[1]["message"]


def test_records_approve_the_credentialed_asset_by_its_id(repo, tmp_path, ca):
    media = online(repo, tmp_path, "sh042.mp4", sign(ca, "mp4", manifest()))
    repo.records("records/sky.genai.xml", """
        <asset id="AST-1193"><match><name>sh042.mp4</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>
        <approval id="APR-0057" status="approved">
          <issuer org="Netflix">A. Contact</issuer><production>PRD-778</production>
          <granted>2025-09-02</granted><covers>final-deliverable</covers>
          <assets>AST-1193 C2PA:sh042.mp4</assets>
        </approval>
    """)
    code, findings, err = conform(repo, media, "--select", "GA,PV003,PV008")
    assert (code, findings) == (0, []), err
    # an approval that lists only the record's asset leaves the credentialed one uncleared
    repo.records("records/sky.genai.xml", (repo.root / "records/sky.genai.xml").read_text()
                 .split(f'<genai xmlns="{NS}" version="1">')[1].split("</genai>")[0]
                 .replace("AST-1193 C2PA:sh042.mp4", "AST-1193"))
    code, findings, _ = conform(repo, media, "--select", "GA")
    assert rules(findings) == [("GA001", "C2PA:sh042.mp4")]


def test_a_file_without_credentials_is_judged_by_its_records(repo, tmp_path, ca):
    media = online(repo, tmp_path, "A001C003.mov", MAKERS["mov"]())
    code, findings, _ = conform(repo, media, "--select", "GA,PV008,PV009")
    assert rules(findings) == [("GA003", None)]


def test_a_media_file_that_cannot_be_parsed_is_pv008(repo, tmp_path, c2pa):
    media = online(repo, tmp_path, "sh042.mov", b"not a QuickTime file at all")
    code, findings, _ = conform(repo, media, "--select", "PV008")
    assert code == 1 and rules(findings) == [("PV008", None)]
    assert "Content Credentials of sh042.mov cannot be read" in findings[0]["message"]
    assert "so what they say is unknown" in findings[0]["message"]


def test_a_read_that_takes_too_long_is_given_up_and_pv008(repo, tmp_path, ca, monkeypatch):
    import time

    from cutclear import credentials

    slow_read = credentials._read

    def slow(path, anchors):
        time.sleep(0.5)
        return slow_read(path, anchors)
    monkeypatch.setattr(credentials, "_read", slow)
    monkeypatch.setattr(credentials, "TIMEOUT_SECONDS", 0.05)
    media = online(repo, tmp_path, "slow.mp4", sign(ca, "mp4", manifest()))
    code, findings, _ = conform(repo, media, "--select", "PV008")
    assert code == 1 and "reading took more than 0.0502 s" in findings[0]["message"]


def test_signers_of_the_configured_trust_anchors_are_trusted(repo, tmp_path, ca):
    other = make_ca("Unknown Root")
    media = online(repo, tmp_path, "trusted.mp4", sign(ca, "mp4", manifest()))
    (media / "stranger.mp4").write_bytes(sign(other, "mp4", manifest()))
    repo.write("trust/anchors.pem", ca.root_pem)
    repo.config(CONFIG + 'c2pa-trust-anchors = ["trust/anchors.pem"]\n')
    repo.timeline("cuts/locked/cut.otio", [("a", "file:///x/trusted.mp4", 24),
                                           ("b", "file:///x/stranger.mp4", 24)])
    code, findings, _ = conform(repo, media, "--select", "PV008,PV009")
    assert [(f["rule"], f["clip"], f["severity"]) for f in findings] == [
        ("PV009", "b", "warning")]
    assert "Unknown Root Signer" in findings[0]["message"]


def test_untrusted_credentials_are_info_in_work_in_progress(repo, ca):
    repo.write("cutclear.toml", CONFIG)
    (repo.root / "media").mkdir()
    (repo.root / "media/sh042.jpg").write_bytes(sign(ca, "jpg", manifest()))
    repo.timeline("cuts/wip/cut.otio", [("sh042", "media/sh042.jpg", 24)])
    repo.write("cuts/locked/.gitkeep", "")  # the locked glob matches a folder
    result = repo.check(*AS_OF, "--select", "PV009,GA001")
    assert [(f["rule"], f["severity"], f.get("asset")) for f in result.findings()] == [
        ("GA001", "info", "C2PA:media/sh042.jpg"), ("PV009", "info", None)]


def test_check_reads_media_at_the_clips_path_in_the_repo(repo, ca):
    repo.write("cutclear.toml", CONFIG)
    (repo.root / "media").mkdir()
    (repo.root / "media/sh042.mov").write_bytes(sign(ca, "mov", manifest()))
    repo.timeline("cuts/locked/cut.otio", [("sh042", "media/sh042.mov", 24)])
    result = repo.check(*AS_OF, "--select", "GA001")
    assert [f.get("asset") for f in result.findings()] == ["C2PA:media/sh042.mov"]
    assert result.code == 1


def test_a_remote_only_manifest_is_unknown_and_reported(repo, tmp_path, ca, c2pa):
    import io

    ctx = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})
    builder = c2pa.Builder(manifest(), ctx)
    builder.set_no_embed()
    builder.set_remote_url("https://credentials.example.com/sh042.c2pa")
    signer = c2pa.Signer.from_callback(ca.sign, c2pa.C2paSigningAlg.ES256, ca.chain_pem, None)
    out = io.BytesIO()
    builder.sign(signer, "image/jpeg", io.BytesIO(MAKERS["jpg"]()), out)
    media = online(repo, tmp_path, "sh042.jpg", out.getvalue())
    code, findings, _ = conform(repo, media, "--select", "PV008,PV009,GA001,GA003")
    assert rules(findings) == [("GA003", None), ("PV009", None)]
    assert "remote-only" in findings[1]["message"] and "never fetches" in findings[1]["message"]


def test_a_sidecar_manifest_beside_the_media_is_read(repo, tmp_path, ca, c2pa):
    import io

    ctx = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})
    builder = c2pa.Builder(manifest(), ctx)
    builder.set_no_embed()
    signer = c2pa.Signer.from_callback(ca.sign, c2pa.C2paSigningAlg.ES256, ca.chain_pem, None)
    data = MAKERS["mp4"]()
    store = builder.sign(signer, "video/mp4", io.BytesIO(data), io.BytesIO())
    media = online(repo, tmp_path, "sh042.mp4", data)
    (media / "sh042.mp4.c2pa").write_bytes(store)
    code, findings, _ = conform(repo, media, "--select", "GA001,PV008")
    assert rules(findings) == [("GA001", "C2PA:sh042.mp4")]


def test_the_hook_keeps_what_it_read_on_disk_by_path_size_and_mtime(repo, ca, monkeypatch):
    from cutclear.plugins import c2pa as plugin

    from cutclear import mediafile

    repo.write("cutclear.toml", CONFIG)
    (repo.root / "media").mkdir()
    clip = repo.root / "media/sh042.mp4"
    clip.write_bytes(sign(ca, "mp4", manifest()))
    repo.timeline("cuts/locked/cut.otio", [("sh042", "media/sh042.mp4", 24)])
    first = repo.check(*AS_OF, "--cache", "--select", "GA001")
    assert [f["asset"] for f in first.findings()] == ["C2PA:media/sh042.mp4"]
    mediafile._read.clear()  # as in the next commit's process

    def unreadable(*args, **kwargs):
        raise AssertionError("read again although size and mtime are unchanged")
    monkeypatch.setattr(plugin, "read_credentials", unreadable)
    assert repo.check(*AS_OF, "--cache", "--select", "GA001").findings() == first.findings()
    mediafile._read.clear()
    clip.write_bytes(MAKERS["mp4"]())  # replaced by a file without credentials
    monkeypatch.undo()
    result = repo.check(*AS_OF, "--cache", "--select", "GA001,GA003")
    assert [f["rule"] for f in result.findings()] == ["GA003"]


def test_an_mxf_sidecar_manifest_is_read_and_checked_against_the_mxf(repo, tmp_path, ca, c2pa):
    import io

    ctx = c2pa.Context.from_dict({"builder": {"thumbnail": {"enabled": False}}})
    builder = c2pa.Builder(manifest(), ctx)
    builder.set_no_embed()
    signer = c2pa.Signer.from_callback(ca.sign, c2pa.C2paSigningAlg.ES256, ca.chain_pem, None)
    store = builder.sign(signer, "video/mp4", io.BytesIO(MAKERS["mp4"]()), io.BytesIO())
    media = online(repo, tmp_path, "sh042.mxf", bytes.fromhex("060e2b34") + b"\x00" * 100)
    (media / "sh042.mxf.c2pa").write_bytes(store)  # a store made for other bytes
    code, findings, _ = conform(repo, media, "--select", "GA001,PV008")
    assert rules(findings) == [("GA001", "C2PA:sh042.mxf"), ("PV008", None)]
    assert "bmffHash.mismatch" in findings[1]["message"]


# --- settings and plugin state --------------------------------------------------------

def test_cutclear_plugins_says_the_c2pa_reader_is_active(c2pa, capsys):
    assert main(["plugins"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("cutclear-c2pa"))
    assert "rules: PV008 PV009" in line and f"[active (c2pa-python {c2pa.__version__})]" in line


def test_without_c2pa_python_the_plugin_is_inactive_and_require_c2pa_exits_2(
        repo, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "c2pa", None)  # as if the extra were not installed
    assert main(["plugins"]) == 0
    assert "[inactive: c2pa-python is not installed (pip install 'cutclear[c2pa]')]" in \
        capsys.readouterr().out
    repo.config(CONFIG + "require-c2pa = true\n")
    repo.timeline("cuts/locked/cut.otio", [("a", "media/a.mov", 24)])
    result = repo.check()
    assert result.code == 2
    assert "require-c2pa is set, but c2pa-python is not installed" in result.err


@pytest.mark.parametrize("setting, error", [
    ('c2pa-trust-anchors = ["trust/missing.pem"]', "trust/missing.pem: no such file"),
    ('c2pa-trust-anchors = ["cutclear.toml"]', "no PEM certificate"),
    ("require-c2pa = 1", "require-c2pa: expected true or false"),
])
def test_bad_c2pa_settings_exit_2(repo, setting, error):
    repo.config(CONFIG + setting + "\n")
    repo.timeline("cuts/locked/cut.otio", [("a", "media/a.mov", 24)])
    result = repo.check()
    assert result.code == 2 and error in result.err
