"""C2PA Content Credentials as provenance (active with `pip install 'cutclear[c2pa]'`).

Wherever a clip's media file can be seen (the conform's `--media-root`, or the clip's path
in the edit repo or absolute), its manifest store is read (`cutclear.credentials`). A
generative claim makes the media a GenAI asset, `C2PA:<media path>`, even when no record
mentions it: GA001/GA002 judge it at lock and name the claim generator. A record that says
otherwise is a PV003 conflict; records still declare, approve and consent for the media,
and both assets are checked. A store that fails validation is PV008, a signer outside the
configured trust anchors PV009.

Without c2pa-python the plugin is loaded but inactive (`cutclear plugins` says so) and
`require-c2pa = true` in the settings stops the run (exit 2).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from cutclear import sources
from cutclear.clearance import Context
from cutclear.config import Config, ConfigError
from cutclear.hookspecs import hookimpl
from cutclear.mediafile import cached, derived_tool, display_path, media_file
from cutclear.model import ClipUse, Problem, Rule, Severity
from cutclear.records import Asset, Source

if TYPE_CHECKING:  # cutclear.credentials is imported when a media file is to be read
    from concurrent.futures import Future

    from cutclear.credentials import Claim, Credentials

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
INSTALL = "pip install 'cutclear[c2pa]'"
RANK = {"generative": 0, "generative-edit": 1, "other": 2}


def plugin_status() -> str:
    """One line for `cutclear plugins`: whether C2PA credentials are read."""
    from cutclear.credentials import available, version

    if available():
        return f"active (c2pa-python {version()})"
    return f"inactive: c2pa-python is not installed ({INSTALL})"


@lru_cache(maxsize=8)
def _anchors(files: tuple[tuple[str, int], ...]) -> str:
    """The trust anchors' PEM text (files keyed with their mtime: an edit is re-read)."""
    texts = []
    for path, _mtime in files:
        try:
            with open(path, encoding="ascii", errors="replace") as f:
                text = f.read()
        except OSError as e:
            raise ConfigError(f"c2pa-trust-anchors: {path}: cannot read: {e.strerror}") from None
        if "-----BEGIN CERTIFICATE-----" not in text:
            raise ConfigError(f"c2pa-trust-anchors: {path}: no PEM certificate in it "
                              "(expected -----BEGIN CERTIFICATE----- blocks)")
        texts.append(text.strip())
    return "\n".join(texts) + ("\n" if texts else "")


def anchors_of(config: Config) -> str:
    files = []
    for name in config.c2pa_trust_anchors:
        path = name if os.path.isabs(name) else os.path.join(config.root, name)
        try:
            files.append((path, os.stat(path).st_mtime_ns))
        except OSError:
            raise ConfigError(f"c2pa-trust-anchors: {name}: no such file") from None
    return _anchors(tuple(files))


@hookimpl
def cutclear_configure(config: Config, settings: dict) -> None:
    if config.require_c2pa and not _available():
        raise ConfigError("require-c2pa is set, but c2pa-python is not installed, so Content "
                          f"Credentials in media cannot be read: {INSTALL}")
    anchors_of(config)  # a missing or malformed anchor file is a configuration error


def _available() -> bool:
    from cutclear.credentials import available

    return available()


def read_credentials(path: str, anchors: str) -> Credentials:
    """`cutclear.credentials.read_credentials`, imported on the first media file read."""
    from cutclear.credentials import read_credentials

    return read_credentials(path, anchors)


def credentials(path: str, ctx: Context) -> Credentials:
    from cutclear.credentials import from_json, to_json, version

    anchors = anchors_of(ctx.config)
    what = f"c2pa-{version()}:" + hashlib.sha256(anchors.encode()).hexdigest()[:16]
    return cached(what, path, lambda p: read_credentials(p, anchors), ctx,  # type: ignore
                  (to_json, from_json))


def _ahead(ctx: Context) -> dict[str, Future]:
    """Every media file of the run's timelines, submitted once for reading in parallel:
    validation hashes whole files, and a conform has hundreds of them."""
    if "cutclear-c2pa-ahead" not in ctx.cache:
        paths = {}
        for read in ctx.cache.get("cutclear-reads") or ():
            for use in read.clips:
                path = media_file(use, ctx)
                if path is not None and path not in paths:
                    paths[path] = None
        from concurrent.futures import ThreadPoolExecutor

        from cutclear.credentials import POOL_SIZE

        pool = ThreadPoolExecutor(max_workers=POOL_SIZE,  # from the process's affinity
                                  thread_name_prefix="cutclear-c2pa-ahead")
        ctx.cache["cutclear-c2pa-ahead"] = {p: pool.submit(credentials, p, ctx) for p in paths}
        pool.shutdown(wait=False)
    return ctx.cache["cutclear-c2pa-ahead"]


