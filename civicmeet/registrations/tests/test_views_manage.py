from __future__ import annotations

import zoneinfo

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.events.services import questions_replace
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.registrations.models import ActorKind, Dietary, Registration, Role, State
from civicmeet.registrations.services import guest_add, registration_decide

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db


def url(name: str, event, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"slug": event.slug, **kwargs})


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def registration(event):
    return submit(event, first_name="Олена", last_name="Коваленко", email="olena@example.org")


# -- Access: login, team, methods ---------------------------------------------------------------

GET_VIEWS = ["dashboard", "guest_add", "catering", "export_csv", "export_xlsx", "outbox"]
POST_ONLY_VIEWS_WITH_PK = ["decide", "organiser_cancel", "undo"]


def _all_urls(event, registration):
    urls = [url(name, event) for name in [*GET_VIEWS, "bulk_decide", "bulk_confirm"]]
    urls += [url(name, event, pk=registration.pk) for name in ["detail", *POST_ONLY_VIEWS_WITH_PK]]
    return urls


def test_anonymous_is_sent_to_login_everywhere(client, event, registration):
    for address in _all_urls(event, registration):
        for method in (client.get, client.post):
            response = method(address)
            assert response.status_code == 302, address
            assert "/accounts/login/" in response["Location"], address
    assert Registration.objects.get(pk=registration.pk).state == State.SUBMITTED


def test_outsider_gets_404_everywhere(client, outsider, event, registration):
    client.force_login(outsider)
    for address in _all_urls(event, registration):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"decision": "accept", "registrations": [registration.pk]}).status_code == 404
    assert Registration.objects.get(pk=registration.pk).state == State.SUBMITTED


@pytest.mark.parametrize("name", POST_ONLY_VIEWS_WITH_PK)
def test_post_only_views_reject_get(org_client, event, registration, name):
    assert org_client.get(url(name, event, pk=registration.pk)).status_code == 405


@pytest.mark.parametrize("name", ["bulk_decide", "bulk_confirm"])
def test_bulk_views_reject_get(org_client, event, name):
    assert org_client.get(url(name, event)).status_code == 405


def test_registration_of_another_event_is_404_through_our_event(org_client, organiser, event):
    other_event = EventFactory(organisers=[organiser])
    foreign = submit(other_event)
    assert org_client.get(url("detail", event, pk=foreign.pk)).status_code == 404
    assert org_client.post(url("decide", event, pk=foreign.pk), {"decision": "accept"}).status_code == 404
    assert org_client.post(url("organiser_cancel", event, pk=foreign.pk)).status_code == 404
    assert Registration.objects.get(pk=foreign.pk).state == State.SUBMITTED


# -- Dashboard ----------------------------------------------------------------------------------


def test_dashboard_shows_counts_seats_left_and_guests(org_client, organiser, event):
    event.capacity = 10
    event.save()
    accepted = [submit(event) for _ in range(3)]
    for registration in accepted:
        registration_decide(registration=registration, decision="accept", actor=organiser)
    registration_decide(registration=submit(event), decision="reject", actor=organiser)
    submit(event)
    guest_add(event=event, data=registration_data(email="guest@krakow.example"), actor=organiser)

    response = org_client.get(url("dashboard", event))

    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts.by_state[State.ACCEPTED] == 3
    assert counts.by_state[State.SUBMITTED] == 1
    assert counts.by_state[State.REJECTED] == 1
    assert counts.seats_left == 7  # the guest takes no seat
    assert counts.guests == 1
    html = response.content.decode()
    assert 'class="badge badge-success" data-status="accepted"' in html
    assert "<strong>7</strong> seats left of 10" in html
    assert 'aria-current="page"' in html  # the shared event navigation marks this page


