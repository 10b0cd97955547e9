"""What a rule declares about the calls it needs (`Rule.can_flag`, `Rule.per_media`), and
that the engine's short-cuts never keep a use from a rule that has to see it.

The engine groups a timeline's uses by media and leaves a rule out only where the rule's
own declaration says it cannot flag the use: a vendor rule that declares nothing is
called at every clip use, exactly as before, and a declared rule still flags every use
it must (each use of a media gets its own finding, record timecode included).
"""

from __future__ import annotations

import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import RUNWAY, SKY, SKY_APPROVAL, timeline

AS_OF = ("--as-of", "2026-01-15")
CONFIG = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\n'

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SKY_URL = "file:///show/vfx/sh042_sky_v3.mov"
PLATE_URL = "file:///show/camera/A001C003.mov"
CAMERA = """
<asset id="CAM">
  <match><name>A001C003.mov</name></match>
  <origin>digitalCapture</origin>
</asset>
"""
# V1: the sky twice, the camera plate twice, an undeclared clip; 24 frames each
CLIPS = [("sky", SKY_URL, 24), ("plate", PLATE_URL, 24), ("sky", SKY_URL, 24),
         ("ghost", "file:///show/other/ghost.mov", 24), ("plate", PLATE_URL, 24)]
RECORD_INS = ["01:00:00:00", "01:00:01:00", "01:00:02:00", "01:00:03:00", "01:00:04:00"]

# A vendor's clip rule that flags every use it is called with, and notes each call.
VENDOR = '''
    from cutclear import Problem, Rule, Severity, hookimpl

    CALLS = []

    def every(use, assets, ctx):
        CALLS.append((use.timeline, use.record_in, use.media.name))
        yield Problem(f"seen {{use.media.name}} with {{len(assets)}} asset(s)")

    @hookimpl
    def cutclear_rules():
        return [Rule("VN001", "every-use", "flags every use", Severity.WARNING,
                     Severity.ERROR, "test", "none", "clip", every{declared})]
'''


