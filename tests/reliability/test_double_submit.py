"""The same registration sent twice at the same moment (double click, a retry on a flaky phone)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from civicmeet.registrations.models import Registration

from .harness import (
    Response,
    get,
    make_event,
    organiser_with_token,
    register,
    registration_payload,
    request,
    run_together,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

PAIRS = 10


def test_api_double_submit_creates_one_registration(serve):
    event = make_event([organiser_with_token()])
    server = serve()
    calls = [lambda n=n: register(server.url, event.slug, n) for n in range(PAIRS) for _ in range(2)]
    answers = run_together(calls)

    assert all(isinstance(answer, Response) for answer in answers), answers
    for n in range(PAIRS):
        pair = answers[2 * n : 2 * n + 2]
        assert sorted(answer.status for answer in pair) == [201, 409], [answer.text for answer in pair]
        refused = next(answer for answer in pair if answer.status == 409).json()
        assert refused["code"] == "already_registered"
        assert refused["detail"].startswith("This email address is already registered for this event.")
        created = next(answer for answer in pair if answer.status == 201).json()
        assert Registration.objects.get(event=event, email=f"olena.{n}@example.org").pk == created["id"]
    assert Registration.objects.filter(event=event).count() == PAIRS


def test_form_double_submit_creates_one_registration(serve):
    event = make_event([organiser_with_token()])
    server = serve()
    path = f"/en/e/{event.slug}/register/"
    page = get(server.url, path)
    assert page.status == 200
    csrf_cookie = page.cookies()["csrftoken"]
    csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def submit(n: int) -> Response:
        values = registration_payload(n)
        form = {
            **{key: value for key, value in values.items() if isinstance(value, str)},
            "dietary": "none",
            "consent_processing": "on",
            "csrfmiddlewaretoken": csrf_token,
        }
        return request(server.url, "POST", path, form=form, headers={"Cookie": f"csrftoken={csrf_cookie}"})

    answers = run_together([lambda n=n: submit(n) for n in range(PAIRS) for _ in range(2)])

    assert all(isinstance(answer, Response) for answer in answers), answers
    for n in range(PAIRS):
        pair = answers[2 * n : 2 * n + 2]
        assert sorted(answer.status for answer in pair) == [200, 302], [answer.text[:3000] for answer in pair]
        created = next(answer for answer in pair if answer.status == 302)
        again = next(answer for answer in pair if answer.status == 200)
        assert "You are already registered" in again.text
        registration = Registration.objects.get(event=event, email=f"olena.{n}@example.org")
        assert created.header("Location").endswith(f"/r/{registration.token}/received/")
    assert Counter(Registration.objects.filter(event=event).values_list("email", flat=True)) == Counter(
        {f"olena.{n}@example.org": 1 for n in range(PAIRS)}
    )
