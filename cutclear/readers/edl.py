"""CMX 3600 EDLs (Avid, Premiere, Resolve, Nucoda conform lists)."""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Read, Source, TimelineError


def read(source: Source, options: dict) -> Read:
    rate = options.get("edl_rate")
    if rate is None:
        raise TimelineError("an EDL does not state its frame rate: set edl-rate in the "
                            "cutclear settings or pass --rate (e.g. --rate 24)")
    try:
        obj = otio.adapters.read_from_string(source.data.decode("utf-8", "replace"),
                                             adapter_name="cmx_3600", rate=rate)
    except Exception as e:  # the adapter raises its own errors, ValueError, KeyError...
        text = str(e).strip() or type(e).__name__
        if "rate" in text.lower():
            raise TimelineError(f"{text}: the EDL's timecodes do not fit {rate:g} fps; set "
                                "the EDL's real rate with edl-rate or --rate") from None
        raise
    return Read(obj, namespaces=frozenset({"cmx_3600"}))
