"""The studio-wide audit: find every edit repo under some folders, check each with its own
settings, and merge the verdicts into one report (`cutclear audit`, docs/audit.md).

The work on one repo is `audit_repo`, a plain function of picklable arguments returning a
picklable `RepoResult`, so that the same task runs in this process, in a process pool
(`--jobs`) or on a Dask cluster (`--scheduler`). It is a thin door onto `cutclear.api.check`:
no knowledge of clips or rules lives here. A repo that cannot be audited (settings that do
not load, a plugin that crashes, a glob that matches nothing, a worker that dies) becomes
a `RepoResult` with its `error`: never dropped, and counted by the exit status (2).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cutclear import __version__
from cutclear.config import ConfigError, settings_in
from cutclear.formats import SKIP_DIRS

REPORT_VERSION = 2  # 2: cue lines, rules_off, partial counts
CONNECT_TIMEOUT = 30  # seconds to reach a Dask scheduler


@dataclass(frozen=True)
class RepoTask:
    """One repo to audit: `folder` (absolute, as a worker must see it) and `name` (as the
    report shows it: the root given plus the path below it)."""

    folder: str
    name: str
    error: str | None = None  # found but unreadable: the audit fails it unread


@dataclass(frozen=True)
class AuditOptions:
    """What every repo is judged with besides its own settings. `as_of` is fixed by the
    one starting the audit, so that workers in other time zones judge the same day."""

    as_of: dt.date
    mode: str | None = None  # "lock" or "wip" forces every timeline's mode


class Partial:
    """A repo judged without some plugins or rules (`disabled_plugins`, `rules_off`):
    allowed, but not the full verdict. Shared by the audit's result and the merged
    report's entry."""

    disabled_plugins: list[str]
    rules_off: list[str]

    @property
    def partial(self) -> bool:
        return bool(self.disabled_plugins or self.rules_off)

    @property
    def partial_note(self) -> str:
        """What a partial verdict says, as `cutclear check` says it (output.disabled_line)."""
        notes = []
        if self.disabled_plugins:
            notes.append("plugins disabled by CUTCLEAR_DISABLE_PLUGINS: "
                         + ", ".join(self.disabled_plugins))
        if self.rules_off:
            notes.append("rules the settings switch off for locked cuts: "
                         + ", ".join(self.rules_off))
        return "; ".join(notes)


@dataclass
class RepoResult(Partial):
    """The verdict on one repo, as plain data (it crosses process and network borders)."""

    repo: str
    production: str | None = None
    error: str | None = None
    timelines: int = 0
    clips: int = 0
    record_files: int = 0
    fail_on: str | None = None
    findings: list[dict] = field(default_factory=list)
    blocking: int = 0
    disabled_plugins: list[str] = field(default_factory=list)
    rules_off: list[str] = field(default_factory=list)  # switched off for its locked cuts
    cues: list[dict] = field(default_factory=list)  # its GenAI cue sheet rows
    cutclear: str = __version__  # the version that judged it (a worker's may differ)

    @property
    def summary(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f["severity"]] += 1
        return counts

    @property
    def status(self) -> str:
        return "failed" if self.error else "blocked" if self.blocking else "ok"


def find_repos(roots: Iterable[str]) -> list[RepoTask]:
    """Every folder under `roots` holding cutclear settings, sorted by name.

    Hidden folders and SKIP_DIRS are skipped, folders reached through symlinks are walked
    (each real folder once), and the walk goes on below a repo it found: a repo nested in
    another (a companion documentary) is audited with its own settings too, whether or not
    its parent excludes it. A settings file that cannot even be read still marks a repo,
    and so does a folder that cannot be listed: their audit fails with the reason. A root
    that is not a folder, or holds no edit repo, is a ConfigError: an audit of nothing
    must not pass.
    """
    tasks: dict[object, RepoTask] = {}
    for root in roots:
        if not os.path.isdir(root):
            raise ConfigError(f"{root}: no such folder")
        if not _walk(root, tasks):
            raise ConfigError(f"{root}: no edit repo found there (no folder holds "
                              "cutclear.toml or [tool.cutclear] in pyproject.toml)")
    return sorted(tasks.values(), key=lambda t: t.name)


