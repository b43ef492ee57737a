"""Contact requests: pending ones expire, and answered or expired ones lose their text and links."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicmeet.core.errors import ConflictError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.resources import contact, privacy
from civicmeet.resources.models import (
    ContactRecipient,
    ContactRequest,
    ContactStatus,
    ResourceAction,
    ResourceLogEntry,
)

from . import factories as f

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.CONTACT_REQUEST_EXPIRY_DAYS = 30
    settings.CONTACT_REQUEST_RETENTION_DAYS = 90


@pytest.fixture
def pair():
    a = f.organisation("Fundacja X")
    b = f.organisation("Stowarzyszenie Y")
    rep_a = f.representative(a, email="olena@x.example.org", language="uk", first_name="Olena")
    rep_b = f.representative(b, email="jan@y.example.org", language="pl", first_name="Jan")
    offer = f.resource(a, rep_a, title="Sala na 40 osób", quantity=40)
    need = f.resource(b, rep_b, direction="need", title="Potrzebna sala", quantity=30)
    return a, b, rep_a, rep_b, offer, need


def _token(user) -> str:
    email = OutgoingEmail.objects.filter(kind="resources_contact_request", to=user.email).latest("id")
    return email.body_text.split("/network/contact/answer/")[1].split("/")[0]


def test_a_pending_request_expires_and_its_links_stop_working(pair):
    a, b, rep_a, rep_b, offer, need = pair
    request = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Sala w sobotę?", language="pl")
    token = _token(rep_a)
    expires = request.created_at + timedelta(days=30)

    assert privacy.contact_requests_purge(now=expires - SECOND).as_dict() == {"expired": 0, "erased": 0}
    assert contact.contact_recipient_get(token=token).request == request

    assert privacy.contact_requests_purge(now=expires).as_dict() == {"expired": 1, "erased": 0}
    request.refresh_from_db()
    assert request.status == ContactStatus.EXPIRED
    assert request.message == "Sala w sobotę?"  # kept until the retention
    with pytest.raises(contact.ContactRefused):
        contact.contact_recipient_get(token=token)
    with pytest.raises(contact.ContactRefused):
        contact.contact_request_answer(token=token, accept=True)
    with pytest.raises(ConflictError):  # signed in, too: nothing left to answer
        contact.contact_request_answer(request=request, user=rep_a, accept=True)
    expired_rows = ResourceLogEntry.objects.filter(
        item_kind="contact", item_id=request.pk, action=ResourceAction.CONTACT_EXPIRED
    )
    assert sorted(expired_rows.values_list("organisation_id", flat=True)) == sorted([a.pk, b.pk])
    # The pair may ask again now.
    again = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Jeszcze raz", language="pl")
    assert again.status == ContactStatus.PENDING

    # After the retention the text goes too; the row, the organisations and the history stay.
    erased_at = expires + timedelta(days=90)
    # The second request (sent today, in the test's real time) has expired by then too.
    assert privacy.contact_requests_purge(now=erased_at - SECOND).as_dict() == {"expired": 1, "erased": 0}
    assert privacy.contact_requests_purge(now=erased_at).as_dict() == {"expired": 0, "erased": 1}
    request.refresh_from_db()
    assert (request.message, request.from_organisation_id, request.to_organisation_id) == ("", b.pk, a.pk)
    assert not OutgoingEmail.objects.filter(subject_id=request.pk, kind__startswith="resources_contact").exists()
    assert ResourceLogEntry.objects.filter(item_kind="contact", item_id=request.pk).count() == 4
    again.refresh_from_db()
    assert again.message == "Jeszcze raz"  # its own retention has not run out
    assert privacy.contact_requests_purge(now=erased_at).as_dict() == {"expired": 0, "erased": 0}


def test_an_answered_request_loses_its_text_links_and_emails_after_the_retention(pair):
    _a, _b, rep_a, rep_b, offer, need = pair
    answered = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Sala?", language="pl")
    answered = contact.contact_request_answer(token=_token(rep_a), accept=True)
    other_offer = f.resource(_a, rep_a, title="Druga sala", quantity=40)
    waiting = contact.contact_request_send(user=rep_b, offer=other_offer, need=need, message="A ta?", language="pl")
    # The acceptance told both people each other's address.
    assert OutgoingEmail.objects.filter(kind="resources_contact_accepted", subject_id=answered.pk).count() == 2
    due = answered.answered_at + timedelta(days=90)
    assert privacy.contact_request_due_at(answered) == due
    assert privacy.contact_request_due_at(waiting) is None

    assert privacy.contact_requests_purge(now=due - SECOND).erased == 0
    answered.refresh_from_db()
    assert answered.message == "Sala?" and answered.answered_by == rep_a

    result = privacy.contact_requests_purge(now=due)
    assert result.erased == 1
    answered.refresh_from_db()
    assert answered.message == "" and answered.answered_by is None
    assert answered.status == ContactStatus.ACCEPTED and answered.answered_at is not None
    assert not ContactRecipient.objects.filter(request=answered).exists()
    assert not OutgoingEmail.objects.filter(subject_id=answered.pk, kind__startswith="resources_contact").exists()
    # The other request (expired at the same moment, its text still inside the retention) is untouched.
    waiting.refresh_from_db()
    assert waiting.message == "A ta?"
    assert OutgoingEmail.objects.filter(subject_id=waiting.pk, kind="resources_contact_request").exists()
    assert ContactRequest.objects.count() == 2
    assert privacy.contact_requests_purge(now=due).as_dict() == {"expired": 0, "erased": 0}
