"""The organisers' live counters of the day: present / accepted / seats and check-ins per hour."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.checkin.services import checkin_record
from civicmeet.checkin.tests.factories import client_id, desk_member
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit


def url(event, language="en"):
    with translation.override(language):
        return reverse("checkin:counters", kwargs={"slug": event.slug})


def present(event, organiser, at, **overrides):
    registration = registration_decide(registration=submit(event, **overrides), decision="accept", actor=organiser)
    checkin_record(
        event=event, client_id=client_id(), actor=organiser, registration=registration, source="name", now=at
    )
    return registration


def warsaw(hour, minute=0):
    from zoneinfo import ZoneInfo

    return datetime(2026, 12, 1, hour, minute, tzinfo=ZoneInfo("Europe/Warsaw"))


def test_counters_show_present_accepted_seats_and_hours_in_the_events_time(client, organiser, event):
    present(event, organiser, warsaw(9, 50))
    present(event, organiser, warsaw(10, 2))
    present(event, organiser, warsaw(10, 40))
    registration_decide(registration=submit(event), decision="accept", actor=organiser)  # not here yet
    client.force_login(organiser)
    response = client.get(url(event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="count-present"><strong>3</strong>' in html
    assert 'id="count-accepted"><strong>4</strong>' in html
    assert f'id="count-seats"><strong>{event.capacity}</strong>' in html
    assert 'id="count-not-yet"><strong>1</strong>' in html
    assert 'data-label="Hour">09:00–10:00</th><td data-label="Check-ins">1</td>' in html
    assert 'data-label="Hour">10:00–11:00</th><td data-label="Check-ins">2</td>' in html
    # It refreshes itself (htmx), and says how to without JavaScript.
    assert 'hx-trigger="every 5s"' in html and 'hx-select="#counters"' in html
    assert "Reload now" in html
    assert response["Cache-Control"] == "no-store"
    # The chart is server-drawn SVG, hidden from screen readers (the table is there for them).
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'aria-hidden="true"' in html


def test_counters_before_anyone_came(client, organiser, event):
    client.force_login(organiser)
    html = client.get(url(event, "pl")).content.decode()
    assert 'id="count-present"><strong>0</strong>' in html
    assert 'id="hours-none"' in html


@pytest.mark.parametrize("count", [1, 30])
def test_counters_queries_do_not_grow_with_check_ins(client, organiser, event, count, django_assert_max_num_queries):
    for n in range(count):
        present(event, organiser, warsaw(9 + n % 5, n % 60))
    client.force_login(organiser)
    with django_assert_max_num_queries(8):
        assert client.get(url(event)).status_code == 200


def test_counters_are_for_organisers_only(client, event, outsider):
    assert client.get(url(event)).status_code == 302
    for user in (outsider, desk_member(event)):
        client.force_login(user)
        assert client.get(url(event)).status_code == 404


def test_counters_refuse_post(client, organiser, event):
    client.force_login(organiser)
    assert client.post(url(event)).status_code == 405
