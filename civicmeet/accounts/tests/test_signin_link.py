"""Sign-in by one-time link: the same answer for every address, single use, expiry, a GET that
changes nothing, safe `next`, rate limits, and delivery over real SMTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from civicmeet.accounts import signin_links
from civicmeet.accounts.models import SignInLink, hash_token
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.tests.test_delivery import smtp  # noqa: F401 - the fixture
from civicmeet.organisations.tests.representatives_setup import person, published_organisation, representative_of

pytestmark = pytest.mark.django_db
REQUEST = "/en/accounts/signin/"
LINK = re.compile(r"https?://\S+?/(pl|uk|en)/accounts/signin/([A-Za-z0-9_-]+)/")


@pytest.fixture
def olena(db):
    user = person("olena@zustricz.example.org", name="Olena")
    representative_of(published_organisation(), user, language="uk")
    return user


def ask(client, email: str, **extra):
    return client.post(REQUEST, {"email": email, **extra})


def token_sent_to(email: str) -> str:
    message = OutgoingEmail.objects.filter(to__iexact=email).latest("id")
    return LINK.search(message.body_text).group(2)


def open_url(token: str, language: str = "en") -> str:
    return f"/{language}/accounts/signin/{token}/"


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def test_request_page_and_login_page_link_to_it(client):
    page = client.get(REQUEST)
    assert page.status_code == 200
    assert b'name="email"' in page.content
    assert reverse("accounts:signin_link").encode() in client.get("/en/accounts/login/").content


def test_known_address_gets_a_link_in_the_representatives_language(client, olena, run_on_commit):
    with run_on_commit(execute=True):
        response = ask(client, "OLENA@zustricz.example.org")
    assert response.status_code == 200
    email = OutgoingEmail.objects.get(kind="signin_link")
    assert (email.to, email.language) == ("olena@zustricz.example.org", "uk")
    assert LINK.search(email.body_text).group(1) == "uk"
    link = SignInLink.objects.get(user=olena)
    assert link.token_hash == hash_token(token_sent_to(olena.email))  # only the hash is stored
    assert token_sent_to(olena.email) not in str(SignInLink.objects.values_list())
    assert timedelta(minutes=29) < link.expires_at - timezone.now() <= timedelta(minutes=30)


def test_unknown_address_gets_the_same_answer_and_no_email(client, olena):
    known = ask(client, olena.email)
    unknown = ask(client, "nobody@example.org")
    assert unknown.status_code == known.status_code == 200

    def without_address(response, address):
        return response.content.decode().replace(address, "ADDRESS")

    assert without_address(known, olena.email) == without_address(unknown, "nobody@example.org")
    assert not OutgoingEmail.objects.filter(to="nobody@example.org").exists()
    assert OutgoingEmail.objects.filter(to=olena.email).count() == 1


def test_inactive_account_gets_no_link(client, olena):
    get_user_model().objects.filter(pk=olena.pk).update(is_active=False)
    assert ask(client, olena.email).status_code == 200
    assert not OutgoingEmail.objects.exists()


def test_malformed_address_comes_back_with_the_error_next_to_the_field(client):
    response = client.post("/pl/accounts/signin/", {"email": "olena@"})
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert 'value="olena@"' in response.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_get_of_the_link_does_not_sign_in_nor_use_it_up(client, olena):
    ask(client, olena.email)
    token = token_sent_to(olena.email)
    for _ in range(3):  # a mail scanner, a preview, the person
        page = client.get(open_url(token))
        assert page.status_code == 200
        assert b'type="submit"' in page.content
    assert page["Referrer-Policy"] == "strict-origin"
    assert "no-cache" in page["Cache-Control"]
    assert signed_in_as(client) is None
    assert SignInLink.objects.get(user=olena).used_at is None


def test_post_signs_in_rotates_the_session_and_lands_on_the_network_home(client, olena):
    ask(client, olena.email)
    token = token_sent_to(olena.email)
    client.get(open_url(token))
    session_before = client.session.session_key
    response = client.post(open_url(token))
    assert response.status_code == 302
    assert response["Location"] == "/en/network/mine/"
    assert signed_in_as(client) == str(olena.pk)
    assert client.session.session_key != session_before
    assert SignInLink.objects.get(user=olena).used_at is not None


def test_a_link_works_once(client, olena):
    ask(client, olena.email)
    token = token_sent_to(olena.email)
    client.post(open_url(token))
    client.logout()
    again = client.post(open_url(token))
    assert again.status_code == 410
    assert b"already been used" in again.content
    assert reverse("accounts:signin_link").encode() in again.content  # a button to ask for a new one
    assert signed_in_as(client) is None
    assert client.get(open_url(token)).status_code == 410


def test_an_expired_link_is_refused_with_a_way_to_ask_again(client, olena):
    ask(client, olena.email)
    token = token_sent_to(olena.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.post(open_url(token))
    assert response.status_code == 410
    assert b"expired" in response.content
    assert reverse("accounts:signin_link").encode() in response.content
    assert signed_in_as(client) is None


def test_an_unknown_link_is_404_with_a_way_to_ask_again(client):
    response = client.get(open_url("not-a-real-token"))
    assert response.status_code == 404
    assert reverse("accounts:signin_link").encode() in response.content
    assert client.post(open_url("not-a-real-token")).status_code == 404


def test_a_newer_link_replaces_the_older_one(client, olena):
    ask(client, olena.email)
    first = token_sent_to(olena.email)
    ask(client, olena.email)
    second = token_sent_to(olena.email)
    assert first != second
    assert client.post(open_url(first)).status_code == 410
    assert signed_in_as(client) is None
    assert client.post(open_url(second)).status_code == 302
    assert signed_in_as(client) == str(olena.pk)


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/en/manage/", "/en/manage/"),
        ("https://evil.example.com/steal", "/en/network/mine/"),
        ("//evil.example.com/", "/en/network/mine/"),
        ("javascript:alert(1)", "/en/network/mine/"),
    ],
)
def test_next_is_followed_only_within_the_site(client, olena, next_url, lands_on):
    ask(client, olena.email, next=next_url)
    response = client.post(open_url(token_sent_to(olena.email)))
    assert response["Location"] == lands_on


def test_next_from_the_address_bar_reaches_the_hidden_field_only_when_safe(client):
    assert b'value="/en/manage/"' in client.get(REQUEST + "?next=/en/manage/").content
    page = client.get(REQUEST + "?next=https://evil.example.com/").content.decode()
    [hidden] = re.findall(r'<input type="hidden" name="next"[^>]*>', page)
    assert "evil" not in hidden


def test_an_organiser_without_representation_lands_on_their_events(client):
    from civicmeet.events.tests.factories import EventFactory, UserFactory

    organiser = UserFactory(email="anna@example.org")
    EventFactory(organisers=[organiser])
    ask(client, organiser.email)
    response = client.post(open_url(token_sent_to(organiser.email)))
    assert response["Location"] == reverse("registrations:event_list")


def test_the_number_of_links_per_account_is_capped_even_without_rate_limits(client, olena):
    for _ in range(signin_links.LINKS_PER_WINDOW + 2):
        assert ask(client, olena.email).status_code == 200
    assert OutgoingEmail.objects.filter(to=olena.email).count() == signin_links.LINKS_PER_WINDOW


@pytest.fixture
def rate_limits(settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    yield settings
    cache.clear()


def test_rate_limited_per_address_known_or_not(client, olena, rate_limits):
    rate_limits.RATE_LIMIT_SIGNIN_LINK_ADDRESS = "2/h"
    rate_limits.RATE_LIMIT_SIGNIN_LINK = "100/m"
    for address in (olena.email, "nobody@example.org"):
        statuses = [ask(client, address.upper() if n else address).status_code for n in range(3)]
        assert statuses == [200, 200, 429]
    # Another address from the same place still works.
    assert ask(client, "someone-else@example.org").status_code == 200


def test_rate_limited_per_ip(client, rate_limits):
    rate_limits.RATE_LIMIT_SIGNIN_LINK_ADDRESS = "100/h"
    rate_limits.RATE_LIMIT_SIGNIN_LINK = "3/m"
    statuses = [ask(client, f"p{n}@example.org").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get(REQUEST).status_code == 200  # reading the page is never limited


def test_purge_deletes_links_that_can_no_longer_be_used(olena):
    fresh = signin_links.signin_link_issue(user=olena, language="pl")
    old = signin_links.signin_link_issue(user=olena, language="pl")
    assert fresh and old
    SignInLink.objects.filter(pk=fresh.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert signin_links.signin_links_purge() == 1
    assert list(SignInLink.objects.values_list("pk", flat=True)) == [old.pk]


def test_the_nightly_purge_includes_the_links(olena):
    from civicmeet.registrations.tasks import purge_all

    link = signin_links.signin_link_issue(user=olena, language="pl")
    assert link
    SignInLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    purge_all()
    assert not SignInLink.objects.exists()


def test_the_link_is_delivered_over_smtp_and_signs_in(client, olena, smtp, run_on_commit):  # noqa: F811
    with run_on_commit(execute=True):
        ask(client, olena.email)
    [message] = smtp.messages
    assert message["To"] == olena.email
    assert message["Content-Language"] == "uk"
    body = next(
        part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )
    found = LINK.search(body)
    assert found
    assert client.post(open_url(found.group(2), found.group(1))).status_code == 302
    assert signed_in_as(client) == str(olena.pk)
