"""`cutclear import LOG.csv|LOG.xlsx -o FILE`: the production's GenAI log as records.

Exit 0 when the records were written, 1 when rows are bad (each error names the row and
column; nothing is written), 2 when the log cannot be read or the output may not be
written (it exists and --force was not given).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile


def add_parser(subparsers) -> argparse.ArgumentParser:
    cmd = subparsers.add_parser(
        "import", help="turn the production's GenAI log (CSV or XLSX) into records",
        description="Turn a GenAI log / AI usage register (.csv or .xlsx, one row per "
        "asset; columns in docs/provenance.md) into a *.genai.xml record file. Nothing is "
        "written when any row is bad.")
    cmd.add_argument("log", nargs="?", metavar="LOG", help="the log, .csv or .xlsx")
    cmd.add_argument("-o", "--output", metavar="FILE",
                     help="the record file to write, e.g. records/genai-log.genai.xml "
                     "(with --template: where to write the template)")
    cmd.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    cmd.add_argument("--template", action="store_true",
                     help="print a CSV template of the columns (or write it to -o FILE, "
                     ".csv or .xlsx)")
    return cmd


def _write(path: str, data: bytes, force: bool) -> None:
    from cutclear.config import ConfigError  # loaded when the command runs
    if os.path.exists(path) and not force:
        raise ConfigError(f"{path} exists: give --force to overwrite it")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ConfigError(f"-o {path}: no such folder {folder}")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".cutclear-import-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        os.unlink(tmp) if os.path.exists(tmp) else None
        raise ConfigError(f"-o {path}: cannot write: {e.strerror}") from None


def run(args: argparse.Namespace) -> int:
    from cutclear.config import ConfigError  # loaded when the command runs
    from cutclear.genailog import LogError, convert, template_csv, template_xlsx

    if args.template:
        if args.log:
            raise ConfigError("--template takes no LOG")
        if args.output:
            try:
                data = template_xlsx() if args.output.lower().endswith(".xlsx") else \
                    template_csv().encode()
            except LogError as e:
                raise ConfigError(str(e)) from None
            _write(args.output, data, args.force)
            print(f"wrote the GenAI log template to {args.output}")
        else:
            sys.stdout.write(template_csv())
        return 0
    if not args.log or not args.output:
        raise ConfigError("usage: cutclear import LOG.csv|LOG.xlsx -o FILE.genai.xml "
                          "(or cutclear import --template)")
    if not args.output.endswith(".genai.xml"):
        raise ConfigError(f"-o {args.output}: record files are named *.genai.xml")
    if os.path.exists(args.output) and not args.force:
        raise ConfigError(f"{args.output} exists: give --force to overwrite it")
    try:
        with open(args.log, "rb") as f:
            data = f.read(64 * 1024 * 1024 + 1)
    except OSError as e:
        raise ConfigError(f"{args.log}: cannot read: {e.strerror}") from None
    if len(data) > 64 * 1024 * 1024:
        raise ConfigError(f"{args.log}: larger than 64 MiB: split the log")
    try:
        result = convert(data, os.path.basename(args.log))
    except LogError as e:
        raise ConfigError(str(e)) from None
    if result.errors:
        for error in result.errors:
            print(error, file=sys.stderr)
        print(f"cutclear: {len(result.errors)} error{'s' if len(result.errors) != 1 else ''} "
              f"in {args.log}; nothing was written", file=sys.stderr)
        return 1
    _write(args.output, result.xml, args.force)
    print(f"wrote {result.assets} asset{'s' if result.assets != 1 else ''} and "
          f"{result.tools} tool{'s' if result.tools != 1 else ''} to {args.output}")
    return 0
