"""Production settings: `[tool.cutclear]` in pyproject.toml, or cutclear.toml.

Found in `--root` / `CUTCLEAR_ROOT`, or by walking up from the paths checked, as ruff and
pytest do; the folder that holds them is the edit repo's root, against which every path is
reported. No settings, no run: the current folder never silently becomes the edit repo. A
mistyped key must not quietly switch a rule off or unlock a cut, so unknown keys, bad
values and globs that cannot mean what was meant are errors naming the file and the key,
all of a file's at once (exit 2).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from cutclear.globs import folder_glob
from cutclear.model import Mode, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

GENRES = ("fiction", "documentary", "nonfiction", "news")
NON_FICTION = frozenset({"documentary", "nonfiction", "news"})
MAX_SETTINGS_BYTES = 1 << 20
DEFAULT_RECORDS = ("**/*.genai.xml",)


class ConfigError(Exception):
    """Bad configuration or arguments: the tool cannot do its job (exit 2)."""


@dataclass(frozen=True)
class Config:
    root: str
    file: str | None = None  # repo-relative name of the file the settings came from
    production: str | None = None
    genre: str = "fiction"
    delivery: dt.date | None = None
    locked: tuple[str, ...] = ()
    records: tuple[str, ...] = DEFAULT_RECORDS
    exclude: tuple[str, ...] = ()
    edl_rate: float | None = None
    max_timeline_size: int = 1 << 30  # bytes; larger timelines are refused unread (PV005)
    protected_names: tuple[str, ...] = ()
    public_figures: tuple[str, ...] = ()  # real people named in prompts need approval (IP002)
    require_provenance: bool = False
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, dict[Mode, Severity]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    required_plugins: tuple[str, ...] = ()
    allow_disabled_plugins: tuple[str, ...] = ()  # built-ins that may be off for a locked cut
    plugin_timeout: float = 60.0  # seconds a plugin call may take before it is stopped
    plugins: dict[str, dict] = field(default_factory=dict)  # each plugin's own settings
    c2pa_trust_anchors: tuple[str, ...] = ()  # PEM files, repo-relative or absolute
    require_c2pa: bool = False

    @property
    def non_fiction(self) -> bool:
        return self.genre in NON_FICTION

    @property
    def path(self) -> str:
        """The settings file, for messages (the root when built in code)."""
        return os.path.join(self.root, self.file) if self.file else self.root

    def with_overrides(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def check_codes(self, codes: Iterable[str]) -> None:
        """Every rule code or prefix the settings name must name a loaded rule: a typo
        would silently leave a rule on or off. All unknown codes are listed at once."""
        codes = tuple(codes)
        errors = [f"{self.path}: {key}: {code!r} matches no rule code (see `cutclear rules`)"
                  for key, given in (("select", self.select),
                                     ("extend-select", self.extend_select),
                                     ("ignore", self.ignore),
                                     ("severity", tuple(self.severity)))
                  for code in given
                  if code != "ALL" and not any(c.startswith(code) for c in codes)]
        if errors:
            raise ConfigError("\n".join(errors))


def parse_rate(text: str | float | int, key: str = "edl-rate") -> float:
    """A frame rate as 24, 23.976, 29.97 or 24000/1001."""
    try:
        if isinstance(text, bool):  # TOML `edl-rate = true` is not 1 fps
            raise ValueError(text)
        rate = float(Fraction(str(text).strip())) if not isinstance(text, (int, float)) \
            else float(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise ConfigError(f"{key}: {text!r} is not a frame rate (e.g. 24, 25, 23.976, "
                          "29.97 or 24000/1001)") from None
    if not 1 <= rate <= 240:
        raise ConfigError(f"{key}: {text!r} is not a frame rate between 1 and 240")
    ntsc = round(rate) * 1000 / 1001
    if not rate.is_integer() and abs(rate - ntsc) < 0.01:
        return ntsc  # 23.976 means 24000/1001: timecode needs the exact NTSC rate
    return rate


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40}


def parse_size(value: object, key: str = "max-timeline-size") -> int:
    """A size in bytes, as a number of bytes or with a unit: "2 GiB", "500MB"."""
    text = str(value).strip().upper().replace(" ", "")
    number = text.rstrip("KMGTIB")
    unit = text[len(number):]
    if isinstance(value, bool) or unit not in _UNITS or not number.isdigit() \
            or int(number) == 0:
        raise ConfigError(f"{key}: {value!r} is not a size (e.g. 1073741824, \"2 GiB\" or "
                          "\"500 MB\")")
    return int(number) * _UNITS[unit]


def parse_date(value: object, key: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:  # strptime, not fromisoformat: 3.11 also takes 20260115, 3.10 does not
        return dt.datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None


SETTINGS_HELP = "run `cutclear init` or pass --root"


def find_config_file(start: str) -> tuple[str, dict] | None:
    """Walk up from `start` to the first folder holding cutclear settings."""
    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        found = settings_in(here)
        if found is not None:
            return found
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def require_settings_in(root: str, name: str) -> None:
    """`root` names the edit repo itself (`--root`, `CUTCLEAR_ROOT`, the API's `root`): a
    typo or a folder below the settings must not be forgiven by walking up to whatever
    settings lie above."""
    if not os.path.isdir(root):
        raise ConfigError(f"{name} {root}: no such folder")
    found = find_config_file(root)
    if found is None or os.path.dirname(found[0]) != os.path.abspath(root):
        raise ConfigError(f"{name} {root}: holds no cutclear settings (cutclear.toml or "
                          "[tool.cutclear] in pyproject.toml): point it at the edit repo's "
                          "folder, or run `cutclear init` there")


def settings_in(folder: str) -> tuple[str, dict] | None:
    """The settings held in `folder` itself: its cutclear.toml or the [tool.cutclear] of
    its pyproject.toml. Both at once is refused: an editor changing one would not know
    the other is ignored."""
    found = []
    toml = os.path.join(folder, "cutclear.toml")
    if os.path.lexists(toml):
        found.append((toml, _read_toml(toml)))
    pyproject = os.path.join(folder, "pyproject.toml")
    if os.path.lexists(pyproject):
        tool = _read_toml(pyproject).get("tool", {})
        section = tool.get("cutclear") if isinstance(tool, dict) else None
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError(f"{pyproject}: [tool.cutclear] must be a table")
            found.append((pyproject, section))
    if len(found) == 2:
        raise ConfigError(f"{folder}: both cutclear.toml and [tool.cutclear] in pyproject.toml "
                          "hold cutclear settings: keep one of them (cutclear will not "
                          "guess which one you meant)")
    return found[0] if found else None


def _read_toml(path: str) -> dict:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the read forever
            raise ConfigError(f"{path}: not a regular file (a folder, FIFO or device cannot "
                              "hold settings): replace it with a TOML file")
        with open(path, "rb") as f:
            data = f.read(MAX_SETTINGS_BYTES + 1)
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise ConfigError(f"{path}: larger than {MAX_SETTINGS_BYTES >> 10} KiB: not a "
                          "settings file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start}): save it as UTF-8") \
            from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None


def load_config(start: str = ".", *, root: str | None = None) -> Config:
    """The settings of the edit repo: those in `root` (else `CUTCLEAR_ROOT`), or the first
    found walking up from `start`. Without settings the run stops (exit 2): a folder that
    merely happens to be current is never taken for the edit repo."""
    root = root if root is not None else os.environ.get("CUTCLEAR_ROOT") or None
    if root is not None:
        if not os.path.isdir(root):
            raise ConfigError(f"--root {root}: no such folder")
        found = settings_in(os.path.abspath(root))
        if found is None:
            raise ConfigError(f"no cutclear settings found in {os.path.abspath(root)} "
                              "(the --root or CUTCLEAR_ROOT folder must hold cutclear.toml "
                              "or [tool.cutclear] in pyproject.toml): run `cutclear init` "
                              "there or pass the edit repo as --root")
    else:
        found = find_config_file(start)
        if found is None:
            here = start if os.path.isdir(start) else os.path.dirname(start) or "."
            raise ConfigError(f"no cutclear settings found from {os.path.abspath(here)}: "
                              f"{SETTINGS_HELP}")
    path, data = found
    return _from_dict(data, os.path.dirname(path), path)


def _strings(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(value)


def _globs(value: object, key: str) -> tuple[str, ...]:
    """Repo-relative globs; a folder means its contents. Every bad pattern is listed."""
    problems = []
    out = []
    for pattern in _strings(value, key):
        if "\\" in pattern:
            fixed = pattern.replace("\\", "/")
            problems.append(f"{key}: {pattern!r} has a backslash: separate folders with '/' "
                            f"({fixed!r})")
        elif pattern.startswith(("/", "~")) or re.match(r"[A-Za-z]:", pattern):
            problems.append(f"{key}: {pattern!r} is an absolute path: write it relative to "
                            "the folder of the settings file (e.g. 'cuts/locked/**')")
        elif ".." in pattern.split("/"):
            problems.append(f"{key}: {pattern!r} leaves the edit repo ('..'): globs are "
                            "relative to the folder of the settings file, which holds "
                            "everything cutclear checks")
        else:
            out.append(folder_glob(pattern))
    if problems:
        raise ConfigError("\n".join(problems))
    return tuple(out)


def _severity(value: object, key: str) -> dict[Mode, Severity]:
    try:
        if isinstance(value, str):
            sev = Severity.parse(value)
            return {Mode.WIP: sev, Mode.LOCK: sev}
        if (isinstance(value, dict) and value and set(value) <= {"wip", "lock"}
                and all(isinstance(v, str) for v in value.values())):
            return {Mode(m): Severity.parse(v) for m, v in value.items()}
    except (ValueError, AttributeError) as e:
        raise ConfigError(f"{key}: {e}") from None
    raise ConfigError(f'{key}: expected "error", "warning", "info", "off" or '
                      f'{{ wip = ..., lock = ... }}, got {value!r}')


KNOWN_KEYS = ("production, genre, delivery, locked, records, exclude, edl-rate, "
              "max-timeline-size, "
              "protected-names, require-provenance, select, extend-select, ignore, severity, "
              "fail-on, required-plugins, plugins, public-figures, c2pa-trust-anchors, "
              "require-c2pa, allow-disabled-plugins, plugin-timeout")


def _from_dict(data: dict, root: str, path: str) -> Config:
    """Settings from a parsed table; every mistake of the file is listed in one error,
    each line naming the file and the key."""
    kw: dict = {"root": root, "file": os.path.basename(path)}
    errors: list[str] = []
    for key, value in data.items():
        try:
            _set(kw, key, value, errors)
        except ConfigError as e:
            errors += str(e).splitlines()
    if errors:
        raise ConfigError("\n".join(f"{path}: {e}" for e in errors))
    return Config(**kw)


def _set(kw: dict, key: str, value: object, errors: list[str]) -> None:
    if key == "production":
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"production: expected the production id as a string, "
                              f"got {value!r}")
        kw["production"] = value.strip()
    elif key == "genre":
        if value not in GENRES:
            raise ConfigError(f"genre: {value!r} is not one of {', '.join(GENRES)}")
        kw["genre"] = value
    elif key == "delivery":
        kw["delivery"] = parse_date(value, key)
    elif key in ("locked", "records", "exclude"):
        kw[key] = _globs(value, key)
    elif key in ("protected-names", "select", "extend-select", "ignore", "required-plugins",
                 "allow-disabled-plugins"):
        kw[key.replace("-", "_")] = _strings(value, key)
        if key == "select" and value == []:
            raise ConfigError("select: an empty list selects no rule, so nothing would be "
                              'checked: remove the key (all rules) or name rules, e.g. ["ALL"]')
    elif key == "edl-rate":
        kw["edl_rate"] = parse_rate(value, key)
    elif key == "max-timeline-size":
        kw["max_timeline_size"] = parse_size(value, key)
    elif key == "require-provenance":
        if not isinstance(value, bool):
            raise ConfigError(f"require-provenance: expected true or false, got {value!r}")
        kw["require_provenance"] = value
    elif key == "plugin-timeout":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not (
                0 < value <= 86400):
            raise ConfigError(f"plugin-timeout: expected seconds (a number above 0), "
                              f"got {value!r}")
        kw["plugin_timeout"] = float(value)
    elif key == "fail-on":
        kw["fail_on"] = parse_fail_on(value, key)
    elif key == "public-figures":
        kw["public_figures"] = _strings(value, key)
    elif key == "c2pa-trust-anchors":
        kw["c2pa_trust_anchors"] = _strings(value, key)
    elif key == "require-c2pa":
        if not isinstance(value, bool):
            raise ConfigError(f"require-c2pa: expected true or false, got {value!r}")
        kw["require_c2pa"] = value
    elif key == "plugins":
        if not isinstance(value, dict):
            raise ConfigError("plugins: expected a table of plugin tables, like "
                              "[tool.cutclear.plugins.rights-registry]")
        for name, table in value.items():
            if not isinstance(table, dict):
                errors.append(f"plugins.{name}: expected a table of that plugin's settings, "
                              f"got {table!r}")
        kw["plugins"] = value
    elif key == "severity":
        if not isinstance(value, dict):
            raise ConfigError(f"severity: expected a table of rule codes, got {value!r}")
        kw["severity"] = {}
        for code, v in value.items():
            try:
                kw["severity"][code] = _severity(v, f"severity.{code}")
            except ConfigError as e:
                errors.append(str(e))
    else:
        raise ConfigError(f"unknown key {key!r} in the cutclear settings (known: "
                          f"{KNOWN_KEYS})")


def parse_fail_on(value: object, key: str = "fail-on") -> Severity:
    try:
        sev = Severity.parse(str(value))
    except ValueError:
        sev = Severity.OFF
    if sev is Severity.OFF:
        raise ConfigError(f"{key}: {value!r} is not error, warning or info")
    return sev