@pytest.fixture
def install(tmp_path, monkeypatch):
    """Install a plugin module under entry-point `name`, as a real distribution (a module
    and its dist-info on sys.path), as in test_plugins."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(name: str, source: str) -> None:
        module = "vendor_" + name
        (site / f"{module}.py").write_text(textwrap.dedent(source))
        info = site / f"{module}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
        (info / "entry_points.txt").write_text(f"[cutclear]\n{name} = {module}\n")
        sys.modules.pop(module, None)
    return install


def cut(repo, *timelines: str) -> None:
    repo.config(CONFIG)
    repo.records("records/show.genai.xml", SKY + RUNWAY + SKY_APPROVAL + CAMERA)
    for rel in timelines or ("cuts/locked/reel1.otio",):
        repo.timeline(rel, timeline(CLIPS))


def found(result, rule: str) -> list[tuple[str, str, str | None]]:
    return [(f["path"], f["record_in"], f["clip"]) for f in result.findings(rule)]


def calls(name: str) -> list:
    return sys.modules["vendor_" + name].CALLS


def test_an_undeclared_vendor_rule_sees_every_clip_use(repo, install):
    install("vendor", VENDOR.format(declared=""))
    cut(repo, "cuts/locked/reel1.otio", "cuts/locked/reel2.otio")
    result = repo.check(*AS_OF, "--select", "VN001")
    assert result.code == 1
    every = [(f"cuts/locked/reel{n}.otio", tc, name) for n in (1, 2)
             for tc, (name, _, _) in zip(RECORD_INS, CLIPS, strict=True)]
    assert found(result, "VN001") == every  # repeated media, no record: all flagged
    assert sorted(calls("vendor")) == sorted(
        (f"cuts/locked/reel{n}.otio", tc, url.rsplit("/", 1)[-1]) for n in (1, 2)
        for tc, (_, url, _) in zip(RECORD_INS, CLIPS, strict=True))  # once per use, not per media


@pytest.mark.parametrize("declared, media", [
    ('can_flag="genai"', ["sh042_sky_v3.mov"]),
    ('can_flag="with-assets"', ["sh042_sky_v3.mov", "A001C003.mov"]),
    ('can_flag="without-assets"', ["ghost.mov"]),
])
def test_a_declared_rule_is_called_only_for_what_it_can_flag_and_flags_every_use(
        repo, install, declared, media):
    install("vendor", VENDOR.format(declared=", " + declared))
    cut(repo)
    result = repo.check(*AS_OF, "--select", "VN001")
    expected = [("cuts/locked/reel1.otio", tc, name)
                for tc, (name, url, _) in zip(RECORD_INS, CLIPS, strict=True)
                if url.rsplit("/", 1)[-1] in media]
    assert found(result, "VN001") == expected and result.code == 1
    assert sorted(c[2] for c in calls("vendor")) == sorted(
        url.rsplit("/", 1)[-1] for _, url, _ in CLIPS if url.rsplit("/", 1)[-1] in media)


def test_a_rule_declared_with_media_file_sees_the_media_that_is_there(repo, install):
    """can_flag="with-media-file": called for the uses whose media file can be seen (here
    at its path in the edit repo), at each of them; never for media that is not there."""
    install("vendor", VENDOR.format(declared=', can_flag="with-media-file"'))
    cut(repo)
    (repo.root / "media").mkdir()
    (repo.root / "media" / "A002C001.mov").write_bytes(b"not really a movie")
    repo.timeline("cuts/locked/reel1.otio", timeline(
        CLIPS + [("real", "media/A002C001.mov", 24), ("real", "media/A002C001.mov", 24)]))
    result = repo.check(*AS_OF, "--select", "VN001")
    assert found(result, "VN001") == [("cuts/locked/reel1.otio", "01:00:05:00", "real"),
                                      ("cuts/locked/reel1.otio", "01:00:06:00", "real")]
    assert [c[2] for c in calls("vendor")] == ["A002C001.mov", "A002C001.mov"]


def test_a_per_media_rule_runs_once_per_media_and_flags_every_use_in_every_timeline(
        repo, install):
    install("vendor", VENDOR.format(declared=", per_media=True"))
    cut(repo, "cuts/locked/reel1.otio", "cuts/locked/reel2.otio")
    result = repo.check(*AS_OF, "--select", "VN001")
    assert found(result, "VN001") == [(f"cuts/locked/reel{n}.otio", tc, name) for n in (1, 2)
                                      for tc, (name, _, _) in zip(RECORD_INS, CLIPS, strict=True)]
    assert sorted(c[2] for c in calls("vendor")) == [
        "A001C003.mov", "ghost.mov", "sh042_sky_v3.mov"]  # once per media in the run
    assert {f["message"] for f in result.findings("VN001") if f["clip"] == "sky"} == {
        "seen sh042_sky_v3.mov with 1 asset(s)"}


def test_the_built_in_declared_rules_still_flag_every_use(repo):
    """GA003 (without-assets, per media), PV003 (with-assets, per media), GA001 and GA002
    (GenAI assets only): each use of the media gets its finding."""
    repo.config(CONFIG)
    repo.records("records/show.genai.xml", SKY.replace("<stage>final</stage>", "") + RUNWAY
                 + CAMERA.replace("A001C003.mov", "sh042_sky_v3.mov"))
    repo.timeline("cuts/locked/reel1.otio", timeline(CLIPS))
    result = repo.check(*AS_OF, "--select", "GA001,GA002,GA003,PV003")
    sky = [("cuts/locked/reel1.otio", tc, "sky") for tc in (RECORD_INS[0], RECORD_INS[2])]
    assert found(result, "GA001") == sky and found(result, "GA002") == sky
    assert [f["asset"] for f in result.findings("GA001")] == ["AST-1193", "AST-1193"]
    assert found(result, "PV003") == sky
    assert found(result, "GA003") == [
        ("cuts/locked/reel1.otio", tc, name) for tc, (name, _, _) in zip(RECORD_INS, CLIPS, strict=True)
        if name in ("plate", "ghost")]
    assert result.code == 1


def test_a_genai_asset_of_a_provenance_plugin_reaches_the_genai_rules(repo, install):
    """The uses a GenAI-only rule sees are judged by every provenance plugin's assets,
    not only the records'."""
    install("dam", '''
        from cutclear import hookimpl
        from cutclear.records import Asset, Source

        @hookimpl
        def cutclear_provenance(clip, ctx):
            if clip.media.name == "ghost.mov":
                return [Asset("DAM-9", "trainedAlgorithmicMedia", "generative",
                              Source("dam://assets/9", 0))]
    ''')
    cut(repo)
    result = repo.check(*AS_OF, "--select", "GA001,GA002,GA003")
    assert found(result, "GA002") == [("cuts/locked/reel1.otio", RECORD_INS[3], "ghost")]
    assert [f["asset"] for f in result.findings("GA001")] == ["DAM-9"]
    assert found(result, "GA003") == []  # the plugin declares the ghost


