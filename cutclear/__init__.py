"""cutclear: keeps uncleared generative-AI material out of finished films and series."""

from cutclear.hookspecs import hookimpl
from cutclear.model import ClipUse, Finding, MediaIdentity, Mode, Problem, Rule, Severity

__version__ = "0.1.0"

__all__ = ["ClipUse", "Finding", "MediaIdentity", "Mode", "Problem", "Rule", "Severity",
           "__version__", "hookimpl"]
