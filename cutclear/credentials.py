"""C2PA Content Credentials in media files, read through c2pa-python (optional extra).

Generative tools sign their output with a manifest whose `c2pa.actions` assertion holds a
`c2pa.created` action with a `digitalSourceType`; the claim may sit in an ingredient's
manifest rather than the active one, so every manifest of the store and every action of
`c2pa.actions` and `c2pa.actions.v2` is read. The reading is fail-safe:

- a generative claim is believed from any manifest, valid or not, trusted or not;
- a claim of anything else is believed only when the store validates;
- `empty`, a missing type and the ambiguous `virtualRecording`/`composite` say nothing
  (unknown, never "not AI").

cutclear is offline: remote manifests, OCSP and trust lists are never fetched. Trust
anchors come from the settings (`c2pa-trust-anchors`). Each file is read under a time bound.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

from cutclear.records import origin_class

TIMEOUT_SECONDS = 60.0  # per file, plus the time to hash it at MIN_RATE: validation
MIN_RATE = 50 * 1024 * 1024  # hashes the whole file (c2pa-rs does 300-800 MB/s)
SIDECAR_SUFFIX = ".c2pa"  # clip.mxf.c2pa beside media C2PA cannot embed in
MAX_SIDECAR = 64 * 1024 * 1024
UNKNOWN_TYPES = frozenset({"empty", "virtualRecording", "composite"})
# codes about the signer's trust, not the file's integrity (PV009, not PV008)
TRUST_CODES = ("signingCredential.untrusted", "signingCredential.ocsp",
               "timeStamp.untrusted", "signingCredential.trusted")


def pool_size() -> int:
    """Threads that read credentials at once (c2pa's native validation releases the GIL):
    the CPUs this process may run on, i.e. its affinity (taskset, a container's cpuset, a
    render node's slot), not the machine's count, which overcommits a pinned process;
    at least 2, so that one file's reading overlaps another's hashing, and at most 8."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13: the affinity's size
    n = count() if count else None
    if n is None:
        try:
            n = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):  # not on Linux: the machine's count
            n = os.cpu_count()
    return max(2, min(8, n or 2))


POOL_SIZE = pool_size()
_pool = ThreadPoolExecutor(max_workers=POOL_SIZE, thread_name_prefix="cutclear-c2pa")


@dataclass(frozen=True)
class Claim:
    """One action with a digital source type, in one manifest."""

    manifest: str  # the manifest's label
    generator: str  # claim generator, "Name version"
    agent: str  # the action's softwareAgent, "Name version", may be empty
    action: str
    source_type: str  # as written (term or URI); empty when missing
    cls: str  # generative | generative-edit | other | unknown


@dataclass(frozen=True)
class Credentials:
    """What the Content Credentials of one media file say."""

    path: str
    found: bool = False  # a manifest store was found (embedded or sidecar)
    state: str = ""  # c2pa's validation state: Invalid, Valid, Trusted
    failures: tuple[str, ...] = ()  # status codes of integrity failures (PV008)
    untrusted: tuple[str, ...] = ()  # signers that chain to no trust anchor (PV009)
    claims: tuple[Claim, ...] = ()
    generators: tuple[str, ...] = ()  # every manifest's claim generator
    error: str = ""  # could not be read at all: unknown, reported
    remote: str = ""  # a remote-only manifest, not fetched
    sidecar: str = ""  # the .c2pa file read instead of embedded credentials

    @property
    def invalid(self) -> bool:
        return self.found and (self.state == "Invalid" or bool(self.failures))

    def believed(self) -> list[Claim]:
        """Generative claims from anywhere; other claims only from a valid store."""
        return [c for c in self.claims if c.cls in ("generative", "generative-edit")
                or (c.cls == "other" and not self.invalid)]


def to_json(creds: Credentials) -> dict | None:
    """For the disk cache; a read that failed (a timeout, an I/O error) is not kept."""
    return None if creds.error else asdict(creds)


def from_json(data: dict) -> Credentials:
    """Credentials kept on disk by `to_json` (a bad entry raises: it is read again)."""
    kw = {f.name: data[f.name] for f in fields(Credentials)}
    kw["claims"] = tuple(Claim(**c) for c in kw["claims"])
    for name in ("failures", "untrusted", "generators"):
        kw[name] = tuple(kw[name])
    return Credentials(**kw)


def available() -> bool:
    """Whether c2pa-python is installed (`pip install 'cutclear[c2pa]'`). Python does not
    remember a failed import, and searching sys.path again for every clip's media cost
    0.12 ms a clip: a miss is remembered here. What is in sys.modules (the module, or
    None for "not installed") is asked first."""
    global _missing
    found = sys.modules.get("c2pa", _UNSET)
    if found is not _UNSET:
        return found is not None
    if _missing:
        return False
    try:
        import c2pa  # noqa: F401
    except ImportError:
        _missing = True
        return False
    return True


_UNSET = object()
_missing = False


def version() -> str:
    try:
        import c2pa
        return str(c2pa.__version__)
    except ImportError:
        return ""


def classify(source_type: str) -> str:
    """A digitalSourceType, short term or full IPTC/C2PA URI, as cutclear's class."""
    term = source_type.strip().rstrip("/").rsplit("/", 1)[-1]
    if not term or term in UNKNOWN_TYPES:
        return "unknown"
    return origin_class(term) or "unknown"


def _named(info) -> str:
    """A claim generator or software agent, given as a string or as {name, version}."""
    if isinstance(info, str):
        return info.strip()
    if isinstance(info, dict):
        return " ".join(str(info[k]).strip() for k in ("name", "version")
                        if isinstance(info.get(k), (str, int, float)) and str(info[k]).strip())
    return ""


def _generator(manifest: dict) -> str:
    infos = manifest.get("claim_generator_info")
    if isinstance(infos, list) and infos:
        named = _named(infos[0])
        if named:
            return named
    return _named(manifest.get("claim_generator", ""))


def _actions(manifest: dict):
    for assertion in manifest.get("assertions") or ():
        if not isinstance(assertion, dict):
            continue
        label = str(assertion.get("label", ""))
        if label == "c2pa.actions" or label.startswith(("c2pa.actions.v2", "c2pa.actions__")):
            data = assertion.get("data") or {}
            for action in data.get("actions") or () if isinstance(data, dict) else ():
                if isinstance(action, dict):
                    yield action


def _codes(results: dict | None) -> list[tuple[str, str]]:
    """(code, url) of every failure in a validation_results object, ingredients' too."""
    if not isinstance(results, dict):
        return []
    found = []
    for part in [results.get("activeManifest")] + [
            (d or {}).get("validationDeltas") for d in results.get("ingredientDeltas") or ()]:
        for status in (part or {}).get("failure") or ():
            if isinstance(status, dict) and status.get("code"):
                found.append((str(status["code"]), str(status.get("url", ""))))
    return found


def summarise(store: dict, path: str, state: str = "", sidecar: str = "") -> Credentials:
    """The claims and verdicts of a manifest store (c2pa's JSON report, as a dict)."""
    manifests = store.get("manifests") or {}
    claims: list[Claim] = []
    generators: list[str] = []
    codes = _codes(store.get("validation_results"))
    for status in store.get("validation_status") or ():  # older reports
        if isinstance(status, dict) and status.get("code"):
            codes.append((str(status["code"]), str(status.get("url", ""))))
    for label, manifest in manifests.items():
        if not isinstance(manifest, dict):
            continue
        generator = _generator(manifest)
        if generator:
            generators.append(generator)
        for action in _actions(manifest):
            params = action.get("parameters") if isinstance(action.get("parameters"), dict) \
                else {}
            source_type = action.get("digitalSourceType") or params.get("digitalSourceType") \
                or ""
            if not isinstance(source_type, str):
                source_type = ""
            if not source_type and action.get("action") not in ("c2pa.created",):
                continue  # an edit without a source type says nothing of the origin
            claims.append(Claim(str(label), generator, _named(action.get("softwareAgent")),
                                str(action.get("action", "")), source_type,
                                classify(source_type)))
        for ingredient in manifest.get("ingredients") or ():
            if isinstance(ingredient, dict):
                codes += _codes(ingredient.get("validation_results"))
                for status in ingredient.get("validation_status") or ():
                    if isinstance(status, dict) and status.get("code"):
                        codes.append((str(status["code"]), str(status.get("url", ""))))
    failures = sorted({c for c, _ in codes if not c.startswith(TRUST_CODES)})
    untrusted = sorted({_signer(manifests, url) for c, url in codes
                        if c == "signingCredential.untrusted"})
    return Credentials(path, True, state or str(store.get("validation_state", "")),
                       tuple(failures), tuple(untrusted), tuple(claims),
                       tuple(dict.fromkeys(generators)), sidecar=sidecar)


def _signer(manifests: dict, url: str) -> str:
    for label, manifest in manifests.items():
        if label in url and isinstance(manifest, dict):
            info = manifest.get("signature_info") or {}
            who = info.get("common_name") or info.get("issuer") or ""
            return f"{who} ({_generator(manifest) or label})" if who else label
    return url or "signer"


@lru_cache(maxsize=8)
def _context(anchors: str):
    """A c2pa Context that never goes to the network, trusting exactly `anchors`."""
    import c2pa

    settings: dict = {
        "core": {"allowed_network_hosts": []},
        "verify": {"verify_after_reading": True, "remote_manifest_fetch": False,
                   "ocsp_fetch": False, "verify_trust": True,
                   "verify_timestamp_trust": True},
    }
    if anchors:
        settings["trust"] = {"trust_anchors": anchors}
    return c2pa.Context.from_dict(settings)


def _read(path: str, anchors: str) -> Credentials:
    import c2pa

    sidecar = path + SIDECAR_SUFFIX
    try:
        if os.path.getsize(path) == 0 and not os.path.isfile(sidecar):
            return Credentials(path)  # nothing in it to carry credentials (a placeholder)
    except OSError as e:
        return Credentials(path, error=f"cannot read: {e.strerror}")
    manifest_data = None
    if os.path.isfile(sidecar):
        try:
            with open(sidecar, "rb") as f:
                manifest_data = f.read(MAX_SIDECAR + 1)
        except OSError as e:  # a sidecar that cannot be read says nothing we can trust
            return Credentials(path, True, error=f"{os.path.basename(sidecar)} cannot be "
                               f"read: {e.strerror}", sidecar=sidecar)
        if len(manifest_data) > MAX_SIDECAR:
            return Credentials(path, True, error=f"{os.path.basename(sidecar)} is larger than "
                               f"{MAX_SIDECAR >> 20} MiB", sidecar=sidecar)
    try:
        with open(path, "rb") as stream:
            if manifest_data is not None:
                reader = c2pa.Reader(_mime(path), stream, manifest_data, _context(anchors))
            else:
                reader = c2pa.Reader.try_create(_mime(path), stream, None, _context(anchors))
            if reader is None:
                return Credentials(path)
            with reader:
                if not reader.is_embedded() and manifest_data is None:
                    return Credentials(path, True, remote=reader.get_remote_url() or "remote")
                store = json.loads(reader.json())
                return summarise(store, path, reader.get_validation_state() or "",
                                 sidecar if manifest_data is not None else "")
    except c2pa.C2paError as e:
        text = str(e)
        if "RemoteManifest" in type(e).__name__ or "remote" in text.lower():
            return Credentials(path, True, remote=text)
        if manifest_data is None and ("NotSupported" in type(e).__name__
                                      or "type is unsupported" in text):
            return Credentials(path)  # a format C2PA cannot carry: nothing embedded
        return Credentials(path, True, error=text)
    except OSError as e:
        return Credentials(path, error=f"cannot read: {e.strerror}")


def _mime(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    return {"mov": "video/quicktime", "mp4": "video/mp4", "m4v": "video/mp4",
            "m4a": "audio/mp4", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png",
            "tif": "image/tiff", "tiff": "image/tiff", "wav": "audio/wav", "mp3": "audio/mpeg",
            "heic": "image/heic", "heif": "image/heif", "webp": "image/webp",
            "avif": "image/avif", "dng": "image/dng"}.get(ext, "application/octet-stream")


def read_credentials(path: str, anchors: str = "",
                     timeout: float | None = None) -> Credentials:
    """The Content Credentials of a media file (or of its `.c2pa` sidecar), read on a
    worker thread and given up after `timeout` seconds (then unknown, reported); by
    default a minute plus the time to hash the file at 50 MB/s."""
    if timeout is None:
        try:
            timeout = TIMEOUT_SECONDS + os.path.getsize(path) / MIN_RATE
        except OSError:
            timeout = TIMEOUT_SECONDS
    future = _pool.submit(_read, path, anchors)
    try:
        return future.result(timeout=timeout)
    except FutureTimeout:
        return Credentials(path, True, error=f"reading took more than {timeout:.3g} s")

