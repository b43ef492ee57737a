"""Site-wide behaviour: languages, limits, error pages."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "prefix"), [("uk-UA,uk;q=0.9", "/uk/"), ("en-GB", "/en/"), ("pl", "/pl/"), ("de", "/pl/")]
)
def test_bare_address_follows_accept_language(client, accept, prefix):
    response = client.get("/", headers={"Accept-Language": accept})
    assert response.status_code == 302
    assert response["Location"] == prefix


def test_language_switcher_keeps_the_page(client, event):
    response = client.get(f"/en/e/{event.slug}/?x=1", headers={"Accept-Language": "pl"})
    page = response.content.decode()
    # Plain links to the same page under each language's prefix: no form, no CSRF cookie.
    assert f'<a href="/uk/e/{event.slug}/?x=1" hreflang="uk" lang="uk"' in page
    assert f'<a href="/pl/e/{event.slug}/?x=1" hreflang="pl" lang="pl"' in page
    assert 'name="language"' not in page
    assert not response.cookies
    # A Polish browser on the English page follows the Ukrainian link and lands on the same page.
    response = client.get(f"/uk/e/{event.slug}/?x=1", headers={"Accept-Language": "pl"})
    assert response.status_code == 200
    assert '<html lang="uk">' in response.content.decode()


def test_pages_are_in_the_prefix_language(client, event):
    response = client.get(f"/uk/e/{event.slug}/")
    assert response.status_code == 200
    assert '<html lang="uk">' in response.content.decode()
    assert "Реєстрація" in response.content.decode()


def test_oversized_form_body_is_refused_without_a_500(client, event, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(f"/en/e/{event.slug}/register/", {"first_name": "x" * 20_000})
    assert response.status_code == 400


def test_csrf_is_enforced_on_login(event):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/en/accounts/login/", {"username": "a@example.org", "password": "x"})
    assert response.status_code == 403


def test_login_is_rate_limited(client, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_LOGIN = "3/m"
    cache.clear()
    statuses = [
        client.post("/en/accounts/login/", {"username": "a@example.org", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]
    cache.clear()


def test_rate_limits_switch_off(client, settings):
    settings.RATE_LIMITS_ENABLED = False
    settings.RATE_LIMIT_LOGIN = "1/m"
    cache.clear()
    statuses = {
        client.post("/en/accounts/login/", {"username": "a@example.org", "password": "wrong"}).status_code
        for _ in range(3)
    }
    assert statuses == {200}


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/uk/no-such-page/")
    assert response.status_code == 404
    assert '<html lang="uk">' in response.content.decode()


def test_health_and_readiness(client):
    assert client.get("/healthz").content == b"ok"
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ok")
