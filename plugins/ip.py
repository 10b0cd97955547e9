"""IP: third-party material (Netflix principle 1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from cutclear.clearance import Context, has_approval
from cutclear.hookspecs import hookimpl
from cutclear.model import Problem, Rule, Severity
from cutclear.records import Asset


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def protected_reference(asset: Asset, ctx: Context) -> Iterator[Problem]:
    terms = ctx.config.protected_names
    if not (asset.genai and terms):
        return
    texts = [*asset.prompts, *(i.text for i in asset.inputs), *asset.notes]
    found = sorted({m.group(0) for t in texts for m in _pattern(terms).finditer(t)},
                   key=str.casefold)
    if found and not has_approval(asset, "third-party-ip", ctx):
        yield Problem(f"{asset.id}'s prompt, inputs or notes name protected "
                      f"{'term' if len(found) == 1 else 'terms'} {', '.join(found)} without a "
                      "valid approval covering third-party-ip: clear the rights or regenerate "
                      "without the reference")


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("IP001", "protected-reference",
             "a prompt, input or note of a GenAI asset names a configured protected term, "
             "with no valid approval covering third-party-ip",
             Severity.WARNING, Severity.ERROR,
             "Netflix GenAI guidance (2025), principle 1: outputs must not reproduce "
             "identifiable parts of unowned or copyrighted material; prompts that reference "
             "copyrighted works or public figures always need escalation.",
             '# pyproject.toml\n[tool.cutclear]\nprotected-names = ["Star Wars", "Mickey Mouse"]'
             "\n\n<approval ...><covers>third-party-ip</covers><assets>AST-1193</assets>"
             "</approval>", "asset", protected_reference),
    ]
