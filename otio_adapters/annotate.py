"""OTIO hook script (pre_adapter_write): write provenance and findings into the export.

The timeline passed in is left as it is; a copy carrying the annotations is written.
"""

from cutclear.otio_adapters import Refused, check, recalled, remember, settings


def hook_function(in_timeline, argument_map=None):
    try:
        s = settings(argument_map)
    except Exception as e:
        raise Refused(f"cutclear settings are not valid, so nothing was written: {e}") from e
    if not s.annotate or recalled(in_timeline)[1]:
        return in_timeline  # off, or a copy this process has just annotated
    from cutclear.annotate import annotated_copy

    try:
        report = check(in_timeline, s)
    except Exception as e:
        raise Refused(f"cutclear could not check the timeline to annotate it, so nothing was "
                      f"written: {e}") from e
    result = annotated_copy(in_timeline, report, markers=s.markers)
    remember(result, report, annotated=True)
    return result
