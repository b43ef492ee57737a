from __future__ import annotations

import itertools

from django.core import mail

from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.registrations.services import RegistrationData, registration_submit

_counter = itertools.count(1)


def registration_data(**overrides) -> RegistrationData:
    n = next(_counter)
    values = {
        "first_name": "Olena",
        "last_name": f"Kowalenko{n}",
        "email": f"olena{n}@example.org",
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "organisation_role": "Koordynatorka",
        "consent_processing": True,
    }
    values.update(overrides)
    return RegistrationData(**values)


def submit(event, **overrides):
    """Create a registration the way a participant does: through the service."""
    return registration_submit(event=event, data=registration_data(**overrides))


def earlier_emails_sent():
    """What the worker would have sent by now (tests do not run it after every commit) is sent,
    and `mail.outbox` starts empty: what a test then finds there is what it caused."""
    deliver_waiting()
    mail.outbox.clear()
