"""Glob patterns as users write them in configuration and records.

One dialect everywhere: `*` and `?` stay inside one path component, `**` spans any number
of components, `[...]` is a character class. Python 3.10's fnmatch lets `*` cross `/`,
which would make `cuts/*.xml` also lock `cuts/old/x.xml`, so patterns are compiled here.

Patterns come from record files written by many hands, and a backtracking regex turns
`*a*a*a*a*a*ab` against a long clip name into minutes of work. So a pattern is compiled
to a regex only when it cannot backtrack (at most one `*` per component and at most one
`**`); any other runs on a small automaton that tracks every position of the pattern at
once, in time linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

GLOB_CHARS = frozenset("*?[")


def is_glob(text: str) -> bool:
    return any(c in GLOB_CHARS for c in text)


# --- tokens ------------------------------------------------------------------------------
# ("lit", c), ("any",), ("class", ranges, negated), ("star",) = [^/]*,
# ("dirs",) = (?:[^/]*/)* (a `**` component followed by more), ("all",) = .* (a final `**`)

def _tokens(pattern: str) -> list[tuple]:
    out: list[tuple] = []
    parts = pattern.split("/")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out.append(("all",) if last else ("dirs",))
            continue
        i = 0
        while i < len(part):
            c = part[i]
            if c == "*":
                if not out or out[-1] != ("star",):  # `**` inside a name is one `*`
                    out.append(("star",))
            elif c == "?":
                out.append(("any",))
            elif c == "[":
                end = part.find("]", i + 2 if part[i + 1 : i + 2] in ("!", "]") else i + 1)
                if end == -1:
                    out.append(("lit", c))
                else:
                    body = part[i + 1 : end]
                    negated = body.startswith("!")
                    out.append(("class", _ranges(body[1:] if negated else body), negated))
                    i = end
            else:
                out.append(("lit", c))
            i += 1
        if not last:
            out.append(("lit", "/"))
    return out


def _ranges(body: str) -> tuple[tuple[str, str], ...]:
    ranges = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            if body[i] <= body[i + 2]:  # a reversed range matches nothing, as in fnmatch
                ranges.append((body[i], body[i + 2]))
            i += 3
        else:
            ranges.append((body[i], body[i]))
            i += 1
    return tuple(ranges)


def _regex(tokens: list[tuple]) -> str:
    out = []
    for t in tokens:
        if t[0] == "lit":
            out.append(re.escape(t[1]))
        elif t[0] == "any":
            out.append("[^/]")
        elif t[0] == "star":
            out.append("[^/]*")
        elif t[0] == "dirs":
            out.append("(?:[^/]*/)*")
        elif t[0] == "all":
            out.append(".*")
        else:
            body = "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}"
                           for a, b in t[1])
            out.append(f"[^/{body}]" if t[2] else f"(?!/)[{body}]" if body else "(?!)")
    return "".join(out)


def _simple(pattern: str) -> bool:
    """A pattern the regex engine matches without backtracking into polynomial time."""
    parts = pattern.split("/")
    return parts.count("**") <= 1 and all(p.count("*") <= 1 for p in parts if p != "**")


# --- the linear-time matcher -------------------------------------------------------------

@dataclass
class Automaton:
    """Runs the glob's tokens as a set of positions: each character moves every position at
    once, so no input can make it backtrack. A state is a frozenset of token indexes
    (an index + `len` marks the inside of a `**/` component); transitions are memoised."""

    pattern: str
    tokens: list[tuple]
    ignore_case: bool
    tail: bool

    def __post_init__(self) -> None:
        self._n = len(self.tokens)
        self._start = self._closure({0})
        self._moves: dict[tuple[frozenset[int], str], frozenset[int]] = {}

    def _closure(self, states: set[int]) -> frozenset[int]:
        todo, seen = list(states), set(states)
        while todo:
            i = todo.pop()
            if i < self._n and self.tokens[i][0] in ("star", "dirs", "all") and i + 1 not in seen:
                seen.add(i + 1)
                todo.append(i + 1)
        return frozenset(seen)

    def _accepts(self, i: int, c: str) -> bool:
        t = self.tokens[i]
        kind = t[0]
        if kind == "lit":
            return c == t[1] or (self.ignore_case and c.lower() == t[1].lower())
        if kind == "any":
            return c != "/"
        chars = {c, c.lower(), c.upper()} if self.ignore_case else {c}
        inside = any(a <= x <= b for a, b in t[1] for x in chars)
        return c != "/" and inside != t[2]

    def _move(self, states: frozenset[int], c: str) -> frozenset[int]:
        n = self._n
        nxt: set[int] = set()
        for i in states:
            if i >= n:
                if i > n:  # inside a `**/` component: stay until its '/'
                    nxt.add(i - n - 1 if c == "/" else i)
                continue
            kind = self.tokens[i][0]
            if kind == "star":
                if c != "/":
                    nxt.add(i)
            elif kind == "dirs":
                nxt.add(i if c == "/" else i + n + 1)
            elif kind == "all":
                nxt.add(i)
            elif self._accepts(i, c):
                nxt.add(i + 1)
        if self.tail and c == "/":
            nxt |= self._start  # a relative pattern may start after any '/'
        return self._closure(nxt)

    def search(self, text: str) -> bool:
        """True if the whole of `text` (or, with `tail`, a trailing run of its components)
        matches."""
        state = self._start
        moves = self._moves
        for c in text:
            key = (state, c)
            nxt = moves.get(key)
            if nxt is None:
                nxt = moves[key] = self._move(state, c)
                if len(moves) > 100_000:  # bound the memo on hostile text, not the time
                    moves.clear()
            state = nxt
            if not state and not self.tail:
                return False
        return self._n in state


@lru_cache(maxsize=4096)
def compile_glob(pattern: str, *, ignore_case: bool = False, tail: bool = False):
    """Compile `pattern` to a matcher whose `.search(path)` matches a whole '/'-separated
    path (a compiled regex for simple patterns, an `Automaton` for the rest).

    With `tail`, a relative pattern also matches any trailing run of the path's components
    (`vfx/sh042/**` matches `/mnt/show/vfx/sh042/a.mov`); a pattern starting with `/` or a
    drive stays anchored at the start.
    """
    tokens = _tokens(pattern)
    anchored = pattern.startswith("/") or re.match(r"[A-Za-z]:/", pattern) is not None
    tail = tail and not anchored
    if _simple(pattern):
        prefix = "(?:^|(?<=/))" if tail else "^"
        return re.compile(prefix + _regex(tokens) + r"\Z", re.IGNORECASE if ignore_case else 0)
    return Automaton(pattern, tokens, ignore_case, tail)


def folder_glob(pattern: str) -> str:
    """The settings' form of a glob: `./` dropped, and a folder (`cuts/locked`,
    `cuts/locked/`) meaning everything under it."""
    while pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        return pattern + "**"
    return pattern


def match_any(patterns: tuple[str, ...], path: str, *, ignore_case: bool = False) -> bool:
    """True if the repo-relative `path` matches one of the anchored `patterns`; a pattern
    without wildcards also matches everything under the folder it names."""
    for p in patterns:
        if compile_glob(p, ignore_case=ignore_case).search(path):
            return True
        if not is_glob(p) and (path.lower() if ignore_case else path).startswith(
                (p.lower() if ignore_case else p).rstrip("/") + "/"):
            return True
    return False
