"""Invariants of the safety and audience rules, checked with hypothesis."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from civicmeet.eligibility import (
    TEST_KINDS,
    AudiencePolicy,
    Basis,
    Outcome,
    SafetyDeclaration,
    SafetyPolicy,
    add_months,
)

UTC = dt.UTC
# database=None: nothing is written into the working tree; deadline=None: loading a zone may be slow.
check = settings(database=None, deadline=None, max_examples=300)

# Zones whose local date never goes backwards (no daylight-saving change at midnight), chosen for wide
# offsets, half hours and half-hour daylight saving: used where the test reasons about local dates.
ZONES = [
    "UTC",
    "Europe/Warsaw",
    "Europe/Kyiv",
    "America/New_York",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
]
zones = st.sampled_from(ZONES).map(ZoneInfo)
any_zone = st.timezones()  # every zone the system knows: for invariants about real moments
days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31))
moments = st.datetimes(
    min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2060, 12, 31), timezones=any_zone, allow_imaginary=False
)
policies = st.builds(
    SafetyPolicy,
    vaccinated_after_days=st.integers(0, 365),
    recovered_within_months=st.integers(0, 60),
    tested_within_hours=st.integers(1, 720),
    test_kinds=st.lists(st.sampled_from(TEST_KINDS), min_size=1, unique=True).map(tuple),
)
near = st.timedeltas(min_value=dt.timedelta(days=-800), max_value=dt.timedelta(days=800))


@st.composite
def dated(draw):
    """A vaccinated or recovered declaration and a moment not too far from its date."""
    basis = draw(st.sampled_from([Basis.VACCINATED, Basis.RECOVERED]))
    day = draw(days)
    at = (dt.datetime.combine(day, dt.time(12), tzinfo=UTC) + draw(near)).astimezone(draw(any_zone))
    return SafetyDeclaration(basis, date=day), at


@st.composite
def timed(draw, policy):
    """A tested declaration with a time and an accepted kind, and a moment near it."""
    taken_at = draw(moments)
    window = dt.timedelta(hours=policy.tested_within_hours)
    offset = draw(st.timedeltas(min_value=-dt.timedelta(hours=2), max_value=window + dt.timedelta(hours=2)))
    boundary = draw(st.sampled_from([None, dt.timedelta(0), window, window + dt.timedelta(microseconds=1)]))
    at = (taken_at.astimezone(UTC) + (boundary if boundary is not None else offset)).astimezone(draw(any_zone))
    return SafetyDeclaration(Basis.TESTED, taken_at=taken_at, test_kind=draw(st.sampled_from(policy.test_kinds))), at


def in_window(at, valid_from, valid_until) -> bool:
    at = at.astimezone(UTC)
    after = valid_from is None or valid_from.astimezone(UTC) <= at
    before = valid_until is None or at <= valid_until.astimezone(UTC)
    return after and before


@check
@given(policy=policies, case=dated(), tz=any_zone)
def test_dated_verdict_meets_iff_the_moment_is_in_its_window(policy, case, tz):
    declaration, at = case
    verdict = policy.evaluate(declaration, at=at, tz=tz)
    assert verdict.outcome is not Outcome.TO_BE_CHECKED
    assert (verdict.outcome is Outcome.MEETS) == in_window(at, verdict.valid_from, verdict.valid_until)
    for bound in (verdict.valid_from, verdict.valid_until):
        assert bound is None or bound.tzinfo is tz


@check
@given(data=st.data(), policy=policies, tz=any_zone)
def test_tested_verdict_meets_iff_the_moment_is_in_its_window(data, policy, tz):
    declaration, at = data.draw(timed(policy))
    verdict = policy.evaluate(declaration, at=at, tz=tz)
    assert (verdict.outcome is Outcome.MEETS) == in_window(at, verdict.valid_from, verdict.valid_until)
    hours = dt.timedelta(hours=policy.tested_within_hours)
    assert verdict.valid_until.astimezone(UTC) - verdict.valid_from.astimezone(UTC) == hours  # real hours
    assert verdict.valid_from.tzinfo is tz and verdict.valid_until.tzinfo is tz


@check
@given(policy=policies, case=dated(), tz=zones)
def test_dated_verdicts_follow_the_local_calendar_date(policy, case, tz):
    """Days and months are calendar dates in the event's zone: the verdict is what the local date says."""
    declaration, at = case
    today = at.astimezone(tz).date()
    verdict = policy.evaluate(declaration, at=at, tz=tz)
    if declaration.date > today:
        expected = "date_in_future"
    elif declaration.basis is Basis.VACCINATED:
        first = declaration.date + dt.timedelta(days=policy.vaccinated_after_days)
        expected = "vaccinated_valid" if today >= first else "vaccinated_too_early"
    else:
        last = add_months(declaration.date, policy.recovered_within_months)
        expected = "recovered_valid" if today <= last else "recovered_expired"
    assert verdict.reason == expected


