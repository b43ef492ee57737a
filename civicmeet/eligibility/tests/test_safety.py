"""Boundary tables for the safety policy: the semantics of docs/admission-rules.md, case by case."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from civicmeet.eligibility import (
    Basis,
    DeclarationError,
    Outcome,
    SafetyDeclaration,
    SafetyPolicy,
    add_months,
)

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC
NEW_YORK = ZoneInfo("America/New_York")
POLICY = SafetyPolicy()


def warsaw(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WARSAW)


def vaccinated(day: dt.date) -> SafetyDeclaration:
    return SafetyDeclaration(Basis.VACCINATED, date=day)


def recovered(day: dt.date) -> SafetyDeclaration:
    return SafetyDeclaration(Basis.RECOVERED, date=day)


def negative_test(taken_at: dt.datetime | None, kind: str | None = "pcr") -> SafetyDeclaration:
    return SafetyDeclaration(Basis.TESTED, taken_at=taken_at, test_kind=kind)


D = dt.date
MEETS, NOT, CHECK = Outcome.MEETS, Outcome.DOES_NOT_MEET, Outcome.TO_BE_CHECKED


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2021, 8, 31), 6, D(2022, 2, 28)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2021, 3, 31), 6, D(2021, 9, 30)),
        (D(2021, 4, 2), 6, D(2021, 10, 2)),
        (D(2021, 7, 15), 6, D(2022, 1, 15)),  # across the year
        (D(2021, 12, 31), 6, D(2022, 6, 30)),
        (D(2021, 12, 31), 2, D(2022, 2, 28)),
        (D(2021, 12, 31), 12, D(2022, 12, 31)),
        (D(2020, 2, 29), 12, D(2021, 2, 28)),
        (D(2020, 2, 29), 48, D(2024, 2, 29)),
        (D(2021, 1, 31), 1, D(2021, 2, 28)),
        (D(2021, 5, 10), 0, D(2021, 5, 10)),
        (D(2021, 1, 1), 60, D(2026, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_day_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("completed", "at", "tz", "outcome", "reason"),
    [
        # exactly 14 days after, from local midnight: meets
        (D(2021, 9, 18), warsaw(2021, 10, 2, 0, 0), WARSAW, MEETS, "vaccinated_valid"),
        (D(2021, 9, 18), warsaw(2021, 10, 2, 10, 0), WARSAW, MEETS, "vaccinated_valid"),
        # 13 days 23:59 after: not yet
        (D(2021, 9, 18), warsaw(2021, 10, 1, 23, 59), WARSAW, NOT, "vaccinated_too_early"),
        (D(2021, 9, 18), warsaw(2021, 10, 1, 23, 59, 59, 999999), WARSAW, NOT, "vaccinated_too_early"),
        (D(2021, 9, 19), warsaw(2021, 10, 2, 10, 0), WARSAW, NOT, "vaccinated_too_early"),
        (D(2021, 10, 2), warsaw(2021, 10, 2, 10, 0), WARSAW, NOT, "vaccinated_too_early"),
        (D(2021, 1, 5), warsaw(2021, 10, 2, 10, 0), WARSAW, MEETS, "vaccinated_valid"),
        # a completion date after the moment of evaluation cannot be right
        (D(2021, 10, 3), warsaw(2021, 10, 2, 10, 0), WARSAW, NOT, "date_in_future"),
        # days are counted in the event's zone: 2021-10-01 22:30 UTC is already 2 October in Warsaw
        (D(2021, 9, 18), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), WARSAW, MEETS, "vaccinated_valid"),
        (D(2021, 9, 18), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), UTC, NOT, "vaccinated_too_early"),
        # ... and 2021-10-02 02:00 UTC is still 1 October in New York
        (D(2021, 9, 18), dt.datetime(2021, 10, 2, 2, 0, tzinfo=UTC), NEW_YORK, NOT, "vaccinated_too_early"),
        (D(2021, 9, 18), dt.datetime(2021, 10, 2, 2, 0, tzinfo=UTC), UTC, MEETS, "vaccinated_valid"),
        # a date in the future in one zone is today in another
        (D(2021, 10, 2), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), UTC, NOT, "date_in_future"),
        (D(2021, 10, 2), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), WARSAW, NOT, "vaccinated_too_early"),
        # local midnight right after the spring change (28 March 2021, 00:00 CET)
        (D(2021, 3, 14), warsaw(2021, 3, 28, 0, 0), WARSAW, MEETS, "vaccinated_valid"),
        (D(2021, 3, 14), warsaw(2021, 3, 27, 23, 59), WARSAW, NOT, "vaccinated_too_early"),
    ],
)
def test_vaccinated(completed, at, tz, outcome, reason):
    verdict = POLICY.evaluate(vaccinated(completed), at=at, tz=tz)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)
    assert verdict.valid_until is None


def test_vaccinated_window_starts_at_local_midnight_and_names_it():
    verdict = POLICY.evaluate(vaccinated(D(2021, 9, 19)), at=warsaw(2021, 10, 2, 10), tz=WARSAW)
    assert verdict.valid_from == warsaw(2021, 10, 3)
    assert verdict.valid_from.tzinfo is WARSAW
    assert verdict.params == {"days": 14, "valid_from": warsaw(2021, 10, 3)}
    future = POLICY.evaluate(vaccinated(D(2021, 10, 3)), at=warsaw(2021, 10, 2, 10), tz=WARSAW)
    assert future.params == {"date": D(2021, 10, 3)}


@pytest.mark.parametrize("days", [0, 1, 14, 365])
def test_vaccinated_after_days_is_a_parameter(days):
    policy = SafetyPolicy(vaccinated_after_days=days)
    completed = D(2021, 1, 1)
    first = dt.datetime.combine(completed + dt.timedelta(days=days), dt.time(), tzinfo=WARSAW)
    assert policy.evaluate(vaccinated(completed), at=first, tz=WARSAW).outcome is MEETS
    if days:
        before = first - dt.timedelta(seconds=1)
        assert policy.evaluate(vaccinated(completed), at=before, tz=WARSAW).outcome is NOT


@pytest.mark.parametrize(
    ("first_positive", "at", "tz", "outcome", "reason"),
    [
        # exactly 6 months after still meets, the whole of that day
        (D(2021, 4, 2), warsaw(2021, 10, 2, 10), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 4, 2), warsaw(2021, 10, 2, 23, 59, 59, 999999), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 4, 2), warsaw(2021, 10, 3, 0, 0), WARSAW, NOT, "recovered_expired"),
        (D(2021, 4, 1), warsaw(2021, 10, 2, 10), WARSAW, NOT, "recovered_expired"),
        # month ends: Aug 31 + 6 months = Feb 28, or Feb 29 in a leap year
        (D(2021, 8, 31), warsaw(2022, 2, 28, 23, 59), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 8, 31), warsaw(2022, 3, 1, 0, 0), WARSAW, NOT, "recovered_expired"),
        (D(2023, 8, 31), warsaw(2024, 2, 29, 12, 0), WARSAW, MEETS, "recovered_valid"),
        (D(2023, 8, 31), warsaw(2024, 3, 1, 0, 0), WARSAW, NOT, "recovered_expired"),
        # Mar 31 + 6 months = Sep 30
        (D(2021, 3, 31), warsaw(2021, 9, 30, 18, 0), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 3, 31), warsaw(2021, 10, 1, 0, 0), WARSAW, NOT, "recovered_expired"),
        # Feb 29 itself, and Dec 31 across the year
        (D(2024, 2, 29), warsaw(2024, 8, 29, 9, 0), WARSAW, MEETS, "recovered_valid"),
        (D(2024, 2, 29), warsaw(2024, 8, 30, 9, 0), WARSAW, NOT, "recovered_expired"),
        (D(2021, 12, 31), warsaw(2022, 6, 30, 9, 0), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 12, 31), warsaw(2022, 7, 1, 9, 0), WARSAW, NOT, "recovered_expired"),
        # from the first day on, the whole day
        (D(2021, 10, 2), warsaw(2021, 10, 2, 0, 0), WARSAW, MEETS, "recovered_valid"),
        (D(2021, 10, 3), warsaw(2021, 10, 2, 23, 59), WARSAW, NOT, "date_in_future"),
        # days are counted in the event's zone
        (D(2021, 4, 1), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), WARSAW, NOT, "recovered_expired"),
        (D(2021, 4, 1), dt.datetime(2021, 10, 1, 22, 30, tzinfo=UTC), UTC, MEETS, "recovered_valid"),
    ],
)
def test_recovered(first_positive, at, tz, outcome, reason):
    verdict = POLICY.evaluate(recovered(first_positive), at=at, tz=tz)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_recovered_window_is_whole_days_ending_at_the_last_microsecond():
    verdict = POLICY.evaluate(recovered(D(2021, 8, 31)), at=warsaw(2021, 10, 2, 10), tz=WARSAW)
    assert verdict.valid_from == warsaw(2021, 8, 31)
    assert verdict.valid_until == warsaw(2022, 2, 28, 23, 59, 59, 999999)
    assert verdict.valid_until.utcoffset() == dt.timedelta(hours=1)  # CET in February
    assert verdict.params == {"months": 6, "valid_until": warsaw(2022, 2, 28, 23, 59, 59, 999999)}


@pytest.mark.parametrize(
    ("taken_at", "at", "outcome", "reason"),
    [
        # spring change: 27 March 10:00 CET → 29 March 10:00 CEST is 47 real hours
        (warsaw(2021, 3, 27, 10), warsaw(2021, 3, 29, 10), MEETS, "tested_valid"),
        (warsaw(2021, 3, 27, 10), warsaw(2021, 3, 29, 11), MEETS, "tested_valid"),
        (warsaw(2021, 3, 27, 10), warsaw(2021, 3, 29, 11, 0, 1), NOT, "test_too_old"),
        # autumn change: 30 October 10:00 CEST → 1 November 10:00 CET is 49 real hours
        (warsaw(2021, 10, 30, 10), warsaw(2021, 11, 1, 10), NOT, "test_too_old"),
        (warsaw(2021, 10, 30, 10), warsaw(2021, 11, 1, 9), MEETS, "tested_valid"),
        # exactly 48 hours meets, 48 hours and a second does not
        (warsaw(2021, 9, 30, 10), warsaw(2021, 10, 2, 10), MEETS, "tested_valid"),
        (warsaw(2021, 9, 30, 10), warsaw(2021, 10, 2, 10, 0, 1), NOT, "test_too_old"),
        (warsaw(2021, 9, 30, 9, 59, 59), warsaw(2021, 10, 2, 10), NOT, "test_too_old"),
        # taken at the very moment meets; taken after it proves nothing at that moment
        (warsaw(2021, 10, 2, 10), warsaw(2021, 10, 2, 10), MEETS, "tested_valid"),
        (warsaw(2021, 10, 2, 10, 0, 1), warsaw(2021, 10, 2, 10), NOT, "test_after_moment"),
        # the test's own offset does not matter: 08:00 UTC is 10:00 in Warsaw
        (dt.datetime(2021, 9, 30, 8, tzinfo=UTC), warsaw(2021, 10, 2, 10), MEETS, "tested_valid"),
        (dt.datetime(2021, 9, 30, 7, 59, tzinfo=UTC), warsaw(2021, 10, 2, 10), NOT, "test_too_old"),
    ],
)
def test_tested(taken_at, at, outcome, reason):
    verdict = POLICY.evaluate(negative_test(taken_at), at=at, tz=WARSAW)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_tested_window_is_real_hours_shown_in_the_events_zone():
    verdict = POLICY.evaluate(negative_test(warsaw(2021, 10, 30, 10)), at=warsaw(2021, 10, 31, 12), tz=WARSAW)
    assert verdict.outcome is MEETS
    assert verdict.valid_from == warsaw(2021, 10, 30, 10)
    # 48 real hours after 10:00 CEST is 09:00 CET
    assert verdict.valid_until.isoformat() == "2021-11-01T09:00:00+01:00"
    assert verdict.params == {"hours": 48, "valid_until": verdict.valid_until}
    utc_taken = POLICY.evaluate(
        negative_test(dt.datetime(2021, 10, 30, 8, tzinfo=UTC)), at=warsaw(2021, 10, 31, 12), tz=WARSAW
    )
    assert utc_taken.valid_from.isoformat() == "2021-10-30T10:00:00+02:00"


@pytest.mark.parametrize(
    ("policy", "declaration", "outcome", "reason"),
    [
        (
            SafetyPolicy(test_kinds=("pcr",)),
            negative_test(warsaw(2021, 10, 1, 10), "antigen"),
            NOT,
            "test_kind_not_accepted",
        ),
        (SafetyPolicy(test_kinds=("pcr",)), negative_test(None, "antigen"), NOT, "test_kind_not_accepted"),
        (
            SafetyPolicy(test_kinds=("antigen",)),
            negative_test(warsaw(2021, 10, 1, 10), "antigen"),
            MEETS,
            "tested_valid",
        ),
        (POLICY, negative_test(warsaw(2021, 10, 1, 10), "antigen"), MEETS, "tested_valid"),
        # no time yet: the test will be taken later
        (POLICY, negative_test(None, "pcr"), CHECK, "test_pending"),
        (POLICY, negative_test(None, None), CHECK, "test_pending"),
        # a time in the window but no kind: the desk checks the kind
        (POLICY, negative_test(warsaw(2021, 10, 1, 10), None), CHECK, "missing_test_kind"),
        # a time outside the window does not meet, whatever the kind
        (POLICY, negative_test(warsaw(2021, 9, 20, 10), None), NOT, "test_too_old"),
        (POLICY, negative_test(warsaw(2021, 10, 3, 10), None), NOT, "test_after_moment"),
        (SafetyPolicy(tested_within_hours=24), negative_test(warsaw(2021, 10, 1, 10), "pcr"), MEETS, "tested_valid"),
        (SafetyPolicy(tested_within_hours=23), negative_test(warsaw(2021, 10, 1, 10), "pcr"), NOT, "test_too_old"),
    ],
)
def test_tested_kinds_and_pending_tests(policy, declaration, outcome, reason):
    verdict = policy.evaluate(declaration, at=warsaw(2021, 10, 2, 10), tz=WARSAW)
    assert (verdict.outcome, verdict.reason) == (outcome, reason)


def test_pending_and_refused_kinds_have_no_window_and_name_the_kinds():
    pending = POLICY.evaluate(negative_test(None), at=warsaw(2021, 10, 2, 10), tz=WARSAW)
    assert (pending.valid_from, pending.valid_until) == (None, None)
    assert pending.params == {"hours": 48, "test_kinds": ("antigen", "pcr")}
    refused = SafetyPolicy(test_kinds=["pcr"]).evaluate(
        negative_test(warsaw(2021, 10, 1), "antigen"), at=warsaw(2021, 10, 2, 10), tz=WARSAW
    )
    assert (refused.valid_from, refused.valid_until) == (None, None)
    assert refused.params == {"test_kind": "antigen", "test_kinds": ("pcr",)}


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"basis": "vaccinated"}, "date", "required"),
        ({"basis": "recovered"}, "date", "required"),
        ({"basis": "vaccinated", "date": dt.datetime(2021, 9, 1, tzinfo=UTC)}, "date", "invalid"),
        ({"basis": "vaccinated", "date": "2021-09-01"}, "date", "invalid"),
        ({"basis": "vaccinated", "date": D(2021, 9, 1), "test_kind": "pcr"}, "test_kind", "unexpected"),
        ({"basis": "recovered", "date": D(2021, 9, 1), "taken_at": warsaw(2021, 9, 1)}, "taken_at", "unexpected"),
        ({"basis": "tested", "date": D(2021, 9, 1)}, "date", "unexpected"),
        ({"basis": "tested", "taken_at": dt.datetime(2021, 10, 1, 10)}, "taken_at", "naive"),
        ({"basis": "tested", "taken_at": D(2021, 10, 1)}, "taken_at", "invalid"),
        ({"basis": "tested", "test_kind": "saliva"}, "test_kind", "invalid"),
        ({"basis": "certificate"}, "basis", "invalid"),
    ],
)
def test_malformed_declarations_raise(kwargs, field, code):
    with pytest.raises(DeclarationError) as error:
        SafetyDeclaration(**kwargs)
    assert (error.value.field, error.value.code) == (field, code)
    assert isinstance(error.value, ValueError)


def test_basis_may_be_given_as_its_value():
    assert SafetyDeclaration("recovered", date=D(2021, 9, 1)).basis is Basis.RECOVERED


@pytest.mark.parametrize("at", [dt.datetime(2021, 10, 2, 10), "2021-10-02T10:00:00+02:00", D(2021, 10, 2)])
def test_the_moment_must_be_aware(at):
    with pytest.raises(DeclarationError) as error:
        POLICY.evaluate(vaccinated(D(2021, 9, 1)), at=at, tz=WARSAW)
    assert error.value.field == "at"


def test_evaluate_wants_a_declaration_and_a_zone():
    with pytest.raises(TypeError):
        POLICY.evaluate({"basis": "tested"}, at=warsaw(2021, 10, 2), tz=WARSAW)
    with pytest.raises(TypeError):
        POLICY.evaluate(negative_test(None), at=warsaw(2021, 10, 2), tz="Europe/Warsaw")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"basis": "vaccinated", "date": "2021-09-18"}, SafetyDeclaration(Basis.VACCINATED, date=D(2021, 9, 18))),
        (
            {"basis": "tested", "taken_at": "2021-10-01T10:00:00+02:00", "test_kind": "antigen", "date": None},
            negative_test(warsaw(2021, 10, 1, 10), "antigen"),
        ),
        (
            {"basis": "tested", "taken_at": "2021-10-01T08:00:00Z", "test_kind": "pcr"},
            negative_test(warsaw(2021, 10, 1, 10)),
        ),
        ({"basis": "tested", "taken_at": "", "test_kind": ""}, negative_test(None, None)),
        ({"basis": "tested"}, negative_test(None, None)),
    ],
)
def test_declaration_from_data(data, expected):
    declaration = SafetyDeclaration.from_data(data)
    assert declaration == expected
    assert SafetyDeclaration.from_data(declaration.to_data()) == declaration


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({}, "basis", "required"),
        ({"basis": ""}, "basis", "required"),
        ({"basis": "vaccinated", "date": "18.09.2021"}, "date", "invalid"),
        ({"basis": "vaccinated", "date": "2021-09-18T10:00"}, "date", "invalid"),
        ({"basis": "tested", "taken_at": "2021-10-01T10:00:00"}, "taken_at", "naive"),
        ({"basis": "tested", "taken_at": "yesterday"}, "taken_at", "invalid"),
        ({"basis": "tested", "certificate_number": "X"}, "certificate_number", "unknown"),
        (["basis", "tested"], "__all__", "invalid"),
    ],
)
def test_declaration_from_bad_data(data, field, code):
    with pytest.raises(DeclarationError) as error:
        SafetyDeclaration.from_data(data)
    assert (error.value.field, error.value.code) == (field, code)
