"""The public event page served to anonymous visitors from the cache, and always right."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from civicmeet.events import page_cache
from civicmeet.events.services import event_unpublish, event_update
from civicmeet.events.tests.factories import EventFactory

cache = caches["pages"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _stored_pages() -> list[str]:
    return [key for key in cache._cache if "event-page" in key]  # LocMemCache: the "pages" cache


def test_anonymous_hit_serves_the_same_page_without_a_query(client, event, django_assert_num_queries):
    first = client.get(f"/pl/e/{event.slug}/")
    assert first.status_code == 200
    assert len(_stored_pages()) == 1
    with django_assert_num_queries(0):
        second = client.get(f"/pl/e/{event.slug}/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_a_stored_page_is_answered_exactly_like_a_fresh_one(client, event, language):
    fresh = client.get(f"/{language}/e/{event.slug}/")
    assert len(_stored_pages()) == 1
    stored = client.get(f"/{language}/e/{event.slug}/")
    assert stored.content == fresh.content
    assert dict(stored.headers) == dict(fresh.headers)
    # The headers of the whole stack: the language, Vary, framing and the security headers.
    assert stored["Content-Language"] == language
    assert "Cookie" in stored["Vary"]
    assert stored["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in stored.headers


def test_a_stored_page_skips_the_view_and_the_session(client, event, monkeypatch):
    from civicmeet.events.views import EventDetailView

    client.get(f"/pl/e/{event.slug}/")
    monkeypatch.setattr(EventDetailView, "get", lambda *args, **kwargs: pytest.fail("the view was called"))
    monkeypatch.setattr(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        lambda *args: pytest.fail("the session middleware was called"),
    )
    assert client.get(f"/pl/e/{event.slug}/").status_code == 200


def test_a_stored_page_is_not_served_to_a_host_outside_allowed_hosts(client, event):
    assert client.get(f"/pl/e/{event.slug}/").status_code == 200
    assert len(_stored_pages()) == 1
    assert client.get(f"/pl/e/{event.slug}/", headers={"host": "attacker.example"}).status_code == 400


def test_anonymous_page_sets_no_cookie_and_has_no_csrf_token(client, event):
    response = client.get(f"/pl/e/{event.slug}/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Set-Cookie" not in response.headers


def test_a_change_to_the_event_shows_at_once(client, event):
    client.get(f"/en/e/{event.slug}/")
    event_update(event=event, data={"title": {"pl": "Nowy tytuł", "en": "A new title"}})
    page = client.get(f"/en/e/{event.slug}/").content.decode()
    assert "A new title" in page


def test_unpublishing_removes_the_page_at_once(client, event):
    assert client.get(f"/pl/e/{event.slug}/").status_code == 200
    event_unpublish(event=event)
    assert client.get(f"/pl/e/{event.slug}/").status_code == 404


def test_a_committed_change_reaches_the_shared_version(event, run_on_commit):
    page_cache.event_version(slug=event.slug)
    with run_on_commit(execute=True):
        event_update(event=event, data={"title": {"pl": "Nowy tytuł", "en": "A new title"}})
    event.refresh_from_db()
    assert page_cache.event_version(slug=event.slug).updated_at == event.updated_at


def test_a_reader_that_saw_the_old_row_cannot_bring_back_the_old_version(client, event, run_on_commit, monkeypatch):
    """The reader looks at the database, then a change commits, then the reader shares what it
    saw: the committed version must win, and the next visitor sees the change."""
    read_from_database = page_cache.event_version_from_database

    def read_then_someone_commits_a_change(*, slug):
        seen = read_from_database(slug=slug)
        with run_on_commit(execute=True):
            event_update(event=event, data={"title": {"pl": "Nowy tytuł", "en": "A new title"}})
        return seen

    monkeypatch.setattr(page_cache, "event_version_from_database", read_then_someone_commits_a_change)
    seen = page_cache.event_version(slug=event.slug)
    monkeypatch.setattr(page_cache, "event_version_from_database", read_from_database)
    event.refresh_from_db()
    assert seen.updated_at < event.updated_at
    assert page_cache.event_version(slug=event.slug).updated_at == event.updated_at
    assert "A new title" in client.get(f"/en/e/{event.slug}/").content.decode()


def test_an_unpublished_event_is_known_without_a_query(client, event, run_on_commit, django_assert_num_queries):
    client.get(f"/pl/e/{event.slug}/")
    with run_on_commit(execute=True):
        event_unpublish(event=event)
    with django_assert_num_queries(0):
        assert page_cache.event_version(slug=event.slug) is None
    assert client.get(f"/pl/e/{event.slug}/").status_code == 404


def test_a_deleted_event_is_gone_at_once(client, event, run_on_commit):
    assert client.get(f"/pl/e/{event.slug}/").status_code == 200
    with run_on_commit(execute=True):
        event.delete()
    assert client.get(f"/pl/e/{event.slug}/").status_code == 404


def test_unknown_addresses_are_not_stored(client):
    for _ in range(2):
        assert client.get("/pl/e/no-such-meeting/").status_code == 404
    assert not [key for key in caches["default"]._cache if "no-such-meeting" in key]


def test_registration_opening_changes_the_page(client, organiser):
    opens = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    event = EventFactory(organisers=[organiser], registration_opens_at=opens)
    with time_machine.travel(opens - timedelta(minutes=1), tick=False):
        before = client.get(f"/en/e/{event.slug}/").content.decode()
        assert "Registration opens on" in before
        assert "/register/" not in before
        # Never kept past the moment registration opens.
        (key,) = _stored_pages()
        assert cache._expire_info[key] <= opens.timestamp()
    with time_machine.travel(opens + timedelta(seconds=1), tick=False):
        after = client.get(f"/en/e/{event.slug}/").content.decode()
    assert f"/en/e/{event.slug}/register/" in after


def test_registration_closing_changes_the_page(client, event):
    closes = event.registration_closes_at
    with time_machine.travel(closes - timedelta(seconds=30), tick=False):
        assert "/register/" in client.get(f"/en/e/{event.slug}/").content.decode()
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        after = client.get(f"/en/e/{event.slug}/").content.decode()
    assert "Registration closed" in after
    assert "/register/" not in after


def test_status_boundary_limits_how_long_a_page_is_kept(event):
    version = page_cache.event_version(slug=event.slug)
    now = event.registration_closes_at - timedelta(seconds=42)
    assert version.seconds_until_status_changes(now) == 42
    assert version.seconds_until_status_changes(event.registration_closes_at + timedelta(seconds=1)) == float("inf")


def test_polish_and_ukrainian_are_cached_separately(client, event):
    polish = client.get(f"/pl/e/{event.slug}/").content.decode()
    ukrainian = client.get(f"/uk/e/{event.slug}/").content.decode()
    assert '<html lang="pl">' in polish
    assert '<html lang="uk">' in ukrainian
    assert len(_stored_pages()) == 2
    assert '<html lang="pl">' in client.get(f"/pl/e/{event.slug}/").content.decode()
    assert '<html lang="uk">' in client.get(f"/uk/e/{event.slug}/").content.decode()


def test_organiser_is_never_served_the_anonymous_copy(client, event, organiser):
    client.get(f"/pl/e/{event.slug}/")
    client.force_login(organiser)
    page = client.get(f"/pl/e/{event.slug}/").content.decode()
    assert "Wyloguj" in page or "Log out" in page
    assert "csrfmiddlewaretoken" in page  # the log-out form: a page of this visitor's own


def test_organiser_page_is_never_stored(client, event, organiser):
    client.force_login(organiser)
    client.get(f"/pl/e/{event.slug}/")
    assert _stored_pages() == []
    anonymous = Client().get(f"/pl/e/{event.slug}/").content.decode()
    assert "csrfmiddlewaretoken" not in anonymous


def test_unpublished_preview_is_never_stored(client, event, organiser):
    event_unpublish(event=event)
    client.force_login(organiser)
    assert client.get(f"/pl/e/{event.slug}/").status_code == 200
    assert _stored_pages() == []
    assert Client().get(f"/pl/e/{event.slug}/").status_code == 404


def test_pending_messages_are_shown_not_lost(rf, event):
    # A visitor arriving with a message waiting in the messages cookie gets a page that shows it.
    encoded = CookieStorage(rf.get("/"))._encode([Message(messages.SUCCESS, "Your registration was sent.")])
    Client().get(f"/en/e/{event.slug}/")  # an anonymous copy exists
    visitor = Client()
    visitor.cookies[CookieStorage.cookie_name] = encoded
    page = visitor.get(f"/en/e/{event.slug}/").content.decode()
    assert "Your registration was sent." in page


def test_query_string_is_part_of_the_key(client, event):
    page = client.get(f"/pl/e/{event.slug}/?x=1").content.decode()
    assert f'href="/uk/e/{event.slug}/?x=1"' in page
    plain = client.get(f"/pl/e/{event.slug}/").content.decode()
    assert f'href="/uk/e/{event.slug}/"' in plain
    assert "?x=1" not in plain


def test_switcher_links_point_at_the_same_page_in_the_other_languages(client, event):
    page = client.get(f"/uk/e/{event.slug}/?x=1").content.decode()
    assert f'href="/pl/e/{event.slug}/?x=1" hreflang="pl" lang="pl"' in page
    assert f'href="/en/e/{event.slug}/?x=1" hreflang="en" lang="en"' in page
    assert f'href="/uk/e/{event.slug}/?x=1" hreflang="uk" lang="uk"' in page
    assert page.count('aria-current="true"') == 1
    assert 'aria-current="true">Українська<' in page  # each language by its own name, not "UK"
