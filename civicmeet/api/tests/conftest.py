"""Fixtures for the API tests: an organiser's bearer token and a JSON client."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from civicmeet.accounts.models import ApiToken
from civicmeet.events.services import team_member_add
from civicmeet.events.tests.factories import UserFactory


class JSONClient(Client):
    """A test client that sends JSON bodies and, when given a token, the Authorization header."""

    def __init__(self, *args, token: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.token = token

    def _headers(self, headers):
        headers = dict(headers or {})
        # Messages follow Accept-Language (Polish without it); tests read English unless they ask.
        headers.setdefault("Accept-Language", "en")
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):
        return super().get(path, data, headers=self._headers(headers), **extra)

    @staticmethod
    def _body(data, raw):
        return data if raw or isinstance(data, (str, bytes)) else json.dumps(data if data is not None else {})

    def post(self, path, data=None, headers=None, raw=False, **extra):
        body = self._body(data, raw)
        return super().post(path, body, content_type="application/json", headers=self._headers(headers), **extra)

    def patch(self, path, data=None, headers=None, raw=False, **extra):
        body = self._body(data, raw)
        return super().patch(path, body, content_type="application/json", headers=self._headers(headers), **extra)

    def put(self, path, data=None, headers=None, raw=False, **extra):
        body = self._body(data, raw)
        return super().put(path, body, content_type="application/json", headers=self._headers(headers), **extra)

    def delete(self, path, data=None, headers=None, **extra):
        return super().delete(path, headers=self._headers(headers), **extra)

    def send(self, method: str, path, data=None, **kwargs):
        """Any method by name (GET and DELETE send no body)."""
        if method in ("GET", "DELETE"):
            return getattr(self, method.lower())(path, **kwargs)
        return getattr(self, method.lower())(path, data, **kwargs)


@pytest.fixture
def api_client():
    """Anonymous (a participant or the public)."""
    return JSONClient()


@pytest.fixture
def organiser_token(organiser):
    return ApiToken.issue(organiser)


@pytest.fixture
def organiser_client(organiser_token):
    return JSONClient(token=organiser_token)


@pytest.fixture
def outsider_client(outsider):
    return JSONClient(token=ApiToken.issue(outsider))


@pytest.fixture
def desk(event, organiser):
    """Desk staff on the event's team: on the team, but no organiser."""
    user = UserFactory(email="desk@zustricz.example.org")
    team_member_add(event=event, email=user.email, role="desk", actor=organiser)
    return user


@pytest.fixture
def desk_client(desk):
    return JSONClient(token=ApiToken.issue(desk))


@pytest.fixture
def registration_body():
    """A valid registration, the way the invitation's participants fill it in."""

    def make(**overrides):
        body = {
            "first_name": "Olena",
            "last_name": "Kowalenko",
            "email": "olena@example.org",
            "organisation_name": "Fundacja Zustricz",
            "organisation_type": "migrant",
            "language": "uk",
            "dietary": "none",
            "answers": {},
            "consent_processing": True,
        }
        body.update(overrides)
        return body

    return make
