"""Run an event with no browser: only API calls, from creating the event to unpublishing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from civicmeet.events.tests.factories import UserFactory
from civicmeet.notifications.tasks import deliver_waiting

pytestmark = pytest.mark.django_db


def test_an_api_client_runs_an_event_from_creation_to_unpublishing(
    organiser_client, api_client, organiser, run_on_commit
):
    colleague = UserFactory(email="oksana@czulent.example.org")  # an account made by an administrator
    now = timezone.now().replace(microsecond=0)
    slug = "spotkanie-sieciujace-api"
    manage = f"/api/v1/manage/events/{slug}"

    # 1. Create: unpublished, invisible to the public.
    response = organiser_client.post(
        "/api/v1/events",
        {
            "slug": slug,
            "title": {"pl": "Spotkanie sieciujące", "en": "Networking meeting"},
            "starts_at": (now + timedelta(days=20)).isoformat(),
            "ends_at": (now + timedelta(days=20, hours=6)).isoformat(),
            "timezone": "Europe/Warsaw",
            "registration_opens_at": (now - timedelta(hours=1)).isoformat(),
            "registration_closes_at": (now + timedelta(days=15)).isoformat(),
            "capacity": 1,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["is_published"] is False
    assert api_client.get(f"/api/v1/events/{slug}").status_code == 404

    # 2. Change it: a second seat.
    response = organiser_client.patch(manage, {"capacity": 2, "venue": {"pl": "Kraków"}})
    assert (response.status_code, response.json()["capacity"]) == (200, 2)

    # 3. Its questions.
    question = {
        "key": "workshop",
        "kind": "single_choice",
        "label": {"pl": "Który warsztat?", "en": "Which workshop?"},
        "required": True,
        "options": [{"key": "komm", "label": {"pl": "KOMM"}}, {"key": "idz", "label": {"pl": "IDZ"}}],
    }
    response = organiser_client.put(f"{manage}/questions", {"questions": [question]})
    assert response.status_code == 200, response.content
    assert [q["key"] for q in organiser_client.get(f"{manage}/questions").json()["questions"]] == ["workshop"]

    # 4. Its team: a colleague at the desk.
    response = organiser_client.post(f"{manage}/team", {"email": colleague.email, "role": "desk"})
    assert response.status_code == 201, response.content
    team = organiser_client.get(f"{manage}/team").json()
    assert [(m["email"], m["role"]) for m in team["items"]] == [
        (organiser.email, "organiser"),
        (colleague.email, "desk"),
    ]

    # 5. Publish: the public sees it, registration is open.
    response = organiser_client.post(f"{manage}/publish")
    assert (response.status_code, response.json()["is_published"]) == (200, True)
    public = api_client.get(f"/api/v1/events/{slug}").json()
    assert (public["registration_open"], public["seats_left"]) == (True, 2)

    # 6. The organiser's list shows it, with nobody registered yet.
    listed = organiser_client.get("/api/v1/manage/events").json()
    assert [item["slug"] for item in listed["items"]] == [slug]
    assert listed["items"][0]["registration_counts"]["submitted"] == 0

    # 7. A participant registers through the public API, answering the question.
    with run_on_commit(execute=True):
        response = api_client.post(
            f"/api/v1/events/{slug}/registrations",
            {
                "first_name": "Olena",
                "last_name": "Kowalenko",
                "email": "olena@example.org",
                "organisation_name": "Fundacja Zustricz",
                "organisation_type": "migrant",
                "language": "uk",
                "answers": {"workshop": "komm"},
                "consent_processing": True,
            },
        )
    assert response.status_code == 201, response.content
    registration_id = response.json()["id"]
    assert response.json()["state"] == "submitted"
    deliver_waiting()
    mail.outbox.clear()

    # 8. The organiser finds it in the list and accepts it.
    registrations = organiser_client.get(f"/api/v1/events/{slug}/registrations", {"state": "submitted"}).json()
    assert [(item["id"], item["answers"]) for item in registrations["items"]] == [
        (registration_id, {"workshop": "komm"})
    ]
    with run_on_commit(execute=True):
        response = organiser_client.post(
            f"/api/v1/events/{slug}/registrations/{registration_id}/decision",
            {"decision": "accept", "message": "Do zobaczenia w Krakowie!"},
        )
    assert (response.status_code, response.json()["state"]) == (200, "accepted")
    deliver_waiting()
    assert [message.to for message in mail.outbox] == [["olena@example.org"]]
    detail = organiser_client.get(f"{manage}/registrations/{registration_id}").json()
    assert [(entry["to_state"], entry["actor"]) for entry in detail["history"]] == [
        ("submitted", "participant"),
        ("accepted", "organiser"),
    ]
    assert detail["history"][-1]["message"] == "Do zobaczenia w Krakowie!"
    assert api_client.get(f"/api/v1/events/{slug}").json()["seats_left"] == 1
    counts = organiser_client.get(manage).json()["registration_counts"]
    assert (counts["submitted"], counts["accepted"]) == (0, 1)

    # 9. Unpublish: gone from the public, still the organiser's, nobody else can register.
    response = organiser_client.post(f"{manage}/unpublish")
    assert (response.status_code, response.json()["is_published"]) == (200, False)
    assert api_client.get(f"/api/v1/events/{slug}").status_code == 404
    assert api_client.get("/api/v1/events").json()["count"] == 0
    assert organiser_client.get(manage).json()["registration_counts"]["accepted"] == 1
    late = api_client.post(
        f"/api/v1/events/{slug}/registrations",
        {
            "first_name": "Iryna",
            "last_name": "Bondar",
            "email": "iryna@example.org",
            "organisation_name": "Fundacja Zustricz",
            "organisation_type": "migrant",
            "language": "uk",
            "answers": {"workshop": "idz"},
            "consent_processing": True,
        },
    )
    assert late.status_code == 404
