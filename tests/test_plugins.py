"""The plugin API: every hook, discovery through the `cutclear` entry-point group,
isolation of failing plugins, and the XMP sidecar reader built on the provenance hook.

Plugins here are real distributions as far as importlib.metadata is concerned: a module
and a `*.dist-info/entry_points.txt` in a folder put on sys.path.
"""

from __future__ import annotations

import inspect
import json
import sys
import textwrap

import pytest
from conftest import timeline

from cutclear import hookspecs
from cutclear.cli import main

AS_OF = ("--as-of", "2026-01-15")
CONFIG = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'


@pytest.fixture
def install(tmp_path, monkeypatch):
    """Install a plugin module `source` under entry-point `name` for this test."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(name: str, source: str, version: str = "1.2.3") -> None:
        module = "vendor_" + name.replace("-", "_")
        (site / f"{module}.py").write_text(textwrap.dedent(source))
        info = site / f"{module}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\n"
                                       f"Version: {version}\n")
        (info / "entry_points.txt").write_text(f"[cutclear]\n{name} = {module}\n")
        sys.modules.pop(module, None)
    return install


def cut(repo, *clips):
    repo.config(CONFIG)
    repo.timeline("cuts/locked/reel1.otio", timeline(list(clips) or [
        ("sky", "file:///show/vfx/sky.mov", 24)]))


def rules_of(result):
    return [(f["rule"], f["clip"], f["asset"]) for f in result.findings()]


PROVENANCE = '''
    from cutclear import hookimpl
    from cutclear.records import Asset, Source

    @hookimpl
    def cutclear_provenance(clip, ctx):
        if clip.media.name == "sky.mov":
            return [Asset("DAM-7", "trainedAlgorithmicMedia", "generative",
                          Source("dam://assets/7", 0), stage="final", tools=())]
        return None
'''


def test_hook_cutclear_provenance(repo, install):
    install("dam", PROVENANCE)
    cut(repo)
    result = repo.check(*AS_OF, "--select", "GA001")
    assert rules_of(result) == [("GA001", "sky", "DAM-7")]
    assert result.code == 1


def test_hook_cutclear_rules(repo, install, capsys):
    install("house", '''
        from cutclear import Problem, Rule, Severity, hookimpl

        def no_sky(use, assets, ctx):
            if "sky" in use.media.name:
                yield Problem("house style: no sky replacements in reel 1")

        @hookimpl
        def cutclear_rules():
            return [Rule("HS001", "no-sky", "a sky replacement", Severity.WARNING,
                         Severity.ERROR, "House style.", "none", "clip", no_sky)]
    ''')
    cut(repo)
    result = repo.check(*AS_OF, "--select", "HS")
    assert [(f["rule"], f["severity"], f["message"]) for f in result.findings()] == [
        ("HS001", "error", "house style: no sky replacements in reel 1")]
    assert main(["explain", "HS001"]) == 0
    assert "From plugin: house" in capsys.readouterr().out


def test_hook_cutclear_configure(repo, install):
    install("configured", '''
        from cutclear import hookimpl
        from cutclear.config import ConfigError

        @hookimpl
        def cutclear_configure(config, settings):
            if settings.get("endpoint") != "sqlite:rights.db":
                raise ConfigError(f"endpoint must be set, got {settings!r}")
    ''')
    cut(repo)
    repo.config(CONFIG + '[plugins.configured]\nendpoint = "sqlite:rights.db"\n')
    assert repo.check(*AS_OF, "--select", "PV").code == 0
    repo.config(CONFIG + '[plugins.configured]\nendpoint = "x"\n')
    result = repo.check(*AS_OF)
    assert result.code == 2
    assert "plugin 'configured': endpoint must be set, got {'endpoint': 'x'}" in result.err


def test_settings_for_a_plugin_that_is_not_loaded_are_an_error(repo):
    cut(repo)
    repo.config(CONFIG + "[plugins.nosuch]\nx = 1\n")
    result = repo.check(*AS_OF)
    assert result.code == 2 and "plugins.nosuch: no plugin of that name" in result.err


VOICE = """
<person id="P-0031">Jane Doe</person>
<asset id="AST-2001"><match><name>voice.wav</name></match>
  <origin>trainedAlgorithmicMedia</origin><stage>final</stage>
  <talent person="P-0031" use="voice"/></asset>
