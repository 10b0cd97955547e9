"""Where the rules come from: the published sources the catalogue cites, with their links,
and the shape of a rule's example (a complete record file).

`cutclear explain CODE` prints a rule's rationale with these links, so that an editor or a
lawyer can read the text a finding rests on, not only cutclear's paraphrase of it.
"""

from __future__ import annotations

import textwrap

NETFLIX = ("https://partnerhelp.netflixstudios.com/hc/en-us/articles/43393929218323-Using-"
           "Generative-AI-in-Content-Production")
SAG_AFTRA = ("https://sagaftra.org/contracts-industry-resources/contracts/"
             "2023-tvtheatrical-contracts/artificial-intelligence-resources")
WGA = "https://www.wgacontract2023.org/the-campaign/summary-of-the-2023-wga-mba"
NY_GOL = "https://nysenate.gov/legislation/laws/GOB/5-302"
APA = "https://www.archivalproducersalliance.com/ai-best-practices-guidelines"
EU_AI_ACT_50 = "https://aiact.annotated.nl/en/aiact/art/50/"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
C2PA = "https://c2pa.org/specifications/"
# cutclear's own principle (fail closed) and record format, documented in the repository
RULES_DOC = "https://github.com/cutclear/cutclear/blob/main/docs/rules.md"
RECORDS_DOC = "https://github.com/cutclear/cutclear/blob/main/docs/records.md"

NS = "urn:cutclear:genai:1"
# the GenAI tool the built-in rules' examples use, under clean data terms
EXAMPLE_TOOL = ('<tool id="TL-01" vendor="Runway" version="Gen-4" enterprise="true"\n'
                '      trainsOnInputs="no" retainsInputs="no">Runway</tool>')


def record_file(body: str, settings: str = "", note: str = "") -> str:
    """A complete `*.genai.xml` file around `body`, as a rule's example.

    `settings` (TOML) are the production settings the example assumes; they are shown in
    a comment at the top, since settings live in cutclear.toml, not in record files.
    `note` is a comment on what else the example needs (a sidecar, a file's content).
    """
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if settings:
        head += f"<!-- cutclear.toml:\n{textwrap.indent(settings.strip(), '     ')}\n-->\n"
    if note:
        head += f"<!-- {textwrap.indent(note.strip(), '     ').lstrip()}\n-->\n"
    inner = textwrap.indent(textwrap.dedent(body).strip(), "  ")
    return f'{head}<genai xmlns="{NS}" version="1">\n{inner}\n</genai>'
