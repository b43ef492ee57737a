"""Policies as stored data, the audience rule, the registry and the verdict's own checks."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from civicmeet.eligibility import (
    POLICIES,
    REASONS,
    AudiencePolicy,
    Basis,
    Outcome,
    PolicyError,
    SafetyDeclaration,
    SafetyPolicy,
    Verdict,
    audience_policy_from_data,
    policy_from_data,
    safety_policy_from_data,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def test_the_default_policy_is_the_invitations():
    assert SafetyPolicy().to_data() == {
        "vaccinated_after_days": 14,
        "recovered_within_months": 6,
        "tested_within_hours": 48,
        "test_kinds": ["antigen", "pcr"],
    }
    assert SafetyPolicy.kind == "safety"
    assert "kind" not in SafetyPolicy().to_data()


def test_test_kinds_are_kept_sorted_and_unique():
    assert SafetyPolicy(test_kinds=["pcr", "antigen", "pcr"]).test_kinds == ("antigen", "pcr")
    assert SafetyPolicy(test_kinds=("pcr", "antigen")) == SafetyPolicy(test_kinds=("antigen", "pcr"))


def test_safety_policy_round_trips_through_json():
    policy = SafetyPolicy(
        vaccinated_after_days=0, recovered_within_months=60, tested_within_hours=1, test_kinds=["pcr"]
    )
    assert SafetyPolicy.from_data(json.loads(json.dumps(policy.to_data()))) == policy


def test_missing_parameters_take_their_defaults():
    assert SafetyPolicy.from_data({"tested_within_hours": 24}) == SafetyPolicy(tested_within_hours=24)
    assert SafetyPolicy.from_data({}) == SafetyPolicy()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"vaccinated_after_days": -1}, "vaccinated_after_days", "out_of_range"),
        ({"vaccinated_after_days": 366}, "vaccinated_after_days", "out_of_range"),
        ({"vaccinated_after_days": "14"}, "vaccinated_after_days", "invalid"),
        ({"vaccinated_after_days": 14.0}, "vaccinated_after_days", "invalid"),
        ({"vaccinated_after_days": True}, "vaccinated_after_days", "invalid"),
        ({"vaccinated_after_days": None}, "vaccinated_after_days", "invalid"),
        ({"recovered_within_months": 61}, "recovered_within_months", "out_of_range"),
        ({"recovered_within_months": -1}, "recovered_within_months", "out_of_range"),
        ({"tested_within_hours": 0}, "tested_within_hours", "out_of_range"),
        ({"tested_within_hours": 721}, "tested_within_hours", "out_of_range"),
        ({"test_kinds": []}, "test_kinds", "required"),
        ({"test_kinds": ["pcr", "saliva"]}, "test_kinds", "invalid"),
        ({"test_kinds": "pcr"}, "test_kinds", "invalid"),
        ({"test_kinds": None}, "test_kinds", "invalid"),
        ({"vaccinated_after_days": 14, "booster": True}, "booster", "unknown"),
        ({"kind": "safety"}, "kind", "unknown"),
        ([14, 6, 48], "__all__", "invalid"),
    ],
)
def test_bad_safety_parameters_raise_policy_error(data, field, code):
    with pytest.raises(PolicyError) as error:
        SafetyPolicy.from_data(data)
    assert (error.value.field, error.value.code) == (field, code)
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    "bounds", [{"vaccinated_after_days": 0}, {"vaccinated_after_days": 365}, {"recovered_within_months": 0}]
)
def test_bounds_are_inclusive(bounds):
    assert SafetyPolicy.from_data(bounds).to_data().items() >= bounds.items()


def test_no_data_is_no_rule():
    assert safety_policy_from_data(None) is None
    assert audience_policy_from_data(None) is None
    assert safety_policy_from_data({"tested_within_hours": 72}) == SafetyPolicy(tested_within_hours=72)


def test_registry_builds_every_kind_by_name():
    assert POLICIES == {"safety": SafetyPolicy, "audience": AudiencePolicy}
    for kind, policy in POLICIES.items():
        assert policy.kind == kind
    assert policy_from_data("audience", {"organisation_types": ["migrant"]}) == AudiencePolicy(("migrant",))
    with pytest.raises(PolicyError) as error:
        policy_from_data("vaccine_passport", {})
    assert (error.value.field, error.value.code) == ("kind", "unknown")


AUDIENCE = AudiencePolicy(organisation_types=("national_minority", "ethnic_minority", "migrant"))


def test_audience_is_stored_sorted():
    assert AUDIENCE.to_data() == {"organisation_types": ["ethnic_minority", "migrant", "national_minority"]}
    assert AudiencePolicy.from_data(json.loads(json.dumps(AUDIENCE.to_data()))) == AUDIENCE
    assert AudiencePolicy.kind == "audience"


@pytest.mark.parametrize(
    ("organisation_type", "outcome", "reason"),
    [
        ("migrant", Outcome.MEETS, "audience_member"),
        ("national_minority", Outcome.MEETS, "audience_member"),
        ("women", Outcome.DOES_NOT_MEET, "audience_outside"),
        (None, Outcome.TO_BE_CHECKED, "audience_unknown"),
        ("", Outcome.TO_BE_CHECKED, "audience_unknown"),
    ],
)
def test_audience_flags_outsiders(organisation_type, outcome, reason):
    verdict = AUDIENCE.evaluate(organisation_type)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)
    assert (verdict.valid_from, verdict.valid_until) == (None, None)


def test_audience_outside_names_the_audience():
    assert AUDIENCE.evaluate("women").params == {
        "organisation_type": "women",
        "organisation_types": ("ethnic_minority", "migrant", "national_minority"),
    }


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"organisation_types": []}, "required"),
        ({}, "required"),
        ({"organisation_types": "migrant"}, "invalid"),
        ({"organisation_types": ["Migrant"]}, "invalid"),
        ({"organisation_types": ["migrant", ""]}, "invalid"),
        ({"organisation_types": [3]}, "invalid"),
    ],
)
def test_bad_audience_raises(data, code):
    with pytest.raises(PolicyError) as error:
        AudiencePolicy.from_data(data)
    assert (error.value.field, error.value.code) == ("organisation_types", code)


def test_every_reason_goes_with_one_outcome():
    assert set(REASONS.values()) == set(Outcome)
    with pytest.raises(ValueError, match="does not go with"):
        Verdict(Outcome.MEETS, "test_too_old")
    with pytest.raises(ValueError, match="does not go with"):
        Verdict(Outcome.MEETS, "no_such_reason")


def test_verdict_to_data_is_json_for_the_api():
    verdict = SafetyPolicy().evaluate(
        SafetyDeclaration(Basis.RECOVERED, date=dt.date(2021, 8, 31)),
        at=dt.datetime(2021, 10, 2, 10, tzinfo=WARSAW),
        tz=WARSAW,
    )
    assert json.loads(json.dumps(verdict.to_data())) == {
        "verdict": "meets",
        "reason": "recovered_valid",
        "params": {"months": 6, "valid_until": "2022-02-28T23:59:59.999999+01:00"},
        "valid_from": "2021-08-31T00:00:00+02:00",
        "valid_until": "2022-02-28T23:59:59.999999+01:00",
    }
    assert verdict.meets
    pending = SafetyPolicy().evaluate(
        SafetyDeclaration(Basis.TESTED), at=dt.datetime(2021, 10, 2, 10, tzinfo=WARSAW), tz=WARSAW
    )
    assert pending.to_data() == {
        "verdict": "to_be_checked",
        "reason": "test_pending",
        "params": {"hours": 48, "test_kinds": ["antigen", "pcr"]},
        "valid_from": None,
        "valid_until": None,
    }


def test_verdict_params_are_copied():
    params = {"days": 14}
    verdict = Verdict(Outcome.DOES_NOT_MEET, "vaccinated_too_early", params)
    params["days"] = 1
    assert verdict.params == {"days": 14}