def test_dashboard_counts_a_seat_offered_to_the_waiting_list_as_not_left(org_client, organiser, event):
    from civicmeet.registrations.offers import offer_make

    event.capacity = 2
    event.save()
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    waiting = registration_decide(registration=submit(event), decision="waitlist", actor=organiser)
    offer_make(registration=waiting, actor=organiser)
    html = org_client.get(url("dashboard", event)).content.decode()
    assert "<strong>0</strong> seats left of 2" in html
    assert "1 seat held by an offer to the waiting list" in html


def test_dashboard_rows_link_to_detail_and_escape_user_text(org_client, event):
    registration = submit(event, first_name="<script>alert(1)</script>", last_name="Nowak")
    html = org_client.get(url("dashboard", event)).content.decode()
    assert url("detail", event, pk=registration.pk) in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'name="registrations" value="{registration.pk}"' in html


def test_dashboard_search_is_case_insensitive_over_name_email_and_organisation(org_client, event):
    olena = submit(event, first_name="Olena", last_name="Shevchenko", organisation_name="Fundacja Zustricz")
    jan = submit(
        event, first_name="Jan", last_name="Kowalski", email="jan@czulent.example", organisation_name="Czulent"
    )

    def found(query):
        response = org_client.get(url("dashboard", event), {"q": query})
        return {r.pk for r in response.context["page_obj"]}

    assert found("shevCHENKO") == {olena.pk}
    assert found("CZULENT.example") == {jan.pk}
    assert found("zustricz") == {olena.pk}
    assert found("olena zustricz") == {olena.pk}
    assert found("nobody") == set()


def test_dashboard_filters_and_keeps_their_values(org_client, organiser, event):
    vegan = submit(
        event, dietary=Dietary.VEGAN, language="pl", organisation_name="Czulent", organisation_type="ethnic_minority"
    )
    other = submit(event, dietary=Dietary.KOSHER, language="uk")
    registration_decide(registration=other, decision="waitlist", actor=organiser)

    def found(**params):
        response = org_client.get(url("dashboard", event), params)
        return response, {r.pk for r in response.context["page_obj"]}

    response, pks = found(dietary="vegan")
    assert pks == {vegan.pk}
    assert '<option value="vegan" selected>' in response.content.decode()
    assert found(state="waitlisted")[1] == {other.pk}
    assert found(language="uk")[1] == {other.pk}
    assert found(organisation_type="ethnic_minority")[1] == {vegan.pk}
    assert found(organisation=vegan.organisation_id)[1] == {vegan.pk}
    # An edited URL with nonsense values is ignored, never a 500.
    response, pks = found(state="bogus", organisation="x")
    assert response.status_code == 200
    assert pks == {vegan.pk, other.pk}


def test_dashboard_export_links_carry_the_filters(org_client, event):
    submit(event)
    html = org_client.get(url("dashboard", event), {"state": "submitted", "page": "1"}).content.decode()
    assert url("export_csv", event) + "?state=submitted" in html
    assert url("export_xlsx", event) + "?state=submitted" in html


def test_dashboard_paginates_by_50(org_client, event):
    for _ in range(51):
        submit(event)
    first = org_client.get(url("dashboard", event))
    assert len(first.context["page_obj"]) == 50
    second = org_client.get(url("dashboard", event), {"page": 2})
    assert len(second.context["page_obj"]) == 1
    assert "page=2" in first.content.decode()


def test_dashboard_query_count_does_not_grow_with_rows(org_client, organiser, event, django_assert_max_num_queries):
    for n in range(35):
        registration = submit(event, organisation_name=f"Organisation {n % 7}")
        if n % 3 == 0:
            registration_decide(registration=registration, decision="accept", actor=organiser)
    with django_assert_max_num_queries(12):
        response = org_client.get(url("dashboard", event), {"state": "", "dietary": ""})
    assert len(response.context["page_obj"]) == 35


# -- Detail and decisions -----------------------------------------------------------------------


