"""Rate limits of the public API, shared with the web forms they mirror (same groups, same counters)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from ninja.throttling import BaseThrottle


class FormRateLimit(BaseThrottle):
    """Per client IP, `group` shared with the HTML form, the rate read from `setting` at request time.

    Checked before the body is even parsed, so a flood of garbage is limited too.
    """

    def __init__(self, *, group: str, setting: str) -> None:
        self.group = group
        self.setting = setting

    def allow_request(self, request: HttpRequest) -> bool:
        if not settings.RATE_LIMITS_ENABLED:
            return True
        return not is_ratelimited(
            request,
            group=self.group,
            key="ip",
            rate=getattr(settings, self.setting),
            method="POST",
            increment=True,
        )


def RegistrationRateLimit() -> FormRateLimit:  # noqa: N802 - reads like the class it returns
    return FormRateLimit(group="registration", setting="RATE_LIMIT_REGISTRATION")


def SafetyCheckRateLimit() -> FormRateLimit:  # noqa: N802
    return FormRateLimit(group="safety_check", setting="RATE_LIMIT_SAFETY_CHECK")
