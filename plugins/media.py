"""Media pinned by hash: a record's `<match><sha256>` describes exactly those bytes (GA005).

Names outlive versions: `sh042_sky_v3.mov` is re-rendered, re-delivered, overwritten at the
same path. An approval of the bytes someone reviewed must not clear other bytes at the same
name, so where the media file can be seen (at conform with `--media-root`, or at its path),
a clip that matches a pinned asset by its name, path, reel or clip name but whose file
hashes differently is reported. `cutclear pin PATH...` prints the lines to paste.
"""

from __future__ import annotations

from collections.abc import Iterator

from cutclear import sources
from cutclear.clearance import Context
from cutclear.hookspecs import hookimpl
from cutclear.mediafile import display_path, media_file, sha256_of
from cutclear.model import ClipUse, Problem, Rule, Severity
from cutclear.records import Asset

E, W = Severity.ERROR, Severity.WARNING


def media_version_changed(use: ClipUse, assets: list[Asset], ctx: Context) -> Iterator[Problem]:
    pinned = [a for a in assets if a.match is not None and a.match.sha256]
    if not pinned:
        return
    path = media_file(use, ctx)
    if path is None:
        return  # PV006 reports media missing at conform; elsewhere nothing can be said
    try:
        digest = sha256_of(path, ctx)
    except OSError as e:
        yield Problem(f"{display_path(path, ctx)} cannot be read to check its SHA-256 "
                      f"({e.strerror}): its version is unknown")
        return
    for asset in pinned:
        if digest not in asset.match.sha256:
            yield Problem(f"{display_path(path, ctx)} is not the version {asset.id} describes "
                          f"({asset.source.path}:{asset.source.line} pins "
                          f"{', '.join(h[:12] + '…' for h in asset.match.sha256)}, the file is "
                          f"{digest[:12]}…): have the new version reviewed and pin it "
                          "(cutclear pin), or conform the version that was approved",
                          asset=asset.id)


@hookimpl
def cutclear_rules() -> list[Rule]:
    return [Rule(
        "GA005", "media-version-changed",
        "with the media present, a clip matches an asset by its other keys but its media's "
        "SHA-256 differs from the asset's <sha256>", W, E,
        "An approval is given for what was reviewed: a new render at the same name (v3 "
        "over v2) is unreviewed until its bytes are pinned again.",
        sources.record_file(
            '<asset id="AST-1193">\n'
            "  <match>\n    <name>sh042_sky_v3.mov</name>\n"
            "    <sha256>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
            "</sha256>\n  </match>\n"
            "  <origin>trainedAlgorithmicMedia</origin>\n  <stage>final</stage>\n</asset>",
            note="the <sha256> line comes from `cutclear pin media/sh042_sky_v3.mov`"),
        "clip", media_version_changed, links=(sources.NETFLIX, sources.C2PA),
        can_flag="with-media-file", per_media=True)]
