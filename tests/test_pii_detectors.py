"""Every Dutch detector, on true cases in each structured format and in prose, and on near
misses (failed checks, valid numbers without context, test data, role and organisation data).

The cases live in `leakguard.pii.evaluation` (the labelled set the accuracy benchmark scores);
their values are generated at run time.
"""

from __future__ import annotations

import pytest

from leakguard.detectors.engine import Detector
from leakguard.detectors.settings import DetectionSettings
from leakguard.models import Category, Fragment, Origin
from leakguard.pii.evaluation import NEAR_MISSES, Labelled, all_true_cases, labelled, offsets
from leakguard.redact import redact
from leakguard.rule_examples import expand
from leakguard.ruleset import load_builtin_rules

PII_RULES = [rule for rule in load_builtin_rules() if rule.category is Category.PII]
DETECTORS: dict[tuple[str, DetectionSettings], Detector] = {}


def detector(engine: str = "python", settings: DetectionSettings | None = None) -> Detector:
    key = (engine, settings or DetectionSettings())
    if key not in DETECTORS:
        DETECTORS[key] = Detector(PII_RULES, engine=engine, settings=key[1])
    return DETECTORS[key]


def found(case: Labelled, engine: str = "python") -> list[tuple[str, int, int]]:
    fragment = Fragment(case.text.encode(), case.path, Origin.FILE)
    return [
        (
            candidate.entity or "",
            offsets(case.text, candidate.line, candidate.column),
            offsets(case.text, candidate.end_line, candidate.end_column),
        )
        for candidate in detector(engine).detect(fragment).candidates
    ]


@pytest.mark.parametrize(
    ("entity", "path", "template"),
    all_true_cases(),
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_true_cases_are_found(entity: str, path: str, template: str) -> None:
    case = labelled(path, template, f"{entity}/{path}")
    results = found(case)

    for label, start, end in case.spans:
        assert any(e == label and a < end and start < b for e, a, b in results), (
            f"{label} at {start} not found in {case.text!r}: {results}"
        )
    extra = [
        (entity, a, b)
        for entity, a, b in results
        if not any(entity == label and a < end and start < b for label, start, end in case.spans)
    ]
    assert not extra, f"unexpected {extra} in {case.text!r}"


@pytest.mark.parametrize(("path", "template"), NEAR_MISSES, ids=[path for path, _ in NEAR_MISSES])
def test_near_misses_are_not_reported(path: str, template: str) -> None:
    case = labelled(path, template, f"near/{path}")

    assert found(case) == []


@pytest.mark.parametrize(("entity", "path", "template"), all_true_cases()[::3])
def test_both_engines_find_the_same(entity: str, path: str, template: str) -> None:
    pytest.importorskip("hyperscan")
    case = labelled(path, template, f"engines/{entity}/{path}")

    assert sorted(found(case, "hyperscan")) == sorted(found(case, "python"))


def explained(text: str, path: str, settings: DetectionSettings | None = None) -> list[str]:
    detection = detector(settings=settings).detect(
        Fragment(text.encode(), path, Origin.FILE), explain=True
    )
    return [rejection.reason for rejection in detection.rejections]


def test_test_data_is_explained_not_reported() -> None:
    text = expand('{"bsn": "${gen:bsn:test}", "iban": "NL91ABNA0417164300"}', "test-data")

    reasons = explained(text, "fixture.json")

    assert "known test data (fictional BSN)" in reasons
    assert "known test data (example IBAN)" in reasons


def test_test_data_is_reported_when_asked() -> None:
    text = expand('{"bsn": "${gen:bsn:test}"}', "test-data-reported")
    settings = DetectionSettings(report_test_identifiers=True)
    fragment = Fragment(text.encode(), "fixture.json", Origin.FILE)

    candidates = detector(settings=settings).detect(fragment).candidates

    assert [c.entity for c in candidates] == ["BSN"]
    assert "known test data (fictional BSN)" in candidates[0].reasons


def test_configured_test_identifiers_are_test_data() -> None:
    value = expand("${gen:bsn}", "configured")
    settings = DetectionSettings(test_identifiers=(value,))

    reasons = explained(f"bsn: {value}\n", "x.yaml", settings)

    assert reasons == ["known test data (configured)"]


def test_the_organisations_own_data_is_allowed() -> None:
    phone = expand("${gen:phone:fixed}", "org-phone")
    iban = expand("${gen:iban}", "org-iban")
    # Built here: the source must not hold a person's address at the organisation's domain.
    colleague = expand("${gen:email}", "org-mail").split("@")[0] + "@amsterdam.nl"
    team = "team-parkeren@" + expand("${gen:email}", "team").split("@")[1]
    settings = DetectionSettings(
        organisation_domains=("amsterdam.nl",),
        organisation_phone_numbers=(phone,),
        organisation_addresses=("Amstel 1, 1011 PN Amsterdam",),
        organisation_ibans=(iban,),
        role_mailboxes=("team-parkeren",),
    )
    text = (
        f"email: {colleague}\ncontact: {team}\ntelefoon: {phone}\n"
        f"iban: {iban}\nadres: Amstel 1, 1011 PN Amsterdam\n"
    )

    reasons = explained(text, "contact.yaml", settings)
    fragment = Fragment(text.encode(), "contact.yaml", Origin.FILE)

    assert detector(settings=settings).detect(fragment).candidates == []
    assert "the organisation's own domain" in reasons
    assert "a role address, not a person's" in reasons
    assert "the organisation's own number" in reasons
    assert "the organisation's own account" in reasons
    assert "the organisation's own address" in reasons


def test_rejections_explain_without_the_value() -> None:
    value = expand("${gen:bsn}", "explain")
    reasons = explained(f"bsn: {expand('${gen:bsn:invalid}', 'x')}\norder = {value}\n", "a.yaml")

    assert reasons == ["failed 11-proef", "no context (11-proef holds)"]
    assert not any(value in reason for reason in reasons)


def test_a_bsn_is_redacted_to_its_last_two_digits() -> None:
    value = expand("${gen:bsn}", "redact")
    fragment = Fragment(f"bsn: {value}\n".encode(), "a.yaml", Origin.FILE)
    (candidate,) = detector().detect(fragment).candidates

    assert redact(candidate.value, Category.PII) == "*******" + value[-2:]
    assert "11-proef" in candidate.reasons
    assert "context: key bsn" in candidate.reasons


def test_a_csv_column_reaches_every_row() -> None:
    rows = "\n".join(f"{i},${{gen:birthdate}}" for i in range(50))
    text = expand(f"id,geboortedatum\n{rows}\n", "rows")
    fragment = Fragment(text.encode(), "export.csv", Origin.FILE)

    candidates = detector().detect(fragment).candidates

    assert [c.line for c in candidates] == list(range(2, 52))
