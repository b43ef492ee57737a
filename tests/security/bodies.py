"""Bodies that would change something if the persona sending them were allowed to."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .conftest import World


def page_body(route: str, world: World) -> dict:
    mine, theirs = world.mine, world.theirs
    bodies = {
        # The outsider as a representative of our participants' organisation.
        "network/representatives/organisation/<int:organisation_pk>/": {
            "email": "outsider@example.org",
            "language": "pl",
        },
        # The outsider onto our team: the classic escalation.
        "manage/events/<slug:slug>/team/": {"email": "outsider@example.org", "role": "organiser"},
        # Someone else's address as the one participants reply to.
        "manage/events/<slug:slug>/identity/": {"contact_email": "outsider@example.org"},
        "manage/events/<slug:slug>/registrations/<int:pk>/decide/": {"decision": "accept", "confirm": "on"},
        "manage/events/<slug:slug>/registrations/<int:pk>/cancel/": {"message": "Cancelled by the organisers."},
        "manage/events/<slug:slug>/decide/": {
            "registrations": [mine.pk, theirs.pk],
            "decision": "reject",
            "confirm": "on",
        },
        "manage/events/<slug:slug>/decide/confirm/": {"registrations": [mine.pk], "decision": "reject"},
        "manage/events/<slug:slug>/guests/new/": {
            "first_name": "Gość",
            "last_name": "Honorowy",
            "email": "guest@example.org",
            "organisation_type": "migrant",
            "language": "pl",
            "dietary": "none",
        },
        "manage/events/<slug:slug>/registrations/<int:pk>/erase/": {"confirm": "yes"},
        # Our participant checked in at the desk (the page without JavaScript).
        "manage/events/<slug:slug>/desk/check-in/": {"registration": mine.pk, "client_id": "matrix-desk-1"},
        "r/<str:token>/erase/": {"confirm": "yes"},
    }
    return bodies.get(route, {})


def api_body(method: str, path: str, world: World) -> dict:
    now = timezone.now().replace(microsecond=0)
    if (method, path) == ("POST", "/api/v1/events"):
        return {
            "slug": "intruders-event",
            "title": {"en": "Intruders' meeting"},
            "starts_at": (now + timedelta(days=10)).isoformat(),
            "ends_at": (now + timedelta(days=10, hours=2)).isoformat(),
            "timezone": "Europe/Warsaw",
            "registration_opens_at": now.isoformat(),
            "registration_closes_at": (now + timedelta(days=9)).isoformat(),
            "capacity": 10,
        }
    if (method, path) == ("POST", "/api/v1/events/{slug}/registrations"):
        return {
            "first_name": "Iryna",
            "last_name": "Bondar",
            "email": "iryna@example.org",
            "organisation_name": "Fundacja Zustricz",
            "organisation_type": "migrant",
            "language": "uk",
            "consent_processing": True,
        }
    if (method, path) == ("POST", "/api/v1/events/{slug}/registrations/{registration_id}/decision"):
        return {"decision": "accept"}
    manage = "/api/v1/manage/events/{slug}"
    bodies = {
        ("PATCH", manage): {"capacity": 41, "title": {"en": "Taken over"}},
        ("PUT", manage + "/questions"): {
            "questions": [{"key": "bank_account", "kind": "short_text", "label": {"en": "Your bank account?"}}]
        },
        # The outsider onto our team through the API: the same escalation as the team page.
        ("POST", manage + "/team"): {"email": "outsider@example.org", "role": "organiser"},
        ("POST", manage + "/checkins"): {"code": "CM1.forged.signature", "client_id": "matrix-api-1"},
        ("POST", manage + "/guests"): {
            "first_name": "Gość",
            "last_name": "Honorowy",
            "email": "guest@example.org",
            "language": "pl",
        },
    }
    return bodies.get((method, path), {})
