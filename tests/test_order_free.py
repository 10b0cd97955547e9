"""The verdict never depends on the order of records or files (catalogue 1.1).

A property test: Hypothesis picks which records of a pool exist, shuffles them, and
spreads them over several record files; the JSON report must be the one the same records
give in their canonical order in one file. The pool is built around the cases where order
used to matter: a deceased performer with consents from the performer and from the
estate, consents that are revoked, signed late or out of scope, an `unrecognizable`
exception, and approvals that are valid, expired or for another production.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import approval, consent, disclosure, person, tool

from cutclear.testing import Repo, timeline

AS_OF = "2026-01-15"
CONFIG = 'production = "PRD-778"\nlocked = ["cuts/locked/**"]\ndelivery = "2026-06-30"\n'
CLIPS = [("A001C003", "file:///media/camera/A001C003.mov", 24),
         ("sh042_sky_v3", "file:///vfx/sh042/sh042_sky_v3.mov", 24),
         ("sh050_crowd_v1", "file:///vfx/sh050/sh050_crowd_v1.mov", 24)]
AUDIO = [("adr_quinn_replica", "file:///audio/ai/adr_quinn_replica.wav", 48)]


def _asset(id: str, name: str, body: str, approvals: str = "") -> str:
    refs = "".join(f'\n  <approval ref="{a}"/>' for a in approvals.split())
    return (f'<asset id="{id}">\n  <match><name>{name}</name></match>\n'
            "  <origin>trainedAlgorithmicMedia</origin>\n  <stage>final</stage>\n"
            f'  <tool ref="TL-01"/>\n  {body}{refs}\n</asset>')


# Always there: what the timeline's clips are matched against.
FIXED = [
    '<asset id="CAM">\n  <match><path>media/camera/**</path></match>\n'
    "  <origin>digitalCapture</origin>\n</asset>",
    tool(),
    person("P-1", "Harold Quinn", deceased="true"),
    person("P-2", "Ana Ruiz"),
    _asset("AST-1", "sh042_sky_v3.mov", "<prompt>storm over the harbour</prompt>"),
    _asset("AST-2", "adr_quinn_replica.wav", '<talent person="P-1" use="voice"/>'),
    _asset("AST-3", "sh050_crowd_v1.mov",
           '<talent person="P-2" use="likeness" exception="unrecognizable" '
           'reviewedBy="R. Ortiz"/>\n  <depicts>the 1974 ferry disaster</depicts>'),
]
# Present or not, as Hypothesis chooses.
POOL = [
    consent("CNS-10", "P-1", grantor="performer", uses="voice", signed="2019-05-01"),
    consent("CNS-11", "P-1", grantor="estate", uses="voice", signed="2025-08-20"),
    consent("CNS-12", "P-1", grantor="estate", uses="voice", signed="2025-06-01",
            status="revoked"),
    consent("CNS-13", "P-1", grantor="estate", uses="voice", signed="2026-02-01"),
    consent("CNS-14", "P-1", grantor="representative", uses="voice", production="PRD-100"),
    consent("CNS-15", "P-1", grantor="estate", uses="voice", separate="false",
            signed="2025-08-20"),
    consent("CNS-16", "P-1", grantor="union", uses="voice", revoked="2026-03-01"),
    consent("CNS-20", "P-2", revoked="2026-01-10"),
    consent("CNS-21", "P-2", status="suspended"),
    consent("CNS-22", "P-2", uses="voice", term=("2025-09-01", "2026-06-30")),
    approval("APR-1", assets="AST-1", covers="final-deliverable"),
    approval("APR-2", assets="AST-1", covers="final-deliverable", expires="2026-01-15"),
    approval("APR-3", assets="AST-1 AST-2", covers="final-deliverable talent",
             production="PRD-100"),
    approval("APR-4", assets="AST-2", covers="final-deliverable talent creative-output",
             status="conditional", conditions=("estate reviews the final mix",)),
    approval("APR-5", assets="AST-3", covers="final-deliverable talent", status="revoked"),
    approval("APR-6", assets="AST-3", covers="final-deliverable talent",
             granted="2026-01-16"),
    disclosure("DSC-1", assets="AST-3").replace('kind="lower-third"', 'kind="end-credit"'),
]
FILES = 3


def write(root: Path, files: dict[str, list[str]], capsys) -> Repo:
    repo = Repo(root, capsys)
    (root / ".git").mkdir(parents=True)
    repo.config(CONFIG)
    repo.timeline("cuts/locked/reel1.otio", timeline(CLIPS, audio=AUDIO))
    for rel, records in files.items():
        repo.records(rel, "\n".join(records))
    return repo


def report(repo: Repo) -> dict:
    result = repo.check("--as-of", AS_OF)
    assert result.code in (0, 1), result.err
    data = result.json
    for f in data["findings"]:  # a message may say which file a record is in
        f["message"] = re.sub(r"records/[\w.]+\.genai\.xml", "records/*.genai.xml",
                              f["message"])
    return data


@st.composite
def arrangements(draw):
    chosen = draw(st.lists(st.sampled_from(range(len(POOL))), unique=True))
    records = FIXED + [POOL[i] for i in sorted(chosen)]
    shuffled = draw(st.permutations(records))
    spread = draw(st.lists(st.integers(0, FILES - 1), min_size=len(records),
                           max_size=len(records)))
    return records, shuffled, spread


@settings(max_examples=60, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(arrangements())
def test_shuffling_records_within_and_across_files_never_changes_the_report(
        tmp_path, capsys, arrangement):
    records, shuffled, spread = arrangement
    with tempfile.TemporaryDirectory(dir=tmp_path) as a, \
            tempfile.TemporaryDirectory(dir=tmp_path) as b:
        canonical = write(Path(a), {"records/all.genai.xml": records}, capsys)
        files: dict[str, list[str]] = {}
        for record, k in zip(shuffled, spread, strict=True):
            files.setdefault(f"records/f{k}.genai.xml", []).append(record)
        expected = report(canonical)
        got = report(write(Path(b), files, capsys))
    assert [f for f in got["findings"] if f["rule"].startswith("PV")] == []
    assert got["findings"] == expected["findings"]
    assert got["summary"] == expected["summary"]


def test_the_pool_gives_verdicts_that_order_used_to_change(repo):
    """The pool is not trivially clear: with every record present, the estate's clean
    consent CNS-11 is the one judged for the deceased performer, whatever the order."""
    repo.config(CONFIG)
    repo.timeline("cuts/locked/reel1.otio", timeline(CLIPS, audio=AUDIO))
    repo.records("records/all.genai.xml", "\n".join(FIXED + POOL))
    result = repo.check("--as-of", AS_OF)
    rules = {(f["rule"], f["asset"]) for f in result.findings()}
    assert ("TL005", "AST-2") not in rules and ("TL003", "AST-2") not in rules
    assert ("GA004", "AST-1") in rules and ("GA001", "AST-1") not in rules
    # P-2's only current consent (CNS-22, voice) supports the exception for AST-3
    assert ("TL001", "AST-3") not in rules
