"""Plugins cannot end the run quietly (issue 10, item 5): whatever a plugin raises, a
plugin that hangs, and plugins switched off by CUTCLEAR_DISABLE_PLUGINS.

The runs are real `cutclear` processes, so the exit code is the one a pre-commit hook or
a CI job sees (a SystemExit inside a plugin would otherwise end the test, too); the
plugins are real distributions on PYTHONPATH (a module and its *.dist-info)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import CONFIG, SKY, SKY_APPROVAL, timeline

BIN = Path(sys.executable).parent
SKY_CLIP = ("sky", "file:///mnt/show/vfx/sh042_sky_v3.mov", 24)


@pytest.fixture
def show(repo, tmp_path):
    repo.config(CONFIG)
    repo.records("records/vfx.genai.xml", SKY + '\n<tool id="TL-01" vendor="Runway" '
                 'enterprise="true" trainsOnInputs="no" retainsInputs="no">Runway</tool>')
    repo.records("records/approvals.genai.xml", SKY_APPROVAL)
    repo.timeline("cuts/locked/reel1.otio", timeline([SKY_CLIP]))
    repo.timeline("cuts/wip/reel2.otio", timeline([SKY_CLIP]))
    repo.site = tmp_path / "site"
    repo.site.mkdir()
    return repo


def install(repo, name: str, source: str) -> None:
    module = "vendor_" + name.replace("-", "_")
    (repo.site / f"{module}.py").write_text(textwrap.dedent(source))
    info = repo.site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[cutclear]\n{name} = {module}\n")


def run(repo, *args: str, program: str = "cutclear", timeout: float = 60,
        **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "CUTCLEAR_DISABLE_PLUGINS"}
    environ.update({"PYTHONPATH": str(repo.site), **env})
    return subprocess.run([str(BIN / program), *args], cwd=repo.root, capture_output=True,
                          text=True, env=environ, timeout=timeout)


def check(repo, *args: str, **env: str) -> subprocess.CompletedProcess:
    return run(repo, "check", "--as-of", "2026-01-15", *args, **env)


RULE = '''
    import sys, time
    from cutclear import Rule, Severity, hookimpl

    def check(use, assets, ctx):
        {body}
        return []

    @hookimpl
    def cutclear_rules():
        return [Rule("HR900", "house-rule", "a house rule", Severity.INFO, Severity.ERROR,
                     "why", "<genai/>", "clip", check)]
'''


@pytest.mark.parametrize("body,raised", [
    ("sys.exit(0)", "SystemExit (0)"),
    ("raise SystemExit", "SystemExit"),
    ("raise KeyboardInterrupt", "KeyboardInterrupt"),
    ("raise GeneratorExit('done')", "GeneratorExit (done)"),
])
def test_a_rule_that_raises_a_base_exception_is_a_plugin_error(show, body, raised):
    install(show, "house", RULE.format(body=body))
    result = check(show)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == (f"cutclear: error: rule HR900 of plugin 'house' raised {raised} "
                             "in rule HR900: a plugin may not end cutclear's run\n")
    assert result.stdout == ""


@pytest.mark.parametrize("hook,signature", [
    ("cutclear_provenance", "(clip, ctx)"), ("cutclear_configure", "(config, settings)")])
def test_any_hook_that_exits_is_a_plugin_error(show, hook, signature):
    install(show, "dam", f'''
        import sys
        from cutclear import hookimpl

        @hookimpl
        def {hook}{signature}:
            sys.exit(0)
    ''')
    result = check(show)
    assert result.returncode == 2
    assert (f"cutclear: error: plugin 'dam' raised SystemExit (0) in {hook}: a plugin may "
            "not end cutclear's run") in result.stderr


def test_a_plugin_that_exits_while_it_is_imported_is_a_plugin_error(show):
    install(show, "dam", "import sys\nsys.exit(0)\n")
    result = check(show)
    assert result.returncode == 2
    assert "plugin 'dam' raised SystemExit (0) in loading" in result.stderr


@pytest.mark.parametrize("body", ["time.sleep(3600)",
                                  "while True:\n            try:\n                time.sleep(1)"
                                  "\n            except Exception:\n                pass",
                                  # swallows the timeout itself and returns: still stopped
                                  "try:\n            time.sleep(3)\n        except "
                                  "BaseException:\n            return []"])
def test_a_rule_that_hangs_is_stopped_after_plugin_timeout(show, body):
    show.config(CONFIG + "plugin-timeout = 0.5\n")
    install(show, "house", RULE.format(body=body))
    start = time.monotonic()
    result = check(show, timeout=60)
    assert time.monotonic() - start < 20
    assert result.returncode == 2
    assert result.stderr == ("cutclear: error: rule HR900 of plugin 'house' did not finish "
                             "rule HR900 within 0.5 s (plugin-timeout in the cutclear "
                             "settings): it was stopped, and nothing it would have found is "
                             "known\n")


def test_plugin_timeout_must_be_a_positive_number(show):
    show.config(CONFIG + 'plugin-timeout = "soon"\n')
    result = check(show)
    assert result.returncode == 2
    assert "plugin-timeout: expected seconds (a number above 0), got 'soon'" in result.stderr


def test_disabled_plugins_are_reported_in_text_and_json(show):
    wip = ("cuts/wip/reel2.otio",)
    text = check(show, *wip, CUTCLEAR_DISABLE_PLUGINS="cutclear-xmp")
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[-1] == ("Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                                            "cutclear-xmp.")
    doc = json.loads(check(show, "--format", "json", *wip,
                           CUTCLEAR_DISABLE_PLUGINS="cutclear-xmp").stdout)
    assert doc["disabled_plugins"] == ["cutclear-xmp"]
    assert "disabled_plugins" not in json.loads(check(show, "--format", "json", *wip).stdout)


def test_disabled_plugins_are_reported_by_the_quiet_hook(show):
    result = run(show, "cuts/wip/reel2.otio", "--as-of", "2026-01-15", program="cutclear-hook",
                 CUTCLEAR_DISABLE_PLUGINS="cutclear-xmp")
    assert result.returncode == 0 and result.stdout == ""
    assert result.stderr == ("cutclear: warning: Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                             "cutclear-xmp.\n")


def test_a_builtin_plugin_disabled_for_a_locked_cut_needs_the_settings_consent(show):
    refused = check(show, CUTCLEAR_DISABLE_PLUGINS="cutclear-ga")
    assert refused.returncode == 2
    assert refused.stderr == ("cutclear: error: cutclear's own plugin cutclear-ga disabled by "
                              "CUTCLEAR_DISABLE_PLUGINS, and a locked cut is checked: unset "
                              "it, or list the plugin in allow-disabled-plugins in "
                              "cutclear.toml\n")
    wip = check(show, "cuts/wip/reel2.otio", CUTCLEAR_DISABLE_PLUGINS="cutclear-ga")
    assert wip.returncode == 0, wip.stderr  # work in progress: reported, not refused
    show.config(CONFIG + 'allow-disabled-plugins = ["cutclear-ga"]\n')
    allowed = check(show, CUTCLEAR_DISABLE_PLUGINS="cutclear-ga")
    assert allowed.returncode == 0, allowed.stderr
    assert "Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: cutclear-ga." in allowed.stdout


def test_a_vendor_plugin_disabled_for_a_locked_cut_is_reported_not_refused(show):
    install(show, "house", RULE.format(body="pass"))
    result = check(show, CUTCLEAR_DISABLE_PLUGINS="house")
    assert result.returncode == 0, result.stderr
    assert "Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: house." in result.stdout


def test_the_gate_refuses_a_locked_cut_without_a_builtin_plugin(show, tmp_path):
    src = show.root / "cuts/locked/reel1.otio"
    env = {"CUTCLEAR_GATE": "1", "CUTCLEAR_ROOT": str(show.root),
           "CUTCLEAR_DISABLE_PLUGINS": "cutclear-tl", "CUTCLEAR_AS_OF": "2026-01-15"}
    result = run(show, "-i", str(src), "-o", str(tmp_path / "online.otio"),
                 program="otioconvert", **env)
    assert result.returncode == 1
    assert "cutclear's own plugin cutclear-tl disabled" in result.stderr
    assert not (tmp_path / "online.otio").exists()


def test_a_plugin_that_swallows_nothing_still_passes(show):
    install(show, "house", RULE.format(body="pass"))
    result = check(show)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "All clear: 2 timelines (2 clips), 2 record files.\n"


def test_the_gate_reports_disabled_plugins_when_it_lets_a_cut_through(show, tmp_path):
    show.config(CONFIG + 'allow-disabled-plugins = ["cutclear-xmp"]\n')
    env = {"CUTCLEAR_GATE": "1", "CUTCLEAR_ROOT": str(show.root),
           "CUTCLEAR_DISABLE_PLUGINS": "cutclear-xmp", "CUTCLEAR_AS_OF": "2026-01-15"}
    result = run(show, "-i", str(show.root / "cuts/locked/reel1.otio"), "-o",
                 str(tmp_path / "online.otio"), program="otioconvert", **env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ("cutclear: warning: Plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                             "cutclear-xmp.\n")
    assert (tmp_path / "online.otio").exists()


def test_a_report_format_that_exits_is_a_plugin_error(show):
    install(show, "fmt", '''
        import sys
        from cutclear import hookimpl

        @hookimpl
        def cutclear_output_formats():
            return {"quiet-exit": lambda report: sys.exit(0)}
    ''')
    result = check(show, "--format", "quiet-exit")
    assert result.returncode == 2
    assert result.stderr == ("cutclear: error: report format 'quiet-exit' of plugin 'fmt' "
                             "raised SystemExit (0) in report format 'quiet-exit': a plugin "
                             "may not end cutclear's run\n")


HOOK = '''
    import time
    from cutclear import hookimpl

    @hookimpl(tryfirst=True)
    def {hook}:
        {body}
'''


@pytest.mark.parametrize("hook", ["cutclear_provenance(clip, ctx)",
                                  "cutclear_approvals(asset, ctx)"])
@pytest.mark.parametrize("body", ["time.sleep(3600)",
                                  # swallows the timeout itself and returns: still stopped
                                  "try:\n            time.sleep(3)\n        except "
                                  "BaseException:\n            return []"])
def test_a_provenance_plugin_that_hangs_is_stopped_after_plugin_timeout(show, hook, body):
    """The provenance plugins of a media, and the approval registries of an asset, are
    called in one watched loop (`Plugins._each`): a hang in one of them is still that
    plugin's failure."""
    show.config(CONFIG + "plugin-timeout = 0.5\n")
    install(show, "dam", HOOK.format(hook=hook, body=body))
    name = hook.split("(")[0]
    asker = "rule GA001 of " if name == "cutclear_approvals" else ""  # the rule asking
    start = time.monotonic()
    result = check(show, timeout=60)
    assert time.monotonic() - start < 20
    assert result.returncode == 2
    assert result.stderr == (f"cutclear: error: {asker}plugin 'dam' did not finish {name} "
                             "within 0.5 s (plugin-timeout in the cutclear settings): it was "
                             "stopped, and nothing it would have found is known\n")
