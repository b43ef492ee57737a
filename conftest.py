"""Shared personas and fixtures (organiser, outsider, the invitation's event)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings

from civicmeet.events.tests.factories import EventFactory, UserFactory

# Property-based tests draw the same examples on every run (a build must not fail by chance);
# HYPOTHESIS_EXPLORE=1 draws new ones, to look for fresh counterexamples by hand.
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile("explore" if os.environ.get("HYPOTHESIS_EXPLORE") == "1" else "repeatable")


@pytest.fixture
def organiser(db):
    return UserFactory(email="anna@zustricz.example.org")


@pytest.fixture
def outsider(db):
    """An organiser of some other event: must see nothing of ours."""
    user = UserFactory(email="outsider@example.org")
    EventFactory(organisers=[user])
    return user


@pytest.fixture
def event(organiser):
    return EventFactory(organisers=[organiser])


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (email sending) as the real request cycle would."""
    return django_capture_on_commit_callbacks


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (services, commands) speaks the active language; pin it to English
    so test assertions on messages do not depend on which test ran before in the same process."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """The test cache is process-wide memory: start every test without pages or counters from another."""
    from django.core.cache import caches

    from civicmeet.events import selectors

    for cache in caches.all():
        cache.clear()
    selectors._FOR_REGISTRATION.clear()
    yield
