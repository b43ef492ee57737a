"""Rate limits on public forms and login, set by environment (see docs/operations.md).

Limits are per client IP address, generous by default so that an office full of people behind
one address can still register. `RATE_LIMITS=off` switches them off (load tests).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit


def _registration_rate(group, request) -> str | None:
    return settings.RATE_LIMIT_REGISTRATION if settings.RATE_LIMITS_ENABLED else None


def _safety_check_rate(group, request) -> str | None:
    return settings.RATE_LIMIT_SAFETY_CHECK if settings.RATE_LIMITS_ENABLED else None


def _login_rate(group, request) -> str | None:
    return settings.RATE_LIMIT_LOGIN if settings.RATE_LIMITS_ENABLED else None


limit_registration = ratelimit(group="registration", key="ip", rate=_registration_rate, method="POST", block=True)
# The live verdict is asked for at every change of a date field: its own, higher budget.
limit_safety_check = ratelimit(group="safety_check", key="ip", rate=_safety_check_rate, method="POST", block=True)
limit_safety_check_view = method_decorator(limit_safety_check, name="dispatch")
limit_login = ratelimit(group="login", key="ip", rate=_login_rate, method="POST", block=True)
limit_registration_view = method_decorator(limit_registration, name="dispatch")
limit_login_view = method_decorator(limit_login, name="dispatch")
