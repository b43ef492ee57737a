"""Tickets and check-ins for tests, made the way the product makes them: through the services."""

from __future__ import annotations

import itertools

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.events.tests.factories import UserFactory
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

from ..services import checkin_record
from ..tickets import ticket_code

_client_ids = itertools.count(1)


def client_id() -> str:
    """A fresh client-made id, as a desk makes one for every check-in."""
    return f"test-client-{next(_client_ids)}"


def desk_member(event, **fields):
    """A user on `event`'s team at the desk only."""
    user = UserFactory(**fields)
    TeamMember.objects.create(team=event.team, user=user, role=TeamRole.DESK)
    return user


def accepted(event, actor, **overrides):
    """A participant registered and accepted through the services (their ticket comes with the email)."""
    registration = submit(event, **overrides)
    return registration_decide(registration=registration, decision="accept", actor=actor)


def checked_in(event, actor, registration=None, **overrides):
    """An accepted participant checked in by their ticket's code."""
    registration = registration or accepted(event, actor, **overrides)
    code = ticket_code(registration)
    assert code is not None
    return checkin_record(event=event, client_id=client_id(), actor=actor, code=code)
