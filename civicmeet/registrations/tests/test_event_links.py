"""The hook through which apps above registrations add links to "My events" (extensions.event_links)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations import extensions

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    """A fresh provider list for one test (the apps' own stays as it was)."""
    monkeypatch.setattr(extensions, "_event_links", [])
    return extensions


def test_every_providers_links_are_merged_per_event_in_registration_order(providers, organiser):
    events = [EventFactory(organisers=[organiser]), EventFactory(organisers=[organiser])]
    calls = []

    def first(user, listed):
        calls.append((user, [event.pk for event in listed]))
        return {listed[0].pk: [{"label": "A", "url": "/a/"}]}

    def second(user, listed):
        return {event.pk: [{"label": "B", "url": "/b/"}] for event in listed}

    providers.register_event_links(first)
    providers.register_event_links(second)
    providers.register_event_links(first)  # registered once only

    links = providers.event_links(organiser, events)

    assert links == {
        events[0].pk: [{"label": "A", "url": "/a/"}, {"label": "B", "url": "/b/"}],
        events[1].pk: [{"label": "B", "url": "/b/"}],
    }
    # One call per provider for the whole list (not one per event).
    assert calls == [(organiser, [event.pk for event in events])]


def test_no_events_calls_no_provider(providers, organiser):
    def refuse(user, listed):
        raise AssertionError("called for an empty list")

    providers.register_event_links(refuse)

    assert providers.event_links(organiser, []) == {}


def test_the_links_appear_on_my_events(providers, client, organiser):
    event = EventFactory(organisers=[organiser])
    providers.register_event_links(
        lambda user, listed: {e.pk: [{"label": "Extra link", "url": "/extra/"}] for e in listed}
    )
    client.force_login(organiser)

    page = client.get(reverse("registrations:event_list")).content.decode()

    assert 'href="/extra/">Extra link<span class="visually-hidden"> ' in page
    assert event.slug in page
