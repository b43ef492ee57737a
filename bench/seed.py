"""Prepare a database for `make bench`: the demo, an event with 10,000 registrations, an organiser
with a browser session and an API token. Prints one JSON line with what bench/run.py needs.

Run with the same environment as the server (DJANGO_SETTINGS_MODULE, DATABASE_URL, …).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from civicmeet.accounts.models import ApiToken  # noqa: E402
from civicmeet.accounts.services import organiser_account_save  # noqa: E402
from civicmeet.events.models import Event  # noqa: E402
from civicmeet.events.services import event_create, event_publish  # noqa: E402
from civicmeet.organisations.models import Organisation, OrganisationType  # noqa: E402
from civicmeet.registrations.models import Dietary, LogEntry, Registration, State, new_token  # noqa: E402

DEMO_SLUG = "spotkanie-sieciujace-krakow"
LIST_SLUG = "bench-10000"
LIST_SIZE = int(os.environ.get("BENCH_LIST_SIZE", "10000"))
FIRST = ["Olena", "Mariia", "Dawid", "Miriam", "Ahmad", "Thi Lan", "Mykola", "Izabela", "Hanna", "Sara"]
LAST = ["Kowalenko", "Landau", "Karimi", "Nguyen", "Bondarenko", "Gabor", "Dudra", "Goldberg", "Melnyk", "Shevchuk"]


def seed_list_event(user) -> Event:
    event = Event.objects.filter(slug=LIST_SLUG).first()
    if event is not None:
        return event
    now = timezone.now()
    event = event_create(
        creator=user,
        data={
            "slug": LIST_SLUG,
            "title": {"pl": "Spotkanie z 10 000 zgłoszeń", "en": "A meeting with 10,000 registrations"},
            "starts_at": now + timedelta(days=30),
            "ends_at": now + timedelta(days=30, hours=6),
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": now + timedelta(days=25),
            "capacity": LIST_SIZE,
        },
    )
    event_publish(event=event)
    organisations = [
        Organisation.objects.get_or_create(
            name=f"Stowarzyszenie testowe {n}", defaults={"type": list(OrganisationType)[n % 4]}
        )[0]
        for n in range(200)
    ]
    states = [State.SUBMITTED, State.ACCEPTED, State.WAITLISTED, State.REJECTED, State.CANCELLED]
    diets = list(Dietary)
    with transaction.atomic():
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                token=new_token(),
                state=states[n % len(states)],
                first_name=FIRST[n % len(FIRST)],
                last_name=f"{LAST[n % len(LAST)]}-{n}",
                email=f"person{n}@bench.example.org",
                organisation=organisations[n % len(organisations)],
                language=("pl", "uk", "en")[n % 3],
                dietary=diets[n % len(diets)],
                answers={},
                consent_processing_at=now,
            )
            for n in range(LIST_SIZE)
        )
        LogEntry.objects.bulk_create(
            LogEntry(
                registration=registration,
                action="registrations.registration.submitted",
                from_state="",
                to_state=registration.state,
                actor_kind="participant",
            )
            for registration in registrations
        )
    return event


def main() -> None:
    call_command("load_demo", verbosity=0)
    user, _created = organiser_account_save(
        email="bench@civicmeet.local",
        password="bench-password-not-secret",  # noqa: S106 - a throw-away bench database
        validate=False,
    )
    user.is_active = True
    user.save()
    event = seed_list_event(user)
    # Also on the demo event's team, to read its dashboard.
    demo = Event.objects.get(slug=DEMO_SLUG)
    demo.team.members.get_or_create(user=user, defaults={"role": "organiser"})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    print(
        json.dumps(
            {
                "demo_slug": DEMO_SLUG,
                "list_slug": event.slug,
                "list_size": event.registrations.count(),
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                "api_token": ApiToken.issue(user),
            }
        )
    )


if __name__ == "__main__":
    main()
