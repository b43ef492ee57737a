"""Domain errors: raised by services, turned into messages by views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused an action. `message` is translated and safe to show a user."""

    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class ConflictError(DomainError):
    """The action conflicts with the current state (full, closed, already done)."""

    code = "conflict"


class PermissionDeniedError(DomainError):
    code = "forbidden"
