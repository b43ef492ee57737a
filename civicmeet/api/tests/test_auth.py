from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civicmeet.accounts.models import ApiToken, hash_token

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def _list_url(event):
    return f"/api/v1/events/{event.slug}/registrations"


def test_missing_token_answers_401_with_challenge(api_client, event):
    response = api_client.get(_list_url(event))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cm_not-a-real-token",
        "Bearer ",
        "Basic YW5uYTpzZWNyZXQ=",
        "cm_token-without-scheme",
        "Bearer " + "x" * 5000,
    ],
)
def test_invalid_token_answers_401(event, organiser_token, header):
    response = JSONClient().get(_list_url(event), headers={"Authorization": header})
    assert response.status_code == 401


def test_token_of_inactive_user_answers_401(event, organiser, organiser_token, organiser_client):
    organiser.is_active = False
    organiser.save()
    assert organiser_client.get(_list_url(event)).status_code == 401


def test_only_the_hash_of_a_token_is_stored(organiser):
    raw = ApiToken.issue(organiser)
    stored = ApiToken.objects.get(user=organiser)
    assert stored.key_hash == hash_token(raw)
    assert raw not in stored.key_hash


def test_last_used_is_recorded_at_most_once_a_minute(event, organiser_token, organiser_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert organiser_client.get(_list_url(event)).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        organiser_client.get(_list_url(event))
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        organiser_client.get(_list_url(event))
    assert ApiToken.objects.get().last_used_at == start + timedelta(seconds=61)
