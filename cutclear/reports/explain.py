"""A rule explained in words: what `cutclear explain CODE` prints and what SARIF gives as
each rule's help, so that code scanning and the terminal say the same."""

from __future__ import annotations

from cutclear.model import Rule


def explain_text(rule: Rule) -> str:
    return (f"{rule.code} ({rule.name})\n\n"
            f"Fires when {rule.summary}.\n\n"
            f"Severity: {rule.wip} in work in progress, {rule.lock} in a locked cut "
            "(override with [severity] in cutclear.toml, [tool.cutclear.severity] in "
            "pyproject.toml).\n\n"
            f"Why: {rule.rationale}\n\n"
            f"Source: {' ; '.join(rule.links) or 'no link given by the plugin'}\n\n"
            f"Records that satisfy it:\n\n{_indent(rule.example)}\n\n"
            f"From plugin: {rule.source}")


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines())