@pytest.fixture
def questions(event):
    return questions_replace(
        event=event,
        questions=[
            {
                "key": "workshops",
                "kind": "multiple_choice",
                "label": {"pl": "Warsztaty", "uk": "Майстер-класи", "en": "Workshops"},
                "options": [
                    {"key": "grants", "label": {"pl": "Granty", "uk": "Гранти", "en": "Grants"}},
                    {"key": "media", "label": {"pl": "Media", "uk": "Медіа", "en": "Media"}},
                ],
            },
            {"key": "first_time", "kind": "yes_no", "label": {"pl": "Pierwszy raz?", "en": "First time?"}},
        ],
    )


def test_detail_shows_fields_answers_history_and_emails(org_client, organiser, event, questions):
    event.timezone = "Asia/Tokyo"
    event.save()
    registration = submit(
        event,
        first_name="Олена",
        accessibility_needs="Step-free access",
        answers={"workshops": ["grants", "media"], "first_time": True},
    )
    registration_decide(registration=registration, decision="waitlist", actor=organiser, message="Few seats left")

    response = org_client.get(url("detail", event, pk=registration.pk))

    html = response.content.decode()
    assert "Олена" in html
    assert "Step-free access" in html
    assert "Workshops" in html and "Grants; Media" in html
    assert "First time?" in html
    entry = registration.log.get(to_state=State.WAITLISTED)
    local = timezone.localtime(entry.created_at, zoneinfo.ZoneInfo("Asia/Tokyo")).strftime("%Y-%m-%d %H:%M")
    assert local in html
    assert organiser.email in html
    assert "Few seats left" in html
    assert "Participant" in html  # who submitted
    assert "Registration received" in html and "On the waiting list" in html  # the emails
    # From the waiting list: accept, reject or cancel — not "wait-list" again.
    assert 'value="accept"' in html and 'value="reject"' in html
    assert 'value="waitlist"' not in html
    assert url("organiser_cancel", event, pk=registration.pk) in html


def test_detail_labels_answers_in_the_organisers_language(org_client, event, questions):
    registration = submit(event, answers={"workshops": ["grants"]})
    html = org_client.get(url("detail", event, language="uk", pk=registration.pk)).content.decode()
    assert "Майстер-класи" in html
    assert "Гранти" in html


def test_detail_of_cancelled_registration_offers_no_decision(org_client, organiser, event, registration):
    org_client.post(url("organiser_cancel", event, pk=registration.pk))
    html = org_client.get(url("detail", event, pk=registration.pk)).content.decode()
    assert 'name="decision"' not in html


def test_accept_records_decision_and_message(org_client, organiser, event, registration, run_on_commit):
    with run_on_commit(execute=True):
        response = org_client.post(
            url("decide", event, pk=registration.pk), {"decision": "accept", "message": "See you in Kraków"}
        )
    assert response.status_code == 302
    assert response["Location"] == url("detail", event, pk=registration.pk)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED
    entry = registration.log.latest("id")
    assert (entry.actor, entry.message, entry.actor_kind) == (organiser, "See you in Kraków", ActorKind.ORGANISER)
    # The email waits out the undo window (test_views_undo.py), with the message in it.
    assert entry.email.status == EmailStatus.PENDING and "See you in Kraków" in entry.email.body_text


def test_accept_refused_when_full_is_shown_and_not_applied(org_client, organiser, event):
    event.capacity = 1
    event.save()
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    late = submit(event)

    response = org_client.post(url("decide", event, pk=late.pk), {"decision": "accept"}, follow=True)

    late.refresh_from_db()
    assert late.state == State.SUBMITTED
    assert any("No seats left" in text for text in flashes(response))
    assert "No seats left" in response.content.decode()


def test_transition_not_allowed_is_shown_and_not_applied(org_client, organiser, event, registration):
    registration_decide(registration=registration, decision="reject", actor=organiser)
    response = org_client.post(url("decide", event, pk=registration.pk), {"decision": "waitlist"}, follow=True)
    registration.refresh_from_db()
    assert registration.state == State.REJECTED
    assert any("cannot go from" in text for text in flashes(response))


