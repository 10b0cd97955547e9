"""pre-commit entry points, one module per hook, each `main(argv) -> int`.

They share the engine of `cutclear check`; the hooks only decide what a commit touches.
"""
