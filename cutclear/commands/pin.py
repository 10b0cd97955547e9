"""`cutclear pin PATH...`: the `<sha256>` lines that pin media in a record's `<match>`.

A record with `<sha256>` describes exactly those bytes: at conform, a clip whose file
matches the record by name but hashes differently is GA005. Folders are walked; files
are hashed on a thread pool (hashing is I/O bound, and media folders are large).
"""

from __future__ import annotations

import argparse
import os
import sys


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "pin", help="print <sha256> lines that pin media files in records",
        description="Print one <sha256> line per media file (folders are walked), to paste "
        "into the <match> of the record that describes exactly those bytes.")
    cmd.add_argument("paths", nargs="+", metavar="PATH", help="media files or folders")
    return cmd


def files_of(paths: list[str]) -> list[str]:
    from cutclear.config import ConfigError  # loaded when the command runs
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                found += [os.path.join(dirpath, n) for n in sorted(filenames)
                          if not n.startswith(".")]
        elif os.path.isfile(path):
            found.append(path)
        else:
            raise ConfigError(f"{path}: no such file or folder")
    return found


def run(args: argparse.Namespace) -> int:
    from concurrent.futures import ThreadPoolExecutor

    from cutclear.config import ConfigError  # loaded when the command runs
    from cutclear.mediafile import sha256_file

    files = files_of(args.paths)
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        try:
            digests = list(pool.map(sha256_file, files))
        except OSError as e:
            raise ConfigError(f"{e.filename}: cannot read: {e.strerror}") from None
    for path, digest in zip(files, digests, strict=True):
        name = path.replace(os.sep, "/").replace("--", "- -")  # an XML comment may not hold --
        sys.stdout.write(f"<sha256>{digest}</sha256>  <!-- {name} -->\n")
    return 0
