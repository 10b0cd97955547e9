"""DU: data use and tools (Netflix principles 2 and 3)."""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
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
TOOL = sources.EXAMPLE_TOOL
ASSET = """\
<asset id="AST-1193">
  <match><name>sh042_sky_v3.mov</name></match>
  <origin>trainedAlgorithmicMedia</origin>
  <stage>final</stage>
  <tool ref="TL-01"/>
  {inputs}
</asset>"""
TOOL_EXAMPLE = sources.record_file(
    TOOL + "\n" + ASSET.format(inputs='<input rights="owned">camera plate A003C001</input>'))
INPUT_EXAMPLE = sources.record_file(TOOL + "\n" + ASSET.format(
    inputs='<input rights="personal-data">cast reference photos</input>\n'
           '  <approval ref="APR-0062"/>') + """
<approval id="APR-0062" status="approved">
  <issuer org="Netflix">A. Contact</issuer>
  <production>PRD-778</production>
  <granted>2025-09-02</granted>
  <covers>final-deliverable personal-data</covers>
  <assets>AST-1193</assets>
</approval>""", 'production = "PRD-778"')
RIGHTS_EXAMPLE = sources.record_file(TOOL + "\n" + ASSET.format(
    inputs='<input rights="licensed">stock plate 4471, Getty licence 2025-118</input>\n'
           '  <input rights="owned">camera plate A003C001</input>'))


def _tools(asset: Asset, ctx: Context) -> Iterator[tuple[str, Tool | None]]:
    for ref in asset.tools:
        yield ref, ctx.db.get(Tool, ref)


def tool_trains_on_inputs(asset: Asset, ctx: Context) -> Iterator[Problem]:
    yield from _tool_terms(asset, ctx, "trains_on_inputs", "trainsOnInputs", "trains on",
                           "trains on its inputs: use a tool under terms that exclude "
                           "training on production data")


def tool_retains_inputs(asset: Asset, ctx: Context) -> Iterator[Problem]:
    yield from _tool_terms(asset, ctx, "retains_inputs", "retainsInputs", "retains",
                           "stores (retains) its inputs: production data may not be kept by "
                           "the vendor; use a tool or tier under zero-retention terms")


def _tool_terms(asset: Asset, ctx: Context, field: str, attribute: str, verb: str,
                found: str) -> Iterator[Problem]:
    """A data term of every tool of the asset: an error when the tool does it ("yes"), a
    warning when the term is unknown (an undefined tool's terms are unknown)."""
    for ref, tool in _tools(asset, ctx):
        terms = getattr(tool, field) if tool else "unknown"
        if terms == "yes":
            yield Problem(f"tool {tool.label} used for {asset.id} {found}")
        elif terms == "unknown":
            known = f"tool {tool.label}" if tool else f"tool {ref} (not defined)"
            yield Problem(f"{known} used for {asset.id} does not state whether it {verb} "
                          f'inputs: record {attribute}="no" from the vendor\'s terms',
                          severity=W)


def input_rights_unknown(asset: Asset, ctx: Context) -> Iterator[Problem]:
    if not asset.genai:
        return
    unknown = [i.text or "(no description)" for i in asset.inputs if i.rights == "unknown"]
    if unknown:
        listed = ", ".join(repr(t) for t in unknown)
        what = "an input" if len(unknown) == 1 else "inputs"
        yield Problem(f"{describe(asset, ctx)} was made from {what} of unknown rights "
                      f"({listed}): record rights=\"owned\", \"licensed\", "
                      "\"public-domain\", ... from the clearance paperwork, or regenerate "
                      "without the input")


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
    netflix = (sources.NETFLIX,)
    return [
        Rule("DU001", "tool-trains-on-inputs",
             'a tool used has trainsOnInputs="yes" (error) or unknown (warning)', E, E,
             NETFLIX, TOOL_EXAMPLE, "asset", tool_trains_on_inputs, links=netflix,
             can_flag="with-tools"),
        Rule("DU002", "tool-not-enterprise", 'a tool used has enterprise="false"', W, W,
             NETFLIX, TOOL_EXAMPLE, "asset", tool_not_enterprise, links=netflix,
             can_flag="with-tools"),
        Rule("DU003", "sensitive-input",
             "an input is personal-data, confidential or unowned with no valid approval "
             "covering personal-data, data-use or third-party-ip respectively", W, E,
             "Netflix GenAI guidance (2025): putting personal data or unreleased material into "
             "tools always needs written approval.",
             INPUT_EXAMPLE, "asset", sensitive_input, links=netflix, can_flag="with-inputs"),
        Rule("DU004", "undeclared-tool", "a GenAI asset names no tool", W, W, NETFLIX,
             TOOL_EXAMPLE, "asset", undeclared_tool, links=netflix, can_flag="genai"),
        Rule("DU005", "tool-retains-inputs",
             'a tool used has retainsInputs="yes" (error) or unknown (warning)', E, E,
             NETFLIX + " Principle 2 forbids storing production data: a vendor that keeps "
             "prompts, plates or voice recordings holds the production's material outside "
             "its control.", TOOL_EXAMPLE, "asset", tool_retains_inputs, links=netflix,
             can_flag="with-tools"),
        Rule("DU006", "input-rights-unknown",
             'a GenAI asset has an input with rights="unknown" (or no rights)', W, W,
             "Netflix GenAI guidance (2025), principle 1: outputs must not reproduce unowned "
             "material, which cannot be judged for inputs whose rights nobody recorded; the "
             "Archival Producers Alliance asks that every GenAI element be logged with its "
             "sources and their rights.", RIGHTS_EXAMPLE, "asset", input_rights_unknown,
             links=(sources.NETFLIX, sources.APA), can_flag="genai"),
    ]