@pytest.mark.parametrize("declared, message", [
    ('can_flag="GenAI"', "rule VN001 of plugin 'vendor' declares can_flag='GenAI'; clip "
                         "rules may declare 'any', 'with-assets', 'without-assets', 'genai', "
                         "'with-media-file'"),
    ('can_flag=None', "declares can_flag=None"),
    ('per_media="yes"', "declares per_media='yes': only a clip rule may"),
])
def test_a_declaration_that_means_nothing_stops_the_run(repo, install, declared,
                                                        message):
    install("vendor", VENDOR.format(declared=", " + declared))
    cut(repo)
    result = repo.check(*AS_OF)
    assert result.code == 2 and message in result.err


@pytest.mark.parametrize("declared, message", [
    ('can_flag="with-assets"', "rule VN002 of plugin 'vendor' declares can_flag="
                               "'with-assets'; asset rules may declare 'any', 'genai'"),
    ("per_media=True", "rule VN002 of plugin 'vendor' declares per_media=True: only a clip "
                       "rule may"),
])
def test_an_asset_rule_may_not_declare_what_only_a_clip_rule_can(repo, install, declared,
                                                                 message):
    install("vendor", f'''
        from cutclear import Rule, Severity, hookimpl

        @hookimpl
        def cutclear_rules():
            return [Rule("VN002", "a", "a", Severity.WARNING, Severity.ERROR, "t", "none",
                         "asset", lambda asset, ctx: (), {declared})]
    ''')
    cut(repo)
    result = repo.check(*AS_OF)
    assert result.code == 2 and message in result.err


def test_a_rule_of_an_unknown_scope_stops_the_run(repo, install):
    """It would otherwise never be called, and the gate would pass what it should judge."""
    install("vendor", '''
        from cutclear import Rule, Severity, hookimpl

        @hookimpl
        def cutclear_rules():
            return [Rule("VN004", "a", "a", Severity.WARNING, Severity.ERROR, "t", "none",
                         "clips", lambda use, assets, ctx: ())]
    ''')
    cut(repo)
    result = repo.check(*AS_OF)
    assert result.code == 2 and "rule VN004 of plugin 'vendor' has scope 'clips'" in result.err


def _undeclared(plugins):
    """The same plugins with every rule's declarations taken back: each called at every
    use and asset, as before any short-cut."""
    plugins.rules = {code: replace(rule, can_flag="any", per_media=False)
                     for code, rule in plugins.rules.items()}
    return plugins


@pytest.mark.parametrize("root", ["edit-repo", "edit-repo/documentary"])
@pytest.mark.parametrize("mode", [None, "lock"])
def test_the_built_in_declarations_change_no_finding(root, mode):
    """The built-in rules' declarations are true: with them taken back, every rule called
    at every use and asset, the example repos give exactly the same findings."""
    from cutclear.api import check, load_plugins
    from cutclear.config import load_config

    folder = EXAMPLES / root
    config = load_config(str(folder), root=str(folder))
    declared = load_plugins(config)
    assert any(r.can_flag != "any" or r.per_media for r in declared.rules.values())
    kw = {"config": config, "as_of": "2026-06-01", "mode": mode}
    fast = check([str(folder / "cuts")], plugins=declared, **kw)
    slow = check([str(folder / "cuts")], plugins=_undeclared(load_plugins(config)), **kw)
    assert fast.findings == slow.findings
    declaring = {c for c, r in declared.rules.items() if r.can_flag != "any" or r.per_media}
    assert {f.rule for f in fast.findings} & declaring  # the declared rules did find things