"""

REGISTRY = '''
    import datetime as dt
    from cutclear import hookimpl
    from cutclear.records import Consent, Source

    ANSWER = {answer}

    @hookimpl
    def cutclear_consents(person, ctx):
        if ANSWER == "found":
            return [Consent("REG-1", person, "active", "Jane Doe", "performer", ("PRD-778",),
                            ("voice",), Source("registry", 0), description="ADR, ep 3",
                            signed=dt.date(2025, 8, 1), separate=True)]
        return ANSWER
'''


@pytest.mark.parametrize("answer, tl001", [('"found"', []), ("[]", ["TL001"]),
                                           ("None", ["TL001"])])
def test_hook_cutclear_consents(repo, install, answer, tl001):
    """found / definitely none / do not know."""
    install("registry", REGISTRY.format(answer=answer))
    cut(repo, ("adr", "file:///show/audio/voice.wav", 24))
    repo.records("records/voice.genai.xml", VOICE)
    result = repo.check(*AS_OF, "--select", "TL001,TL002,TL003,TL004")
    assert [f["rule"] for f in result.findings()] == tl001


def test_records_answer_consent_lookups_before_registries(repo, install):
    install("registry", REGISTRY.format(answer="[]"))  # would say: definitely none
    cut(repo, ("adr", "file:///show/audio/voice.wav", 24))
    repo.records("records/voice.genai.xml", VOICE + """
        <consent id="CNS-1" person="P-0031" status="active">
          <grantor role="performer">Jane Doe</grantor><production>PRD-778</production>
          <uses>voice</uses><description>ADR</description>
          <signed date="2025-08-01" separate="true"/></consent>""")
    assert repo.check(*AS_OF, "--select", "TL001").findings() == []


def test_hook_cutclear_approvals(repo, install):
    install("approvals", '''
        import datetime as dt
        from cutclear import hookimpl
        from cutclear.records import Approval, Source

        @hookimpl
        def cutclear_approvals(asset, ctx):
            return [Approval("STUDIO-9", "approved", ("PRD-778",), dt.date(2025, 9, 1),
                             ("final-deliverable",), Source("studio", 0), assets=(asset.id,))]
    ''')
    cut(repo)
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sky.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    assert repo.check(*AS_OF, "--select", "GA001,GA004").findings() == []


def test_hook_cutclear_output_formats(repo, install):
    install("csvreport", '''
        from cutclear import hookimpl

        @hookimpl
        def cutclear_output_formats():
            return {"csv": lambda report: "".join(
                f"{f.rule},{f.clip},{f.record_in}\\n" for f in report.findings)}
    ''')
    cut(repo)
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sky.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    result = repo.check(*AS_OF, "--select", "GA001", fmt="csv")
    assert result.out == "GA001,sky,01:00:00:00\n"
    assert repo.check(fmt="yaml").err.startswith("cutclear: error: --format yaml: not a "
                                                  "report format (available: csv, github, "
                                                  "html, json, junit, sarif, text)")


# --- discovery and isolation -------------------------------------------------------

def test_plugins_command_lists_name_version_hooks_and_rules(install, capsys):
    install("dam", PROVENANCE, version="2.0.1")
    assert main(["plugins", "--format", "json"]) == 0
    listed = {p["name"]: p for p in json.loads(capsys.readouterr().out)}
    assert listed["dam"]["version"] == "2.0.1"
    assert listed["dam"]["hooks"] == ["cutclear_provenance"]
    assert listed["cutclear-ga"]["rules"] == ["GA001", "GA002", "GA003", "GA004"]
    assert main(["plugins"]) == 0
    assert "dam 2.0.1 (vendor_dam)  hooks: cutclear_provenance" in capsys.readouterr().out


@pytest.mark.parametrize("source, message", [
    ("import no_such_module\n",
     "plugin 'broken' (vendor_broken) failed to load: ModuleNotFoundError"),
    ("from cutclear import hookimpl\n@hookimpl\ndef cutclear_rules():\n    raise KeyError('x')\n",
     "plugin 'broken' crashed in cutclear_rules: KeyError"),
    ("from cutclear import hookimpl\n@hookimpl\ndef cutclear_provenance(clip, ctx):\n"
     "    return 1 / 0\n", "plugin 'broken' crashed in cutclear_provenance: ZeroDivisionError"),
    ("from cutclear import hookimpl\n@hookimpl\ndef cutclear_provenance(clip, ctx):\n"
     "    return ['AST-1']\n",
     "plugin 'broken' returned ['AST-1'] from cutclear_provenance, not a list of Asset"),
    ("from cutclear import Rule, Severity, hookimpl\n@hookimpl\ndef cutclear_rules():\n"
     "    return [Rule('GA001', 'mine', 's', Severity.INFO, Severity.INFO, 'r', 'e', 'clip',"
     " lambda *a: [])]\n",
     "rule code GA001 of plugin 'broken' is already registered by plugin 'cutclear-ga'"),
])
def test_a_failing_plugin_stops_the_run_naming_it(repo, install, source, message):
    install("broken", source)
    cut(repo)
    result = repo.check(*AS_OF)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("plugin 'broken'") == 1, result.err  # said once, not nested


def test_required_plugins_and_blocking(repo, install, monkeypatch):
    cut(repo)
    repo.config(CONFIG + 'required-plugins = ["dam"]\n')
    missing = repo.check(*AS_OF)
    assert missing.code == 2 and "required plugin 'dam' is not installed" in missing.err
    install("dam", PROVENANCE)
    assert repo.check(*AS_OF, "--select", "GA001").findings("GA001")
    monkeypatch.setenv("CUTCLEAR_DISABLE_PLUGINS", "dam")
    blocked = repo.check(*AS_OF)
    assert blocked.code == 2 and "required plugin 'dam' is blocked" in blocked.err
    repo.config(CONFIG)
    assert repo.check(*AS_OF, "--select", "GA001").findings() == []  # blocked: not asked


def test_every_hook_is_documented_and_has_a_test():
    """Each hook in the specification says when it is called and what it returns, and is
    exercised by a test named after it in this module."""
    hooks = [name for name in vars(hookspecs) if name.startswith("cutclear_")]
    assert len(hooks) >= 6
    for name in hooks:
        doc = inspect.getdoc(getattr(hookspecs, name)) or ""
        assert "Called" in doc and ("Return" in doc or "return" in doc), name
        assert f"test_hook_{name}" in globals(), f"no test_hook_{name} in {__name__}"


# --- XMP sidecars ------------------------------------------------------------------

XMP_ATTRIBUTES = """<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    Iptc4xmpExt:DigitalSourceType="https://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia "
    Iptc4xmpExt:AISystemUsed="Firefly" Iptc4xmpExt:AISystemVersionUsed="3"
    Iptc4xmpExt:AIPromptInformation="storm over the harbour, Blade Runner style"/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"""
XMP_ELEMENTS = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">
   <Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>
   <Iptc4xmpExt:AISystemUsed>ComfyUI</Iptc4xmpExt:AISystemUsed>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
"""
CAMERA = """<asset id="CAM"><match><path>media/**</path></match>
  <origin>digitalCapture</origin></asset>"""


