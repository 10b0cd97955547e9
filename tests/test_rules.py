"""The rule catalogue (spec/rules.md), rule by rule: each rule fires on a small edit repo,
and the closest repo that satisfies it does not.

Every repo has the same shape: a camera original (declared by path glob) followed by one
GenAI shot, `sh042_sky_v3`, at 01:00:01:00 in cuts/locked/reel1.otio (lock mode) or
cuts/wip/reel1.otio (wip mode). The baseline records (an approved, final GenAI asset made
with an enterprise tool that does not train on inputs) give no finding at all, so each
test changes one thing and asserts exactly what that change reports.

Every check runs with --as-of, so that no test depends on today's date.
"""

from __future__ import annotations

import textwrap

import pytest
from conftest import timeline

AS_OF = "2026-01-15"
PROD = "PRD-778"

CAM = ("A001C003", "file:///media/camera/A001C003.mov", 24)
SKY = ("sh042_sky_v3", "file:///vfx/sh042/sh042_sky_v3.mov", 48)
SKY_IN = "01:00:01:00"  # record in of SKY after CAM

CAM_ASSET = """\
<asset id="CAM">
  <match><path>media/camera/**</path></match>
  <origin>digitalCapture</origin>
</asset>"""


# --- records ---------------------------------------------------------------------------

def tool(id="TL-01", **attrs) -> str:
    """A tool; by default enterprise and not training on inputs."""
    attrs = {"vendor": "Runway", "version": "Gen-4", "enterprise": "true",
             "trainsOnInputs": "no", "retainsInputs": "no", **attrs}
    text = " ".join(f'{k}="{v}"' for k, v in attrs.items() if v is not None)
    return f'<tool id="{id}" {text}>Runway</tool>'


def asset(id="AST-1", *, name="sh042_sky_v3.mov", origin="trainedAlgorithmicMedia",
          stage="final", tools=("TL-01",), body="", approvals=(), disclosures=(),
          notes=()) -> str:
    """A GenAI asset matching SKY by file name. `body` holds the elements between
    <tool> and <approval> (prompt, input, talent, synthetic, replaces, presentedAs,
    depicts), in schema order."""
    lines = [f'<asset id="{id}">', f"  <match><name>{name}</name></match>",
             f"  <origin>{origin}</origin>"]
    if stage:
        lines.append(f"  <stage>{stage}</stage>")
    lines += [f'  <tool ref="{t}"/>' for t in tools]
    if body:
        lines.append(textwrap.indent(textwrap.dedent(body).strip(), "  "))
    lines += [f'  <approval ref="{a}"/>' for a in approvals]
    lines += [f'  <disclosure ref="{d}"/>' for d in disclosures]
    lines += [f"  <note>{n}</note>" for n in notes]
    lines.append("</asset>")
    return "\n".join(lines)


def approval(id="APR-1", *, assets="AST-1", covers="final-deliverable", status="approved",
             production=PROD, granted="2025-09-02", expires=None, conditions=()) -> str:
    lines = [f'<approval id="{id}" status="{status}">',
             '  <issuer org="Netflix">A. Contact</issuer>',
             f"  <production>{production}</production>",
             f"  <granted>{granted}</granted>"]
    if expires:
        lines.append(f"  <expires>{expires}</expires>")
    lines.append(f"  <covers>{covers}</covers>")
    if assets:
        lines.append(f"  <assets>{assets}</assets>")
    lines += [f"  <condition>{c}</condition>" for c in conditions]
    lines.append("</approval>")
    return "\n".join(lines)


def person(id="P-1", name="Jane Doe", **attrs) -> str:
    text = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<person id="{id}" union="SAG-AFTRA"{text}>{name}</person>'


def consent(id="CNS-1", person="P-1", *, status="active", grantor="performer",
            production=PROD, role=None, uses="likeness voice",
            description="Replica for three crowd shots in ep 3, sc 41-44.",
            signed="2025-08-20", separate="true", term=("2025-09-01", "2027-06-30"),
            revoked=None) -> str:
    """A performer's consent; by default complete, in scope and current at AS_OF."""
    lines = [f'<consent id="{id}" person="{person}" status="{status}">',
             f'  <grantor role="{grantor}">Jane Doe</grantor>',
             f"  <production>{production}</production>"]
    if role:
        lines.append(f"  <role>{role}</role>")
    lines.append(f"  <uses>{uses}</uses>")
    lines.append(f"  <description>{description}</description>")
    sig = "".join(f' {k}="{v}"' for k, v in (("date", signed), ("separate", separate)) if v)
    if sig:
        lines.append(f"  <signed{sig}/>")
    if term:
        start, end = term
        span = "".join(f' {k}="{v}"' for k, v in (("start", start), ("end", end)) if v)
        lines.append(f"  <term{span}/>")
    if revoked:
        lines.append(f'  <revoked date="{revoked}"/>')
    lines.append("</consent>")
    return "\n".join(lines)


def notice(id="UN-1", *, assets="AST-1", sent="2025-09-10") -> str:
    listed = f"<assets>{assets}</assets>" if assets else ""
    return (f'<notice id="{id}" union="SAG-AFTRA" sent="{sent}" '
            f'subject="synthetic-performer">{listed}</notice>')


def disclosure(id="DSC-1", *, assets="AST-1") -> str:
    listed = f"<assets>{assets}</assets>" if assets else ""
    return (f'<disclosure id="{id}" kind="lower-third">{listed}'
            "<text>AI-generated recreation, not archival footage</text></disclosure>")


LIKENESS = '<talent person="P-1" use="likeness" consent="CNS-1"/>'
TALENT_APPROVAL = approval(covers="final-deliverable talent")


# --- repos and results ------------------------------------------------------------------

def make(repo, *records: str, mode="lock", config="", clips=(CAM, SKY), audio=()):
    """An edit repo: settings, one record file (camera originals, tool TL-01 and
    `records`) and one timeline, locked or wip (a repo with no locked cut has no `locked`
    glob: one that matches nothing is an error)."""
    locked = 'locked = ["cuts/locked/**"]\n' if mode == "lock" else ""
    repo.config(f'production = "{PROD}"\n{locked}' + textwrap.dedent(config))
    repo.records("records/show.genai.xml", "\n".join((CAM_ASSET, tool(), *records)))
    repo.timeline(f"cuts/{'locked' if mode == 'lock' else 'wip'}/reel1.otio",
                  timeline(list(clips), audio=list(audio)))