@check
@given(policy=policies, case=dated(), tz=zones)
def test_windows_of_dated_verdicts_are_whole_local_days(policy, case, tz):
    declaration, at = case
    verdict = policy.evaluate(declaration, at=at, tz=tz)
    tick = dt.timedelta(microseconds=1)
    if declaration.basis is Basis.VACCINATED:
        first = declaration.date + dt.timedelta(days=policy.vaccinated_after_days)
        assert verdict.valid_from.date() == first
        assert (verdict.valid_from.astimezone(UTC) - tick).astimezone(tz).date() < first
        assert verdict.valid_until is None
    else:
        last = add_months(declaration.date, policy.recovered_within_months)
        assert verdict.valid_from.date() == declaration.date
        assert verdict.valid_until.date() == last
        assert (verdict.valid_until.astimezone(UTC) + tick).astimezone(tz).date() > last


@check
@given(policy=policies, case=dated(), tz=any_zone, later=st.timedeltas(min_value=dt.timedelta(0)))
def test_moving_later_never_revives_an_expired_recovery_and_never_ends_a_vaccination(policy, case, tz, later):
    declaration, at = case
    try:
        at_later = (at.astimezone(UTC) + later).astimezone(tz)
    except OverflowError:
        assume(False)
    before = policy.evaluate(declaration, at=at, tz=tz)
    after = policy.evaluate(declaration, at=at_later, tz=tz)
    if before.reason == "recovered_expired":
        assert after.reason == "recovered_expired"
    if before.outcome is Outcome.MEETS and declaration.basis is Basis.VACCINATED:
        assert after.outcome is Outcome.MEETS


@check
@given(
    data=st.data(),
    policy=policies,
    tz=any_zone,
    later=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3650)),
)
def test_moving_later_never_revives_an_old_test(data, policy, tz, later):
    declaration, at = data.draw(timed(policy))
    before = policy.evaluate(declaration, at=at, tz=tz)
    after = policy.evaluate(declaration, at=(at.astimezone(UTC) + later).astimezone(tz), tz=tz)
    if before.reason == "test_too_old":
        assert after.reason == "test_too_old"


@check
@given(data=st.data(), policy=policies, tz=any_zone, other=any_zone)
def test_tested_outcomes_do_not_depend_on_the_zone(data, policy, tz, other):
    """Hours are real hours: the zone only changes how the window is shown, not what it is."""
    declaration, at = data.draw(timed(policy))
    here, there = policy.evaluate(declaration, at=at, tz=tz), policy.evaluate(declaration, at=at, tz=other)
    assert (here.outcome, here.reason) == (there.outcome, there.reason)
    assert here.valid_from == there.valid_from and here.valid_until == there.valid_until  # the same moments


@check
@given(day=days, hour=st.integers(0, 23), tz=zones, other=zones, policy=policies)
def test_dated_outcomes_depend_on_the_zone_only_through_the_local_date(day, hour, tz, other, policy):
    at = dt.datetime.combine(day, dt.time(hour), tzinfo=UTC)
    declaration = SafetyDeclaration(Basis.VACCINATED, date=day - dt.timedelta(days=policy.vaccinated_after_days))
    here, there = policy.evaluate(declaration, at=at, tz=tz), policy.evaluate(declaration, at=at, tz=other)
    if at.astimezone(tz).date() == at.astimezone(other).date():
        assert here.reason == there.reason
    # exactly on the day the basis starts to count: meets wherever that day has begun
    assert (here.outcome is Outcome.MEETS) == (at.astimezone(tz).date() >= day)


@check
@given(policy=policies)
def test_safety_policy_round_trips(policy):
    assert SafetyPolicy.from_data(json.loads(json.dumps(policy.to_data()))) == policy
    assert list(policy.test_kinds) == sorted(set(policy.test_kinds))


@check
@given(types=st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True), min_size=1))
def test_audience_policy_round_trips_and_admits_exactly_its_types(types):
    policy = AudiencePolicy(tuple(types))
    assert AudiencePolicy.from_data(json.loads(json.dumps(policy.to_data()))) == policy
    assert all(policy.evaluate(value).outcome is Outcome.MEETS for value in types)
    assert policy.evaluate("x" * 40).outcome is Outcome.DOES_NOT_MEET


@check
@given(
    declaration=st.one_of(
        st.builds(SafetyDeclaration, basis=st.sampled_from([Basis.VACCINATED, Basis.RECOVERED]), date=days),
        st.builds(
            SafetyDeclaration,
            basis=st.just(Basis.TESTED),
            taken_at=st.none() | moments,
            test_kind=st.none() | st.sampled_from(TEST_KINDS),
        ),
    ),
    policy=policies,
    at=moments,
    tz=any_zone,
)
def test_declarations_round_trip_and_verdicts_are_json(declaration, policy, at, tz):
    restored = SafetyDeclaration.from_data(json.loads(json.dumps(declaration.to_data())))
    # Compare what is stored, and the instant: Python's == between zones is False for any moment in a
    # repeated (fall-back) hour (PEP 495), although it is the same instant.
    assert restored.to_data() == declaration.to_data()
    if declaration.taken_at is not None:
        assert restored.taken_at.timestamp() == declaration.taken_at.timestamp()
    verdict = policy.evaluate(declaration, at=at, tz=tz)
    json.dumps(verdict.to_data())
    if verdict.outcome is Outcome.MEETS:
        assert in_window(at, verdict.valid_from, verdict.valid_until)


@check
@given(day=days, months=st.integers(0, 120))
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months):
    result = add_months(day, months)
    assert (result.year - day.year) * 12 + result.month - day.month == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
