""" "My events" for the desk: a desk member finds the desk of their events there (and nothing else of
them); organisers find it next to their links on the event's day. The links come from checkin through
registrations.extensions.register_event_links, for the whole list in a constant number of queries."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.accounts.signin_links import landing_url
from civicmeet.checkin.links import desk_event_links, on_the_day
from civicmeet.events.tests.factories import EventFactory, UserFactory

from .factories import accepted, desk_member

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# Noon in Warsaw on the day of the meeting below.
THE_DAY_NOON = datetime(2031, 5, 20, 12, 0, tzinfo=WARSAW)


def my_events(client, language: str = "en") -> str:
    with translation.override(language):
        address = reverse("registrations:event_list")
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def desk_url(event) -> str:
    with translation.override("en"):
        return reverse("checkin:desk", kwargs={"slug": event.slug})


def event_on(day: datetime, organisers=(), **fields):
    starts = day.replace(hour=9, minute=0)
    return EventFactory(
        organisers=list(organisers),
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(days=3),
        **fields,
    )


def hrefs(page: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page))


def management_links(event) -> set[str]:
    """Every organisers' address of `event` that "My events" could offer."""
    with translation.override("en"):
        dashboard = reverse("registrations:dashboard", kwargs={"slug": event.slug})
        edit = reverse("events:edit", kwargs={"slug": event.slug})
    return {href for href in (dashboard, edit)} | {f"{dashboard}?state={state}" for state in ("submitted", "accepted")}


def test_a_desk_member_sees_their_event_with_the_desk_link_only(client, event, organiser):
    accepted(event, organiser)
    desk = desk_member(event)
    elsewhere = EventFactory(organisers=[organiser], title={"en": "Another meeting"})
    desk_member(elsewhere)  # someone else at another event's desk
    client.force_login(desk)

    page = my_events(client)

    assert desk_url(event) in hrefs(page)
    assert 'id="desk-events"' in page
    assert "Networking meeting of minority and migrant organisations" in page
    # No organisers' link of this event, no counts of its registrations.
    assert not management_links(event) & hrefs(page)
    assert "Waiting list" not in page and "Submitted" not in page
    # Not the other event, nor its desk.
    assert "Another meeting" not in page
    assert desk_url(elsewhere) not in page


def test_the_desk_link_leads_to_a_page_the_desk_member_may_open(client, event):
    client.force_login(desk_member(event))

    page = my_events(client)

    assert desk_url(event) in hrefs(page)
    assert client.get(desk_url(event)).status_code == 200


def test_an_organiser_sees_the_desk_link_on_the_day_only(client, organiser):
    with time_machine.travel(THE_DAY_NOON - timedelta(days=30), tick=False):
        today = event_on(THE_DAY_NOON, organisers=[organiser])
        later = event_on(THE_DAY_NOON + timedelta(days=14), organisers=[organiser])

    with time_machine.travel(THE_DAY_NOON, tick=False):
        client.force_login(organiser)
        page = my_events(client)
    with time_machine.travel(THE_DAY_NOON - timedelta(days=1), tick=False):
        client.force_login(organiser)
        day_before = my_events(client)

    assert desk_url(today) in hrefs(page) and desk_url(later) not in hrefs(page)
    assert management_links(today) <= hrefs(page)  # and still every organiser's link
    assert desk_url(today) not in hrefs(day_before)
    assert 'id="desk-events"' not in page  # they organise it: it is in their own table


def test_someone_organising_one_event_and_at_the_desk_of_another_sees_both(client, organiser):
    organised = EventFactory(organisers=[organiser], title={"en": "Our meeting"})
    helped = EventFactory(title={"en": "The neighbours' meeting"})
    TeamMember.objects.create(team=helped.team, user=organiser, role=TeamRole.DESK)
    client.force_login(organiser)

    page = my_events(client)

    desk_section = page[page.index('id="desk-events"') :]
    own_table = page[: page.index('id="desk-events"')]
    assert "Our meeting" in own_table and "The neighbours&#x27; meeting" not in own_table
    assert "The neighbours&#x27; meeting" in desk_section and desk_url(helped) in desk_section
    assert not management_links(helped) & hrefs(page)
    assert management_links(organised) <= hrefs(own_table)


def test_the_list_costs_the_same_queries_for_2_or_8_events(client, django_assert_num_queries):
    desk = UserFactory()
    organiser = UserFactory()

    def add_events(count: int) -> None:
        for _ in range(count):
            TeamMember.objects.create(team=EventFactory().team, user=desk, role=TeamRole.DESK)
            EventFactory(organisers=[desk])
            EventFactory(organisers=[organiser])  # not theirs

    client.force_login(desk)
    add_events(1)
    with CaptureQueriesContext(connection) as few:
        page = my_events(client)
    assert page.count("Check-in desk") == 1
    add_events(3)
    with django_assert_num_queries(len(few.captured_queries)):
        page = my_events(client)
    assert page.count("Check-in desk") == 4 and page.count('scope="row"') == 8


def test_a_desk_member_lands_on_my_events_and_the_navigation_shows_it(client, event):
    desk = desk_member(event)
    with translation.override("en"):
        mine = reverse("registrations:event_list")

    assert landing_url(desk) == mine
    client.force_login(desk)
    page = my_events(client)
    assert f'href="{mine}"' in page and "My events" in page


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_the_desk_link_is_translated(client, event, language):
    client.force_login(desk_member(event))

    page = my_events(client, language)

    assert "Check-in desk" not in page
    with translation.override(language):
        assert reverse("checkin:desk", kwargs={"slug": event.slug}) in page


def test_the_provider_gives_nothing_to_outsiders_or_anonymous_users(event, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert desk_event_links(AnonymousUser(), [event]) == {}
    with time_machine.travel(event.starts_at + timedelta(hours=1), tick=False):
        assert desk_event_links(outsider, [event]) == {}  # on the day, but not on its team


def test_on_the_day_is_the_events_days_in_its_time_zone():
    with time_machine.travel(THE_DAY_NOON - timedelta(days=30), tick=False):
        event = event_on(THE_DAY_NOON)
    assert on_the_day(event, datetime(2031, 5, 20, 0, 5, tzinfo=WARSAW))
    assert on_the_day(event, datetime(2031, 5, 20, 23, 55, tzinfo=WARSAW))
    assert not on_the_day(event, datetime(2031, 5, 19, 23, 55, tzinfo=WARSAW))
    # 23:30 in London is already the next day in Warsaw.
    assert not on_the_day(event, datetime(2031, 5, 20, 23, 30, tzinfo=ZoneInfo("Europe/London")))
