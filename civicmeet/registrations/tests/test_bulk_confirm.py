"""Bulk decisions are confirmed: the dashboard's buttons lead to a page of consequences that
changes nothing; only its confirm POST decides."""

from __future__ import annotations

import pytest

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.services import registration_decide, registration_decide_many_preview

from .factories import submit
from .test_views_manage import flashes, org_client, url  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_the_dashboard_form_asks_for_confirmation_first(org_client, event):  # noqa: F811
    submit(event)
    html = org_client.get(url("dashboard", event)).content.decode()
    assert f'action="{url("bulk_confirm", event)}"' in html
    assert f'action="{url("bulk_decide", event)}"' not in html
    assert 'class="btn btn-danger">Reject…</button>' in html
    assert 'class="btn btn-secondary">Put on the waiting list…</button>' in html
    assert 'class="table-stack"' in html


def test_confirmation_lists_people_and_consequences_and_changes_nothing(org_client, organiser):  # noqa: F811
    event = EventFactory(organisers=[organiser], capacity=3, seats_per_organisation=1)
    registration_decide(registration=submit(event, organisation_name="Fundacja A"), decision="accept", actor=organiser)
    first = submit(event, first_name="Iryna", last_name="Bondar", organisation_name="Fundacja B")
    same_org = submit(event, first_name="Sara", last_name="Goldberg", organisation_name="Fundacja B")
    third = submit(event, first_name="Ahmed", last_name="Nasser", organisation_name="Fundacja C")
    fourth = submit(event, first_name="Olga", last_name="Petrenko", organisation_name="Fundacja D")
    emails_before, log_before = OutgoingEmail.objects.count(), LogEntry.objects.count()

    response = org_client.post(
        url("bulk_confirm", event),
        {
            "registrations": [first.pk, same_org.pk, third.pk, fourth.pk],
            "decision": "accept",
            "message": "Do zobaczenia w Krakowie",
            "return_query": "state=submitted",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    preview = response.context["preview"]
    changing = [row.registration.pk for row in preview.changing]
    assert changing == [first.pk, third.pk]  # earliest first; the seats run out before Olga
    reasons = {row.registration.pk: row.reason for row in preview.unchanged}
    assert "limit of accepted participants per organisation" in reasons[same_org.pk]
    assert "No seats left" in reasons[fourth.pk]
    assert (preview.seats_left_now, preview.seats_left_after) == (2, 0)
    assert "Accept 2 people?" in html
    assert "2 now, 0 after (capacity 3)" in html
    assert "2 people get an email in their language" in html
    assert "Do zobaczenia w Krakowie" in html
    for person in ("Iryna Bondar", "Sara Goldberg", "Ahmed Nasser", "Olga Petrenko"):
        assert person in html
    # The confirm form carries the selection, the message and the way back; nothing changed yet.
    assert f'action="{url("bulk_decide", event)}"' in html
    for registration in (first, same_org, third, fourth):
        assert f'name="registrations" value="{registration.pk}"' in html
    assert 'name="message" value="Do zobaczenia w Krakowie"' in html
    assert 'name="return_query" value="state=submitted"' in html
    assert 'id="bulk-confirm-button"' in html and "btn btn-primary" in html
    assert set(Registration.objects.filter(pk__in=[first.pk, third.pk]).values_list("state", flat=True)) == {
        State.SUBMITTED
    }
    assert (OutgoingEmail.objects.count(), LogEntry.objects.count()) == (emails_before, log_before)

    # The confirm POST decides, as the page said.
    response = org_client.post(
        url("bulk_decide", event),
        {
            "registrations": [first.pk, same_org.pk, third.pk, fourth.pk],
            "decision": "accept",
            "message": "Do zobaczenia w Krakowie",
            "return_query": "state=submitted",
        },
    )
    assert response["Location"] == url("dashboard", event) + "?state=submitted"
    states = dict(Registration.objects.filter(event=event).values_list("pk", "state"))
    assert [states[pk] for pk in (first.pk, same_org.pk, third.pk, fourth.pk)] == [
        State.ACCEPTED,
        State.SUBMITTED,
        State.ACCEPTED,
        State.SUBMITTED,
    ]


def test_reject_confirmation_is_a_danger_button(org_client, event):  # noqa: F811
    people = [submit(event) for _ in range(2)]
    html = org_client.post(
        url("bulk_confirm", event), {"registrations": [p.pk for p in people], "decision": "reject"}
    ).content.decode()
    assert "Reject 2 people?" in html
    assert 'class="btn btn-danger" id="bulk-confirm-button">Reject 2 people and tell them</button>' in html


def test_confirmation_when_nobody_would_change_offers_no_confirm_button(org_client, organiser, event):  # noqa: F811
    registration = submit(event)
    registration_decide(registration=registration, decision="reject", actor=organiser)
    response = org_client.post(url("bulk_confirm", event), {"registrations": [registration.pk], "decision": "waitlist"})
    html = response.content.decode()
    assert 'id="bulk-confirm-button"' not in html
    assert "Cannot go from “Not admitted” to “On the waiting list”." in html


def test_confirmation_without_selection_goes_back_with_a_message(org_client, event):  # noqa: F811
    submit(event)
    response = org_client.post(url("bulk_confirm", event), {"decision": "accept"}, follow=True)
    assert "Select at least one registration." in flashes(response)


def test_confirmation_of_another_events_registrations_is_refused(org_client, organiser, event):  # noqa: F811
    foreign = submit(EventFactory(organisers=[organiser]))
    response = org_client.post(url("bulk_confirm", event), {"registrations": [foreign.pk], "decision": "accept"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=foreign.pk).state == State.SUBMITTED


def test_confirmation_requires_login_and_the_team(client, outsider, event):
    registration = submit(event)
    body = {"registrations": [registration.pk], "decision": "accept"}
    response = client.post(url("bulk_confirm", event), body)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.post(url("bulk_confirm", event), body).status_code == 404


def test_moving_accepted_people_to_the_waiting_list_frees_seats_in_the_preview(organiser):
    event = EventFactory(organisers=[organiser], capacity=2)
    accepted = [submit(event) for _ in range(2)]
    for registration in accepted:
        registration_decide(registration=registration, decision="accept", actor=organiser)
    preview = registration_decide_many_preview(
        event=event, registration_ids=[r.pk for r in accepted], decision="waitlist"
    )
    assert (preview.seats_left_now, preview.seats_left_after, len(preview.changing)) == (0, 2, 2)
