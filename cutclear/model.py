"""The typed records that pass between timelines, records, rules and output.

Everything a plugin sees or returns is defined here, so that a vendor's rule and a built-in
rule speak the same small vocabulary.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that `max` and `>=` read naturally."""

    OFF = 0
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"{text!r} is not a severity (choose error, warning, info or off)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


class Mode(str, enum.Enum):
    """lock: the cut ends up in the deliverable. wip: work in progress."""

    WIP = "wip"
    LOCK = "lock"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class MediaIdentity:
    """What a timeline says about the media a clip uses, normalised for matching.

    Any field may be empty: an EDL often gives only a reel and a clip name, an FCP7 XML a
    path, an AAF a MobID.
    """

    path: str = ""  # normalised, '/' separated; image sequences as name.####.ext
    name: str = ""  # last path component
    reel: str = ""
    clip: str = ""
    source_ids: tuple[str, ...] = ()  # AAF master/source MobIDs: lower-case hex, no dots
    # the clip's other media references (proxies, masters): a record matching any applies
    alternates: tuple[MediaIdentity, ...] = ()
    # Identities key the per-media dicts of the engine and the plugins (about ten look-ups
    # per clip use): the hash is computed once. It is never pickled (`__reduce__`):
    # string hashes differ between processes.
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.path, self.name, self.reel, self.clip,
                                                self.source_ids, self.alternates)))

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        return (MediaIdentity, (self.path, self.name, self.reel, self.clip, self.source_ids,
                                self.alternates))


@dataclass(frozen=True, slots=True)  # one per clip use: light and quick to make
class ClipUse:
    """One use of a media clip in a timeline, placed in the top-level timeline."""

    timeline: str  # repo-relative path of the timeline file
    sequence: str  # name of the timeline inside the file (files may hold several)
    track: str  # V1, A2, ... counted per kind from the bottom, as NLEs show them
    track_name: str  # the track's own name in the file, may be empty
    record_in: str  # timecode in the top-level timeline
    record_out: str
    media: MediaIdentity
    enabled: bool = True
    item: object = field(default=None, compare=False, repr=False)  # the OTIO clip
    # the line of the clip's element or event in the file, where a reader knows it
    # (SARIF, GitHub annotations); reports find it in the file themselves otherwise
    line: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.media.clip or self.media.name or self.media.reel or "(unnamed clip)"


@dataclass(frozen=True)
class Problem:
    """What a rule's check reports; the engine turns it into a `Finding`.

    `severity` is left None to use the rule's default for the mode; a rule sets it only
    where its catalogue entry says so (DU001: unknown training terms are a warning).
    `path`/`line` locate problems in record files.
    """

    message: str
    severity: Severity | None = None
    asset: str | None = None
    path: str | None = None
    line: int | None = None


Scope = Literal["records", "timeline", "clip", "asset"]
# what a rule may declare it can flag (Rule.can_flag), by scope; an asset rule may name
# the part of an asset (`cutclear.records.Asset`) it judges: "with-talent" is called only
# for assets with at least one <talent>
ASSET_PARTS = ("tools", "prompts", "inputs", "talent", "synthetic", "replaces", "depicts")
CAN_FLAG = {"clip": ("any", "with-assets", "without-assets", "genai", "with-media-file"),
            "asset": ("any", "genai", *(f"with-{part}" for part in ASSET_PARTS)),
            "records": ("any",), "timeline": ("any",)}


@dataclass(frozen=True)
class Rule:
    """A rule in the catalogue: code, name, defaults, why, and the check itself.

    `check` depends on `scope`:
      records:  check(db: RecordDB, ctx: Context) -> Iterable[Problem]
      timeline: check(timeline: TimelineRead, ctx: Context) -> Iterable[Problem]
      clip:     check(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterable[Problem]
      asset:    check(asset: Asset, ctx: Context) -> Iterable[Problem]
    Asset checks do not depend on the clip, so the engine runs them once per asset and
    reports the result at every use.

    Two opt-in declarations let the engine call a check less often (docs/rule-scope.md);
    a rule that makes neither is called for every clip use and every asset:
      can_flag: the uses (clip rules) or assets (asset rules) the check can find anything
        about: "any" (the default), "with-assets" (clip uses whose media matches an
        asset), "without-assets" (uses that match none), "genai" (uses with a GenAI
        asset; asset rules: GenAI assets), "with-media-file" (uses whose media file
        can be seen: `cutclear.mediafile.media_file` finds it), "with-talent" and the
        other ASSET_PARTS (asset rules: assets with at least one of those). The others
        are not passed to it.
      per_media: a clip check whose answer depends on the use only through `use.media`
        (with the assets and ctx): called once per distinct media, its problems reported
        at every use of that media.
    """

    code: str
    name: str
    summary: str
    wip: Severity
    lock: Severity
    rationale: str
    example: str
    scope: Scope
    check: Callable[..., Iterable[Problem]]
    source: str = ""  # plugin name, filled in when registered
    links: tuple[str, ...] = ()  # where the rationale's sources can be read (explain)
    can_flag: str = "any"  # see above and CAN_FLAG
    per_media: bool = False

    def default(self, mode: Mode) -> Severity:
        return self.lock if mode is Mode.LOCK else self.wip


@dataclass(frozen=True)
class Finding:
    """One reported finding: one per rule, clip use and asset (or per record problem)."""

    rule: str
    name: str
    severity: Severity
    path: str
    mode: Mode | None
    message: str
    track: str | None = None
    clip: str | None = None
    record_in: str | None = None
    record_out: str | None = None
    asset: str | None = None
    line: int | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.record_in or "", self.track or "", self.rule, self.asset or "",
                self.line or 0, self.message)


@dataclass
class TimelineRead:
    """The result of reading one timeline file: its clip uses, or why it could not be read."""

    path: str
    mode: Mode
    clips: list[ClipUse] = field(default_factory=list)
    error: str | None = None


class GateError(Exception):
    """A cut that may not ship: raised by the conform gate and `Report.raise_for_blocking`.

    `findings` holds the blocking findings; the message lists them one per line.
    """

    __module__ = "cutclear"  # tracebacks name it as users import it: cutclear.GateError

    def __init__(self, message: str, findings: list[Finding] | None = None):
        super().__init__(message)
        self.findings = list(findings or [])
