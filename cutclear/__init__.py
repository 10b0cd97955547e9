"""cutclear: keeps uncleared generative-AI material out of finished films and series."""

from cutclear.config import ConfigError
from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse, Finding, GateError, MediaIdentity, Mode, Problem, Rule, Severity

__version__ = "0.1.0"

__all__ = ["ClipUse", "ConfigError", "Finding", "GateError", "MediaIdentity", "Mode", "Problem",
           "Rule", "Severity", "__version__", "check", "hookimpl"]


def __getattr__(name: str):
    # `cutclear.check` loads OpenTimelineIO and lxml: only when it is used, so that
    # `import cutclear` (plugins, the hooks' quick exit) stays light.
    if name == "check":
        from cutclear.api import check
        return check
    raise AttributeError(f"module 'cutclear' has no attribute {name!r}")
