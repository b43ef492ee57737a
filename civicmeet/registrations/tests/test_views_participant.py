from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from civicmeet.core.errors import DomainError
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations import views_participant
from civicmeet.registrations.models import ActorKind, Dietary, LogEntry, Registration, State
from civicmeet.registrations.services import (
    RegistrationClosedError,
    registration_cancel,
    registration_decide,
    registration_update,
)

from .factories import earlier_emails_sent, registration_data, submit
from .test_forms import add_questions, valid_post

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def register_url(event, language="en"):
    with translation.override(language):
        return reverse("registrations:register", kwargs={"slug": event.slug})


def token_url(name, registration, language="en"):
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"token": registration.token})


def html(response) -> str:
    return response.content.decode()


# -- RegisterView: the form ---------------------------------------------------------------------


def test_register_form_renders_every_field_and_custom_question(client, event):
    add_questions(event)
    response = client.get(register_url(event))
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="en">' in page
    assert "csrfmiddlewaretoken" in page
    for name in (
        "first_name",
        "last_name",
        "email",
        "phone",
        "language",
        "organisation_name",
        "organisation_type",
        "organisation_role",
        "dietary",
        "dietary_details",
        "accessibility_needs",
        "interpreting_needs",
        "consent_processing",
        "consent_listing",
    ):
        assert f'name="{name}"' in page, name
    # Custom questions: one field each, of the right kind, labelled in the page language.
    assert '<label for="id_q_topics">Topics to discuss' in page
    assert re.search(r'<textarea name="q_about"', page)
    assert re.search(r'<input type="radio" name="q_workshop" value="grants"[^>]*> Grants', page)
    assert re.search(r'<input type="checkbox" name="q_offers" value="translation"[^>]*> Translation', page)
    assert re.search(r'<input type="radio" name="q_first_time" value="no"[^>]*> No', page)
    # The language of messages defaults to the page's language.
    assert re.search(r'<input type="radio" name="language" value="en"[^>]*checked', page)
    assert "not yet an admission" in page
    assert 'list="known-organisations"' in page
    assert '<datalist id="known-organisations">' in page


def test_register_form_lists_known_organisations_and_joint_controllers(client, event):
    from civicmeet.organisations.services_profile import organisation_publish
    from civicmeet.organisations.tests.profiles_setup import make_moderator

    submit(event, organisation_name="Stowarzyszenie Romów w Polsce", organisation_type="ethnic_minority")
    event.co_organisers.add(*[r.organisation for r in Registration.objects.all()])
    # A typed organisation is a draft (issue 10): the datalist offers it once it is published.
    organisation_publish(organisation=Registration.objects.get().organisation, actor=make_moderator())
    page = html(client.get(register_url(event)))
    assert '<option value="Stowarzyszenie Romów w Polsce">' in page
    assert "Joint controllers of your personal data: Stowarzyszenie Romów w Polsce." in page


def test_ukrainian_page_has_ukrainian_lang_and_title(client, event):
    add_questions(event)
    response = client.get(register_url(event, "uk"))
    page = html(response)
    assert '<html lang="uk">' in page
    assert "Мережева зустріч організацій меншин і мігрантів" in page
    assert "Теми для розмови" in page
    assert re.search(r'<input type="radio" name="language" value="uk"[^>]*checked', page)


def test_register_rejects_other_methods(client, event):
    assert client.put(register_url(event)).status_code == 405


def test_register_unpublished_event_is_404(client):
    event = EventFactory(is_published=False)
    assert client.get(register_url(event)).status_code == 404
    assert client.post(register_url(event), valid_post()).status_code == 404
    assert not Registration.objects.exists()


# -- RegisterView: submitting -------------------------------------------------------------------