def _walk(root: str, tasks: dict[object, RepoTask]) -> int:
    """Add the repos under `root` to `tasks` (keyed by real folder); how many were found."""
    found = 0
    seen: set[tuple[int, int]] = set()

    def unreadable(error: OSError) -> None:
        # a folder that cannot be listed may hold repos: it fails, it is not skipped
        nonlocal found
        path = error.filename or root
        found += 1
        tasks[("unreadable", os.path.abspath(path))] = RepoTask(
            os.path.abspath(path), _name(path),
            f"{path}: cannot list this folder ({error.strerror}): edit repos in it cannot "
            "be found; give the audit read access to it")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as e:
            dirnames[:] = []
            unreadable(e)
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:  # reached again through a link
            dirnames[:] = []
            continue
        seen.add(key)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        if not _holds_settings(dirpath, filenames):
            continue
        found += 1
        if key not in tasks:  # the same repo under two roots is audited once
            tasks[key] = RepoTask(os.path.abspath(dirpath), _name(dirpath))
    return found


def _name(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _holds_settings(folder: str, filenames: list[str]) -> bool:
    if "cutclear.toml" in filenames:
        return True
    if "pyproject.toml" not in filenames:
        return False
    try:
        return settings_in(folder) is not None
    except ConfigError:
        return True  # unreadable: it may hold settings, so its audit must fail loudly


def audit_repo(task: RepoTask, options: AuditOptions) -> RepoResult:
    """Check every timeline of one edit repo with its own settings: `cutclear check` run
    in that repo. Whatever stops the run becomes the result's `error`."""
    from cutclear.api import check
    from cutclear.config import load_config
    from cutclear.manager import PluginError
    from cutclear.model import Mode
    from cutclear.output import finding_dict
    from cutclear.reports.cuesheet import rows
    from cutclear.watchdog import PluginTimeout

    result = RepoResult(task.name)
    if task.error:
        result.error = task.error
        return result
    if not os.path.isdir(task.folder):  # a worker without the productions' storage
        import socket

        result.error = (f"{task.folder}: no such folder on {socket.gethostname()}: every "
                        "worker must see the repos at the paths the audit found them")
        return result
    try:
        config = load_config(task.folder, root=task.folder)
        result.production = config.production
        report = check((), config=config, as_of=options.as_of,
                       mode=Mode(options.mode) if options.mode else None)
        cues = rows(report)  # the cue sheet, while the run's records are at hand
    except (ConfigError, PluginError) as e:
        result.error = str(e)
        return result
    except PluginTimeout:
        result.error = "a plugin did not finish within plugin-timeout"
        return result
    except Exception as e:  # a bug must not look like a pass: the repo fails
        result.error = f"internal error, please report it: {type(e).__name__}: {e}"
        return result
    result.timelines = len(report.timelines)
    result.clips = sum(len(t.clips) for t in report.timelines)
    result.record_files = report.record_files
    result.fail_on = str(report.fail_on)
    result.findings = [finding_dict(f) for f in report.findings]
    result.blocking = len(report.blocking)
    result.disabled_plugins = list(report.disabled_plugins)
    result.rules_off = list(report.rules_off)
    result.cues = cues
    return result


def failed(task: RepoTask, error: BaseException | str) -> RepoResult:
    """The result of a task that did not return (its process or worker died)."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return RepoResult(task.name, error=f"could not be audited: {text}")


def checked(result: RepoResult) -> RepoResult:
    """A result judged by another cutclear version (a cluster worker not upgraded with
    the client) is not this version's verdict: the repo fails rather than passes."""
    if result.cutclear != __version__ and not result.error:
        return RepoResult(result.repo, result.production,
                          error=f"audited by cutclear {result.cutclear} on the worker, not "
                          f"{__version__}: install the same cutclear on every worker")
    return result


Progress = Callable[[int, int, str], None]


def run_serial(tasks: list[RepoTask], options: AuditOptions,
               progress: Progress | None = None) -> list[RepoResult]:
    results = []
    for i, task in enumerate(tasks):
        if progress:
            progress(i, len(tasks), task.name)
        results.append(audit_repo(task, options))
    return results


def run_pool(tasks: list[RepoTask], options: AuditOptions, jobs: int,
             progress: Progress | None = None) -> list[RepoResult]:
    """The tasks on `jobs` processes of this machine."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    results: list[RepoResult] = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(audit_repo, t, options): t for t in tasks}
        if progress:  # the bar from the start, not once the first repo is done
            progress(0, len(tasks), "")
        for done, future in enumerate(as_completed(futures), 1):
            try:
                results.append(checked(future.result()))
            except Exception as e:  # a dead worker (BrokenProcessPool) fails its repo
                results.append(failed(futures[future], e))
            if progress:
                progress(done, len(tasks), futures[future].name)
    return results


def run_dask(tasks: list[RepoTask], options: AuditOptions, scheduler: str | object,
             progress: Progress | None = None) -> list[RepoResult]:
    """The tasks on a Dask cluster: `scheduler` is its address (tcp://host:8786) or a
    `distributed.Client` / cluster object. Workers must see the repos at the same paths."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError("--scheduler needs Dask: pip install 'cutclear[dask]'") from None
    try:
        client = scheduler if isinstance(scheduler, Client) \
            else Client(scheduler, timeout=CONNECT_TIMEOUT)
    except OSError as e:
        raise ConfigError(f"--scheduler {scheduler}: cannot reach the Dask scheduler: {e}"
                          ) from None
    try:
        futures = client.map(audit_repo, tasks, options=options, pure=False)
        names = {f.key: t for f, t in zip(futures, tasks, strict=True)}
        if progress:
            progress(0, len(tasks), "")
        results: list[RepoResult] = []
        for done, future in enumerate(as_completed(futures), 1):
            task = names[future.key]
            try:
                results.append(checked(future.result()))
            except Exception as e:  # a lost worker (KilledWorker) fails its repo
                results.append(failed(task, e))
            if progress:
                progress(done, len(tasks), task.name)
        return results
    finally:
        if client is not scheduler:
            client.close()


def exit_code(results: list[RepoResult]) -> int:
    """2 when any repo could not be audited, else 1 when any has a blocking finding."""
    if any(r.error for r in results):
        return 2
    return 1 if any(r.blocking for r in results) else 0


def render_jsonl(results: list[RepoResult], options: AuditOptions) -> str:
    """The merged report (docs/audit.md): a line per finding, per GenAI cue, per repo and
    per production, and a last `audit` line; the order does not depend on how it ran."""
    results = sorted(results, key=lambda r: r.repo)
    lines: list[dict] = []
    for r in results:
        lines += [{"type": "finding", "repo": r.repo, "production": r.production, **f}
                  for f in r.findings]
    for r in results:
        lines += [{"type": "cue", "repo": r.repo, "production": r.production, **c}
                  for c in r.cues]
    for r in results:
        line = {"type": "repo", "repo": r.repo, "production": r.production,
                "status": r.status, "error": r.error, "timelines": r.timelines,
                "clips": r.clips, "record_files": r.record_files, "fail_on": r.fail_on,
                "blocking": r.blocking, "summary": r.summary, "cues": len(r.cues)}
        if r.disabled_plugins:
            line["disabled_plugins"] = r.disabled_plugins
        if r.rules_off:
            line["rules_off"] = r.rules_off
        lines.append(line)
    productions: dict[str | None, list[RepoResult]] = {}
    for r in results:
        productions.setdefault(r.production, []).append(r)
    for production in sorted(productions, key=lambda p: (p is None, p or "")):
        group = productions[production]
        lines.append({"type": "production", "production": production,
                      "status": _status(group), "repos": [r.repo for r in group],
                      "failed": sum(bool(r.error) for r in group),
                      "blocking": sum(r.blocking for r in group),
                      "partial": sum(r.partial for r in group),
                      "timelines": sum(r.timelines for r in group),
                      "clips": sum(r.clips for r in group), "summary": _total(group)})
    lines.append({"type": "audit", "version": REPORT_VERSION, "cutclear": __version__,
                  "as_of": options.as_of.isoformat(), "mode": options.mode,
                  "repos": len(results), "failed": sum(bool(r.error) for r in results),
                  "blocking": sum(r.blocking for r in results),
                  "partial": sum(r.partial for r in results),
                  "summary": _total(results), "exit_code": exit_code(results)})
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _status(group: list[RepoResult]) -> str:
    if any(r.error for r in group):
        return "failed"
    return "blocked" if any(r.blocking for r in group) else "ok"


def _total(group: list[RepoResult]) -> dict[str, int]:
    total = {"error": 0, "warning": 0, "info": 0}
    for r in group:
        for k, v in r.summary.items():
            total[k] += v
    return total
