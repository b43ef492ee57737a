"""The answer of every rule: an outcome, a reason code, its parameters and the window of validity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    MEETS = "meets"
    DOES_NOT_MEET = "does_not_meet"
    TO_BE_CHECKED = "to_be_checked"


# Every reason code a rule may give, with the outcome it comes with. The edge translates each code
# into a sentence; a test there can check that every code has one.
REASONS: Mapping[str, Outcome] = {
    "vaccinated_valid": Outcome.MEETS,
    "vaccinated_too_early": Outcome.DOES_NOT_MEET,
    "recovered_valid": Outcome.MEETS,
    "recovered_expired": Outcome.DOES_NOT_MEET,
    "tested_valid": Outcome.MEETS,
    "test_too_old": Outcome.DOES_NOT_MEET,
    "test_after_moment": Outcome.DOES_NOT_MEET,
    "test_kind_not_accepted": Outcome.DOES_NOT_MEET,
    "missing_test_kind": Outcome.TO_BE_CHECKED,
    "test_pending": Outcome.TO_BE_CHECKED,
    "date_in_future": Outcome.DOES_NOT_MEET,
    "audience_member": Outcome.MEETS,
    "audience_outside": Outcome.DOES_NOT_MEET,
    "audience_unknown": Outcome.TO_BE_CHECKED,
}


def _plain(value: object) -> object:
    if isinstance(value, dt.date):  # dates and datetimes
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Verdict:
    """`valid_from`/`valid_until` bound, inclusively, the moments at which the declared basis makes the
    person meet the rule (aware, in the event's zone); None is unbounded, or unknown when both are None."""

    outcome: Outcome
    reason: str
    params: Mapping[str, object] = field(default_factory=dict)
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None

    def __post_init__(self) -> None:
        if REASONS.get(self.reason) is not self.outcome:
            raise ValueError(f"reason {self.reason!r} does not go with outcome {self.outcome!r}")
        object.__setattr__(self, "params", dict(self.params))

    @property
    def meets(self) -> bool:
        return self.outcome is Outcome.MEETS

    def to_data(self) -> dict[str, Any]:
        """JSON-ready: `{"verdict", "reason", "params", "valid_from", "valid_until"}`, times in ISO 8601."""
        return {
            "verdict": self.outcome.value,
            "reason": self.reason,
            "params": {key: _plain(value) for key, value in self.params.items()},
            "valid_from": _plain(self.valid_from),
            "valid_until": _plain(self.valid_until),
        }