def check(repo, *args, as_of=AS_OF):
    return repo.check("--as-of", as_of, *args)


def brief(f: dict) -> tuple:
    """What users rely on: rule, severity, clip, record in, asset."""
    return f["rule"], f["severity"], f["clip"], f["record_in"], f["asset"]


def found(result, rule=None) -> list[tuple]:
    return [brief(f) for f in result.findings(rule)]


def rules_of(result) -> set[str]:
    return {f["rule"] for f in result.findings()}


def sky(rule, severity, asset="AST-1"):
    """The expected finding about the SKY clip."""
    return rule, severity, "sh042_sky_v3", SKY_IN, asset


def message(result, rule) -> str:
    [f] = result.findings(rule)
    return f["message"]


BOTH = pytest.mark.parametrize("mode", ["wip", "lock"])


# --- the baseline -----------------------------------------------------------------------

@BOTH
def test_approved_final_genai_asset_is_clear(repo, mode):
    make(repo, asset(), approval(), mode=mode)
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0
    assert r.json["timelines"] == [{"path": f"cuts/{'locked' if mode == 'lock' else 'wip'}"
                                            "/reel1.otio", "mode": mode, "clips": 2}]


def test_finding_carries_path_mode_track_and_record_out(repo):
    make(repo, asset())
    [f] = check(repo).findings("GA001")
    assert f["path"] == "cuts/locked/reel1.otio"
    assert f["mode"] == "lock"
    assert f["track"] == "V1"
    assert f["record_out"] == "01:00:03:00"
    assert "AST-1" in f["message"] and "Runway Gen-4" in f["message"]


# --- GA001 genai-in-locked-cut ------------------------------------------------------------

