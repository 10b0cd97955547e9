"""The built-in report formats, offered through the same hook as a vendor's."""

from __future__ import annotations

from cutclear.hookspecs import hookimpl
from cutclear.output import render_json, render_text


@hookimpl
def cutclear_output_formats():
    from cutclear.reports.github import render_github
    from cutclear.reports.html import render_html
    from cutclear.reports.junit import render_junit
    from cutclear.reports.sarif import render_sarif

    return {"text": render_text, "json": render_json, "sarif": render_sarif,
            "junit": render_junit, "github": render_github, "html": render_html}