def test_unknown_decision_changes_nothing(org_client, event, registration):
    response = org_client.post(url("decide", event, pk=registration.pk), {"decision": "promote"}, follow=True)
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
    assert flashes(response)


def test_organiser_cancel_records_organiser(org_client, organiser, event, registration):
    response = org_client.post(url("organiser_cancel", event, pk=registration.pk), {"message": "Duplicate"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    entry = registration.log.latest("id")
    assert (entry.actor_kind, entry.actor, entry.message) == (ActorKind.ORGANISER, organiser, "Duplicate")


def test_cancel_twice_is_refused_with_a_message(org_client, event, registration):
    org_client.post(url("organiser_cancel", event, pk=registration.pk))
    response = org_client.post(url("organiser_cancel", event, pk=registration.pk), follow=True)
    assert any("already" in text for text in flashes(response))


# -- Bulk decisions -----------------------------------------------------------------------------


def test_bulk_accept_with_partial_refusals(org_client, event):
    event.capacity = 2
    event.save()
    first, second = submit(event), submit(event)
    third = submit(event, first_name="Sara", last_name="Goldberg")

    response = org_client.post(
        url("bulk_decide", event),
        {"registrations": [first.pk, second.pk, third.pk], "decision": "accept", "message": "Welcome"},
        follow=True,
    )

    states = dict(Registration.objects.values_list("pk", "state"))
    assert states == {first.pk: State.ACCEPTED, second.pk: State.ACCEPTED, third.pk: State.SUBMITTED}
    texts = flashes(response)
    assert "Accepted: 2. Left unchanged: 1, because:" in texts
    assert any(text.startswith("Sara Goldberg: ") and "No seats left" in text for text in texts)


def test_bulk_reject_all(org_client, event):
    registrations = [submit(event) for _ in range(3)]
    response = org_client.post(
        url("bulk_decide", event), {"registrations": [r.pk for r in registrations], "decision": "reject"}, follow=True
    )
    assert set(Registration.objects.values_list("state", flat=True)) == {State.REJECTED}
    assert "Rejected: 3." in flashes(response)


def test_bulk_returns_to_the_filtered_list(org_client, event, registration):
    response = org_client.post(
        url("bulk_decide", event),
        {"registrations": [registration.pk], "decision": "waitlist", "return_query": "state=submitted&q=olena"},
    )
    assert response["Location"] == url("dashboard", event) + "?state=submitted&q=olena"


def test_bulk_without_selection_says_so(org_client, event, registration):
    response = org_client.post(url("bulk_decide", event), {"decision": "accept"}, follow=True)
    assert "Select at least one registration." in flashes(response)
    assert Registration.objects.get().state == State.SUBMITTED


def test_bulk_refuses_registrations_of_another_event(org_client, organiser, event, registration):
    foreign = submit(EventFactory(organisers=[organiser]))
    org_client.post(url("bulk_decide", event), {"registrations": [registration.pk, foreign.pk], "decision": "accept"})
    assert Registration.objects.get(pk=foreign.pk).state == State.SUBMITTED
    assert Registration.objects.get(pk=registration.pk).state == State.SUBMITTED


# -- Guests -------------------------------------------------------------------------------------


def guest_post(**overrides):
    data = {
        "first_name": "Maria",
        "last_name": "Urzędnicza",
        "email": "maria@krakow.example",
        "organisation_name": "Urząd Miasta Krakowa",
        "organisation_type": "other",
        "organisation_role": "Pełnomocniczka ds. mniejszości",
        "language": "pl",
        "dietary": "vegetarian",
        "dietary_details": "",
    }
    data.update(overrides)
    return data


def test_guest_add_form_renders(org_client, event):
    response = org_client.get(url("guest_add", event))
    assert response.status_code == 200
    assert '<label for="id_email">' in response.content.decode()


def test_guest_is_accepted_outside_the_capacity(org_client, organiser, event):
    event.capacity = 1
    event.save()
    registration_decide(registration=submit(event), decision="accept", actor=organiser)

    response = org_client.post(url("guest_add", event), guest_post())

    guest = Registration.objects.get(email="maria@krakow.example")
    assert (guest.state, guest.role) == (State.ACCEPTED, Role.GUEST)
    assert guest.organisation.name == "Urząd Miasta Krakowa"
    assert response["Location"] == url("detail", event, pk=guest.pk)
    counts = org_client.get(url("dashboard", event)).context["counts"]
    assert (counts.seats_left, counts.guests) == (0, 1)


def test_guest_with_registered_email_gets_error_next_to_email(org_client, event, registration):
    response = org_client.post(url("guest_add", event), guest_post(email="OLENA@example.org"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    assert "already registered" in html
    assert "Urząd Miasta Krakowa" in html  # nothing typed is lost
    assert Registration.objects.count() == 1


def test_guest_form_errors_keep_input(org_client, event):
    response = org_client.post(url("guest_add", event), guest_post(first_name="", dietary="other"))
    html = response.content.decode()
    assert 'id="id_first_name_error"' in html
    assert 'id="id_dietary_details_error"' in html
    assert "maria@krakow.example" in html
    assert not Registration.objects.exists()


# -- Catering -----------------------------------------------------------------------------------


def test_catering_page_shows_counts_and_needs(org_client, organiser, event):
    kosher = submit(event, dietary=Dietary.KOSHER, interpreting_needs="Ukrainian ↔ Polish")
    registration_decide(registration=kosher, decision="accept", actor=organiser)
    submit(event, dietary=Dietary.OTHER, dietary_details="Nut allergy", first_name="Iryna", last_name="Bondar")
    guest_add(event=event, data=registration_data(dietary=Dietary.HALAL), actor=organiser)

    response = org_client.get(url("catering", event))

    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.diets[Dietary.KOSHER] == {"accepted": 1, "guests": 0, "active": 1}
    assert summary.diets[Dietary.HALAL] == {"accepted": 0, "guests": 1, "active": 1}
    html = response.content.decode()
    assert "Iryna Bondar" in html and "Nut allergy" in html
    assert "Ukrainian ↔ Polish" in html


# -- Outbox -------------------------------------------------------------------------------------


def test_outbox_lists_failed_first_and_retries(org_client, event, registration, run_on_commit):
    sent = OutgoingEmail.objects.get(registration=registration)
    sent.status = EmailStatus.SENT
    sent.save()
    registration_decide(registration=registration, decision="waitlist", actor=None)
    failed = OutgoingEmail.objects.exclude(pk=sent.pk).get()
    failed.status, failed.attempts, failed.last_error = EmailStatus.FAILED, 2, "SMTPServerDisconnected: gone"
    failed.save()
    # Sent emails are newer than the failed one, yet the failed one comes first.
    OutgoingEmail.objects.filter(pk=sent.pk).update(created_at=timezone.now())

    response = org_client.get(url("outbox", event))
    assert [email.pk for email in response.context["page_obj"]] == [failed.pk, sent.pk]
    html = response.content.decode()
    assert "SMTPServerDisconnected: gone" in html
    assert html.count('name="email"') == 1  # only the failed email can be retried

    with run_on_commit(execute=True):
        response = org_client.post(url("outbox", event), {"email": failed.pk})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == EmailStatus.SENT
    assert [message.to for message in mail.outbox] == [[registration.email]]


def test_outbox_refuses_retry_of_sent_email(org_client, event, registration):
    email = OutgoingEmail.objects.get(registration=registration)
    email.status = EmailStatus.SENT
    email.save()
    response = org_client.post(url("outbox", event), {"email": email.pk}, follow=True)
    assert any("only failed emails" in text for text in flashes(response))
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_outbox_refuses_email_of_another_event(org_client, organiser, event):
    foreign = submit(EventFactory(organisers=[organiser]))
    email = OutgoingEmail.objects.get(registration=foreign)
    email.status = EmailStatus.FAILED
    email.save()
    org_client.post(url("outbox", event), {"email": email.pk})
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
