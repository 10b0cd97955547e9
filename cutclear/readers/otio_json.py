"""OpenTimelineIO's own files: .otio (JSON), .otioz (zip) and .otiod (folder bundles)."""

from __future__ import annotations

import opentimelineio as otio

from cutclear.readers.base import Read, Source

ADAPTERS = {".otio": "otio_json", ".otioz": "otioz", ".otiod": "otiod"}


def read(source: Source, options: dict) -> Read:
    adapter = options["adapter"]
    if adapter == "otio_json":
        obj = otio.adapters.read_from_string(source.data.decode("utf-8"),
                                             adapter_name="otio_json")
    else:
        obj = otio.adapters.read_from_file(source.path, adapter_name=adapter)
    return Read(obj, namespaces=None)
