"""The outbox admin shows emails; sending one again goes through notifications.services.email_retry."""

from __future__ import annotations

import pytest

from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data
from civicmeet.notifications.models import EmailStatus, OutgoingEmail

pytestmark = pytest.mark.django_db


def _email(status: str, to: str = "olena@example.org") -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        kind="test", to=to, language="en", subject="Your registration", body_text="Hello", status=status
    )


def _retry(client, *emails: OutgoingEmail):
    data = {"action": "retry_now", "_selected_action": [email.pk for email in emails], "index": 0}
    return client.post(admin_url(OutgoingEmail, "changelist"), data, follow=True, headers={"accept-language": "en"})


def test_changelist_and_view_page_show_the_email(admin_client):
    email = _email(EmailStatus.SENT)
    listing = admin_client.get(admin_url(OutgoingEmail, "changelist"))
    assert listing.status_code == 200
    assert "olena@example.org" in listing.content.decode()
    page = admin_client.get(admin_url(email, "change", email.pk))
    assert page.status_code == 200
    assert "Your registration" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_change_add_and_delete_pages_change_no_email(admin_client, monkeypatch):
    email = _email(EmailStatus.GAVE_UP)
    data = edit_form_data(admin_client, email, monkeypatch)
    data.update(status=[EmailStatus.PENDING], to=["someone.else@example.org"], attempts=["0"])
    assert_writes_refused(admin_client, email, data)


def test_retry_action_sends_failed_emails_again_through_the_service(admin_client, monkeypatch):
    from civicmeet.notifications import tasks

    monkeypatch.setattr(tasks, "send_after_commit", lambda: None)  # the test sends nothing
    failed, sent = _email(EmailStatus.GAVE_UP), _email(EmailStatus.SENT, to="anna@example.org")
    response = _retry(admin_client, failed, sent)
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [
        "anna@example.org: Only emails that failed can be sent again.",
        "1 email queued to be sent again.",
    ]
    assert OutgoingEmail.objects.get(pk=failed.pk).status == EmailStatus.PENDING
    assert OutgoingEmail.objects.get(pk=sent.pk).status == EmailStatus.SENT
