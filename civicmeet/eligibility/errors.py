"""Errors of the rules engine: both are ValueErrors that name the offending field and a stable code."""

from __future__ import annotations


class EligibilityError(ValueError):
    """Bad input to the rules engine. `field` names the input, `code` says what is wrong with it.

    Codes are stable identifiers meant for the edge (a form error, a 422 answer):
    `required`, `invalid`, `naive`, `unexpected`, `unknown`, `out_of_range`.
    """

    def __init__(self, field: str, code: str, detail: str = "") -> None:
        self.field = field
        self.code = code
        self.detail = detail
        super().__init__(f"{field}: {code}" + (f" ({detail})" if detail else ""))


class PolicyError(EligibilityError):
    """A policy's stored or submitted parameters are invalid."""


class DeclarationError(EligibilityError):
    """A declaration (or the moment it is evaluated at) is malformed: answer 422, never a verdict."""
