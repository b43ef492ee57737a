"""Login lock-out: repeated failures for one account pause its login, whoever is asking."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from civicmeet.accounts import services
from civicmeet.events.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
EMAIL = "anna@zustricz.example.org"
PASSWORD = "correct horse battery staple"
LOCKED = "Too many failed attempts to log in to this account."


@pytest.fixture(autouse=True)
def _fresh_lockouts(settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 5
    settings.LOGIN_LOCKOUT_MINUTES = 15
    caches[settings.LOGIN_LOCKOUT_CACHE].clear()
    yield
    caches[settings.LOGIN_LOCKOUT_CACHE].clear()


@pytest.fixture
def account():
    return UserFactory(email=EMAIL)


def log_in(client: Client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, username, "wrong password").status_code == 200


def test_four_failures_do_not_lock_the_account(client, account):
    fail(client, EMAIL, 4)

    response = log_in(client, EMAIL, PASSWORD)

    assert response.status_code == 302
    assert response.wsgi_request.user == account


def test_fifth_failure_locks_the_account_with_a_clear_message(client, account):
    fail(client, EMAIL, 4)

    response = log_in(client, EMAIL, "wrong password")

    assert response.status_code == 200
    page = response.content.decode()
    assert LOCKED in page
    assert "try again in 15 minutes" in page
    assert 'role="alert"' in page


def test_locked_account_refuses_even_the_right_password(client, account):
    fail(client, EMAIL, 5)

    response = log_in(client, EMAIL, PASSWORD)

    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_lock_is_per_account_and_not_per_client(account):
    UserFactory(email="maria@czulent.example.org")
    fail(Client(), EMAIL, 5)

    other_client = Client()
    assert LOCKED in log_in(other_client, EMAIL, PASSWORD).content.decode()
    # Another account from the same place is not affected.
    assert log_in(Client(), "maria@czulent.example.org", PASSWORD).status_code == 302


def test_lock_ignores_case_and_spaces_in_the_account_name(client, account):
    fail(client, EMAIL.upper(), 3)
    fail(client, f"  {EMAIL} ", 2)

    assert LOCKED in log_in(client, EMAIL, PASSWORD).content.decode()


def test_lock_message_is_the_same_for_an_account_that_does_not_exist(client, account):
    fail(client, EMAIL, 5)
    fail(client, "nobody@example.org", 5)

    existing = log_in(client, EMAIL, "x").content.decode()
    missing = log_in(client, "nobody@example.org", "x").content.decode()

    assert LOCKED in existing
    assert LOCKED in missing
    strip = lambda page, name: page.replace(name, "NAME")  # noqa: E731
    assert (
        strip(existing, EMAIL).split("csrfmiddlewaretoken")[0]
        == strip(missing, "nobody@example.org").split("csrfmiddlewaretoken")[0]
    )


def test_lock_ends_after_the_configured_minutes(client, account):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, EMAIL, 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert LOCKED in log_in(client, EMAIL, PASSWORD).content.decode()
        assert "try again in 1 minute." in log_in(client, EMAIL, PASSWORD).content.decode()
    with time_machine.travel(start + timedelta(minutes=15, seconds=1), tick=False):
        assert log_in(client, EMAIL, PASSWORD).status_code == 302


def test_failures_spread_over_more_than_the_window_do_not_lock(client, account):
    start = timezone.now()
    for minute in (0, 4, 8, 12, 16):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            fail(client, EMAIL, 1)
    with time_machine.travel(start + timedelta(minutes=16, seconds=1), tick=False):
        assert log_in(client, EMAIL, PASSWORD).status_code == 302


def test_successful_login_resets_the_count(client, account):
    fail(client, EMAIL, 4)
    assert log_in(client, EMAIL, PASSWORD).status_code == 302
    client.post("/en/accounts/logout/")

    fail(client, EMAIL, 4)

    assert log_in(client, EMAIL, PASSWORD).status_code == 302


def test_attempts_and_minutes_come_from_settings(client, account, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 2
    settings.LOGIN_LOCKOUT_MINUTES = 3
    fail(client, EMAIL, 2)

    page = log_in(client, EMAIL, PASSWORD).content.decode()

    assert "try again in 3 minutes" in page


def test_zero_attempts_switches_the_lockout_off(client, account, settings):
    settings.LOGIN_LOCKOUT_ATTEMPTS = 0
    fail(client, EMAIL, 20)

    assert log_in(client, EMAIL, PASSWORD).status_code == 302


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_lock_applies_on_the_login_page_of_every_language(client, account, language):
    fail(client, EMAIL, 5)

    response = client.post(f"/{language}/accounts/login/", {"username": EMAIL, "password": PASSWORD})

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert 'role="alert"' in response.content.decode()


def test_service_counts_and_resets():
    assert services.login_lockout_remaining("x@example.org") == 0
    for _ in range(4):
        assert services.login_failure_record("x@example.org") == 0
    assert services.login_failure_record("x@example.org") == 15 * 60
    assert 0 < services.login_lockout_remaining("X@example.org ") <= 15 * 60
    services.login_failures_reset("x@example.org")
    assert services.login_lockout_remaining("x@example.org") == 0


def test_per_ip_rate_limit_still_applies(client, account, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_LOGIN = "3/m"
    caches["default"].clear()
    statuses = [log_in(client, f"user{n}@example.org", "x").status_code for n in range(4)]

    assert statuses == [200, 200, 200, 429]
