"""The case contract of spec §4.1: field-level errors, suggestions, round trip."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenwijs.sharing import Case, CaseError
from tests.sharing.conftest import complete_case


def test_complete_case_round_trips_to_the_same_json() -> None:
    data = complete_case()
    assert Case.from_dict(data).to_dict() == data


def test_unknown_field_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(CaseError) as exc:
        Case.from_dict({"sendr": "police"})
    assert exc.value.errors[0].field == "sendr"
    assert "did you mean 'sender'?" in exc.value.errors[0].message


def test_unknown_enum_value_names_the_field_and_suggests() -> None:
    with pytest.raises(CaseError) as exc:
        Case.from_dict({"recipient": "veiligthuis"})
    assert str(exc.value.errors[0]).startswith("recipient: unknown value 'veiligthuis'")
    assert "did you mean 'veilig_thuis'?" in str(exc.value)


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(CaseError) as exc:
        Case.from_dict({"acute_danger": "yes", "reference_date": "1-3-2025", "necessity": {"x": 1}})
    assert [e.field for e in exc.value.errors] == ["acute_danger", "reference_date", "necessity.x"]


def test_data_categories_must_be_a_list_of_known_values() -> None:
    with pytest.raises(CaseError, match="data_categories: unknown value 'tax_data'"):
        Case.from_dict({"data_categories": ["tax_data"]})


def test_missing_and_null_fields_are_simply_unknown() -> None:
    case = Case.from_dict({"sender": "police", "consent": None})
    assert dict(case.facts) == {"sender": "police"}
    assert case.reference_date is None


def test_reference_date_is_parsed_and_kept_out_of_the_facts() -> None:
    case = Case.from_dict({"reference_date": "2025-03-01"})
    assert case.reference_date == dt.date(2025, 3, 1)
    assert "reference_date" not in case.facts


def test_a_non_object_case_is_refused() -> None:
    with pytest.raises(CaseError, match="must be a JSON object"):
        Case.from_dict(["sender"])


def test_no_personal_data_with_personal_categories_is_refused_naming_both_fields() -> None:
    """Issue 12: a BSN, special or criminal-law data contradict `personal_data: none`."""
    with pytest.raises(CaseError) as exc:
        Case.from_dict(
            {"personal_data": "none", "data_categories": ["bsn", "special_health", "criminal"]}
        )
    (error,) = exc.value.errors
    assert error.field == "personal_data"
    assert "data_categories" in error.message
    assert "bsn, special_health, criminal" in error.message


def test_secrecy_categories_without_personal_data_are_still_accepted() -> None:
    case = Case.from_dict({"personal_data": "none", "data_categories": ["tax", "bibob"]})
    assert case.facts["personal_data"] == "none"


def test_an_interview_answer_that_contradicts_names_the_field_just_answered() -> None:
    case = Case().with_fact("personal_data", "none")
    with pytest.raises(CaseError) as exc:
        case.with_fact("data_categories", ["special_sex_life"])
    assert exc.value.errors[0].field == "data_categories"
    assert "personal_data" in exc.value.errors[0].message


def test_pseudonymised_with_a_bsn_is_refused_naming_both_fields() -> None:
    """Delen 3: a BSN identifies directly, so data carrying it are not pseudonymised (AVG 4(5))."""
    with pytest.raises(CaseError) as exc:
        Case.from_dict({"personal_data": "pseudonymised", "data_categories": ["ordinary", "bsn"]})
    (error,) = exc.value.errors
    assert error.field == "personal_data"
    assert error.code == "contradicts_pseudonymised"
    assert "data_categories" in error.message
    assert "'pseudonymised'" in error.message
    assert "bsn" in error.message


def test_pseudonymised_special_and_criminal_data_are_accepted() -> None:
    """Pseudonymised health or criminal-law data stay personal data; that is no contradiction."""
    case = Case.from_dict(
        {
            "personal_data": "pseudonymised",
            "data_categories": ["special_health", "special_sex_life", "criminal"],
        }
    )
    assert case.facts["personal_data"] == "pseudonymised"


def test_changing_personal_data_to_pseudonymised_after_a_bsn_names_personal_data() -> None:
    case = Case().with_fact("data_categories", ["bsn"])
    with pytest.raises(CaseError) as exc:
        case.with_fact("personal_data", "pseudonymised")
    assert exc.value.errors[0].field == "personal_data"
    assert exc.value.errors[0].code == "contradicts_pseudonymised"
    assert case.with_fact("personal_data", "identifiable").facts["personal_data"] == "identifiable"
