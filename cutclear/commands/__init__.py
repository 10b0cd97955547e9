"""Subcommands kept in their own modules: each has `add_parser(subparsers)` and
`run(args) -> int`, and imports what it needs only when run."""
