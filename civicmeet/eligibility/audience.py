"""The audience rule: the event is for representatives of organisations of given types.

It flags registrations outside the audience for the organisers; it never refuses anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import PolicyError
from .verdict import Outcome, Verdict


def _is_code(value: object) -> bool:
    return isinstance(value, str) and bool(value) and all(c.islower() or c.isdigit() or c == "_" for c in value)


@dataclass(frozen=True)
class AudiencePolicy:
    """`organisation_types` are codes such as "national_minority", "ethnic_minority", "migrant" (the
    engine does not know the list: the organisations app owns it). Stored sorted and unique."""

    organisation_types: tuple[str, ...]

    kind: ClassVar[str] = "audience"

    def __post_init__(self) -> None:
        types = self.organisation_types
        if isinstance(types, str) or not isinstance(types, tuple | list | frozenset | set):
            raise PolicyError("organisation_types", "invalid", "a list of organisation types")
        if not types:
            raise PolicyError("organisation_types", "required")
        if not all(_is_code(value) for value in types):
            raise PolicyError("organisation_types", "invalid", "codes such as national_minority")
        object.__setattr__(self, "organisation_types", tuple(sorted({str(value) for value in types})))

    def to_data(self) -> dict[str, Any]:
        return {"organisation_types": list(self.organisation_types)}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> AudiencePolicy:
        if not isinstance(data, Mapping):
            raise PolicyError("__all__", "invalid", "an object is expected")
        for key in data:
            if key != "organisation_types":
                raise PolicyError(str(key), "unknown")
        if "organisation_types" not in data:
            raise PolicyError("organisation_types", "required")
        return cls(organisation_types=data["organisation_types"])

    def evaluate(self, organisation_type: str | None) -> Verdict:
        """MEETS inside the audience; DOES_NOT_MEET ("audience_outside") is a flag for organisers, not a
        refusal; TO_BE_CHECKED when the person named no organisation (or its type is unknown)."""
        if not organisation_type:
            return Verdict(Outcome.TO_BE_CHECKED, "audience_unknown", {"organisation_types": self.organisation_types})
        value = str(organisation_type)
        if value in self.organisation_types:
            return Verdict(Outcome.MEETS, "audience_member", {"organisation_type": value})
        return Verdict(
            Outcome.DOES_NOT_MEET,
            "audience_outside",
            {"organisation_type": value, "organisation_types": self.organisation_types},
        )