@pytest.mark.parametrize("xmp, sidecar, origin", [
    (XMP_ATTRIBUTES, "media/sidecars/storm.mov.xmp", "generative"),
    (XMP_ELEMENTS, "media/sidecars/storm.xmp", "generative-edit"),
])
def test_xmp_saying_generative_overrides_a_camera_record(repo, xmp, sidecar, origin):
    cut(repo, ("storm", "file:///show/media/storm.mov", 24))
    repo.config(CONFIG + 'protected-names = ["Blade Runner"]\n')
    repo.records("records/camera.genai.xml", CAMERA)
    repo.write(sidecar, xmp)
    result = repo.check(*AS_OF, "--select", "PV003,GA001")
    assert [(f["rule"], f["asset"]) for f in result.findings()] == [
        ("GA001", f"XMP:{sidecar}"), ("PV003", None)]
    assert f"CAM (other), XMP:{sidecar} ({origin})" in result.findings("PV003")[0]["message"]
    assert result.code == 1


def test_xmp_prompt_and_ai_system_are_read(repo):
    cut(repo, ("storm", "file:///show/media/storm.mov", 24))
    repo.config(CONFIG + 'protected-names = ["Blade Runner"]\n')
    repo.write("media/storm.mov.xmp", XMP_ATTRIBUTES)
    result = repo.check(*AS_OF, "--select", "IP001")
    assert "name protected term Blade Runner" in result.findings("IP001")[0]["message"]


def test_xmp_beside_the_media_is_found(repo, tmp_path):
    media = tmp_path / "online"
    media.mkdir()
    (media / "storm.mov").write_bytes(b"")
    (media / "storm.xmp").write_text(XMP_ELEMENTS)
    cut(repo, ("storm", (media / "storm.mov").as_uri(), 24))
    result = repo.check(*AS_OF, "--select", "GA001")
    assert result.findings("GA001")[0]["asset"].startswith("XMP:")


def test_unreadable_xmp_counts_against_the_clip(repo):
    cut(repo, ("storm", "file:///show/media/storm.mov", 24))
    repo.records("records/camera.genai.xml", CAMERA)
    repo.write("media/storm.mov.xmp", "<x:xmpmeta xmlns:x='adobe:ns:meta/'>\n<broken")
    result = repo.check(*AS_OF)
    assert [(f["rule"], f["severity"]) for f in result.findings()] == [("PV007", "error")]
    assert "XMP sidecar media/storm.mov.xmp:2 cannot be used (not well-formed XML" in \
        result.findings()[0]["message"]


