"""Sentences for the safety rule, in the active language, generated from its parameters.

The rule's text on the event page, in emails and next to every verdict comes from here, so the
text and the rule can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeet.eligibility import BOUNDS, TEST_KINDS, Outcome, PolicyError, SafetyPolicy, Verdict


def _moment(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value, tz), "DATETIME_FORMAT")


def _test_kinds(policy: SafetyPolicy) -> str:
    kinds = set(policy.test_kinds)
    if kinds == {"pcr", "antigen"}:
        return _("PCR or rapid antigen tests")
    if kinds == {"pcr"}:
        return _("PCR tests only")
    return _("rapid antigen tests only")


def safety_rules_text(policy: SafetyPolicy | None) -> list[str]:
    """The three bases of the rule, one sentence each ("people who …"), or [] without a rule."""
    if policy is None:
        return []
    days, months, hours = policy.vaccinated_after_days, policy.recovered_within_months, policy.tested_within_hours
    return [
        ngettext(
            "are vaccinated, at least %(days)d day after completing the prescribed vaccination cycle;",
            "are vaccinated, at least %(days)d days after completing the prescribed vaccination cycle;",
            days,
        )
        % {"days": days},
        ngettext(
            "have had COVID-19, within %(months)d month of their first positive test result;",
            "have had COVID-19, within %(months)d months of their first positive test result;",
            months,
        )
        % {"months": months},
        ngettext(
            "have obtained a negative COVID-19 test result within the last %(hours)d hour (%(kinds)s).",
            "have obtained a negative COVID-19 test result within the last %(hours)d hours (%(kinds)s).",
            hours,
        )
        % {"hours": hours, "kinds": _test_kinds(policy)},
    ]


def safety_rules_intro() -> str:
    return _("To keep everyone safe, the meeting is open to people who:")


OUTCOME_LABELS: dict[str, Callable[[], str]] = {
    Outcome.MEETS: lambda: _("Meets the safety rule"),
    Outcome.DOES_NOT_MEET: lambda: _("Does not meet the safety rule"),
    Outcome.TO_BE_CHECKED: lambda: _("To be checked at the door"),
}


def verdict_reason_text(verdict: Verdict, policy: SafetyPolicy, tz: ZoneInfo) -> str:
    """Why the verdict is what it is, in one sentence the participant and organisers understand."""
    values: dict[str, Any] = {
        "days": policy.vaccinated_after_days,
        "months": policy.recovered_within_months,
        "hours": policy.tested_within_hours,
        "valid_from": _moment(verdict.valid_from, tz),
        "valid_until": _moment(verdict.valid_until, tz),
        "kinds": _test_kinds(policy),
    }
    reasons = {
        "vaccinated_valid": lambda: ngettext(
            "Vaccinated at least %(days)d day before the meeting: the rule is met.",
            "Vaccinated at least %(days)d days before the meeting: the rule is met.",
            values["days"],
        ),
        "vaccinated_too_early": lambda: ngettext(
            "Less than %(days)d day will have passed since the vaccination cycle was completed: the rule is met "
            "only from %(valid_from)s.",
            "Fewer than %(days)d days will have passed since the vaccination cycle was completed: the rule is met "
            "only from %(valid_from)s.",
            values["days"],
        ),
        "recovered_valid": lambda: ngettext(
            "Within %(months)d month of the first positive test: the rule is met until %(valid_until)s.",
            "Within %(months)d months of the first positive test: the rule is met until %(valid_until)s.",
            values["months"],
        ),
        "recovered_expired": lambda: ngettext(
            "More than %(months)d month will have passed since the first positive test: the rule was met only "
            "until %(valid_until)s.",
            "More than %(months)d months will have passed since the first positive test: the rule was met only "
            "until %(valid_until)s.",
            values["months"],
        ),
        "tested_valid": lambda: _("A negative test taken in time: the rule is met until %(valid_until)s."),
        "test_too_old": lambda: ngettext(
            "The test will be more than %(hours)d hour old when the meeting starts (it is valid until "
            "%(valid_until)s). Take a new test closer to the meeting.",
            "The test will be more than %(hours)d hours old when the meeting starts (it is valid until "
            "%(valid_until)s). Take a new test closer to the meeting.",
            values["hours"],
        ),
        "test_after_moment": lambda: _(
            "The test time is after the moment checked, so it cannot count yet. It is valid from %(valid_from)s "
            "until %(valid_until)s."
        ),
        "test_kind_not_accepted": lambda: _("This kind of test is not accepted. Accepted: %(kinds)s."),
        "missing_test_kind": lambda: _("Say which kind of test it was. Accepted: %(kinds)s."),
        "test_pending": lambda: ngettext(
            "You will bring a negative test result: it must be taken within %(hours)d hour before the meeting "
            "(%(kinds)s). It will be checked at the door.",
            "You will bring a negative test result: it must be taken within %(hours)d hours before the meeting "
            "(%(kinds)s). It will be checked at the door.",
            values["hours"],
        ),
        "date_in_future": lambda: _("The date given is in the future."),
        "audience_member": lambda: _("The organisation is in the meeting's intended audience."),
        "audience_outside": lambda: _("The organisation is outside the meeting's intended audience."),
        "audience_unknown": lambda: _("No organisation given: check whether the person is in the intended audience."),
    }
    sentence = reasons.get(verdict.reason)
    if sentence is None:
        return OUTCOME_LABELS[verdict.outcome]()
    return sentence() % values


def verdict_display(event, verdict: Verdict | None) -> dict[str, str] | None:
    """What `registrations/_verdict.html` shows: the outcome, its label and the reason, translated."""
    if verdict is None or event.safety is None:
        return None
    label = str(OUTCOME_LABELS[verdict.outcome]())
    reason = verdict_reason_text(verdict, event.safety, event.tz)
    return {"outcome": str(verdict.outcome), "label": label, "reason": "" if reason == label else reason}


def policy_error_message(error: PolicyError) -> str:
    """The one wording of a safety-rule parameter's error, for the event form and the API alike."""
    if error.field in BOUNDS and error.code == "out_of_range":
        low, high = BOUNDS[error.field]
        return _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
    if error.field in BOUNDS and error.code in ("required", "invalid"):
        return _("Enter a whole number.")
    if error.field == "test_kinds" and error.code == "required":
        return _("Choose at least one kind of test that is accepted.")
    if error.field == "test_kinds":
        return _("Each kind of test must be one of: %(kinds)s.") % {"kinds": ", ".join(TEST_KINDS)}
    if error.code == "unknown":
        return _("There is no such field.")
    return _("These parameters of the safety rule are not valid.")