@pytest.mark.parametrize("mode, severity, code", [("wip", "info", 0), ("lock", "error", 1)])
def test_ga001_genai_without_approval(repo, mode, severity, code):
    make(repo, asset(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("GA001", severity)]
    assert r.code == code


@pytest.mark.parametrize("origin", [
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "compositeSynthetic",
    "http://c2pa.org/digitalsourcetype/trainedAlgorithmicData",
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
])
def test_ga001_fires_for_generative_and_generative_edit_origins(repo, origin):
    make(repo, asset(origin=origin))
    assert found(check(repo), "GA001") == [sky("GA001", "error")]


@pytest.mark.parametrize("origin", ["digitalCapture", "composite", "algorithmicallyEnhanced",
                                    "humanEdits"])
def test_ga001_ignores_assets_that_are_not_genai(repo, origin):
    make(repo, asset(origin=origin, stage=None, tools=()))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_ga001_approval_must_cover_final_deliverable(repo):
    make(repo, asset(), approval(covers="creative-output talent"))
    r = check(repo)
    assert found(r) == [sky("GA001", "error")]  # a valid approval, of something else
    assert r.code == 1


def test_ga001_a_clip_used_twice_gives_two_findings(repo):
    make(repo, asset(), clips=(CAM, SKY, CAM, SKY))
    r = check(repo)
    assert found(r, "GA001") == [sky("GA001", "error"),
                                 ("GA001", "error", "sh042_sky_v3", "01:00:04:00", "AST-1")]


def test_ga001_audio_clips_are_checked(repo):
    make(repo, asset(name="ruiz_adr.wav"), approval(assets="AST-1"),
         asset("AST-2", name="ruiz_adr_v2.wav"),
         audio=[("ruiz_adr_v2", "file:///audio/ruiz_adr_v2.wav", 24)])
    f = check(repo).findings("GA001")
    assert [(x["track"], x["clip"], x["record_in"], x["asset"]) for x in f] == \
        [("A1", "ruiz_adr_v2", "01:00:00:00", "AST-2")]


def test_a_clip_matching_several_assets_is_checked_against_each(repo):
    make(repo, asset(), asset("AST-2", name="sh042_sky_v*.mov"))
    assert found(check(repo)) == [sky("GA001", "error", "AST-1"), sky("GA001", "error", "AST-2")]


def test_one_finding_per_rule_clip_and_asset(repo):
    talent = ('<talent person="P-1" use="likeness"/>\n'
              '<talent person="P-1" use="voice"/>')
    talent_repo(repo, person(), talent=talent)
    r = check(repo)
    assert found(r) == [sky("TL001", "error")]
    assert "likeness of P-1 (Jane Doe)" in message(r, "TL001")
    assert "voice of P-1 (Jane Doe)" in message(r, "TL001")


def unmatched(record: str) -> str:
    """An asset record without its <match>."""
    return record.replace("  <match><name>sh042_sky_v3.mov</name></match>\n", "")


def test_sidecar_asset_without_match_declares_its_media(repo):
    make(repo, approval(), config="require-provenance = true\n")
    repo.records("vfx/sh042/sh042_sky_v3.mov.genai.xml", unmatched(asset()))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_asset_without_match_outside_a_sidecar_is_invalid(repo):
    make(repo, approval())
    repo.records("records/vfx.genai.xml", unmatched(asset()))
    r = check(repo)
    assert [f["path"] for f in r.findings("PV001")] == ["records/vfx.genai.xml"]
    assert found(r, "GA003") == [sky("GA003", "warning", None)]


# --- GA002 temp-genai-at-lock ---------------------------------------------------------------

@pytest.mark.parametrize("stage", ["temp", None])
@pytest.mark.parametrize("mode, severity, code", [("wip", "info", 0), ("lock", "error", 1)])
def test_ga002_temp_or_unstaged_genai(repo, stage, mode, severity, code):
    make(repo, asset(stage=stage), approval(), mode=mode)  # no approval clears temp
    r = check(repo)
    assert found(r) == [sky("GA002", severity)]
    assert r.code == code


def test_ga002_final_stage_is_clear(repo):
    make(repo, asset(stage="final"), approval())
    assert "GA002" not in rules_of(check(repo))


# --- GA003 undeclared-media -----------------------------------------------------------------

def test_ga003_is_off_in_wip(repo):
    make(repo, asset(), approval(), mode="wip", clips=(CAM, SKY, ("mystery", "file:///x/m.mov", 24)))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_ga003_is_a_warning_at_lock(repo):
    make(repo, asset(), approval(), clips=(CAM, SKY, ("mystery", "file:///x/m.mov", 24)))
    r = check(repo)
    assert found(r) == [("GA003", "warning", "mystery", "01:00:03:00", None)]
    assert r.code == 0
    assert "m.mov" in message(r, "GA003")


def test_ga003_is_an_error_with_require_provenance(repo):
    make(repo, asset(), approval(), config="require-provenance = true\n",
         clips=(CAM, SKY, ("mystery", "file:///x/m.mov", 24)))
    r = check(repo)
    assert found(r) == [("GA003", "error", "mystery", "01:00:03:00", None)]
    assert r.code == 1


def test_ga003_declared_media_and_gaps_are_clear(repo):
    make(repo, asset(), approval(), config="require-provenance = true\n",
         clips=(CAM, (None, None, 24), SKY))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


# --- GA004 invalid-approval and what makes an approval valid ---------------------------------

INVALID_APPROVALS = {
    "rejected": (dict(status="rejected"), "is rejected"),
    "revoked": (dict(status="revoked"), "is revoked"),
    "expired": (dict(expires="2026-01-01"), "expired on 2026-01-01"),
    "other production": (dict(production="PRD-999"), "PRD-999"),
    "not granted yet": (dict(granted="2026-02-01"), "granted only from 2026-02-01"),
    "does not list the asset": (dict(assets=None), "does not list AST-1"),
}


@pytest.mark.parametrize("change, why", INVALID_APPROVALS.values(), ids=INVALID_APPROVALS)
@pytest.mark.parametrize("mode, ga001", [("wip", "info"), ("lock", "error")])
def test_ga004_invalid_approval(repo, change, why, mode, ga001):
    # the asset references the approval, so it is linked even when it does not list it
    make(repo, asset(approvals=("APR-1",)), approval(**change), mode=mode)
    r = check(repo)
    assert found(r) == [sky("GA001", ga001), sky("GA004", "error")]
    assert why in message(r, "GA004")
    assert r.code == 1


@pytest.mark.parametrize("change", [dict(expires="2026-01-16"), dict(granted=AS_OF),
                                    dict(status="approved")],
                         ids=["expires after as-of", "granted on as-of", "approved"])
def test_ga004_closest_valid_approval(repo, change):
    make(repo, asset(approvals=("APR-1",)), approval(**change))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_ga004_approval_must_hold_until_delivery(repo):
    make(repo, asset(), approval(expires="2026-03-01"), config='delivery = "2026-06-30"\n')
    r = check(repo)
    assert found(r) == [sky("GA001", "error"), sky("GA004", "error")]
    assert "before delivery" in message(r, "GA004")


def test_ga004_approval_holding_past_delivery_is_valid(repo):
    make(repo, asset(), approval(expires="2026-07-31"), config='delivery = "2026-06-30"\n')
    assert check(repo).findings() == []


def test_ga004_judged_at_as_of(repo):
    make(repo, asset(), approval(granted="2026-02-01", expires="2026-06-01"))
    assert found(check(repo, as_of="2026-01-31")) == [sky("GA001", "error"),
                                                     sky("GA004", "error")]
    assert check(repo, as_of="2026-02-01").findings() == []
    assert found(check(repo, as_of="2026-06-02")) == [sky("GA001", "error"),
                                                     sky("GA004", "error")]


def test_ga004_approval_linked_only_by_its_asset_list_is_still_judged(repo):
    make(repo, asset(), approval(status="rejected"))  # the asset does not reference it
    assert found(check(repo)) == [sky("GA001", "error"), sky("GA004", "error")]


@pytest.mark.parametrize("asset_refs", [(), ("APR-1",)], ids=["listed only", "both ways"])
def test_approval_links_are_two_way(repo, asset_refs):
    make(repo, asset(approvals=asset_refs), approval())
    assert check(repo).findings() == []


def test_one_valid_approval_is_enough_but_the_invalid_one_is_reported(repo):
    make(repo, asset(), approval(), approval("APR-2", status="revoked"))
    r = check(repo)
    assert found(r) == [sky("GA004", "error")]
    assert "APR-2" in message(r, "GA004")


@BOTH
def test_conditional_approval_is_valid_with_an_info_finding(repo, mode):
    make(repo, asset(), approval(status="conditional",
                                 conditions=("human paint-out pass before online",)),
         mode=mode)
    r = check(repo)
    assert found(r) == [sky("GA004", "info")]
    assert "human paint-out pass before online" in message(r, "GA004")
    assert r.code == 0


# --- TL001 talent-without-consent ---------------------------------------------------------

def talent_repo(repo, *records, talent=LIKENESS, mode="lock", config=""):
    make(repo, asset(body=talent), TALENT_APPROVAL, *records, mode=mode, config=config)


def test_talent_with_consent_and_approval_is_clear(repo):
    talent_repo(repo, person(), consent())
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


@BOTH
def test_tl001_talent_without_consent(repo, mode):
    talent_repo(repo, person(), talent='<talent person="P-1" use="likeness"/>', mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL001", "error")]
    assert r.code == 1


def test_tl001_named_consent_that_no_record_defines(repo):
    talent_repo(repo, person())
    r = check(repo)
    assert found(r, "TL001") == [sky("TL001", "error")]
    assert "CNS-1" in message(r, "TL001")
    assert [f["rule"] for f in r.findings("PV002")] == ["PV002"]


def test_tl001_consent_found_without_a_consent_attribute(repo):
    talent_repo(repo, person(), consent("CNS-OLD", production="PRD-100"), consent("CNS-9"),
                talent='<talent person="P-1" use="likeness"/>')
    assert check(repo).findings() == []  # CNS-9 fits; CNS-OLD is for another production


def test_tl001_lookup_prefers_a_consent_in_scope_that_is_not_current(repo):
    # neither fits fully: the one for this production is judged, so the finding says that
    # it is revoked (TL003) rather than that another production's consent does not fit
    talent_repo(repo, person(), consent("CNS-OLD", production="PRD-100"),
                consent("CNS-9", status="revoked"),
                talent='<talent person="P-1" use="likeness"/>')
    r = check(repo)
    assert found(r) == [sky("TL003", "error")]
    assert "CNS-9" in message(r, "TL003")


@pytest.mark.parametrize("cls", ["cosmetic", "wardrobe", "noise-reduction", "timing",
                                 "continuity", "pitch", "clarity", "dubbing"])
def test_tl001_customary_alterations_need_no_consent(repo, cls):
    talent_repo(repo, person(),
                talent=f'<talent person="P-1" use="performance-alteration" class="{cls}"/>')
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


@pytest.mark.parametrize("cls", ["lip-sync", "facial-performance", "delivery", "new-dialogue"])
def test_tl001_other_alterations_need_consent(repo, cls):
    talent_repo(repo, person(),
                talent=f'<talent person="P-1" use="performance-alteration" class="{cls}"/>')
    assert found(check(repo)) == [sky("TL001", "error")]


def test_tl001_alteration_consent_must_list_performance_alteration(repo):
    talent = '<talent person="P-1" use="performance-alteration" class="lip-sync"/>'
    talent_repo(repo, person(), consent(uses="likeness performance-alteration"), talent=talent)
    assert check(repo).findings() == []


def test_tl001_training_use_needs_consent(repo):
    talent_repo(repo, person(), talent='<talent person="P-1" use="training"/>')
    assert found(check(repo)) == [sky("TL001", "error")]


EXCEPTION = '<talent person="P-1" use="likeness" exception="unrecognizable"{}/>'


def test_tl001_exception_valid_with_reviewer_and_consent_for_this_production(repo):
    # the consent covers the replica (voice), not this use: the exception covers that
    talent_repo(repo, person(), consent(uses="voice"),
                talent=EXCEPTION.format(' reviewedBy="R. Ortiz"'))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


def test_tl001_exception_without_reviewer_is_not_valid(repo):
    talent_repo(repo, person(), talent=EXCEPTION.format(""))
    r = check(repo)
    assert found(r) == [sky("TL001", "error")]
    assert "reviewedBy" in message(r, "TL001")


def test_tl001_exception_without_consent_is_not_valid(repo):
    talent_repo(repo, person(), talent=EXCEPTION.format(' reviewedBy="R. Ortiz"'))
    r = check(repo)
    assert found(r) == [sky("TL001", "error")]
    assert "consent" in message(r, "TL001")


def test_tl001_exception_with_consent_for_another_production_is_not_valid(repo):
    talent_repo(repo, person(), consent(production="PRD-100"),
                talent=EXCEPTION.format(' reviewedBy="R. Ortiz"'))
    r = check(repo)
    # catalogue 1.1: an exception without a current consent for this production is TL001
    assert found(r) == [sky("TL001", "error")]
    assert "needs a current consent of P-1 for this production" in message(r, "TL001")


# --- TL002 consent-out-of-scope -----------------------------------------------------------

OUT_OF_SCOPE = {
    "another person": (dict(person="P-2"), LIKENESS, "is for person P-2"),
    "another production": (dict(production="PRD-100"), LIKENESS, "PRD-100"),
    "another role": (dict(role="Officer Diaz"),
                     '<talent person="P-1" use="likeness" consent="CNS-1" role="Detective Ruiz"/>',
                     "Officer Diaz"),
    "use not listed": (dict(uses="likeness"),
                       '<talent person="P-1" use="voice" consent="CNS-1"/>', "'voice'"),
}


@pytest.mark.parametrize("change, talent, why", OUT_OF_SCOPE.values(), ids=OUT_OF_SCOPE)
@BOTH
def test_tl002_consent_out_of_scope(repo, change, talent, why, mode):
    talent_repo(repo, person(), person("P-2", "John Roe"), consent(**change), talent=talent,
                mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL002", "error")]
    assert why in message(r, "TL002")
    assert r.code == 1


def test_tl002_matching_role_is_in_scope(repo):
    talent = '<talent person="P-1" use="likeness" consent="CNS-1" role="detective ruiz"/>'
    talent_repo(repo, person(), consent(role="Detective Ruiz"), talent=talent)
    assert check(repo).findings() == []


# --- TL003 consent-not-current ------------------------------------------------------------

NOT_CURRENT = {
    "revoked": (dict(status="revoked"), "is revoked"),
    "suspended": (dict(status="suspended"), "is suspended"),
    "revoked on a date": (dict(revoked="2026-01-10"), "was revoked on 2026-01-10"),
    "before its term": (dict(term=("2026-02-01", None)), "starts only on 2026-02-01"),
    "after its term": (dict(term=("2025-09-01", "2026-01-14")), "ended on 2026-01-14"),
}


@pytest.mark.parametrize("change, why", NOT_CURRENT.values(), ids=NOT_CURRENT)
@BOTH
def test_tl003_consent_not_current(repo, change, why, mode):
    talent_repo(repo, person(), consent(**change), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL003", "error")]
    assert why in message(r, "TL003")
    assert r.code == 1


@pytest.mark.parametrize("change", [dict(revoked="2026-02-01"), dict(term=(AS_OF, AS_OF)),
                                    dict(term=(None, None))],
                         ids=["revocation later", "term is today", "open term"])
def test_tl003_current_consent(repo, change):
    talent_repo(repo, person(), consent(**change))
    assert check(repo).findings() == []


def test_tl003_judged_at_as_of(repo):
    talent_repo(repo, person(), consent(revoked="2026-02-01"))
    assert check(repo, as_of="2026-01-31").findings() == []
    assert found(check(repo, as_of="2026-02-01")) == [sky("TL003", "error")]


def test_tl003_consent_must_hold_until_delivery(repo):
    talent_repo(repo, person(), consent(term=("2025-09-01", "2026-03-31")),
                config='delivery = "2026-06-30"\n')
    r = check(repo)
    assert found(r) == [sky("TL003", "error")]
    assert "before delivery" in message(r, "TL003")


def test_tl003_consent_revoked_before_delivery(repo):
    # the revocation takes effect after as-of but before delivery: it will not hold then
    talent_repo(repo, person(), consent(revoked="2026-03-01"),
                config='delivery = "2026-06-30"\n')
    assert found(check(repo)) == [sky("TL003", "error")]


def test_tl003_consent_holding_until_delivery(repo):
    talent_repo(repo, person(), consent(term=("2025-09-01", "2026-06-30"),
                                        revoked="2026-07-01"),
                config='delivery = "2026-06-30"\n')
    assert check(repo).findings() == []


# --- TL004 consent-form-incomplete --------------------------------------------------------

INCOMPLETE = {
    "no signed date": (dict(signed=None), "no signed date"),
    "no signed element": (dict(signed=None, separate=None), "no signed date"),
    "empty description": (dict(description=""), "empty description"),
    "not separate": (dict(separate="false"), 'separate="false"'),
}


@pytest.mark.parametrize("change, why", INCOMPLETE.values(), ids=INCOMPLETE)
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_tl004_consent_form_incomplete(repo, change, why, mode, severity, code):
    talent_repo(repo, person(), consent(**change), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL004", severity)]
    assert why in message(r, "TL004")
    assert r.code == code


# --- TL005 deceased-performer-grantor, TL008 minor-without-guardian -----------------------

@BOTH
def test_tl005_deceased_performer_consent_from_performer(repo, mode):
    talent_repo(repo, person(deceased="true"), consent(grantor="performer"), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL005", "error")]
    assert r.code == 1


@pytest.mark.parametrize("grantor", ["estate", "representative", "union"])
def test_tl005_deceased_performer_consent_from_estate(repo, grantor):
    talent_repo(repo, person(deceased="true"), consent(grantor=grantor))
    assert check(repo).findings() == []


@BOTH
@pytest.mark.parametrize("grantor", ["performer", "estate"])
def test_tl008_minor_without_guardian(repo, mode, grantor):
    talent_repo(repo, person(minor="true"), consent(grantor=grantor), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL008", "error")]
    assert r.code == 1


def test_tl008_minor_consent_from_guardian(repo):
    talent_repo(repo, person(minor="true"), consent(grantor="guardian"))
    assert check(repo).findings() == []


# --- TL006 synthetic-performer-without-notice ---------------------------------------------

@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_tl006_synthetic_performer_without_notice(repo, mode, severity, code):
    make(repo, asset(body="<synthetic/>"), approval(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL006", severity)]
    assert r.code == code


@pytest.mark.parametrize("synthetic", ['<synthetic notice="UN-1"/>', "<synthetic/>"],
                         ids=["referenced", "listed only"])
def test_tl006_notice_sent(repo, synthetic):
    make(repo, asset(body=synthetic), approval(), notice())
    assert check(repo).findings() == []


def test_tl006_notice_about_something_else_does_not_count(repo):
    other = notice().replace('subject="synthetic-performer"', 'subject="digital-replica"')
    make(repo, asset(body='<synthetic notice="UN-1"/>'), approval(), other)
    assert found(check(repo)) == [sky("TL006", "error")]


def test_tl006_notice_not_sent_yet_at_as_of(repo):
    make(repo, asset(body='<synthetic notice="UN-1"/>'), approval(), notice(sent="2026-02-01"))
    assert found(check(repo)) == [sky("TL006", "error")]
    assert check(repo, as_of="2026-02-01").findings() == []


# --- TL007 union-work-replaced -------------------------------------------------------------

@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_tl007_union_work_replaced_without_approval(repo, mode, severity, code):
    make(repo, asset(body='<replaces role="musician"/>'), approval(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL007", severity)]
    assert "musician" in message(r, "TL007")
    assert r.code == code


def test_tl007_union_work_approved(repo):
    make(repo, asset(body='<replaces role="musician"/>'),
         approval(covers="final-deliverable union-work"))
    assert check(repo).findings() == []


def test_tl007_union_work_approval_must_be_valid(repo):
    make(repo, asset(body='<replaces role="musician"/>'), approval(),
         approval("APR-2", covers="union-work", expires="2026-01-01"))
    assert found(check(repo)) == [sky("GA004", "error"), sky("TL007", "error")]


# --- TL009 talent-without-approval ---------------------------------------------------------

@pytest.mark.parametrize("talent", [
    LIKENESS,
    '<talent person="P-1" use="voice" consent="CNS-1"/>',
    '<talent person="P-1" use="performance-alteration" class="lip-sync" consent="CNS-1"/>',
], ids=["likeness", "voice", "lip-sync"])
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_tl009_talent_without_approval(repo, talent, mode, severity, code):
    make(repo, asset(body=talent), approval(), person(),
         consent(uses="likeness voice performance-alteration"), mode=mode)
    r = check(repo)
    assert found(r) == [sky("TL009", severity)]
    assert r.code == code


def test_tl009_customary_alteration_needs_no_approval(repo):
    make(repo, asset(body='<talent person="P-1" use="performance-alteration" class="dubbing"/>'),
         approval(), person())
    assert check(repo).findings() == []


def test_tl009_approval_never_replaces_consent(repo):
    talent_repo(repo, person(), talent='<talent person="P-1" use="voice"/>')
    assert found(check(repo)) == [sky("TL001", "error")]


# --- DU001 tool-trains-on-inputs -----------------------------------------------------------

@pytest.mark.parametrize("trains, severity, code", [("yes", "error", 1), ("unknown", "warning", 0),
                                                    (None, "warning", 0)],
                         ids=["yes", "unknown", "absent"])
@BOTH
def test_du001_tool_trains_on_inputs(repo, trains, severity, code, mode):
    make(repo, asset(tools=("TL-02",)), approval(), tool("TL-02", trainsOnInputs=trains),
         mode=mode)
    r = check(repo)
    assert found(r) == [sky("DU001", severity)]
    assert r.code == code


def test_du001_tool_that_does_not_train_is_clear(repo):
    make(repo, asset(tools=("TL-02",)), approval(), tool("TL-02", trainsOnInputs="no"))
    assert check(repo).findings() == []


def test_du001_worst_tool_decides(repo):
    make(repo, asset(tools=("TL-01", "TL-02", "TL-03")), approval(),
         tool("TL-02", trainsOnInputs="unknown"), tool("TL-03", trainsOnInputs="yes"))
    assert found(check(repo)) == [sky("DU001", "error")]


# --- DU002 tool-not-enterprise --------------------------------------------------------------

@BOTH
def test_du002_tool_not_enterprise(repo, mode):
    make(repo, asset(tools=("TL-02",)), approval(), tool("TL-02", enterprise="false"),
         mode=mode)
    r = check(repo)
    assert found(r) == [sky("DU002", "warning")]
    assert r.code == 0


@pytest.mark.parametrize("enterprise", ["true", None])
def test_du002_enterprise_or_unstated_is_clear(repo, enterprise):
    make(repo, asset(tools=("TL-02",)), approval(), tool("TL-02", enterprise=enterprise))
    assert check(repo).findings() == []


# --- DU003 sensitive-input ----------------------------------------------------------------

SENSITIVE = [("personal-data", "personal-data"), ("confidential", "data-use"),
             ("unowned", "third-party-ip")]


@pytest.mark.parametrize("rights, category", SENSITIVE)
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_du003_sensitive_input_without_approval(repo, rights, category, mode, severity, code):
    make(repo, asset(body=f'<input rights="{rights}">cast reference photos</input>'),
         approval(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("DU003", severity)]
    assert category in message(r, "DU003")
    assert r.code == code


@pytest.mark.parametrize("rights, category", SENSITIVE)
def test_du003_sensitive_input_approved(repo, rights, category):
    make(repo, asset(body=f'<input rights="{rights}">cast reference photos</input>'),
         approval(covers=f"final-deliverable {category}"))
    assert check(repo).findings() == []


def test_du003_approval_of_the_wrong_category(repo):
    make(repo, asset(body='<input rights="personal-data">cast photos</input>'),
         approval(covers="final-deliverable data-use third-party-ip"))
    assert found(check(repo)) == [sky("DU003", "error")]


@pytest.mark.parametrize("rights", ["owned", "licensed", "public-domain", "unknown"])
def test_du003_other_inputs_are_clear(repo, rights):
    make(repo, asset(body=f'<input rights="{rights}">stock plate</input>'), approval())
    assert check(repo).findings("DU003") == []  # unknown rights are DU006


# --- DU004 undeclared-tool -----------------------------------------------------------------

@BOTH
def test_du004_genai_asset_names_no_tool(repo, mode):
    make(repo, asset(tools=()), approval(), mode=mode)
    r = check(repo)
    assert found(r) == [sky("DU004", "warning")]
    assert r.code == 0


def test_du004_asset_that_is_not_genai_needs_no_tool(repo):
    make(repo, asset(origin="digitalCapture", tools=()))
    assert check(repo).findings() == []


# --- IP001 protected-reference -------------------------------------------------------------

PROTECTED = 'protected-names = ["Star Wars", "Mickey Mouse"]\n'


@pytest.mark.parametrize("body", [
    "<prompt>dogfight over a desert planet, star wars style</prompt>",
    '<input rights="owned">frames from Mickey Mouse shorts</input>',
], ids=["prompt", "input"])
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_ip001_protected_reference(repo, body, mode, severity, code):
    make(repo, asset(body=body), approval(), config=PROTECTED, mode=mode)
    r = check(repo)
    assert found(r) == [sky("IP001", severity)]
    assert r.code == code


def test_ip001_approved_third_party_ip(repo):
    make(repo, asset(body="<prompt>a Star Wars style dogfight</prompt>"),
         approval(covers="final-deliverable third-party-ip"), config=PROTECTED)
    assert check(repo).findings() == []


@pytest.mark.parametrize("config", ["", PROTECTED], ids=["no protected names", "no match"])
def test_ip001_no_protected_term_named(repo, config):
    make(repo, asset(body="<prompt>Lightstar Wars ferry in the Star Warsaw harbour</prompt>"),
         approval(), config=config)
    assert check(repo).findings() == []


def test_ip001_only_genai_assets(repo):
    make(repo, asset(origin="digitalCapture", tools=(),
                     body="<prompt>Star Wars fan film footage</prompt>"), config=PROTECTED)
    assert check(repo).findings() == []


# --- DC001 genai-presented-as-real, DC002 undisclosed-recreation ---------------------------

DOC = 'genre = "documentary"\n'


@pytest.mark.parametrize("genre, presented", [
    (DOC, ""), ('genre = "nonfiction"\n', ""), ('genre = "news"\n', ""),
    (DOC, "<presentedAs>real</presentedAs>"),
    (DOC, "<presentedAs>archival</presentedAs>"),
    ("", "<presentedAs>archival</presentedAs>"), ("", "<presentedAs>real</presentedAs>"),
], ids=["doc absent", "nonfiction absent", "news absent", "doc real", "doc archival", "fiction archival", "fiction real"])
@BOTH
def test_dc001_genai_presented_as_real(repo, genre, presented, mode):
    # an approval covering ethics does not clear it
    make(repo, asset(body=presented), approval(covers="final-deliverable ethics"),
         disclosure(), config=genre, mode=mode)
    r = check(repo)
    assert found(r) == [sky("DC001", "error")]
    assert r.code == 1


def test_dc001_absent_presentation_in_fiction_is_fiction(repo):
    make(repo, asset(), approval())  # the baseline, spelled out
    assert check(repo).findings() == []


@pytest.mark.parametrize("presented", ["recreation", "illustration"])
def test_dc001_recreation_with_disclosure_in_documentary(repo, presented):
    make(repo, asset(body=f"<presentedAs>{presented}</presentedAs>"), approval(),
         disclosure(), config=DOC)
    assert check(repo).findings() == []


def test_dc001_camera_original_in_documentary(repo):
    make(repo, asset(origin="digitalCapture", tools=()), config=DOC)
    assert check(repo).findings() == []


@pytest.mark.parametrize("presented", ["recreation", "illustration"])
@pytest.mark.parametrize("mode, severity, code", [("wip", "warning", 0), ("lock", "error", 1)])
def test_dc002_undisclosed_recreation(repo, presented, mode, severity, code):
    make(repo, asset(body=f"<presentedAs>{presented}</presentedAs>"), approval(), config=DOC,
         mode=mode)
    r = check(repo)
    assert found(r) == [sky("DC002", severity)]
    assert r.code == code


def test_dc002_depicting_someone_needs_disclosure(repo):
    body = '<presentedAs>fiction</presentedAs>\n<depicts person="P-1"/>'
    make(repo, asset(body=body), approval(), person(), config=DOC)
    # depicting a real person is also a deep fake to disclose (DC003) and needs an
    # approval covering creative-output (IP002): see test_catalogue_1_1.py
    assert found(check(repo), "DC002") == [sky("DC002", "error")]


@pytest.mark.parametrize("refs, listed", [(("DSC-1",), None), ((), "AST-1")],
                         ids=["referenced", "listed only"])
def test_dc002_disclosed(repo, refs, listed):
    make(repo, asset(body="<presentedAs>recreation</presentedAs>", disclosures=refs),
         approval(), disclosure(assets=listed), config=DOC)
    assert check(repo).findings() == []


def test_dc002_fiction_needs_no_disclosure(repo):
    make(repo, asset(body="<presentedAs>recreation</presentedAs>"), approval())
    assert check(repo).findings() == []


# --- PV001 invalid-record-file -------------------------------------------------------------

def record_findings(result, rule):
    return [(f["rule"], f["severity"], f["path"], f["line"], f["clip"], f["record_in"])
            for f in result.findings(rule)]


@pytest.mark.parametrize("mode", ["wip", "lock"])
def test_pv001_unknown_origin_term(repo, mode):
    make(repo, mode=mode)
    repo.records("records/vfx.genai.xml", asset(origin="aiGenerated"))
    r = check(repo)
    # line 5: the <origin> (XML declaration, <genai>, <asset>, <match> come first)
    assert record_findings(r, "PV001") == [("PV001", "error", "records/vfx.genai.xml", 5,
                                            None, None)]
    assert "aiGenerated" in message(r, "PV001")
    assert r.code == 1


def test_pv001_file_that_fails_contributes_nothing(repo):
    """Its asset does not declare the clip; its approval does not approve anything."""
    make(repo, asset())
    repo.records("records/legal.genai.xml", approval() + "\n<bogus/>")
    repo.records("records/sky.genai.xml", asset("AST-2", name="a001c003.mov") + "\n<bogus/>")
    r = check(repo)
    assert sorted(f["path"] for f in r.findings("PV001")) == [
        "records/legal.genai.xml", "records/sky.genai.xml"]
    assert found(r, "GA001") == [sky("GA001", "error")]
    assert "PV003" not in rules_of(r)  # AST-2 from the broken file is not there


def test_pv001_not_well_formed_declares_nothing(repo):
    make(repo, asset(), approval(), clips=(CAM, SKY, ("shot9", "file:///vfx/shot9.mov", 24)))
    repo.write("records/shot9.genai.xml",
               f'<genai xmlns="urn:cutclear:genai:1" version="1">\n'
               f'{asset("AST-9", name="shot9.mov")}\n')  # never closed
    r = check(repo)
    [f] = r.findings("PV001")
    assert (f["path"], f["severity"], f["clip"]) == ("records/shot9.genai.xml", "error", None)
    assert isinstance(f["line"], int)
    assert found(r, "GA003") == [("GA003", "warning", "shot9", "01:00:03:00", None)]


def test_pv001_valid_files_are_clear(repo):
    make(repo, asset(), approval())
    repo.records("records/vfx.genai.xml", asset("AST-2", name="other.mov"))
    r = check(repo)
    assert r.findings() == []


# --- PV002 unknown-reference ---------------------------------------------------------------

UNKNOWN_REFS = {
    "approval ref": (asset(approvals=("APR-9",)), "APR-9"),
    "tool ref": (asset(tools=("TL-9",)), "TL-9"),
    "consent ref": (asset(body='<talent person="P-1" use="voice" consent="CNS-9"/>'), "CNS-9"),
    "talent person": (asset(body='<talent person="P-9" use="performance-alteration" '
                                 'class="dubbing"/>'), "P-9"),
    "listed asset": (asset() + "\n" + approval("APR-2", assets="AST-1 AST-9"), "AST-9"),
    "wrong kind": (asset(tools=("P-1",)), "is a person, not a tool"),
}


@pytest.mark.parametrize("records, why", UNKNOWN_REFS.values(), ids=UNKNOWN_REFS)
def test_pv002_unknown_reference(repo, records, why):
    make(repo, records, approval(), person(), mode="wip")
    r = check(repo)
    assert [(f["severity"], f["path"], f["clip"]) for f in r.findings("PV002")] == [
        ("error", "records/show.genai.xml", None)]
    assert why in message(r, "PV002")
    assert r.code == 1


def test_pv002_reference_defined_in_another_file(repo):
    make(repo, asset(approvals=("APR-9",)))
    repo.records("records/legal.genai.xml", approval("APR-9"))
    assert check(repo).findings() == []


# --- PV003 conflicting-provenance ----------------------------------------------------------

@pytest.mark.parametrize("origin", ["trainedAlgorithmicMedia", "compositeSynthetic"])
@pytest.mark.parametrize("mode, severity", [("wip", "warning"), ("lock", "error")])
def test_pv003_clip_matches_assets_of_different_classes(repo, origin, mode, severity):
    # the camera clip is also declared as GenAI: it is checked against both (GA001, GA002)
    make(repo, asset("AST-2", name="A001C003.mov", origin=origin, stage="temp"),
         asset(), approval(), mode=mode)
    r = check(repo)
    ga = "error" if mode == "lock" else "info"
    assert sorted(found(r)) == sorted([
        ("PV003", severity, "A001C003", "01:00:00:00", None),
        ("GA001", ga, "A001C003", "01:00:00:00", "AST-2"),
        ("GA002", ga, "A001C003", "01:00:00:00", "AST-2"),
    ])
    assert "CAM (other)" in message(r, "PV003")
    assert r.code == (1 if mode == "lock" else 0)


def test_pv003_generative_and_generative_edit_conflict(repo):
    make(repo, asset(), asset("AST-2", origin="compositeWithTrainedAlgorithmicMedia"),
         approval(assets="AST-1 AST-2"))
    assert found(check(repo)) == [sky("PV003", "error", None)]


def test_pv003_assets_of_the_same_class(repo):
    make(repo, asset(), asset("AST-2"), approval(assets="AST-1 AST-2"),
         asset("CAM-2", name="A001C003.mov", origin="negativeFilm", tools=(), stage=None))
    r = check(repo)
    assert r.findings() == []
    assert r.code == 0


# --- PV004 duplicate-id ---------------------------------------------------------------------

@BOTH
def test_pv004_id_defined_twice(repo, mode):
    make(repo, asset(), approval(), mode=mode)
    repo.records("records/vfx.genai.xml", approval())
    r = check(repo)
    assert record_findings(r, "PV004") == [("PV004", "error", "records/vfx.genai.xml", 3,
                                            None, None)]
    assert "records/show.genai.xml" in message(r, "PV004")
    assert r.code == 1


def test_pv004_distinct_ids(repo):
    make(repo, asset(), approval())
    repo.records("records/vfx.genai.xml", approval("APR-2"))
    assert check(repo).findings() == []


# --- PV005 unreadable-timeline ------------------------------------------------------------

@BOTH
def test_pv005_corrupt_timeline_and_the_others_are_still_checked(repo, mode):
    make(repo, asset(), mode=mode)
    folder = "locked" if mode == "lock" else "wip"
    repo.write(f"cuts/{folder}/reel2.otio", '{"OTIO_SCHEMA": "Timeline.1", "tracks": ')
    r = check(repo)
    [f] = r.findings("PV005")
    assert (f["severity"], f["path"], f["mode"], f["clip"]) == \
        ("error", f"cuts/{folder}/reel2.otio", mode, None)
    assert found(r, "GA001") == [sky("GA001", "error" if mode == "lock" else "info")]
    assert r.code == 1


def test_pv005_readable_timelines(repo):
    make(repo, asset(), approval())
    repo.timeline("cuts/locked/reel2.otio", timeline([SKY]))
    r = check(repo)
    assert r.findings() == []
    assert [t["path"] for t in r.json["timelines"]] == ["cuts/locked/reel1.otio",
                                                        "cuts/locked/reel2.otio"]


# --- modes, selection and severity overrides ------------------------------------------------

def test_lock_flag_checks_a_wip_timeline_as_locked(repo):
    make(repo, asset(), mode="wip")
    assert found(check(repo, "--lock")) == [sky("GA001", "error")]
    assert found(check(repo, "--wip")) == [sky("GA001", "info")]


def test_wip_flag_checks_a_locked_timeline_as_wip(repo):
    make(repo, asset())
    r = check(repo, "--wip")
    assert found(r) == [sky("GA001", "info")]
    assert r.code == 0


TEMP_UNAPPROVED = dict(stage="temp", tools=())  # GA001, GA002, DU004


@pytest.mark.parametrize("args, rules", [
    ((), {"GA001", "GA002", "DU004"}),
    (("--select", "GA001"), {"GA001"}),
    (("--select", "GA"), {"GA001", "GA002"}),
    (("--select", "GA,DU004"), {"GA001", "GA002", "DU004"}),
    (("--ignore", "GA"), {"DU004"}),
    (("--ignore", "GA002,DU"), {"GA001"}),
    (("--select", "GA", "--ignore", "GA002"), {"GA001"}),
    (("--select", "GA001", "--ignore", "GA"), {"GA001"}),  # the more specific code wins
    (("--select", "GA001", "--ignore", "GA001"), set()),  # on a tie, ignore wins
])
def test_select_and_ignore(repo, args, rules):
    make(repo, asset(**TEMP_UNAPPROVED))
    assert rules_of(check(repo, *args)) == rules


def test_ignore_in_configuration(repo):
    make(repo, asset(**TEMP_UNAPPROVED), config='ignore = ["GA001", "DU"]\n')
    r = check(repo)
    assert found(r) == [sky("GA002", "error")]


def test_ignoring_the_failing_rules_passes(repo):
    make(repo, asset(**TEMP_UNAPPROVED))
    assert check(repo, "--ignore", "GA001,GA002").code == 0


def test_select_of_an_unknown_code_is_a_usage_error(repo):
    make(repo, asset())
    assert check(repo, "--select", "XX9").code == 2


def test_severity_overrides_in_configuration(repo):
    make(repo, asset(**TEMP_UNAPPROVED), mode="wip",
         clips=(CAM, SKY, ("mystery", "file:///x/m.mov", 24)),
         config="""\
         [severity]
         GA001 = "error"
         GA002 = { lock = "warning" }
         DU004 = "off"
         GA003 = { wip = "warning" }
         """)
    r = check(repo)
    assert sorted(found(r)) == sorted([sky("GA001", "error"), sky("GA002", "info"),
                                       ("GA003", "warning", "mystery", "01:00:03:00", None)])
    assert r.code == 1
    r = check(repo, "--lock")
    assert sorted(found(r)) == sorted([sky("GA001", "error"), sky("GA002", "warning"),
                                       ("GA003", "warning", "mystery", "01:00:03:00", None)])


def test_severity_override_applies_to_rules_with_their_own_severities(repo):
    make(repo, asset(tools=("TL-02",)), approval(), tool("TL-02", trainsOnInputs="yes"),
         config='[severity]\nDU001 = "warning"\n')
    r = check(repo)
    assert found(r) == [sky("DU001", "warning")]
    assert r.code == 0


def test_fail_on_warning(repo):
    make(repo, asset(tools=()), approval())
    assert check(repo).code == 0
    assert check(repo, "--fail-on", "warning").code == 1
