"""Privacy pages: the notice, the participant's and the organisers' access and erasure, the overview."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civicmeet.events.tests.factories import EventFactory, OrganisationFactory
from civicmeet.registrations import privacy
from civicmeet.registrations.models import ActorKind, DataPurge, Registration, State
from civicmeet.registrations.services import registration_decide

from .factories import submit
from .test_privacy import does_not_meet, meets, safety_event, with_declarations

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def event_url(name: str, event, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"slug": event.slug, **kwargs})


def token_url(name: str, token: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"token": token})


def html(response) -> str:
    return response.content.decode()


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def registration(event):
    return submit(event, first_name="Олена", last_name="Коваленко", email="olena@example.org")


# -- The privacy notice ----------------------------------------------------------------------------


def test_notice_names_the_joint_controllers_retention_and_rights(client, organiser):
    event = safety_event(organiser, health_data_retention_days=10, personal_data_retention_days=90)
    event.co_organisers.set([OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Czulent")])
    page = html(client.get(event_url("privacy_notice", event)))
    assert "Fundacja Zustricz" in page and "Czulent" in page
    assert "joint controllers" in page
    assert "deleted 10 days after the meeting ends" in page
    assert "anonymised 90 days after the meeting ends" in page
    assert "Erasure" in page and "download everything stored about you" in page
    assert "personal link" in page
    # The organisers' own text is absent, so the default text is shown.
    assert "The organisers process your personal data to run this meeting" in page


def test_notice_shows_the_organisers_text_in_the_page_language_escaped(client, event):
    event.privacy_notice = {"pl": "Administratorzy danych: Fundacja", "en": f"Controllers: the Foundation {SCRIPT}"}
    event.save()
    page = html(client.get(event_url("privacy_notice", event, "pl")))
    assert "Administratorzy danych: Fundacja" in page and "the Foundation" not in page
    page = html(client.get(event_url("privacy_notice", event, "en")))
    assert ESCAPED_SCRIPT in page and SCRIPT not in page
    assert "The organisers process your personal data" not in page


def test_notice_of_an_event_without_safety_rule_does_not_mention_health_data(client, event):
    page = html(client.get(event_url("privacy_notice", event)))
    assert "health declaration" not in page


def test_notice_of_unpublished_event_is_404_except_for_its_organisers(client, organiser, outsider):
    event = EventFactory(organisers=[organiser], is_published=False)
    assert client.get(event_url("privacy_notice", event)).status_code == 404
    client.force_login(outsider)
    assert client.get(event_url("privacy_notice", event)).status_code == 404
    client.force_login(organiser)
    assert client.get(event_url("privacy_notice", event)).status_code == 200


def test_notice_rejects_post(client, event):
    assert client.post(event_url("privacy_notice", event)).status_code == 405


# -- The participant: download and erase -----------------------------------------------------------


def test_participant_downloads_their_data_as_a_private_json_attachment(client, registration):
    response = client.get(token_url("personal_data", registration.token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "strict-origin"
    data = json.loads(response.content)
    assert data["person"]["first_name"] == "Олена"
    assert data["person"]["email"] == "olena@example.org"
    assert "Олена" in response.content.decode()  # readable UTF-8, not \u escapes


@pytest.mark.parametrize("token", ["not-a-token", "x" * 65])
def test_participant_data_with_unknown_token_is_404(client, registration, token):
    assert client.get(token_url("personal_data", token)).status_code == 404
    assert client.get(token_url("erase", token)).status_code == 404
    assert client.post(token_url("erase", token)).status_code == 404


def test_participant_data_rejects_post(client, registration):
    assert client.post(token_url("personal_data", registration.token)).status_code == 405


def test_participant_json_holds_no_health_data_of_another_person(client, organiser):
    event = safety_event(organiser)
    submit(event, safety=does_not_meet(event), consent_health=True, last_name="Другий")
    person = submit(event, safety=meets(event), consent_health=True)
    content = client.get(token_url("personal_data", person.token)).content.decode()
    assert "recovered" not in content and "Другий" not in content
    assert json.loads(content)["health_declaration"]["basis"] == "vaccinated"


def test_erase_page_asks_for_confirmation_and_changes_nothing(client, registration):
    response = client.get(token_url("erase", registration.token))
    assert response.status_code == 200
    page = html(response)
    assert "csrfmiddlewaretoken" in page and 'method="post"' in page
    assert "cannot be undone" in page
    assert response["Referrer-Policy"] == "strict-origin"
    registration.refresh_from_db()
    assert registration.anonymised_at is None


def test_erase_post_erases_and_the_old_link_stops_working(client, organiser, event, registration, run_on_commit):
    registration_decide(registration=registration, decision="accept", actor=organiser)
    mail.outbox.clear()
    with run_on_commit(execute=True):
        response = client.post(token_url("erase", registration.token))
    assert response.status_code == 200
    assert "Your data has been erased" in html(response)
    assert mail.outbox == []
    erased = Registration.objects.get(pk=registration.pk)
    assert erased.state == State.CANCELLED and erased.anonymised_at is not None and erased.first_name == ""
    for name in ("personal", "personal_data", "erase", "edit", "cancel"):
        assert client.get(token_url(name, registration.token)).status_code == 404, name
    assert DataPurge.objects.get(kind=DataPurge.Kind.ERASURE).stats["requested_by"] == ActorKind.PARTICIPANT


def test_erase_needs_the_csrf_token(registration):
    client = Client(enforce_csrf_checks=True)
    assert client.post(token_url("erase", registration.token)).status_code == 403
    registration.refresh_from_db()
    assert registration.anonymised_at is None


def test_erase_page_escapes_the_event_title(client, event, registration):
    event.title = {"en": SCRIPT}
    event.save()
    page = html(client.get(token_url("erase", registration.token)))
    assert ESCAPED_SCRIPT in page and SCRIPT not in page


# -- The organisers: access, team, methods ---------------------------------------------------------


def _organiser_urls(event, registration):
    return [
        event_url("organiser_data", event, pk=registration.pk),
        event_url("organiser_erase", event, pk=registration.pk),
        event_url("data_protection", event),
    ]


def test_anonymous_is_sent_to_login(client, event, registration):
    for address in _organiser_urls(event, registration):
        for method in (client.get, client.post):
            response = method(address, {"confirm": "yes"})
            assert response.status_code == 302, address
            assert "/accounts/login/" in response["Location"]
    assert Registration.objects.get(pk=registration.pk).anonymised_at is None


def test_outsider_gets_404(client, outsider, event, registration):
    client.force_login(outsider)
    for address in _organiser_urls(event, registration):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"confirm": "yes"}).status_code == 404, address
    assert Registration.objects.get(pk=registration.pk).anonymised_at is None


def test_registration_of_another_event_is_404(org_client, organiser, event):
    other = submit(EventFactory(organisers=[organiser]))
    assert org_client.get(event_url("organiser_data", event, pk=other.pk)).status_code == 404
    assert org_client.post(event_url("organiser_erase", event, pk=other.pk), {"confirm": "yes"}).status_code == 404
    assert Registration.objects.get(pk=other.pk).anonymised_at is None


def test_organiser_downloads_a_persons_data(org_client, event, registration):
    response = org_client.get(event_url("organiser_data", event, pk=registration.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-registration-{registration.pk}.json"'
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["person"]["email"] == "olena@example.org"


def test_organiser_erase_rejects_get(org_client, event, registration):
    assert org_client.get(event_url("organiser_erase", event, pk=registration.pk)).status_code == 405


def test_organiser_erase_asks_for_confirmation_first(org_client, event, registration):
    response = org_client.post(event_url("organiser_erase", event, pk=registration.pk))
    assert response.status_code == 200
    page = html(response)
    assert "Олена Коваленко" in page and 'name="confirm" value="yes"' in page
    assert Registration.objects.get(pk=registration.pk).anonymised_at is None


def test_organiser_erase_confirmation_escapes_the_name(org_client, event):
    registration = submit(event, first_name=SCRIPT)
    page = html(org_client.post(event_url("organiser_erase", event, pk=registration.pk)))
    assert ESCAPED_SCRIPT in page and SCRIPT not in page


def test_organiser_erase_confirmed_erases_and_returns_to_the_dashboard(org_client, organiser, event, registration):
    response = org_client.post(event_url("organiser_erase", event, pk=registration.pk), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == event_url("dashboard", event)
    assert any("has been erased" in text for text in flashes(response))
    erased = Registration.objects.get(pk=registration.pk)
    assert erased.anonymised_at is not None and erased.state == State.CANCELLED
    cancel = erased.log.get(to_state=State.CANCELLED)
    assert (cancel.actor_kind, cancel.actor) == (ActorKind.ORGANISER, organiser)
    # A second request finds it already done.
    response = org_client.post(event_url("organiser_erase", event, pk=registration.pk), {"confirm": "yes"})
    assert any("already been anonymised" in text for text in flashes(response))
    assert DataPurge.objects.count() == 1


def test_organiser_erase_needs_the_csrf_token(organiser, event, registration):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)
    assert client.post(event_url("organiser_erase", event, pk=registration.pk), {"confirm": "yes"}).status_code == 403
    assert Registration.objects.get(pk=registration.pk).anonymised_at is None


# -- The organisers' data-protection page ----------------------------------------------------------


def test_data_protection_page_shows_retention_declarations_and_purges(org_client, organiser):
    event = safety_event(organiser, health_data_retention_days=7)
    with_declarations(event)
    page = html(org_client.get(event_url("data_protection", event)))
    assert "Deleted 7 days after the event ends" in page
    assert 'id="declarations-stored">2' in page
    assert "Nothing has been purged or erased yet" in page

    privacy.health_data_purge(now=event.ends_at + timedelta(days=7))
    page = html(org_client.get(event_url("data_protection", event)))
    assert 'id="declarations-stored">0' in page
    assert "Health declarations" in page
    assert "Meets the safety rule: 1" in page and "Health declarations deleted: 2" in page


def test_data_protection_page_lists_erasures_with_readable_counts(org_client, event, registration):
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    page = html(org_client.get(event_url("data_protection", event)))
    assert "Erasure on request" in page
    assert "Status before the erasure: Submitted" in page
    assert "By language: Українська: 1" in page or "By language: Ukrainian: 1" in page
    assert 'id="not-anonymised">0' in page


def test_data_protection_page_queries_do_not_grow_with_purges(org_client, event, django_assert_max_num_queries):
    for _ in range(5):
        privacy.registration_erase(registration=submit(event), actor_kind=ActorKind.PARTICIPANT)
    with django_assert_max_num_queries(12):
        response = org_client.get(event_url("data_protection", event))
    assert html(response).count("Erasure on request") == 5


# -- The partials ----------------------------------------------------------------------------------


def test_participant_partial_links_to_download_and_erase(event, registration):
    with translation.override("en"):
        page = render_to_string(
            "registrations/participant/_privacy_actions.html", {"registration": registration, "event": event}
        )
    assert token_url("personal_data", registration.token) in page
    assert token_url("erase", registration.token) in page
    assert "Download my data (JSON)" in page and "Erase my registration" in page


def test_manage_partial_offers_download_and_erase_form(rf, organiser, event, registration):
    request = rf.get("/")
    request.user = organiser
    with translation.override("en"):
        page = render_to_string(
            "registrations/manage/_privacy_actions.html",
            {"registration": registration, "event": event},
            request=request,
        )
    assert event_url("organiser_data", event, pk=registration.pk) in page
    assert f'action="{event_url("organiser_erase", event, pk=registration.pk)}"' in page
    assert "csrfmiddlewaretoken" in page
    assert "Erase this person's data (on their request)" in page


def test_personal_page_offers_download_and_erase(client, registration):
    page = html(client.get(token_url("personal", registration.token)))
    assert token_url("personal_data", registration.token) in page
    assert token_url("erase", registration.token) in page


def test_detail_page_offers_download_and_erase_then_shows_the_anonymisation(org_client, event, registration):
    detail = event_url("detail", event, pk=registration.pk)
    page = html(org_client.get(detail))
    assert event_url("organiser_data", event, pk=registration.pk) in page
    assert f'action="{event_url("organiser_erase", event, pk=registration.pk)}"' in page
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.ORGANISER)
    page = html(org_client.get(detail))
    assert "This registration was anonymised on" in page
    assert "Олена" not in page and "olena@example.org" not in page


def test_an_erased_registration_is_named_as_anonymised_for_organisers(org_client, event, registration):
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    detail = html(org_client.get(event_url("detail", event, pk=registration.pk)))
    dashboard = html(org_client.get(event_url("dashboard", event)))
    label = f"Anonymised registration no. {registration.pk}"
    assert f"<h1>{label}</h1>" in detail
    assert label in dashboard
