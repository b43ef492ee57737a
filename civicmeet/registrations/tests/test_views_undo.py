"""The registration page after a decision: one sentence, Undo, the next sensible actions; buttons
coloured by consequence."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civicmeet.notifications.models import EmailStatus
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.services import UNDONE_ACTION, registration_decide

from .factories import submit
from .test_views_manage import flashes, org_client, url  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _button(html: str, value: str) -> str:
    match = re.search(rf'<button type="submit" name="decision" value="{value}" class="([^"]+)">([^<]+)</button>', html)
    assert match, value
    return match.group(1)


def test_decision_buttons_are_coloured_and_worded_by_consequence(org_client, event):  # noqa: F811
    registration = submit(event)
    html = org_client.get(url("detail", event, pk=registration.pk)).content.decode()
    assert _button(html, "accept") == "btn btn-primary"
    assert _button(html, "waitlist") == "btn btn-secondary"
    assert "btn-danger" not in _button(html, "waitlist")
    assert _button(html, "reject") == "btn btn-danger"
    assert ">Reject and tell them</button>" in html
    cancel = re.search(r'<button type="submit" class="([^"]+)" formaction="[^"]+/cancel/">', html)
    assert cancel and cancel.group(1) == "btn btn-danger"


def test_after_accepting_the_page_says_so_and_offers_undo_and_the_next_steps(org_client, organiser, event):  # noqa: F811
    registration = submit(event, first_name="Olena", last_name="Bondar")
    waiting = submit(event)
    response = org_client.post(url("decide", event, pk=registration.pk), {"decision": "accept"}, follow=True)
    html = response.content.decode()
    assert "Olena Bondar is accepted; the email goes out at" in html
    assert 'id="undo-button"' in html
    assert f'action="{url("undo", event, pk=registration.pk)}"' in html
    entry = LogEntry.objects.filter(registration=registration).latest("id")
    assert f'name="entry" value="{entry.pk}"' in html
    # Next: the next registration waiting, the list, and for an accepted person: waiting list or cancel.
    assert url("detail", event, pk=waiting.pk) in html
    assert _button(html, "waitlist") == "btn btn-secondary"
    assert url("organiser_cancel", event, pk=registration.pk) in html
    assert 'value="accept"' not in html


def test_undo_restores_the_state_and_withdraws_the_email(org_client, organiser, event):  # noqa: F811
    registration = submit(event)
    org_client.post(url("decide", event, pk=registration.pk), {"decision": "reject", "message": "Sorry"})
    entry = LogEntry.objects.filter(registration=registration).latest("id")
    response = org_client.post(url("undo", event, pk=registration.pk), {"entry": entry.pk}, follow=True)
    assert response.redirect_chain[-1][0] == url("detail", event, pk=registration.pk)
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
    entry.email.refresh_from_db()
    assert entry.email.status == EmailStatus.WITHDRAWN
    assert any(text.startswith("Undone:") and "no email was sent" in text for text in flashes(response))
    html = response.content.decode()
    assert 'id="undo-button"' not in html
    assert "Decision undone:" in html  # in the history


def test_undo_after_the_window_is_refused_with_a_clear_message(org_client, organiser, event, settings):  # noqa: F811
    settings.DECISION_UNDO_SECONDS = 30
    registration = submit(event)
    org_client.post(url("decide", event, pk=registration.pk), {"decision": "accept"})
    entry = LogEntry.objects.filter(registration=registration).latest("id")
    with time_machine.travel(timezone.now() + timedelta(seconds=45)):
        page = org_client.get(url("detail", event, pk=registration.pk)).content.decode()
        assert 'id="undo-button"' not in page
        response = org_client.post(url("undo", event, pk=registration.pk), {"entry": entry.pk}, follow=True)
    assert "The time to undo this decision has passed. Decide again instead." in flashes(response)
    assert Registration.objects.get(pk=registration.pk).state == State.ACCEPTED
    assert not LogEntry.objects.filter(action=UNDONE_ACTION).exists()


def test_undo_of_a_stale_page_after_a_later_change_is_refused(org_client, organiser, event):  # noqa: F811
    registration = submit(event)
    org_client.post(url("decide", event, pk=registration.pk), {"decision": "waitlist"})
    stale = LogEntry.objects.filter(registration=registration).latest("id")
    registration_decide(registration=registration, decision="reject", actor=organiser)
    response = org_client.post(url("undo", event, pk=registration.pk), {"entry": stale.pk}, follow=True)
    assert any("changed since the decision" in text for text in flashes(response))
    assert Registration.objects.get(pk=registration.pk).state == State.REJECTED


def test_undo_without_an_entry_says_so(org_client, event):  # noqa: F811
    registration = submit(event)
    response = org_client.post(url("undo", event, pk=registration.pk), {}, follow=True)
    assert "There is no decision to undo." in flashes(response)


def test_cancelling_can_be_undone_too(org_client, organiser, event):  # noqa: F811
    registration = submit(event)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    html = org_client.post(url("organiser_cancel", event, pk=registration.pk), follow=True).content.decode()
    assert "is cancelled; the email goes out at" in html
    entry = LogEntry.objects.filter(registration=registration).latest("id")
    org_client.post(url("undo", event, pk=registration.pk), {"entry": entry.pk})
    assert Registration.objects.get(pk=registration.pk).state == State.ACCEPTED


def test_another_organisers_undo_is_404_for_an_outsider(client, outsider, organiser, event):
    registration = submit(event)
    registration = registration_decide(registration=registration, decision="accept", actor=organiser, undoable=True)
    entry = LogEntry.objects.filter(registration=registration).latest("id")
    client.force_login(outsider)
    assert client.post(url("undo", event, pk=registration.pk), {"entry": entry.pk}).status_code == 404
    assert Registration.objects.get(pk=registration.pk).state == State.ACCEPTED
