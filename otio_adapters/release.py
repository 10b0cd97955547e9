"""OTIO hook script (post_adapter_write): forget what the gate and annotator checked.

OTIO runs pre-write hooks twice for some adapters, so a check is remembered during one
write; once the write is done, a later write of the same timeline is checked again.
"""

from cutclear.otio_adapters import forget


def hook_function(in_timeline, argument_map=None):
    forget()
    return in_timeline
