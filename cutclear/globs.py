"""Glob patterns as users write them in configuration and records.

One dialect everywhere: `*` and `?` stay inside one path component, `**` spans any number
of components, `[...]` is a character class. Python 3.10's fnmatch lets `*` cross `/`,
which would make `cuts/*.xml` also lock `cuts/old/x.xml`, so patterns are compiled here.
"""

from __future__ import annotations

import re
from functools import lru_cache

GLOB_CHARS = frozenset("*?[")


def is_glob(text: str) -> bool:
    return any(c in GLOB_CHARS for c in text)


def _translate(pattern: str) -> str:
    out: list[str] = []
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            # zero or more whole components
            out.append(".*" if last else "(?:[^/]*/)*")
            continue
        i = 0
        while i < len(part):
            c = part[i]
            if c == "*":
                out.append("[^/]*")
            elif c == "?":
                out.append("[^/]")
            elif c == "[":
                end = part.find("]", i + 2 if part[i + 1 : i + 2] in ("!", "]") else i + 1)
                if end == -1:
                    out.append(re.escape(c))
                else:
                    body = part[i + 1 : end].replace("\\", "\\\\")
                    if body.startswith("!"):
                        body = "^" + body[1:]
                    out.append(f"[{body}]")
                    i = end
            else:
                out.append(re.escape(c))
            i += 1
        if not last:
            out.append("/")
    return "".join(out)


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, *, ignore_case: bool = False, tail: bool = False) -> re.Pattern[str]:
    """Compile `pattern` to a regex for `.search` that matches a whole '/'-separated path.

    With `tail`, a relative pattern also matches any trailing run of the path's components
    (`vfx/sh042/**` matches `/mnt/show/vfx/sh042/a.mov`); a pattern starting with `/` or a
    drive stays anchored at the start.
    """
    body = _translate(pattern)
    anchored = pattern.startswith("/") or re.match(r"[A-Za-z]:/", pattern) is not None
    prefix = "^" if (anchored or not tail) else "(?:^|(?<=/))"
    return re.compile(prefix + body + r"\Z", re.IGNORECASE if ignore_case else 0)


def match_any(patterns: tuple[str, ...], path: str) -> bool:
    """True if the repo-relative `path` matches one of the anchored `patterns`."""
    return any(compile_glob(p).search(path) for p in patterns)
