"""The built-in report formats, offered through the same hook as a vendor's.

Each format's module is imported when the format is used, not when the formats are
listed: a `cutclear check` that prints text or JSON does not load the HTML, SARIF,
JUnit and GitHub writers.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from cutclear.hookspecs import hookimpl
from cutclear.output import render_json, render_text

LAZY = {"sarif": "cutclear.reports.sarif", "junit": "cutclear.reports.junit",
        "github": "cutclear.reports.github", "html": "cutclear.reports.html"}


def _lazy(name: str, module: str) -> Callable:
    def render(report) -> str:
        return getattr(import_module(module), f"render_{name}")(report)
    render.__name__ = render.__qualname__ = f"render_{name}"
    render.__doc__ = f"The {name} report ({module}.render_{name}), imported when first used."
    return render


@hookimpl
def cutclear_output_formats():
    formats = {name: _lazy(name, module) for name, module in LAZY.items()}
    return {"text": render_text, "json": render_json, **formats}
