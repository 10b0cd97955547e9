"""cutclear: keeps uncleared generative-AI material out of finished films and series."""

__version__ = "0.1.0"

__all__ = ["ClipUse", "ConfigError", "Finding", "GateError", "MediaIdentity", "Mode", "Problem",
           "Rule", "Severity", "__version__", "check", "hookimpl"]

# Where each public name lives. They are imported when first used, so that `import
# cutclear` (the hooks' quick exit, `cutclear --version`) loads neither pluggy, the
# settings parser nor OpenTimelineIO and lxml (`cutclear.check`).
_LAZY = {"ConfigError": "cutclear.config", "hookimpl": "cutclear.hookspecs",
         "check": "cutclear.api",
         **dict.fromkeys(("ClipUse", "Finding", "GateError", "MediaIdentity", "Mode",
                          "Problem", "Rule", "Severity"), "cutclear.model")}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cutclear' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
