"""The wheel holds one import package, `cutclear`, with the built-in plugins inside it."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    (built,) = out.glob("cutclear-*.whl")
    return built


def test_wheel_installs_only_the_cutclear_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"cutclear"}
    for name in ("cutclear/plugins/ga.py", "cutclear/schema/genai-1.xsd",
                 "cutclear/hooks/check_timelines.py", "cutclear/otio_adapters/gate.py",
                 "cutclear/otio_adapters/plugin_manifest.json",
                 "cutclear/reports/templates/report.html.j2",
                 "cutclear/reports/templates/use.html.j2", "cutclear/commands/report.py"):
        assert name in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    for line in ("[cutclear]", "cutclear-ga = cutclear.plugins.ga",
                 "cutclear = cutclear.cli:main", "cutclear-hook = cutclear.hooks.check_timelines:main",
                 "[opentimelineio.plugins]", "cutclear = cutclear.otio_adapters",
                 "[pytest11]"):
        assert line in text, line


def test_plugins_import_from_the_wheel(wheel):
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import cutclear.plugins.ga as ga, "
            "cutclear.recordfile as r; print(ga.__file__); print(len(r.schema().error_log))")
    out = subprocess.run([sys.executable, "-c", code, str(wheel)], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out[0].startswith(str(wheel))