def _catalogue_cases(tmp_path):
    """Every built-in rule's catalogue example (a complete record file, with the settings
    it assumes) and the docs' example records, each as (records, settings)."""
    from cutclear.manager import Plugins

    examples = [rule.example for rule in Plugins().rules.values()
                if rule.example.lstrip().startswith("<?xml")]
    examples += [p.read_text(encoding="utf-8") for p in
                 sorted((EXAMPLES.parent / "docs" / "examples").glob("*.genai.xml"))]
    for n, text in enumerate(dict.fromkeys(examples)):
        settings = text.split("<!-- cutclear.toml:", 1)[1].split("-->", 1)[0] \
            if "<!-- cutclear.toml:" in text else ""
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        (folder / "cutclear.toml").write_text(textwrap.dedent(settings.strip("\n")))
        (folder / "records.genai.xml").write_text(text, encoding="utf-8")
        yield folder


def _variants(asset):
    """The asset, and the asset stripped of what the declarations are about."""
    from cutclear.model import ASSET_PARTS

    yield asset
    yield replace(asset, origin="digitalCapture", origin_class="other")
    for part in ASSET_PARTS:
        yield replace(asset, **{part: ()})
        yield replace(asset, origin="digitalCapture", origin_class="other", **{part: ()})


def test_no_built_in_rule_flags_what_its_declaration_leaves_out(tmp_path):
    """Each declared built-in rule, called on every asset of the catalogue's examples (and
    each asset stripped of its GenAI origin, its talent, its tools...), finds nothing
    in what its declaration says it cannot flag: the promise the engine relies on."""
    import datetime as dt

    from cutclear.clearance import Context
    from cutclear.config import load_config
    from cutclear.manager import Plugins
    from cutclear.media import AssetIndex
    from cutclear.model import ClipUse, MediaIdentity
    from cutclear.recordfile import load_records

    checked, plugins = 0, Plugins()
    for folder in _catalogue_cases(tmp_path):
        config = load_config(str(folder), root=str(folder))
        db = load_records(str(folder), ["records.genai.xml"])
        assert not db.errors, folder
        ctx = Context(config, db, dt.date(2026, 6, 1), plugins, AssetIndex(db.assets))
        for asset in db.assets:
            for variant in _variants(asset):
                can = {"any"} | ({"genai"} if variant.genai else set()) | {
                    f"with-{p}" for p in ("tools", "prompts", "inputs", "talent",
                                          "synthetic", "replaces", "depicts")
                    if getattr(variant, p)}
                for rule in plugins.rules.values():
                    if rule.scope == "asset" and rule.can_flag not in can:
                        assert list(rule.check(variant, ctx)) == [], (rule.code, variant)
                        checked += 1
        use = ClipUse("cuts/a.otio", "a", "V1", "", "01:00:00:00", "01:00:01:00",
                      MediaIdentity("media/sh042_sky_v3.mov", "sh042_sky_v3.mov"))
        for rule in plugins.rules.values():
            if rule.scope == "clip" and rule.can_flag in ("with-assets", "genai"):
                assert list(rule.check(use, [], ctx)) == [], rule.code
            if rule.scope == "clip" and rule.can_flag == "with-media-file":  # none there
                assert all(list(rule.check(use, [a], ctx)) == [] for a in db.assets)
            if rule.scope == "clip" and rule.can_flag == "without-assets":
                assert all(list(rule.check(use, [a], ctx)) == [] for a in db.assets)
    assert checked > 1000


def test_an_engine_run_again_judges_afresh(repo):
    """What a run worked out per media and per asset is not carried into another run of
    the same engine: a media cleared by the first run's records is undeclared in the
    second's."""
    import datetime as dt

    from cutclear.api import load_plugins
    from cutclear.config import load_config
    from cutclear.engine import Engine, Selection, resolve_paths
    from cutclear.recordfile import load_records

    cut(repo)
    config = load_config(str(repo.root), root=str(repo.root))
    plugins = load_plugins(config)
    selection = Selection(plugins.rules, ("GA003", "GA001"))
    engine = Engine(config, plugins, selection, dt.date(2026, 1, 15))
    files, records = resolve_paths(config, [])
    reads = engine.read(files)
    first = engine.run(reads, load_records(config.root, records))
    assert {f.clip for f in first.findings if f.rule == "GA003"} == {"ghost"}
    second = engine.run(reads, load_records(config.root, []))
    assert {f.clip for f in second.findings if f.rule == "GA003"} == {"ghost", "sky", "plate"}
    assert first.provenance is not second.provenance
