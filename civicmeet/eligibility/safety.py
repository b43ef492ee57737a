"""The safety policy of the invitation: vaccinated, recovered or tested, each with its parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from .dates import add_months, end_of_day, is_aware, start_of_day, utc, within
from .errors import DeclarationError, PolicyError
from .verdict import Outcome, Verdict


class Basis(StrEnum):
    VACCINATED = "vaccinated"
    RECOVERED = "recovered"
    TESTED = "tested"


TEST_KINDS: tuple[str, ...] = ("pcr", "antigen")

# Inclusive bounds of each integer parameter.
BOUNDS: Mapping[str, tuple[int, int]] = {
    "vaccinated_after_days": (0, 365),
    "recovered_within_months": (0, 60),
    "tested_within_hours": (1, 720),
}

_DECLARATION_FIELDS = ("basis", "date", "taken_at", "test_kind")
# Which of the optional fields each basis rests on; the others must be empty.
_USES: Mapping[Basis, frozenset[str]] = {
    Basis.VACCINATED: frozenset({"date"}),
    Basis.RECOVERED: frozenset({"date"}),
    Basis.TESTED: frozenset({"taken_at", "test_kind"}),
}


@dataclass(frozen=True)
class SafetyDeclaration:
    """What a person declares: a basis and the date or moment it rests on. Validated on creation.

    - vaccinated: `date`, the day the vaccination cycle was completed (required);
    - recovered: `date`, the day of the first positive test (required);
    - tested: `taken_at`, the aware moment the negative test was taken (None: a test will be taken
      later), and `test_kind`, one of TEST_KINDS.

    Fields the basis does not rest on must be None (`DeclarationError(field, "unexpected")`): nothing
    beyond the basis and its date or moment is health data worth keeping.
    """

    basis: Basis
    date: dt.date | None = None
    taken_at: dt.datetime | None = None
    test_kind: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "basis", Basis(self.basis))
        except ValueError:
            raise DeclarationError("basis", "invalid") from None
        uses = _USES[self.basis]
        for name in ("date", "taken_at", "test_kind"):
            if name not in uses and getattr(self, name) is not None:
                raise DeclarationError(name, "unexpected", f"a {self.basis} declaration has no {name}")
        if "date" in uses:
            if self.date is None:
                raise DeclarationError("date", "required")
            if not isinstance(self.date, dt.date) or isinstance(self.date, dt.datetime):
                raise DeclarationError("date", "invalid", "a calendar date, not a moment")
        if self.taken_at is not None:
            if not isinstance(self.taken_at, dt.datetime):
                raise DeclarationError("taken_at", "invalid", "a moment with its offset from UTC")
            if not is_aware(self.taken_at):
                raise DeclarationError("taken_at", "naive", "a moment needs its offset from UTC")
        if self.test_kind is not None and self.test_kind not in TEST_KINDS:
            raise DeclarationError("test_kind", "invalid", f"one of {', '.join(TEST_KINDS)}")

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SafetyDeclaration:
        """From JSON-like data: `{"basis", "date"?: "YYYY-MM-DD", "taken_at"?: ISO 8601 with offset,
        "test_kind"?}`. Absent, None and "" are all "not given". Raises DeclarationError."""
        if not isinstance(data, Mapping):
            raise DeclarationError("__all__", "invalid", "an object is expected")
        for key in data:
            if key not in _DECLARATION_FIELDS:
                raise DeclarationError(str(key), "unknown")
        values: dict[str, Any] = {key: (None if data.get(key) == "" else data.get(key)) for key in _DECLARATION_FIELDS}
        if values["basis"] is None:
            raise DeclarationError("basis", "required")
        if isinstance(values["date"], str):
            try:
                values["date"] = dt.date.fromisoformat(values["date"])
            except ValueError:
                raise DeclarationError("date", "invalid", "YYYY-MM-DD") from None
        if isinstance(values["taken_at"], str):
            try:
                values["taken_at"] = dt.datetime.fromisoformat(values["taken_at"])
            except ValueError:
                raise DeclarationError("taken_at", "invalid", "ISO 8601 with its offset from UTC") from None
        return cls(**values)

    def to_data(self) -> dict[str, Any]:
        return {
            "basis": self.basis.value,
            "date": self.date.isoformat() if self.date else None,
            "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "test_kind": self.test_kind,
        }


@dataclass(frozen=True)
class SafetyPolicy:
    """The invitation's rule: at least `vaccinated_after_days` days after completing vaccination, or
    within `recovered_within_months` months of the first positive test, or a negative test of an
    accepted kind taken within the last `tested_within_hours` hours. See docs/admission-rules.md."""

    vaccinated_after_days: int = 14
    recovered_within_months: int = 6
    tested_within_hours: int = 48
    test_kinds: tuple[str, ...] = TEST_KINDS

    kind: ClassVar[str] = "safety"

    def __post_init__(self) -> None:
        for name, (low, high) in BOUNDS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise PolicyError(name, "invalid", "a whole number")
            if not low <= value <= high:
                raise PolicyError(name, "out_of_range", f"{low}..{high}")
        kinds = self.test_kinds
        if isinstance(kinds, str) or not isinstance(kinds, tuple | list | frozenset | set):
            raise PolicyError("test_kinds", "invalid", "a list of test kinds")
        if not kinds:
            raise PolicyError("test_kinds", "required")
        if any(kind not in TEST_KINDS for kind in kinds):
            raise PolicyError("test_kinds", "invalid", f"each one of {', '.join(TEST_KINDS)}")
        object.__setattr__(self, "test_kinds", tuple(sorted(set(kinds))))

    def to_data(self) -> dict[str, Any]:
        return {
            "vaccinated_after_days": self.vaccinated_after_days,
            "recovered_within_months": self.recovered_within_months,
            "tested_within_hours": self.tested_within_hours,
            "test_kinds": list(self.test_kinds),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SafetyPolicy:
        """Validate stored or submitted parameters; a missing one takes its default. Raises PolicyError."""
        if not isinstance(data, Mapping):
            raise PolicyError("__all__", "invalid", "an object is expected")
        names = {*BOUNDS, "test_kinds"}
        for key in data:
            if key not in names:
                raise PolicyError(str(key), "unknown")
        return cls(**{key: data[key] for key in names if key in data})

    def evaluate(self, declaration: SafetyDeclaration, *, at: dt.datetime, tz: dt.tzinfo) -> Verdict:
        """The verdict on `declaration` at the moment `at` (the event's start when registering, the
        check-in moment at the door); calendar days and months are counted in the event's zone `tz`."""
        if not isinstance(declaration, SafetyDeclaration):
            raise TypeError("declaration must be a SafetyDeclaration")
        if not isinstance(tz, dt.tzinfo):
            raise TypeError("tz must be a tzinfo (the event's ZoneInfo)")
        if not isinstance(at, dt.datetime):
            raise DeclarationError("at", "invalid", "a moment")
        if not is_aware(at):
            raise DeclarationError("at", "naive", "a moment needs its offset from UTC")
        if declaration.basis is Basis.VACCINATED:
            assert declaration.date is not None  # a vaccinated declaration is created with its date
            return self._vaccinated(declaration.date, at, tz)
        if declaration.basis is Basis.RECOVERED:
            assert declaration.date is not None  # a recovered declaration is created with its date
            return self._recovered(declaration.date, at, tz)
        return self._tested(declaration.taken_at, declaration.test_kind, at, tz)

    def _vaccinated(self, completed: dt.date, at: dt.datetime, tz: dt.tzinfo) -> Verdict:
        days = self.vaccinated_after_days
        valid_from = start_of_day(completed + dt.timedelta(days=days), tz)
        if utc(at) < utc(start_of_day(completed, tz)):
            return Verdict(Outcome.DOES_NOT_MEET, "date_in_future", {"date": completed}, valid_from, None)
        params = {"days": days, "valid_from": valid_from}
        if within(at, valid_from, None):
            return Verdict(Outcome.MEETS, "vaccinated_valid", params, valid_from, None)
        return Verdict(Outcome.DOES_NOT_MEET, "vaccinated_too_early", params, valid_from, None)

    def _recovered(self, first_positive: dt.date, at: dt.datetime, tz: dt.tzinfo) -> Verdict:
        months = self.recovered_within_months
        valid_from = start_of_day(first_positive, tz)
        valid_until = end_of_day(add_months(first_positive, months), tz)
        if utc(at) < utc(valid_from):
            return Verdict(Outcome.DOES_NOT_MEET, "date_in_future", {"date": first_positive}, valid_from, valid_until)
        params = {"months": months, "valid_until": valid_until}
        if within(at, valid_from, valid_until):
            return Verdict(Outcome.MEETS, "recovered_valid", params, valid_from, valid_until)
        return Verdict(Outcome.DOES_NOT_MEET, "recovered_expired", params, valid_from, valid_until)

    def _tested(self, taken_at: dt.datetime | None, test_kind: str | None, at: dt.datetime, tz: dt.tzinfo) -> Verdict:
        hours = self.tested_within_hours
        kinds = {"hours": hours, "test_kinds": self.test_kinds}
        if test_kind is not None and test_kind not in self.test_kinds:
            return Verdict(
                Outcome.DOES_NOT_MEET, "test_kind_not_accepted", {"test_kind": test_kind, "test_kinds": self.test_kinds}
            )
        if taken_at is None:
            return Verdict(Outcome.TO_BE_CHECKED, "test_pending", kinds)
        valid_from = taken_at.astimezone(tz)
        valid_until = (utc(taken_at) + dt.timedelta(hours=hours)).astimezone(tz)
        if utc(at) < utc(taken_at):
            return Verdict(
                Outcome.DOES_NOT_MEET, "test_after_moment", {"taken_at": valid_from}, valid_from, valid_until
            )
        if not within(at, valid_from, valid_until):
            params = {"hours": hours, "valid_until": valid_until}
            return Verdict(Outcome.DOES_NOT_MEET, "test_too_old", params, valid_from, valid_until)
        if test_kind is None:
            return Verdict(Outcome.TO_BE_CHECKED, "missing_test_kind", kinds, valid_from, valid_until)
        params = {"hours": hours, "valid_until": valid_until}
        return Verdict(Outcome.MEETS, "tested_valid", params, valid_from, valid_until)
