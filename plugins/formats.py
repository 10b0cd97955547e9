"""The built-in report formats, offered through the same hook as a vendor's."""

from __future__ import annotations

from cutclear.hookspecs import hookimpl
from cutclear.output import render_json, render_text


@hookimpl
def cutclear_output_formats():
    return {"text": render_text, "json": render_json}
