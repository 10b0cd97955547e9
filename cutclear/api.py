"""The Python API for pipelines: check timeline files or in-memory OTIO timelines.

    import cutclear
    report = cutclear.check(["cuts/locked/reel1.xml"], mode=cutclear.Mode.LOCK)
    for finding in report.findings:
        print(finding.rule, finding.clip, finding.record_in, finding.message)
    report.raise_for_blocking()  # cutclear.GateError when anything blocks

`cutclear check`, `cutclear conform`, the `cutclear` pre-commit hook and the OTIO gate all
go through `check`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable

from cutclear.config import Config, ConfigError, load_config, require_settings_in
from cutclear.conform import MediaRoot
from cutclear.engine import Engine, Report, Selection, resolve_paths
from cutclear.manager import Plugins
from cutclear.model import Mode, TimelineRead
from cutclear.readers import TimelineError
from cutclear.recordfile import load_records


def check(targets: Iterable = (), *, config: Config | None = None, root: str | None = None,
          mode: Mode | None = None, as_of: dt.date | None = None,
          select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
          media_root: str | None = None, plugins: Plugins | None = None,
          keep_items: bool = False, cache: bool = False,
          progress: Callable[[int, int, str], None] | None = None) -> Report:
    """Check timelines against the edit repo's records and return the report.

    `targets` are paths (files or folders; none means every timeline of the repo) and/or
    OTIO objects (Timeline, SerializableCollection) already in memory. The configuration
    is the one in `root` (else `$CUTCLEAR_ROOT`), or the first found walking up from the
    first path or the current folder; without settings, ConfigError. Files are
    judged in the mode their path gives (`locked` globs) unless `mode` forces one; an
    in-memory timeline has no path and is judged as a locked cut unless `mode` says wip.
    With `media_root`, every clip's media must be found there (PV006). `plugins` defaults
    to every installed plugin (`load_plugins`). With `keep_items`, each clip use read
    from a file keeps its OTIO clip in `ClipUse.item` (in-memory timelines always do).
    With `cache`, timeline files walked before with the same bytes are taken from the
    content-keyed cache (`cutclear.cache`) rather than read again, and record files
    parsed before from the same bytes from `cutclear.recordcache`. `progress(done, total,
    path)`, when given, is called before each timeline file is read.
    """
    targets, mode, as_of, select, ignore = _arguments(targets, mode, as_of, select, ignore)
    _check_root(root)
    if config is not None and not isinstance(config, Config):
        raise ValueError(f"config: expected a cutclear Config, got {config!r}")
    if plugins is not None and not isinstance(plugins, Plugins):
        raise ValueError(f"plugins: expected cutclear Plugins, got {plugins!r}")
    paths = [os.fspath(t) for t in targets if isinstance(t, (str, os.PathLike))]
    objects = [t for t in targets if not isinstance(t, (str, os.PathLike))]
    if config is None:  # `root` (else CUTCLEAR_ROOT) must hold the settings
        config = load_config(paths[0] if paths else ".", root=root)
    plugins = plugins or load_plugins(config)
    selection = Selection(plugins.rules, select or config.select, config.extend_select,
                          config.ignore + tuple(ignore), config.severity)
    files, records = resolve_paths(config, paths, mode) if paths or not objects else \
        ([], resolve_paths(config, [])[1])
    engine = Engine(config, plugins, selection, as_of or dt.date.today(), mode,
                    MediaRoot(media_root) if media_root else None)
    reads = engine.read(files, keep_items, cache, progress)
    reads += [_read_object(obj, mode or Mode.LOCK) for obj in objects]
    record_cache = None
    if cache:  # record files parsed before from the same bytes are not parsed again
        from cutclear.recordcache import RecordCache

        record_cache = RecordCache(config.root, config)
    return engine.run(reads, load_records(config.root, records, covered=config.records,
                                          cache=record_cache))


def _arguments(targets, mode, as_of, select, ignore):
    """The arguments of `check`, checked: a caller's mistake is a ValueError naming the
    argument, never something a rule trips over later (and reports as a plugin crash)."""
    import opentimelineio as otio

    if isinstance(targets, (str, os.PathLike)):
        targets = [targets]  # one path, not its characters
    try:
        targets = list(targets)
    except TypeError:
        raise ValueError(f"targets: expected paths and/or OTIO timelines, got {targets!r}"
                         ) from None
    for t in targets:
        if not isinstance(t, (str, os.PathLike, otio.schema.Timeline,
                              otio.schema.SerializableCollection)):
            raise ValueError(f"targets: {t!r} is neither a path nor an OTIO Timeline or "
                             "SerializableCollection")
    if mode is not None and not isinstance(mode, Mode):
        if not isinstance(mode, str) or mode.strip().lower() not in ("lock", "wip"):
            raise ValueError(f"mode: expected cutclear.Mode, 'lock' or 'wip', got {mode!r}")
        mode = Mode(mode.strip().lower())
    if as_of is not None:
        if isinstance(as_of, dt.datetime):
            as_of = as_of.date()
        elif isinstance(as_of, str):
            try:
                as_of = dt.date.fromisoformat(as_of.strip())
            except ValueError:
                raise ValueError(f"as_of: {as_of!r} is not an ISO date (YYYY-MM-DD)"
                                 ) from None
        elif not isinstance(as_of, dt.date):
            raise ValueError(f"as_of: expected a date or an ISO date string, got {as_of!r}")
    return targets, mode, as_of, _codes(select, "select"), _codes(ignore, "ignore") or ()


def _codes(value, name: str) -> tuple[str, ...] | None:
    """Rule codes as a tuple: "GA001,TL" or ["GA001", "TL"] (a bare string is not split
    into letters)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    try:
        codes = tuple(value)
    except TypeError:
        raise ValueError(f"{name}: expected rule codes, got {value!r}") from None
    if not all(isinstance(c, str) for c in codes):
        raise ValueError(f"{name}: expected rule codes as strings, got {value!r}")
    return tuple(c.strip().upper() for c in codes if c.strip())


def _check_root(root) -> None:
    """`root` names the edit repo: it must be a folder that holds the cutclear settings,
    not a folder below them and not a typo that walking up would forgive."""
    if root is None:
        return
    if not isinstance(root, (str, os.PathLike)):
        raise ValueError(f"root: expected a folder path, got {root!r}")
    require_settings_in(os.fspath(root), "root")


def load_plugins(config: Config) -> Plugins:
    """The installed plugins, checked against `required-plugins` and configured."""
    plugins = Plugins(config.required_plugins, config.plugin_timeout)
    config.check_codes(plugins.rules)
    try:
        plugins.configure(config)
    except ConfigError as e:  # plugins.NAME: the file holding the table is named too
        raise ConfigError(f"{config.path}: {e}") from None
    return plugins


def few_collections() -> None:
    """Run the cycle collector rarely, for a process that runs one check and exits (the CLI,
    the hooks). A check allocates a few objects per clip and record and hardly any cycles:
    at the default 700 allocations the collector ran 140-280 times on a 10,000-clip
    feature (50-120 ms); at 50,000 once or twice, for the same peak memory. Not done by
    `check` itself: a library does not retune its caller's collector."""
    import gc

    gc.set_threshold(50_000)


def _read_object(obj, mode: Mode) -> TimelineRead:
    name = getattr(obj, "name", "") or "<timeline>"
    read = TimelineRead(name, mode)
    from cutclear.readers.walk import walk

    try:
        read.clips = list(walk(obj, name))
    except TimelineError as e:
        read.error = str(e)
    return read