def test_every_clip_of_a_broken_sidecar_is_flagged_and_same_named_sidecars_all_count(repo):
    """storm.xmp is the sidecar of storm.mov and storm.wav; two storm.mov.xmp in different
    folders are both read (one may not hide the other)."""
    cut(repo, ("storm", "file:///show/media/storm.mov", 24),
        ("storm wav", "file:///show/media/storm.wav", 24))
    repo.records("records/camera.genai.xml", CAMERA + """
        <asset id="SND"><match><name>storm.wav</name></match><origin>digitalCapture</origin>
        </asset>""")
    repo.write("media/storm.xmp", "<broken")
    assert [(f["rule"], f["clip"]) for f in repo.check(*AS_OF).findings()] == [
        ("PV007", "storm"), ("PV007", "storm wav")]
    repo.write("media/storm.xmp", XMP_ELEMENTS.replace("compositeWithTrainedAlgorithmicMedia",
                                                       "digitalCapture"))
    repo.write("vfx/storm.mov.xmp", XMP_ATTRIBUTES)
    result = repo.check(*AS_OF, "--select", "GA001")
    assert [f["asset"] for f in result.findings()] == ["XMP:vfx/storm.mov.xmp"]


NO_SOURCE_TYPE = XMP_ELEMENTS.replace(
    "<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/"
    "compositeWithTrainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>", "")


def test_xmp_without_a_source_type_says_nothing(repo):
    """Camera or rights metadata only: no source type and no AI field."""
    cut(repo, ("storm", "file:///show/media/storm.mov", 24))
    repo.records("records/camera.genai.xml", CAMERA)
    repo.write("media/storm.mov.xmp", NO_SOURCE_TYPE.replace(
        "<Iptc4xmpExt:AISystemUsed>ComfyUI</Iptc4xmpExt:AISystemUsed>", ""))
    assert repo.check(*AS_OF).findings() == []


def test_xmp_naming_an_ai_system_without_a_source_type_counts_against_the_clip(repo):
    """Before: AISystemUsed without DigitalSourceType was ignored, and the clip passed on a
    camera record."""
    cut(repo, ("storm", "file:///show/media/storm.mov", 24))
    repo.records("records/camera.genai.xml", CAMERA)
    repo.write("media/storm.mov.xmp", NO_SOURCE_TYPE)
    [finding] = repo.check(*AS_OF).findings()
    assert finding["rule"] == "PV007" and finding["severity"] == "error"
    assert "names an AI system or prompt but no DigitalSourceType" in finding["message"]


def test_a_plugins_object_reused_across_runs_answers_afresh(repo):
    """Look-ups are cached per run: a revoked approval is seen by the next run."""
    import datetime as dt

    import cutclear
    from cutclear.api import load_plugins
    from cutclear.config import load_config

    cut(repo)
    repo.records("records/vfx.genai.xml", """
        <asset id="AST-1"><match><name>sky.mov</name></match>
          <origin>trainedAlgorithmicMedia</origin><stage>final</stage></asset>""")
    approval = """<approval id="APR-1" status="{}"><production>PRD-778</production>
        <granted>2025-09-02</granted><covers>final-deliverable</covers><assets>AST-1</assets>
        </approval>"""
    repo.records("records/approvals.genai.xml", approval.format("approved"))
    config = load_config(str(repo.root))
    plugins = load_plugins(config)
    run = dict(config=config, plugins=plugins, as_of=dt.date(2026, 1, 15), select=("GA",))
    assert cutclear.check(**run).findings == []
    repo.records("records/approvals.genai.xml", approval.format("revoked"))
    assert [f.rule for f in cutclear.check(**run).findings] == ["GA001", "GA004"]


def test_a_consent_named_by_id_may_live_in_a_registry(repo, install):
    """talent/@consent may name a consent only a registry holds: no PV002 then, and
    an id neither holds still is one."""
    install("registry", REGISTRY.format(answer='"found"'))
    cut(repo, ("adr", "file:///show/audio/voice.wav", 24))
    repo.records("records/voice.genai.xml", VOICE.replace(
        'use="voice"/>', 'use="voice" consent="REG-1"/>'))
    assert repo.check(*AS_OF, "--select", "PV002,TL001").findings() == []
    repo.records("records/voice.genai.xml", VOICE.replace(
        'use="voice"/>', 'use="voice" consent="REG-404"/>'))
    assert [f["rule"] for f in repo.check(*AS_OF, "--select", "PV002").findings()] == ["PV002"]
