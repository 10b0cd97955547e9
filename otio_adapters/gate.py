"""OTIO hook script (pre_adapter_write): stop writing a cut that may not ship.

Fails closed: when the gate is on, anything that prevents the check (bad settings, a
plugin that will not load, unreadable records) stops the write as well.
"""

from cutclear.otio_adapters import Refused, check, forget, settings


def hook_function(in_timeline, argument_map=None):
    try:
        s = settings(argument_map)
    except Exception as e:  # bad settings: with the gate maybe on, refuse the write
        forget()
        raise Refused(f"cutclear gate settings are not valid, so nothing was written: {e}"
                      ) from e
    if not s.gate:
        return in_timeline
    try:
        report = check(in_timeline, s)
    except Exception as e:
        forget()
        raise Refused(f"cutclear gate is on but could not check the timeline, so nothing "
                      f"was written: {e}") from e
    if report.blocking:
        forget()  # the write fails: nothing of it may be recalled by the next one
        try:
            report.raise_for_blocking()
        except Exception as e:
            raise Refused(f"{e}\nNothing was written: clear these findings (see `cutclear "
                          "explain CODE`) and write again.", report.blocking) from None
    return in_timeline
