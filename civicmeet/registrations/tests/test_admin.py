"""The registrations admin shows registrations; its one action erases through privacy.registration_erase."""

from __future__ import annotations

import pytest

from civicmeet.core.errors import DomainError
from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data, row
from civicmeet.registrations import privacy
from civicmeet.registrations.models import DataPurge, LogEntry, Registration, State
from civicmeet.registrations.services import registration_decide

from .factories import submit

pytestmark = pytest.mark.django_db


def _erase(client, *registrations: Registration, confirmed: bool):
    data = {"action": "erase", "_selected_action": [registration.pk for registration in registrations], "index": 0}
    if confirmed:
        data["post"] = "yes"
    return client.post(admin_url(Registration, "changelist"), data, follow=True, headers={"accept-language": "en"})


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_changelist_and_view_page_show_the_registration_and_its_history(admin_client, event, organiser):
    registration = submit(event, first_name="Oksana")
    registration_decide(registration=registration, decision="accept", actor=organiser)
    listing = admin_client.get(admin_url(Registration, "changelist"))
    assert listing.status_code == 200
    assert registration.email in listing.content.decode()

    page = admin_client.get(admin_url(registration, "change", registration.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Oksana" in content
    assert "registrations.registration.accepted" in content
    assert 'name="email"' not in content
    assert 'name="_save"' not in content
    # The personal link is not shown, not even to administrators.
    assert registration.token not in content


def test_change_add_and_delete_pages_change_no_registration(admin_client, event, monkeypatch):
    registration = submit(event)
    data = edit_form_data(admin_client, registration, monkeypatch)
    data.update(
        email=["someone.else@example.org"],
        first_name=["Changed"],
        anonymised_at_0=["2024-01-01"],
        anonymised_at_1=["12:00:00"],
    )
    log_before = list(LogEntry.objects.filter(registration=registration).values())
    assert_writes_refused(admin_client, registration, data)
    assert list(LogEntry.objects.filter(registration=registration).values()) == log_before


def test_history_inline_cannot_be_posted(admin_client, event, monkeypatch):
    registration = submit(event)
    entry = registration.log.get()
    data = edit_form_data(admin_client, registration, monkeypatch)
    prefix = next(name for name in data if name.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data.update({f"{prefix}-0-message": ["rewritten"], f"{prefix}-0-DELETE": ["on"], f"{prefix}-TOTAL_FORMS": ["2"]})
    data.update({f"{prefix}-1-action": ["invented"], f"{prefix}-1-to_state": ["accepted"]})
    before = row(entry)
    assert admin_client.post(admin_url(registration, "change", registration.pk), data).status_code == 403
    assert row(entry) == before
    assert registration.log.count() == 1


def test_erase_action_asks_first_and_erases_nothing_until_confirmed(admin_client, event):
    registration = submit(event, first_name="Oksana")
    page = _erase(admin_client, registration, confirmed=False)
    assert page.status_code == 200
    assert "Oksana" in page.content.decode()
    assert 'name="post" value="yes"' in page.content.decode()
    assert Registration.objects.get(pk=registration.pk).anonymised_at is None


def test_erase_action_erases_through_the_service(admin_client, admin_user, event, organiser):
    accepted = submit(event, first_name="Oksana")
    registration_decide(registration=accepted, decision="accept", actor=organiser)
    submitted = submit(event)
    response = _erase(admin_client, accepted, submitted, confirmed=True)
    assert _messages(response) == ["The personal data of 2 registrations has been erased. Only the counts remain."]
    for registration in (accepted, submitted):
        registration.refresh_from_db()
        assert registration.anonymised_at is not None
        assert registration.first_name == ""
        # The service cancelled the active registration first, in the administrator's name.
        assert registration.state == State.CANCELLED
        assert registration.log.filter(to_state=State.CANCELLED, actor=admin_user).exists()
    assert DataPurge.objects.filter(kind=DataPurge.Kind.ERASURE, event=event).count() == 2


def test_erase_action_reports_each_refusal_and_erases_the_others(admin_client, event, monkeypatch):
    refused, erased = submit(event), submit(event)
    service = privacy.registration_erase

    def erase(*, registration, **kwargs):
        if registration.pk == refused.pk:
            raise DomainError("Not now.")
        return service(registration=registration, **kwargs)

    monkeypatch.setattr(privacy, "registration_erase", erase)
    response = _erase(admin_client, refused, erased, confirmed=True)
    assert _messages(response) == [
        f"Registration no. {refused.pk}: Not now.",
        "The personal data of 1 registration has been erased. Only the counts remain.",
    ]
    assert Registration.objects.get(pk=refused.pk).anonymised_at is None
    assert Registration.objects.get(pk=erased.pk).anonymised_at is not None


def test_data_purges_are_shown_and_not_changed(admin_client, event, monkeypatch):
    registration = submit(event)
    privacy.registration_erase(registration=registration, actor_kind="organiser")
    purge = DataPurge.objects.get()
    assert admin_client.get(admin_url(DataPurge, "changelist")).status_code == 200
    assert admin_client.get(admin_url(purge, "change", purge.pk)).status_code == 200
    data = edit_form_data(admin_client, purge, monkeypatch)
    data["count"] = ["0"]
    assert_writes_refused(admin_client, purge, data)
