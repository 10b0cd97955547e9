"""DU: data use and tools (Netflix principles 2 and 3)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear.clearance import Context, describe, has_approval
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset, Tool

E, W = Severity.ERROR, Severity.WARNING
NETFLIX = ("Netflix GenAI guidance (2025), principles 2 and 3: tools must not store, reuse or "
           "train on production inputs or outputs, and should run in an enterprise-secured "
           "environment.")
SENSITIVE = {"personal-data": "personal-data", "confidential": "data-use",
             "unowned": "third-party-ip"}
TOOL_EXAMPLE = ('<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true"\n'
                '      trainsOnInputs="no" retainsInputs="no">Runway</tool>')


def _tools(asset: Asset, ctx: Context) -> Iterator[tuple[str, Tool | None]]:
    for ref in asset.tools:
        yield ref, ctx.db.get(Tool, ref)


def tool_trains_on_inputs(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for ref, tool in _tools(asset, ctx):
        terms = tool.trains_on_inputs if tool else "unknown"
        if terms == "yes":
            yield Problem(f"tool {tool.label} used for {asset.id} trains on its inputs: use a "
                          "tool under terms that exclude training on production data")
        elif terms == "unknown":
            known = f"tool {tool.label}" if tool else f"tool {ref} (not defined)"
            yield Problem(f"{known} used for {asset.id} does not state whether it trains on "
                          'inputs: record trainsOnInputs="no" from the vendor\'s terms',
                          severity=W)


def tool_not_enterprise(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for _ref, tool in _tools(asset, ctx):
        if tool is not None and tool.enterprise is False:
            yield Problem(f"tool {tool.label} used for {asset.id} is not an enterprise-secured "
                          "deployment: use the enterprise tier or an approved environment")


def sensitive_input(asset: Asset, ctx: Context) -> Iterator[Problem]:
    for inp in asset.inputs:
        category = SENSITIVE.get(inp.rights)
        if category and not has_approval(asset, category, ctx):
            yield Problem(f"{asset.id} was made from {inp.rights} input ({inp.text!r}) without "
                          f"a valid approval covering {category}: add one that lists "
                          f"{asset.id}")


def undeclared_tool(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if asset.genai and not asset.tools:
        yield Problem(f"{describe(asset, ctx)} names no tool: add <tool ref=\"...\"/> so its "
                      "data terms can be checked")


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("DU001", "tool-trains-on-inputs",
             'a tool used has trainsOnInputs="yes" (error) or unknown (warning)', E, E,
             NETFLIX, TOOL_EXAMPLE, "asset", tool_trains_on_inputs),
        Rule("DU002", "tool-not-enterprise", 'a tool used has enterprise="false"', W, W,
             NETFLIX, TOOL_EXAMPLE, "asset", tool_not_enterprise),
        Rule("DU003", "sensitive-input",
             "an input is personal-data, confidential or unowned with no valid approval "
             "covering personal-data, data-use or third-party-ip respectively", W, E,
             "Netflix GenAI guidance (2025): putting personal data or unreleased material into "
             "tools always needs written approval.",
             '<input rights="personal-data">cast reference photos</input> ... '
             "<approval ...><covers>personal-data</covers><assets>AST-1193</assets>"
             "</approval>", "asset", sensitive_input),
        Rule("DU004", "undeclared-tool", "a GenAI asset names no tool", W, W, NETFLIX,
             '<asset id="AST-1193">...<tool ref="TL-01"/>...</asset>', "asset",
             undeclared_tool),
    ]