@hookimpl
def cutclear_provenance(clip: ClipUse, ctx: Context) -> list[Asset]:
    path = media_file(clip, ctx)
    if path is None:  # c2pa-python (and cutclear.credentials) only for a file to read
        return []
    if not _available():
        return []
    ahead = _ahead(ctx).get(path)
    creds = ahead.result() if ahead is not None else credentials(path, ctx)
    ctx.cache[("cutclear-c2pa", clip.media)] = creds
    believed = sorted(creds.believed(), key=lambda c: RANK[c.cls])
    if not believed:
        return []
    cls = believed[0].cls
    chosen = [c for c in believed if c.cls == cls]
    rel = display_path(path, ctx)
    where = Source(rel, 0)
    tools = []
    for claim in chosen:
        for name in (claim.generator, claim.agent):
            if name:
                tools.append(derived_tool(ctx, "C2PA", *_split(name), where))
    genai = cls != "other"
    # The stage is a production decision no credential states: a record of the same media
    # that declares it GenAI and final says so; otherwise it is temp.
    stage = "final" if genai and any(a.genai and a.stage == "final"
                                     for a in ctx.index.lookup(clip.media)) else "temp"
    return [Asset(f"C2PA:{rel}", chosen[0].source_type, cls, where, stage=stage,
                  tools=tuple(dict.fromkeys(tools)),
                  notes=tuple(dict.fromkeys(_note(c) for c in chosen)))]


def _split(name: str) -> tuple[str, str | None]:
    head, _, tail = name.rpartition(" ")
    return (head, tail) if head and any(ch.isdigit() for ch in tail) else (name, None)


def _note(claim: Claim) -> str:
    agent = f" with {claim.agent}" if claim.agent else ""
    return (f"C2PA: {claim.action} {claim.source_type or '(no digitalSourceType)'} signed "
            f"by {claim.generator or 'an unnamed generator'}{agent} (manifest "
            f"{claim.manifest})")


def _read_of(use: ClipUse, ctx: Context) -> Credentials | None:
    return ctx.cache.get(("cutclear-c2pa", use.media))


def invalid_credentials(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    creds = _read_of(use, ctx)
    if creds is None:
        return
    rel = display_path(creds.path, ctx)
    if creds.error:
        yield Problem(f"the Content Credentials of {rel} cannot be read ({creds.error}), so "
                      "what they say is unknown: check the file or replace it with the "
                      "original from its source")
    elif creds.invalid:
        codes = ", ".join(creds.failures) or f"validation state {creds.state}"
        genai = [c for c in creds.believed() if c.cls != "other"]
        kept = (" Its generative claim is still believed." if genai else
                " What it claims is not believed.")
        yield Problem(f"the Content Credentials of {rel} fail validation ({codes}): the file "
                      f"was changed after signing or the signature is bad.{kept} Conform the "
                      "original, signed file, or have its source re-sign it")


def untrusted_credentials(use: ClipUse, assets: list[Asset],
                          ctx: Context) -> Iterator[Problem]:
    creds = _read_of(use, ctx)
    if creds is None:
        return
    rel = display_path(creds.path, ctx)
    if creds.remote:
        yield Problem(f"the Content Credentials of {rel} are remote-only ({creds.remote}) and "
                      "cutclear never fetches them, so its provenance is unknown: put the "
                      f"manifest beside the media as {os.path.basename(rel)}.c2pa")
    elif creds.untrusted and not creds.invalid and not creds.error:
        yield Problem(f"the Content Credentials of {rel} are signed by "
                      f"{', '.join(creds.untrusted)}, which chains to none of the trust "
                      "anchors: add the signer's root to c2pa-trust-anchors if the production "
                      "trusts it")


EXAMPLE = sources.record_file(
    '<asset id="AST-0042">\n  <match><name>sh042_plate.mov</name></match>\n'
    "  <origin>digitalCapture</origin>\n</asset>",
    'c2pa-trust-anchors = ["trust/c2pa-trust-list.pem"]\nrequire-c2pa = true',
    "the media's own Content Credentials must validate and chain to a trust anchor")


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [
        Rule("PV008", "invalid-content-credentials",
             "a C2PA manifest in a clip's media fails validation (hash mismatch, bad "
             "signature) or cannot be read", E, E,
             "A file changed after it was signed no longer carries what its credentials say; "
             "a compliance check that cannot trust its inputs fails closed (its generative "
             "claims are still believed).", EXAMPLE, "clip", invalid_credentials,
             links=(sources.C2PA, sources.EU_AI_ACT_50), can_flag="with-media-file",
             per_media=True),
        Rule("PV009", "untrusted-content-credentials",
             "a valid C2PA manifest's signer chains to none of the configured trust anchors "
             "(or the manifest is remote-only, never fetched)", INFO, W,
             "C2PA trust is a list the production chooses: credentials from an unknown signer "
             "prove nothing about who made the file.", EXAMPLE, "clip", untrusted_credentials,
             links=(sources.C2PA,), can_flag="with-media-file", per_media=True),
    ]
