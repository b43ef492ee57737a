"""The check-in admins show tickets, check-ins and the desks' requests; never a ticket's code or
the basis a person showed at the desk, and they change nothing."""

from __future__ import annotations

import pytest
from django.contrib import admin

from civicmeet.checkin.models import CheckIn, CheckInRequest, Ticket
from civicmeet.checkin.services import checkin_record
from civicmeet.checkin.tickets import ticket_code, ticket_for
from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data
from civicmeet.events.tests.factories import EventFactory

from .factories import accepted, client_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_in(organiser):
    event = EventFactory(organisers=[organiser])
    registration = accepted(event, organiser, first_name="Олена", last_name="Коваленко")
    code = ticket_code(registration)
    assert code is not None
    result = checkin_record(event=event, client_id=client_id(), actor=organiser, code=code, basis="vaccinated")
    return registration, code, result.checkin


def test_the_checkin_models_are_in_the_admin():
    for model in (Ticket, CheckIn, CheckInRequest):
        assert model in admin.site._registry, model


def test_a_tickets_page_does_not_show_its_code(admin_client, checked_in):
    registration, code, _checkin = checked_in
    ticket = ticket_for(registration)
    assert ticket is not None
    for url in (admin_url(Ticket, "changelist"), admin_url(ticket, "change", ticket.pk)):
        page = admin_client.get(url)
        assert page.status_code == 200
        content = page.content.decode()
        assert ticket.nonce not in content
        assert code.split(".")[2] not in content


def test_a_checkins_page_shows_who_and_when_but_not_the_basis_shown(admin_client, checked_in):
    _registration, _code, checkin = checked_in
    listing = admin_client.get(admin_url(CheckIn, "changelist"), headers={"accept-language": "en"})
    assert listing.status_code == 200
    assert "QR code" in listing.content.decode()
    page = admin_client.get(admin_url(checkin, "change", checkin.pk), headers={"accept-language": "en"})
    content = page.content.decode()
    assert "Checked in at" in content
    assert "Basis shown" not in content and "Vaccinated" not in content
    assert 'name="_save"' not in content


def test_a_desks_request_is_shown(admin_client, checked_in):
    _registration, _code, checkin = checked_in
    request = CheckInRequest.objects.get(checkin=checkin)
    page = admin_client.get(admin_url(request, "change", request.pk))
    assert page.status_code == 200
    assert request.client_id in page.content.decode()


@pytest.mark.parametrize("model", [Ticket, CheckIn, CheckInRequest])
def test_posting_an_edit_add_or_delete_changes_nothing(admin_client, checked_in, model, monkeypatch):
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    data = edit_form_data(admin_client, obj, monkeypatch)
    if model is CheckIn:
        data.update(source=["walk_in"], client_id=["changed"])
    elif model is CheckInRequest:
        data.update(client_id=["changed"], duplicate=["on"])
    assert_writes_refused(admin_client, obj, data)
