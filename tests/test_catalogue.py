"""Catalogue 1.1: the rules it adds and the cases it closes, each firing on a small edit
repo and not firing on the closest repo that satisfies it; dates at their edges; the
settings it adds; the examples `cutclear explain` prints.

The repos are those of test_rules.py: a camera original, then the GenAI shot
`sh042_sky_v3` at 01:00:01:00, judged --as-of 2026-01-15.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_rules import (
    AS_OF,
    BOTH,
    approval,
    asset,
    check,
    consent,
    disclosure,
    found,
    make,
    message,
    person,
    sky,
    talent_repo,
    tool,
)

from cutclear import sources
from cutclear.cli import main
from cutclear.manager import Plugins
from cutclear.recordfile import RecordFileError, parse_record_file
from cutclear.testing import genai

IMPLICIT = '<talent person="P-1" use="likeness"/>'
EXCEPTION = ('<talent person="P-1" use="likeness" exception="unrecognizable" '
             'reviewedBy="R. Ortiz"/>')
DELIVERY = 'delivery = "2026-06-30"\n'


# --- TL003: a consent signed after the date judged -----------------------------------------

def test_tl003_consent_signed_after_as_of_is_not_current(repo):
    talent_repo(repo, person(), consent(signed="2026-01-16", term=(None, None)))
    r = check(repo)
    assert found(r) == [sky("TL003", "error")]
    assert "is signed only on 2026-01-16" in message(r, "TL003")


def test_tl003_consent_signed_on_as_of_is_current(repo):
    talent_repo(repo, person(), consent(signed=AS_OF, term=(None, None)))
    assert check(repo).findings() == []


# --- implicit consent: the one with the fewest faults, whatever the order ------------------

@pytest.mark.parametrize("order", ["performer first", "estate first"])
def test_deceased_performer_the_estate_consent_is_judged_in_any_order(repo, order):
    """A deceased performer's own (older) consent and the estate's: the estate's has no
    fault, the performer's a TL005 fault, so the estate's is judged, in either order."""
    mine = consent("CNS-1", grantor="performer", signed="2020-03-01")
    estate = consent("CNS-2", grantor="estate", signed="2025-08-20")
    records = (mine, estate) if order == "performer first" else (estate, mine)
    talent_repo(repo, person(deceased="true"), *records, talent=IMPLICIT)
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_deceased_performer_across_files_in_any_order(repo):
    talent_repo(repo, person(deceased="true"), talent=IMPLICIT)
    repo.records("records/a.genai.xml", consent("CNS-9", grantor="estate"))
    repo.records("records/z.genai.xml", consent("CNS-0", grantor="performer"))
    assert check(repo).findings() == []
    repo.records("records/a.genai.xml", consent("CNS-9", grantor="performer"))
    repo.records("records/z.genai.xml", consent("CNS-0", grantor="estate"))
    assert check(repo).findings() == []


def test_implicit_consent_tie_goes_to_the_earliest_signed(repo):
    # both are revoked (one fault each): the earlier is judged, and named in the finding
    talent_repo(repo, person(), consent("CNS-B", status="revoked", signed="2025-06-01"),
                consent("CNS-A", status="revoked", signed="2025-07-01"), talent=IMPLICIT)
    assert "consent CNS-B " in message(check(repo), "TL003")


def test_implicit_consent_fewest_faults_wins_over_the_earliest(repo):
    talent_repo(repo, person(), consent("CNS-A", status="revoked", signed="2025-06-01"),
                consent("CNS-B", signed="2025-07-01"), talent=IMPLICIT)
    assert check(repo).findings() == []


# --- exceptions need a current consent -------------------------------------------------------

@pytest.mark.parametrize("change", [dict(status="revoked"), dict(revoked="2026-01-10"),
                                    dict(status="suspended"), dict(signed="2026-02-01"),
                                    dict(term=("2025-01-01", "2025-12-31"))],
                         ids=["revoked", "revoked on a date", "suspended", "signed later",
                              "term over"])
def test_unrecognizable_exception_on_a_consent_that_is_not_current(repo, change):
    talent_repo(repo, person(), consent(**change), talent=EXCEPTION)
    r = check(repo)
    assert found(r) == [sky("TL001", "error")]
    assert "needs a current consent of P-1" in message(r, "TL001")


def test_unrecognizable_exception_on_a_consent_revoked_before_delivery(repo):
    talent_repo(repo, person(), consent(revoked="2026-03-01"), talent=EXCEPTION,
                config=DELIVERY)
    assert found(check(repo)) == [sky("TL001", "error")]


def test_unrecognizable_exception_on_a_current_consent(repo):
    talent_repo(repo, person(), consent(uses="voice"), talent=EXCEPTION, config=DELIVERY)
    assert check(repo).findings() == []


# --- dates at their edges: approvals (GA001/GA004) and consents (TL003) ----------------------

@pytest.mark.parametrize("as_of, valid", [("2026-01-31", False), ("2026-02-01", True)],
                         ids=["day before granted", "on granted"])
def test_approval_granted_edge(repo, as_of, valid):
    make(repo, asset(), approval(granted="2026-02-01"))
    r = check(repo, as_of=as_of)
    assert found(r) == ([] if valid else [sky("GA001", "error"), sky("GA004", "error")])


@pytest.mark.parametrize("as_of, valid", [("2026-05-31", True), ("2026-06-01", False)],
                         ids=["day before expires", "on expires"])
def test_approval_expires_edge(repo, as_of, valid):
    make(repo, asset(), approval(expires="2026-06-01"))
    r = check(repo, as_of=as_of)
    assert found(r) == ([] if valid else [sky("GA001", "error"), sky("GA004", "error")])


@pytest.mark.parametrize("expires, valid", [("2026-07-01", True), ("2026-06-30", False)],
                         ids=["expires the day after delivery", "expires on delivery"])
def test_approval_must_still_hold_on_delivery(repo, expires, valid):
    make(repo, asset(), approval(expires=expires), config=DELIVERY)
    assert (found(check(repo)) == []) is valid


@pytest.mark.parametrize("as_of, valid", [("2026-01-31", False), ("2026-02-01", True),
                                          ("2026-06-30", True), ("2026-07-01", False)],
                         ids=["day before the term", "first day of the term",
                              "last day of the term", "day after the term"])
def test_consent_term_edges(repo, as_of, valid):
    talent_repo(repo, person(), consent(term=("2026-02-01", "2026-06-30")))
    assert found(check(repo, as_of=as_of)) == ([] if valid else [sky("TL003", "error")])


@pytest.mark.parametrize("end, valid", [("2026-06-30", True), ("2026-06-29", False)],
                         ids=["term ends on delivery", "term ends the day before"])
def test_consent_term_end_and_delivery(repo, end, valid):
    talent_repo(repo, person(), consent(term=("2025-09-01", end)), config=DELIVERY)
    assert found(check(repo)) == ([] if valid else [sky("TL003", "error")])


@pytest.mark.parametrize("revoked, valid", [("2026-01-15", False), ("2026-01-16", False),
                                            ("2026-06-30", False), ("2026-07-01", True)],
                         ids=["revoked on as-of", "after as-of, before delivery",
                              "on delivery", "after delivery"])
def test_revocation_edges(repo, revoked, valid):
    talent_repo(repo, person(), consent(revoked=revoked), config=DELIVERY)
    r = check(repo)
    assert found(r) == ([] if valid else [sky("TL003", "error")])
    if revoked == "2026-01-16":
        assert "before delivery on 2026-06-30" in message(r, "TL003")


# --- DU005 tool-retains-inputs -----------------------------------------------------------------

@pytest.mark.parametrize("retains, severity, code", [("yes", "error", 1), ("unknown", "warning", 0),
                                                    (None, "warning", 0)])
@BOTH
def test_du005_tool_retains_inputs(repo, retains, severity, code, mode):
    repo_records = (asset(), approval())
    make(repo, *repo_records, mode=mode)
    text = (repo.root / "records/show.genai.xml").read_text()
    repo.write("records/show.genai.xml",
               text.replace(tool(), tool(retainsInputs=retains)))
    r = check(repo)
    assert found(r) == [sky("DU005", severity)]
    assert r.code == code


def test_du005_tool_that_retains_nothing_is_clear(repo):
    make(repo, asset(), approval())  # tool() states retainsInputs="no"
    assert check(repo).findings() == []


def test_du005_undefined_tool_counts_as_unknown(repo):
    make(repo, asset(tools=("TL-01", "TL-99")), approval())
    assert ("DU005", "warning") in {(f["rule"], f["severity"]) for f in check(repo).findings()}


# --- DU006 input-rights-unknown ------------------------------------------------------------------

@pytest.mark.parametrize("attr", [' rights="unknown"', ""], ids=["unknown", "absent"])
@BOTH
def test_du006_input_rights_unknown(repo, attr, mode):
    make(repo, asset(body=f"<input{attr}>reference stills from the web</input>"), approval(),
         mode=mode)
    r = check(repo)
    assert found(r) == [sky("DU006", "warning")]
    assert "reference stills from the web" in message(r, "DU006")
    assert r.code == 0


@pytest.mark.parametrize("rights", ["owned", "licensed", "public-domain"])
def test_du006_known_rights_are_clear(repo, rights):
    make(repo, asset(body=f'<input rights="{rights}">plate</input>'), approval())
    assert check(repo).findings() == []


def test_du006_only_genai_assets(repo):
    make(repo, asset(origin="digitalCapture", tools=(), body="<input>plate</input>"))
    assert check(repo).findings() == []


# --- IP002 real-person-reference ---------------------------------------------------------------

DEPICTS = '<depicts person="P-1"/>'
FIGURES = 'public-figures = ["Harold Quinn", "Marvel"]\n'


@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_ip002_depicts_a_real_person_without_approval(repo, mode, severity, code):
    make(repo, asset(body=DEPICTS, disclosures=("DSC-1",)), approval(), person(),
         disclosure(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("IP002", severity)]
    assert "depicts P-1 (Jane Doe)" in message(r, "IP002")
    assert r.code == code


def test_ip002_prompt_names_a_public_figure(repo):
    make(repo, asset(body="<prompt>harold quinn at the ferry terminal</prompt>"), approval(),
         config=FIGURES)
    r = check(repo)
    assert found(r) == [sky("IP002", "error")]
    assert "names the public figure harold quinn" in message(r, "IP002")


def test_ip002_approved_for_creative_output(repo):
    make(repo, asset(body="<prompt>Harold Quinn</prompt>\n" + DEPICTS, disclosures=("DSC-1",)),
         approval(covers="final-deliverable creative-output"), person(), disclosure(),
         config=FIGURES)
    assert check(repo).findings() == []


def test_public_figures_match_whole_words_only(repo):
    # "Marvel" is a configured term; "marvellous" and "Marvels" are other words
    make(repo, asset(body="<prompt>a marvellous harbour, Marvels of the sea</prompt>"),
         approval(), config=FIGURES + 'protected-names = ["Marvel"]\n')
    assert check(repo).findings() == []


@pytest.mark.parametrize("prompt", ["MARVEL logo on a bus", "a bus (marvel) passing",
                                    "marvel-style poster"])
def test_terms_match_case_insensitively_on_word_boundaries(repo, prompt):
    make(repo, asset(body=f"<prompt>{prompt}</prompt>"), approval(),
         config=FIGURES + 'protected-names = ["Marvel"]\n')
    assert {f["rule"] for f in check(repo).findings()} == {"IP001", "IP002"}


# --- DC003 deepfake-undisclosed ------------------------------------------------------------------

CREATIVE = approval(covers="final-deliverable creative-output")


@pytest.mark.parametrize("depicts", [DEPICTS, "<depicts>the 1974 ferry disaster</depicts>"],
                         ids=["person", "event"])
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_dc003_deepfake_in_fiction_without_disclosure(repo, depicts, mode, severity, code):
    make(repo, asset(body=depicts), CREATIVE, person(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("DC003", severity)]
    assert "EU AI Act Art. 50(4)" in message(r, "DC003")
    assert r.code == code


def test_dc003_end_credit_suffices_in_fiction(repo):
    make(repo, asset(body=DEPICTS), CREATIVE, person(),
         disclosure().replace('kind="lower-third"', 'kind="end-credit"'))
    assert check(repo).findings() == []


def test_dc003_end_credit_alone_is_too_late_in_a_documentary(repo):
    body = "<presentedAs>recreation</presentedAs>\n" + DEPICTS
    make(repo, asset(body=body), CREATIVE, person(),
         disclosure().replace('kind="lower-third"', 'kind="end-credit"'),
         config='genre = "documentary"\n')
    r = check(repo)
    assert found(r) == [sky("DC003", "error")]  # DC002 accepts the end credit
    assert "an end credit alone comes too late" in message(r, "DC003")


def test_dc003_lower_third_in_a_documentary(repo):
    body = "<presentedAs>recreation</presentedAs>\n" + DEPICTS
    make(repo, asset(body=body), CREATIVE, person(), disclosure(),
         config='genre = "documentary"\n')
    assert check(repo).findings() == []


def test_dc003_camera_original_of_a_real_person(repo):
    make(repo, asset(origin="digitalCapture", tools=(), body=DEPICTS), person())
    assert check(repo).findings() == []


# --- settings ---------------------------------------------------------------------------------------

def test_catalogue_1_1_settings_are_accepted(repo):
    # the C2PA reader (when installed) reads the anchors: give it a PEM file to read
    repo.write("legal/c2pa/root.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n"
               "-----END CERTIFICATE-----\n")
    make(repo, asset(), approval(), config='public-figures = ["Harold Quinn"]\n'
         'c2pa-trust-anchors = ["legal/c2pa/root.pem"]\nrequire-c2pa = false\n')
    r = check(repo)
    assert r.code == 0, r.err
    from cutclear.config import load_config
    config = load_config(str(repo.root))
    assert config.public_figures == ("Harold Quinn",)
    assert config.c2pa_trust_anchors == ("legal/c2pa/root.pem",)
    assert config.require_c2pa is False


@pytest.mark.parametrize("setting, error", [
    ("public-figures = [3]\n", "public-figures: expected a list of strings"),
    ('public-figures = [""]\n', "public-figures: expected a list of strings"),
    ('require-c2pa = "yes"\n', "require-c2pa: expected true or false"),
    ("c2pa-trust-anchors = true\n", "c2pa-trust-anchors: expected a list of strings"),
    ('public-figure = ["Harold Quinn"]\n', "unknown key 'public-figure'"),
])
def test_catalogue_1_1_settings_are_validated(repo, setting, error):
    make(repo, asset(), approval(), config=setting)
    r = check(repo)
    assert r.code == 2
    assert error in r.err and "cutclear.toml" in r.err


# --- the schema: format 1.1 ----------------------------------------------------------------------

def test_format_1_1_ids_with_colon_slash_and_dot(repo):
    make(repo, asset("XMP:media/vfx/sh042.v3"),
         approval(assets="XMP:media/vfx/sh042.v3"))
    r = check(repo)
    assert r.findings() == [] and r.code == 0


@pytest.mark.parametrize("bad", ["/media/sh042", "-x/y", "a b"])
def test_ids_with_slash_must_start_with_a_letter(bad):
    with pytest.raises(RecordFileError, match="not valid against the genai schema"):
        parse_record_file(genai(f'<person id="{bad}">Jane</person>').encode(), "r.genai.xml")


def pinned(digest: str) -> str:
    return asset().replace("<match><name>sh042_sky_v3.mov</name></match>",
                           f"<match><name>sh042_sky_v3.mov</name><sha256>{digest}</sha256>"
                           "</match>")


def test_format_1_1_sha256_in_any_case_is_a_pin_not_a_key(repo):
    make(repo, pinned(" " + "AB" * 32 + "\n"), approval())
    r = check(repo)  # still matched by name; without the media the pin is not compared
    assert r.findings() == [] and r.code == 0
    [record] = [x for x in parse_record_file(
        genai(pinned("AB" * 32)).encode(), "r.genai.xml")]
    assert record.match.sha256 == ("ab" * 32,)


@pytest.mark.parametrize("digest", ["ab" * 31, "ab" * 33, "zz" * 32, "ab" * 31 + "a b"],
                         ids=["short", "long", "not hex", "space"])
def test_malformed_sha256_is_a_located_pv001(repo, digest):
    make(repo, approval())
    repo.records("records/vfx.genai.xml", pinned(digest))
    r = check(repo)
    [f] = r.findings("PV001")
    assert (f["path"], f["line"]) == ("records/vfx.genai.xml", 4)
    assert "sha256" in f["message"]
    assert found(r, "GA003") == [sky("GA003", "warning", None)]  # nothing in it is trusted


# --- cutclear explain: sources with links, examples that are complete files --------------------

RULES = Plugins().rules
BUILT_IN = sorted(code for code, rule in RULES.items() if rule.source.startswith("cutclear-"))


# Catalogue 1.1. GA005 (cutclear-media) and PV008, PV009 (cutclear-c2pa) are the rules of
# the media-reading plugins, which come with the provenance work.
CATALOGUE = ([f"GA00{i}" for i in range(1, 6)] + [f"TL00{i}" for i in range(1, 10)]
             + [f"DU00{i}" for i in range(1, 7)] + ["IP001", "IP002", "DC001", "DC002", "DC003"]
             + [f"PV00{i}" for i in range(1, 10)])
MEDIA_RULES = {"GA005", "PV008", "PV009"}


def test_the_catalogue_is_catalogue_1_1():
    assert set(CATALOGUE) - MEDIA_RULES <= set(BUILT_IN) <= set(CATALOGUE)


@pytest.mark.parametrize("code", BUILT_IN)
def test_explain_prints_the_source_with_a_link(code, capsys):
    assert main(["explain", code]) == 0
    out = capsys.readouterr().out
    [source] = [line for line in out.splitlines() if line.startswith("Source: ")]
    assert all(link.startswith(("https://", "http://")) for link in
               source.removeprefix("Source: ").split(" ; "))
    assert RULES[code].links and set(RULES[code].links) <= {
        v for k, v in vars(sources).items() if k.isupper() and isinstance(v, str)}


@pytest.mark.parametrize("code", BUILT_IN)
def test_explain_example_is_a_complete_valid_record_file(code, capsys):
    main(["explain", code])
    out = capsys.readouterr().out
    printed = out.split("Records that satisfy it:\n\n", 1)[1].rsplit("\n\nFrom plugin:", 1)[0]
    text = "\n".join(line.removeprefix("    ") for line in printed.splitlines())
    assert text == RULES[code].example
    assert "<genai xmlns=\"urn:cutclear:genai:1\" version=\"1\">" in text
    records = parse_record_file(text.encode(), "example.genai.xml")  # schema and terms
    assert records or code in ("PV001", "PV005", "PV006")




@settings(max_examples=200, deadline=None, database=None)
@given(st.from_regex(r"[A-Za-z0-9_.:\-]+", fullmatch=True))
def test_every_format_1_0_id_is_still_valid(record_id):
    [record] = parse_record_file(genai(f'<person id="{record_id}">Jane</person>').encode(),
                                 "r.genai.xml")
    assert record.id == record_id