def test_register_creates_submitted_registration_and_emails_in_chosen_language(client, event, run_on_commit):
    add_questions(event)
    with run_on_commit(execute=True):
        response = client.post(register_url(event, "pl"), valid_post(language="uk", consent_listing="on"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == token_url("received", registration, "pl")
    assert registration.state == State.SUBMITTED
    assert registration.language == "uk"
    assert registration.consent_processing_at is not None
    assert registration.consent_listing is True
    assert registration.organisation.name == "Fundacja Zustricz"
    assert registration.answers == {
        "topics": "Granty dla organizacji migranckich",
        "workshop": "grants",
        "offers": ["rooms", "translation"],
        "first_time": True,
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["olena@example.org"]
    assert "Мережева зустріч" in message.subject
    assert registration.token in message.body


INVALID_INPUTS = [
    pytest.param({"first_name": ""}, "first_name", id="missing-first-name"),
    pytest.param({"last_name": "  "}, "last_name", id="missing-last-name"),
    pytest.param({"email": "olena(at)example.org"}, "email", id="bad-email"),
    pytest.param({"phone": "600 123 456"}, "phone", id="phone-not-international"),
    pytest.param({"phone": "+48 1"}, "phone", id="phone-invalid"),
    pytest.param({"dietary": Dietary.OTHER, "dietary_details": ""}, "dietary_details", id="other-diet-no-details"),
    pytest.param({"q_topics": ""}, "q_topics", id="required-short-text"),
    pytest.param({"q_workshop": None}, "q_workshop", id="required-single-choice"),
    pytest.param({"q_offers": None}, "q_offers", id="required-multiple-choice"),
    pytest.param({"q_first_time": None}, "q_first_time", id="required-yes-no"),
    pytest.param({"consent_processing": None}, "consent_processing", id="consent-missing"),
    pytest.param({"first_name": "O" * 101}, "first_name", id="oversized-name"),
    pytest.param({"accessibility_needs": "x" * 1001}, "accessibility_needs", id="oversized-needs"),
    pytest.param({"q_about": "x" * 3001}, "q_about", id="oversized-answer"),
]


@pytest.mark.parametrize(("overrides", "field"), INVALID_INPUTS)
def test_invalid_input_comes_back_filled_in_with_error_next_to_field(client, event, overrides, field):
    add_questions(event)
    response = client.post(register_url(event), valid_post(organisation_role="Prezeska zarządu", **overrides))
    assert response.status_code == 200
    assert not Registration.objects.exists()
    page = html(response)
    form = response.context["form"]
    assert list(form.errors) == [field]
    # The error sits next to the field and is announced with it.
    assert f'<ul class="errorlist" id="id_{field}_error">' in page
    is_group = field in ("q_workshop", "q_offers", "q_first_time")
    if is_group:
        assert f'<fieldset id="id_{field}" aria-describedby="id_{field}_error">' in page
    else:
        tag = re.search(rf'<(input|textarea)[^>]*id="id_{field}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag
        assert f"id_{field}_error" in tag
    # The summary at the top links to the field.
    anchor = f"id_{field}_0" if is_group else f"id_{field}"
    assert f'<a href="#{anchor}">' in page
    # Everything else typed is still there.
    assert 'value="Prezeska zarządu"' in page
    assert 'value="Fundacja Zustricz"' in page
    if field != "email":
        assert 'value="olena@example.org"' in page


def test_html_typed_is_escaped_on_received_and_personal_pages(client, event):
    add_questions(event)
    response = client.post(
        register_url(event),
        valid_post(
            first_name=SCRIPT,
            last_name="<b>Kowalenko</b>",
            organisation_name=f"Fundacja {SCRIPT}",
            accessibility_needs=SCRIPT,
            q_topics=SCRIPT,
        ),
        follow=True,
    )
    received = html(response)
    assert response.status_code == 200
    assert SCRIPT not in received
    assert ESCAPED_SCRIPT in received
    registration = Registration.objects.get()
    personal = html(client.get(token_url("personal", registration)))
    assert SCRIPT not in personal
    assert "<b>Kowalenko</b>" not in personal
    assert personal.count(ESCAPED_SCRIPT) >= 4  # name, organisation, needs, answer


def test_same_email_again_creates_nothing_and_resends_link(client, event, run_on_commit):
    with run_on_commit(execute=True):
        existing = submit(event, email="olena@example.org")
    with run_on_commit(execute=True):
        response = client.post(register_url(event), valid_post(email="OLENA@example.org", first_name="Inna"))
    assert response.status_code == 200
    page = html(response)
    assert "You are already registered" in page
    assert "We have emailed your personal link to OLENA@example.org again" in page
    assert Registration.objects.get() == existing
    assert Registration.objects.get().first_name == "Olena"
    assert len(mail.outbox) == 2
    assert existing.token in mail.outbox[1].body
    assert existing.token not in page  # whoever knows an email address must not get the link


@pytest.mark.parametrize("end_state", ["cancelled", "rejected"])
def test_cancelled_or_rejected_person_is_pointed_to_personal_page(client, event, organiser, run_on_commit, end_state):
    existing = submit(event, email="olena@example.org")
    if end_state == "cancelled":
        registration_cancel(registration=existing, actor_kind=ActorKind.PARTICIPANT)
    else:
        registration_decide(registration=existing, decision="reject", actor=organiser)
    earlier_emails_sent()
    with run_on_commit(execute=True):
        response = client.post(register_url(event), valid_post(email="olena@example.org"))
    page = html(response)
    assert response.status_code == 200
    assert "no longer active" in page
    assert "personal page" in page
    assert Registration.objects.count() == 1
    assert Registration.objects.get().state == end_state
    assert len(mail.outbox) == 1
    assert existing.token in mail.outbox[0].body


@pytest.mark.parametrize(
    ("opens", "closes", "text"),
    [
        (timedelta(days=-10), timedelta(minutes=-1), "Registration for this meeting is closed."),
        (timedelta(days=1), timedelta(days=5), "Registration for this meeting is not open yet."),
    ],
)
def test_registration_window_not_open_shows_notice_instead_of_form(client, opens, closes, text):
    now = timezone.now()
    event = EventFactory(registration_opens_at=now + opens, registration_closes_at=now + closes)
    response = client.get(register_url(event))
    assert response.status_code == 200
    assert text in html(response)
    assert 'name="first_name"' not in html(response)

    response = client.post(register_url(event), valid_post())
    assert response.status_code == 409
    assert text in html(response)
    assert "Nothing was saved." in html(response)
    assert not Registration.objects.exists()


def test_window_closing_during_submit_is_refused_cleanly(client, event, monkeypatch):
    # The view saw an open window; the service decides at the moment of saving.
    def closed(**kwargs):
        raise RegistrationClosedError("Registration for this event is not open.")

    monkeypatch.setattr(views_participant, "registration_submit", closed)
    response = client.post(register_url(event), valid_post())
    assert response.status_code == 409
    assert "Registration for this event is not open." in html(response)
    assert "Nothing was saved." in html(response)
    assert not Registration.objects.exists()


def test_other_domain_error_is_shown_above_the_filled_in_form(client, event, monkeypatch):
    def refuse(**kwargs):
        raise DomainError("The organisers have paused registration.")

    monkeypatch.setattr(views_participant, "registration_submit", refuse)
    response = client.post(register_url(event), valid_post(organisation_role="Prezeska"))
    page = html(response)
    assert response.status_code == 200
    assert re.search(r'<div class="[^"]*error-summary[^"]*" role="alert" id="error-summary"', page)
    assert "<li>The organisers have paused registration.</li>" in page
    assert 'value="Prezeska"' in page


def test_register_enforces_csrf(event):
    client = Client(enforce_csrf_checks=True)
    assert client.post(register_url(event), valid_post()).status_code == 403
    assert not Registration.objects.exists()
    client.get(register_url(event))
    token = client.cookies["csrftoken"].value
    response = client.post(register_url(event), {**valid_post(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Registration.objects.count() == 1


# -- ReceivedView -------------------------------------------------------------------------------


def test_received_page_says_not_yet_admitted_and_shows_personal_link(client, event):
    registration = submit(event, email="olena@example.org")
    response = client.get(token_url("received", registration))
    page = html(response)
    assert response.status_code == 200
    assert "This is not yet an admission." in page
    assert f"http://testserver{token_url('personal', registration)}" in page
    assert "Bookmark" in page
    assert "We have sent an email to olena@example.org" in page
    assert response.headers["Referrer-Policy"] == "strict-origin"
    assert '<meta name="robots" content="noindex">' in page


def test_received_page_unknown_token_is_404(client, event):
    submit(event)
    assert client.get(reverse("registrations:received", kwargs={"token": "nope"})).status_code == 404


# -- PersonalView -------------------------------------------------------------------------------


def test_personal_page_shows_state_history_and_answers(client, event, organiser, django_assert_max_num_queries):
    event.timezone = "Asia/Tokyo"
    event.save()
    add_questions(event)
    registration = submit(
        event, answers={"topics": "granty", "workshop": "media", "offers": ["rooms"], "first_time": False}
    )
    registration_decide(registration=registration, decision="waitlist", actor=organiser, message="Mamy 40 miejsc.")
    with django_assert_max_num_queries(6):
        response = client.get(token_url("personal", registration))
    page = html(response)
    assert response.status_code == 200
    assert "You are on the waiting list." in page
    assert "Registration submitted" in page
    assert "Moved to the waiting list" in page
    assert "Mamy 40 miejsc." in page
    assert '<td data-label="Who">you</td>' in page
    assert '<td data-label="Who">the organisers</td>' in page
    # Times in the event's time zone.
    entry = LogEntry.objects.filter(registration=registration).last()
    with translation.override("en"):
        expected = date_format(timezone.localtime(entry.created_at, event.tz), "DATETIME_FORMAT")
    assert expected in page
    assert "+09:00" in page
    # Answers in the page language.
    assert "<dt>Workshop</dt><dd>Media</dd>" in page
    assert "<dt>Your first time?</dt><dd>No</dd>" in page
    assert "<dt>What we can offer</dt><dd>Rooms</dd>" in page
    # Headers and robots.
    assert response.headers["Referrer-Policy"] == "strict-origin"
    assert '<meta name="robots" content="noindex">' in page


def test_personal_page_offers_edit_and_cancel_while_allowed(client, event):
    registration = submit(event)
    page = html(client.get(token_url("personal", registration)))
    assert token_url("edit", registration) in page
    assert token_url("cancel", registration) in page
    assert "not yet an admission" in page


def test_personal_page_hides_edit_after_deadline_but_keeps_cancel(client, event):
    registration = submit(event)
    with time_machine.travel(event.registration_closes_at + timedelta(minutes=1), tick=False):
        page = html(client.get(token_url("personal", registration)))
    assert token_url("edit", registration) not in page
    assert token_url("cancel", registration) in page


def test_personal_page_of_cancelled_registration_offers_nothing(client, event):
    registration = registration_cancel(registration=submit(event))
    page = html(client.get(token_url("personal", registration)))
    assert "This registration has been cancelled." in page
    assert token_url("edit", registration) not in page
    assert token_url("cancel", registration) not in page


def test_personal_page_does_not_show_organiser_edit_field_list(client, event, organiser):
    registration = submit(event)
    registration_update(
        registration=registration,
        data=registration_data(email=registration.email, first_name="Ola", interpreting_needs="PJM"),
        actor_kind=ActorKind.ORGANISER,
        actor=organiser,
    )
    page = html(client.get(token_url("personal", registration)))
    assert "Answers changed" in page
    assert "interpreting_needs" not in page


@pytest.mark.parametrize("token", ["wrong-token", "x" * 200])
def test_personal_page_wrong_token_is_404(client, event, token):
    submit(event)
    assert client.get(reverse("registrations:personal", kwargs={"token": token})).status_code == 404


def test_personal_page_rejects_post(client, event):
    registration = submit(event)
    assert client.post(token_url("personal", registration)).status_code == 405


# -- EditView -----------------------------------------------------------------------------------


def test_edit_form_is_prefilled_with_email_not_editable(client, event):
    add_questions(event)
    registration = submit(
        event, answers={"topics": "granty", "workshop": "media", "offers": ["rooms"], "first_time": True}
    )
    response = client.get(token_url("edit", registration))
    page = html(response)
    assert response.status_code == 200
    assert f'value="{registration.last_name}"' in page
    assert re.search(r'<input type="email" name="email"[^>]*disabled', page)
    assert re.search(r'<input type="radio" name="q_workshop" value="media"[^>]*checked', page)
    assert 'name="consent_processing"' not in page
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_edit_saves_changes_until_deadline(client, event):
    registration = submit(event, email="olena@example.org")
    response = client.post(
        token_url("edit", registration),
        valid_post(email="other@example.org", first_name="Ola", dietary=Dietary.KOSHER, consent_processing=None),
        follow=True,
    )
    assert response.redirect_chain == [(token_url("personal", registration), 302)]
    assert "Your changes have been saved." in html(response)
    registration.refresh_from_db()
    assert registration.first_name == "Ola"
    assert registration.dietary == Dietary.KOSHER
    assert registration.email == "olena@example.org"
    assert registration.log.filter(action="registrations.registration.edited").exists()


def test_edit_with_invalid_input_comes_back_filled_in(client, event):
    registration = submit(event)
    response = client.post(token_url("edit", registration), valid_post(phone="12345", organisation_role="Skarbnik"))
    page = html(response)
    assert response.status_code == 200
    assert '<ul class="errorlist" id="id_phone_error">' in page
    assert 'value="Skarbnik"' in page
    registration.refresh_from_db()
    assert registration.organisation_role == "Koordynatorka"


def test_edit_refused_after_deadline(client, event):
    registration = submit(event)
    with time_machine.travel(event.registration_closes_at + timedelta(minutes=1), tick=False):
        get = client.get(token_url("edit", registration))
        post = client.post(token_url("edit", registration), valid_post(first_name="Ola"))
    assert get.status_code == 200
    assert "The registration deadline has passed" in html(get)
    assert 'name="first_name"' not in html(get)
    assert post.status_code == 409
    assert "The registration deadline has passed" in html(post)
    registration.refresh_from_db()
    assert registration.first_name == "Olena"


def test_edit_refused_for_cancelled_registration(client, event):
    registration = registration_cancel(registration=submit(event))
    response = client.post(token_url("edit", registration), valid_post(first_name="Ola"))
    assert response.status_code == 409
    assert "This registration can no longer be changed." in html(response)
    registration.refresh_from_db()
    assert registration.first_name == "Olena"


def test_edit_wrong_token_is_404(client, event):
    assert client.get(reverse("registrations:edit", kwargs={"token": "nope"})).status_code == 404


# -- CancelView ---------------------------------------------------------------------------------


def test_cancel_get_asks_for_confirmation_and_changes_nothing(client, event):
    registration = submit(event)
    response = client.get(token_url("cancel", registration))
    page = html(response)
    assert response.status_code == 200
    assert "Yes, cancel my registration" in page
    assert f'action="{token_url("cancel", registration)}"' in page or '<form method="post">' in page
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
    assert response.headers["Referrer-Policy"] == "strict-origin"


def test_cancel_post_cancels_and_returns_to_personal_page(client, event, run_on_commit):
    registration = submit(event)
    earlier_emails_sent()
    with run_on_commit(execute=True):
        response = client.post(token_url("cancel", registration), follow=True)
    assert response.redirect_chain == [(token_url("personal", registration), 302)]
    assert "Your registration has been cancelled." in html(response)
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    entry = registration.log.last()
    assert (entry.to_state, entry.actor_kind) == (State.CANCELLED, ActorKind.PARTICIPANT)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [registration.email]


def test_cancel_twice_shows_message_not_error(client, event):
    registration = registration_cancel(registration=submit(event))
    page = html(client.get(token_url("cancel", registration)))
    assert "This registration cannot be cancelled" in page
    response = client.post(token_url("cancel", registration), follow=True)
    assert response.status_code == 200
    assert "already in the state" in html(response)
    assert registration.log.filter(to_state=State.CANCELLED).count() == 1


def test_cancel_wrong_token_is_404(client, event):
    assert client.post(reverse("registrations:cancel", kwargs={"token": "nope"})).status_code == 404


def test_cancel_enforces_csrf(event):
    registration = submit(event)
    client = Client(enforce_csrf_checks=True)
    assert client.post(token_url("cancel", registration)).status_code == 403
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED


def test_register_is_rate_limited_per_address(client, event, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_REGISTRATION = "2/m"
    cache.clear()
    try:
        statuses = [
            client.post(register_url(event), valid_post(email=f"p{n}@example.org")).status_code for n in range(3)
        ]
        # Reading the form is never limited.
        assert client.get(register_url(event)).status_code == 200
    finally:
        cache.clear()
    # 429 once django_ratelimit's RatelimitMiddleware (which serves RATELIMIT_VIEW) is in MIDDLEWARE;
    # without it the Ratelimited exception becomes a plain 403.
    assert statuses[:2] == [302, 302]
    assert statuses[2] in (403, 429)
    assert Registration.objects.count() == 2
