"""OTIO hook script (pre_adapter_write): stop writing a cut that may not ship.

Fails closed: when the gate is on, anything that prevents the check (bad settings, a
plugin that will not load, unreadable records) stops the write as well.
"""

from cutclear.otio_adapters import check, settings

from cutclear.model import GateError


def hook_function(in_timeline, argument_map=None):
    try:
        s = settings(argument_map)
    except Exception as e:  # bad settings: with the gate maybe on, refuse the write
        raise GateError(f"cutclear gate settings are not valid, so nothing was written: {e}"
                        ) from e
    if not s.gate:
        return in_timeline
    try:
        report = check(in_timeline, s)
    except Exception as e:
        raise GateError(f"cutclear gate is on but could not check the timeline, so nothing "
                        f"was written: {e}") from e
    report.raise_for_blocking()
    return in_timeline
