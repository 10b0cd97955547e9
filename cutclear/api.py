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

from cutclear.config import Config, ConfigError, load_config
from cutclear.conform import MediaRoot
from cutclear.engine import Engine, Report, Selection, resolve_paths
from cutclear.manager import Plugins
from cutclear.model import Mode, TimelineRead
from cutclear.readers import TimelineError, walk
from cutclear.records import load_records


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
    content-keyed cache (`cutclear.cache`) rather than read again. `progress(done, total,
    path)`, when given, is called before each timeline file is read.
    """
    targets = list(targets)
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
    return engine.run(reads, load_records(config.root, records, covered=config.records))


def load_plugins(config: Config) -> Plugins:
    """The installed plugins, checked against `required-plugins` and configured."""
    plugins = Plugins(config.required_plugins)
    config.check_codes(plugins.rules)
    try:
        plugins.configure(config)
    except ConfigError as e:  # plugins.NAME: the file holding the table is named too
        raise ConfigError(f"{config.path}: {e}") from None
    return plugins


def _read_object(obj, mode: Mode) -> TimelineRead:
    name = getattr(obj, "name", "") or "<timeline>"
    read = TimelineRead(name, mode)
    try:
        read.clips = list(walk(obj, name))
    except TimelineError as e:
        read.error = str(e)
    return read
