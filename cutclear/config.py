"""Production settings: `[tool.cutclear]` in pyproject.toml, or cutclear.toml.

Found by walking up from the paths checked, as ruff and pytest do; the folder that holds
the configuration is the edit repo's root, against which every path is reported. A
mistyped key must not quietly switch a rule off, so unknown keys and bad values are errors
that name the key (exit 2).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass, field, replace
from fractions import Fraction

from cutclear.model import Mode, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

GENRES = ("fiction", "documentary", "nonfiction", "news")
NON_FICTION = frozenset({"documentary", "nonfiction", "news"})
CONFIG_FILES = ("cutclear.toml", "pyproject.toml")


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
    records: tuple[str, ...] = ("**/*.genai.xml",)
    exclude: tuple[str, ...] = ()
    edl_rate: float | None = None
    protected_names: tuple[str, ...] = ()
    require_provenance: bool = False
    select: tuple[str, ...] = ("ALL",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, dict[Mode, Severity]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR
    required_plugins: tuple[str, ...] = ()
    plugins: dict[str, dict] = field(default_factory=dict)  # each plugin's own settings
    c2pa_trust_anchors: tuple[str, ...] = ()  # PEM files, repo-relative or absolute
    require_c2pa: bool = False

    @property
    def non_fiction(self) -> bool:
        return self.genre in NON_FICTION

    def with_overrides(self, **changes) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


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


def parse_date(value: object, key: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:  # strptime, not fromisoformat: 3.11 also takes 20260115, 3.10 does not
        return dt.datetime.strptime(str(value), "%Y-%m-%d").date()
    except ValueError:
        raise ConfigError(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None


def find_config_file(start: str) -> tuple[str, dict] | None:
    """Walk up from `start` to the first cutclear.toml or pyproject.toml with [tool.cutclear]."""
    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        for name in CONFIG_FILES:
            candidate = os.path.join(here, name)
            if not os.path.isfile(candidate):
                continue
            data = _read_toml(candidate)
            if name == "cutclear.toml":
                return candidate, data
            tool = data.get("tool", {})
            section = tool.get("cutclear") if isinstance(tool, dict) else None
            if section is not None:
                if not isinstance(section, dict):
                    raise ConfigError(f"{candidate}: [tool.cutclear] must be a table")
                return candidate, section
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    except OSError as e:
        raise ConfigError(f"{path}: cannot read: {e.strerror}") from None


def _repo_root(start: str) -> str:
    """Without configuration, the git work tree is the root, else the current folder
    (or, for paths outside it, the folder checked)."""
    here = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    probe = here
    while True:
        if os.path.exists(os.path.join(probe, ".git")):
            return probe
        parent = os.path.dirname(probe)
        if parent == probe:
            break
        probe = parent
    cwd = os.getcwd()
    return cwd if (here + os.sep).startswith(cwd.rstrip(os.sep) + os.sep) else here


def load_config(start: str = ".") -> Config:
    found = find_config_file(start)
    if found is None:
        return Config(root=_repo_root(start))
    path, data = found
    root = os.path.dirname(path)
    name = os.path.basename(path)
    try:
        return _from_dict(data, root, name)
    except ConfigError as e:
        raise ConfigError(f"{path}: {e}") from None


def _strings(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
    return tuple(value)


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


def _from_dict(data: dict, root: str, filename: str) -> Config:
    kw: dict = {"root": root, "file": filename}
    for key, value in data.items():
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
        elif key in ("locked", "records", "exclude", "protected-names", "select",
                     "extend-select", "ignore", "required-plugins"):
            kw[key.replace("-", "_")] = _strings(value, key)
        elif key == "edl-rate":
            kw["edl_rate"] = parse_rate(value, key)
        elif key == "require-provenance":
            if not isinstance(value, bool):
                raise ConfigError(f"require-provenance: expected true or false, got {value!r}")
            kw["require_provenance"] = value
        elif key == "fail-on":
            kw["fail_on"] = parse_fail_on(value, key)
        elif key == "c2pa-trust-anchors":
            kw["c2pa_trust_anchors"] = _strings(value, key)
        elif key == "require-c2pa":
            if not isinstance(value, bool):
                raise ConfigError(f"require-c2pa: expected true or false, got {value!r}")
            kw["require_c2pa"] = value
        elif key == "plugins":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError("plugins: expected a table of plugin tables, like "
                                  "[tool.cutclear.plugins.rights-registry]")
            kw["plugins"] = value
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"severity: expected a table of rule codes, got {value!r}")
            kw["severity"] = {code: _severity(v, f"severity.{code}") for code, v in value.items()}
        else:
            raise ConfigError(f"unknown key {key!r} in the cutclear settings (known: "
                              "production, genre, delivery, locked, records, exclude, edl-rate, "
                              "protected-names, require-provenance, select, extend-select, "
                              "ignore, severity, fail-on, required-plugins, plugins, "
                              "c2pa-trust-anchors, require-c2pa)")
    return Config(**kw)


def parse_fail_on(value: object, key: str = "fail-on") -> Severity:
    try:
        sev = Severity.parse(str(value))
    except ValueError:
        sev = Severity.OFF
    if sev is Severity.OFF:
        raise ConfigError(f"{key}: {value!r} is not error, warning or info")
    return sev
