"""The `cutclear-rights` command: build the registry database from legal's CSV export.

    cutclear-rights import consents.csv --db legal/rights.sqlite [--persons roster.csv]

Exit codes as cutclear's: 0 done, 2 the CSV or database could not be used (nothing is
written then: an import is all or nothing).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rights_registry import __version__
from rights_registry.registry import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    RegistryError,
    build,
    read_consents,
    read_persons,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cutclear-rights",
        description="Maintain the studio rights registry that the rights-registry plugin "
        "of cutclear reads.")
    parser.add_argument("--version", action="version",
                        version=f"cutclear-rights {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    imp = sub.add_parser(
        "import", help="replace the registry with the consents of a CSV export",
        description="Replace the registry database with the consents of a CSV export. "
        f"Columns: {', '.join(REQUIRED_COLUMNS)} (required), {', '.join(OPTIONAL_COLUMNS)} "
        "(optional). Lists (productions, uses) are separated by spaces, commas or "
        "semicolons; dates are YYYY-MM-DD.")
    imp.add_argument("csv", type=Path, metavar="CONSENTS_CSV")
    imp.add_argument("--db", type=Path, required=True, metavar="PATH",
                     help="the registry database to write, e.g. legal/rights.sqlite")
    imp.add_argument("--persons", type=Path, metavar="ROSTER_CSV",
                     help="performers the registry knows even without a consent "
                     "(columns person_id, name): their lookups answer 'no consent' instead "
                     "of 'unknown'")
    return parser


def cmd_import(args: argparse.Namespace) -> int:
    consents = read_consents(args.csv)
    persons = read_persons(args.persons) if args.persons else {}
    build(args.db, consents, persons, source=args.csv.name)
    known = len(persons.keys() | {c.person for c in consents})
    print(f"{args.db}: {len(consents)} consent(s) of {known} person(s) imported from "
          f"{args.csv}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"import": cmd_import}[args.command](args)
    except (RegistryError, OSError) as e:
        print(f"cutclear-rights: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
