"""Hostile-input and access tests: the personas and the world they act in.

The world: the event `ours` (published, registration open) organised by `organiser`, with a desk
member and two participants (`mine`, the participant persona's registration, and `theirs`, another
participant's); `other_event`, organised by `outsider`, with one registration; a staff user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client

from civicmeet.accounts.models import ApiToken, TeamInvitation, TeamMember, TeamRole
from civicmeet.checkin.models import CheckIn, CheckInRequest, Ticket
from civicmeet.events.models import CustomQuestion, Event
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import LogEntry, Registration
from civicmeet.registrations.models import new_token as new_registration_token
from civicmeet.registrations.tests.factories import submit

from .programmes_world import programmes_fingerprint, programmes_world

ANON = "anonymous"
PARTICIPANT = "participant"
OTHER_PARTICIPANT = "other_participant"
DESK = "desk"
ORGANISER = "organiser"
OUTSIDER = "outsider"
STAFF = "staff"
PERSONAS = (ANON, PARTICIPANT, OTHER_PARTICIPANT, DESK, ORGANISER, OUTSIDER, STAFF)


@dataclass
class World:
    ours: Event
    other_event: Event
    mine: Registration  # the participant persona's registration, on `ours`
    theirs: Registration  # another participant's registration, on `ours`
    elsewhere: Registration  # a registration on `other_event`
    users: dict[str, object] = field(default_factory=dict)
    desk_member_id: int = 0  # the desk member's id on `ours`'s team (the API names members by id)
    api_tokens: dict[str, str] = field(default_factory=dict)

    def token_for(self, persona: str) -> str:
        """The registration token the persona holds; others can only guess one."""
        if persona == PARTICIPANT:
            return self.mine.token
        if persona == OTHER_PARTICIPANT:
            return self.theirs.token
        return new_registration_token()

    def client_for(self, persona: str) -> Client:
        client = Client()
        user = self.users.get(persona)
        if user is not None:
            client.force_login(user)
        return client

    def api_headers(self, persona: str) -> dict[str, str]:
        token = self.api_tokens.get(persona)
        return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.fixture(autouse=True)
def _fresh_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def world(organiser, outsider) -> World:
    ours = EventFactory(organisers=[organiser])
    desk = UserFactory(email="desk@zustricz.example.org")
    TeamMember.objects.create(team=ours.team, user=desk, role=TeamRole.DESK)
    staff = UserFactory(email="admin@civicmeet.example.org", is_staff=True, is_superuser=True)
    other_event = Event.objects.filter(team__members__user=outsider).get()
    world = World(
        ours=ours,
        other_event=other_event,
        mine=submit(ours, first_name="Mine", last_name="Participant", email="mine@example.org"),
        theirs=submit(ours, first_name="Theirs", last_name="Participant", email="theirs@example.org"),
        elsewhere=submit(other_event, first_name="Elsewhere", last_name="Participant", email="else@example.org"),
        users={DESK: desk, ORGANISER: organiser, OUTSIDER: outsider, STAFF: staff},
    )
    world.api_tokens = {persona: ApiToken.issue(user) for persona, user in world.users.items()}
    world.desk_member_id = TeamMember.objects.get(team=ours.team, user=desk).pk
    programmes_world(world)  # a programme, a project, an offer and the participants' sign-ups
    return world


def fingerprint() -> tuple:
    """What a forbidden request must not change."""
    User = get_user_model()  # noqa: N806
    return (
        sorted(
            Registration.objects.values_list(
                "pk", "state", "role", "first_name", "last_name", "email", "anonymised_at", "answers"
            )
        ),
        sorted(Event.objects.values_list("pk", "slug", "is_published", "capacity", "updated_at")),
        sorted(TeamMember.objects.values_list("team__event", "user_id", "role")),
        sorted(CustomQuestion.objects.values_list("event_id", "position", "key", "kind", "label", "options")),
        LogEntry.objects.count(),
        User.objects.count(),
        ApiToken.objects.count(),
        # Who is invited onto a team: the page invites instead of adding accounts directly.
        sorted(TeamInvitation.objects.values_list("team_id", "email", "role", "status")),
        programmes_fingerprint(),
        # The day: check-ins, their requests, tickets (a ticket is made on the first ask).
        (CheckIn.objects.count(), CheckInRequest.objects.count(), Ticket.objects.count()),
    )
