"""The check-in desk's page and JSON endpoints (views_desk.py): who may open them, the camera allowed
on the desk page only, the page's own search and forms (without JavaScript), the JSON check-in
(201 / 200 already / the same client id again / 409 refused / 400), the cached list, walk-ins."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import registration_decide

from ..models import CheckIn, CheckInRequest
from ..tickets import ticket_code
from .factories import accepted, client_id, desk_member

pytestmark = pytest.mark.django_db

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def url(name: str, event, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"checkin:{name}", kwargs={"slug": event.slug})


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_json(client, address: str, body, **extra):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(address, data=data, content_type="application/json", **extra)


@pytest.fixture
def desk(event):
    return desk_member(event, email="desk@zustricz.example.org", first_name="Marta", last_name="Nowak")


@pytest.fixture
def desk_client(client, desk):
    client.force_login(desk)
    return client


@pytest.fixture
def people(event, organiser):
    return {
        "olena": accepted(
            event, organiser, first_name="Ołena", last_name="Коваленко", organisation_name="Fundacja Zustricz"
        ),
        "miriam": accepted(
            event, organiser, first_name="Miriam", last_name="Landau", organisation_name="Stowarzyszenie Czulent"
        ),
        "waiting": registration_decide(
            registration=accepted(event, organiser, first_name="Waiting", last_name="Person"),
            decision="waitlist",
            actor=organiser,
        ),
    }


# --- Who may open the desk ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["desk", "desk_walk_in", "desk_list"])
def test_desk_pages_open_for_organisers_and_desk_members(client, event, organiser, desk, name):
    for user in (organiser, desk):
        client.force_login(user)
        assert client.get(url(name, event)).status_code == 200


@pytest.mark.parametrize("name", ["desk", "desk_walk_in", "desk_list"])
def test_desk_pages_answer_404_to_outsiders_and_send_anonymous_to_login(client, event, outsider, name):
    anonymous = client.get(url(name, event))
    assert anonymous.status_code == 302
    assert reverse("accounts:login") in anonymous["Location"]

    client.force_login(outsider)
    assert client.get(url(name, event)).status_code == 404


@pytest.mark.parametrize("name", ["desk_checkins", "desk_walk_ins", "desk_checkin_form"])
def test_posting_endpoints_answer_404_to_outsiders_and_refuse_get(client, event, organiser, outsider, name):
    client.force_login(organiser)
    assert client.get(url(name, event)).status_code == 405
    client.force_login(outsider)
    assert post_json(client, url(name, event), {"client_id": "x"}).status_code == 404


def test_a_desk_member_sees_no_link_to_the_organisers_pages(desk_client, client, event, organiser):
    dashboard = f'href="{reverse("registrations:dashboard", kwargs={"slug": event.slug})}"'
    assert dashboard not in desk_client.get(url("desk", event)).content.decode()

    client.force_login(organiser)
    assert dashboard in client.get(url("desk", event)).content.decode()


# --- Headers: the camera on the desk page only, the CSP as strict -------------------------------


def test_the_desk_page_allows_the_camera_for_this_site_only_and_keeps_the_strict_policy(desk_client, event):
    response = desk_client.get(url("desk", event))

    policy = response["Permissions-Policy"]
    assert "camera=(self)" in policy
    assert "camera=()" not in policy
    assert "microphone=()" in policy and "geolocation=()" in policy
    assert response["Content-Security-Policy"] == STRICT_CSP


def test_the_service_worker_is_served_under_the_desks_address_to_its_team_only(desk_client, client, event, outsider):
    response = desk_client.get(url("desk_worker", event))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b'addEventListener("fetch"' in response.content
    # Served at .../desk/sw.js, its scope is the desk's pages and nothing else of the site.
    assert url("desk_worker", event) == url("desk", event) + "sw.js"
    client.force_login(outsider)
    assert client.get(url("desk_worker", event)).status_code == 404


@pytest.mark.parametrize("name", ["desk_walk_in", "desk_list"])
def test_the_desks_other_pages_keep_the_camera_forbidden(desk_client, event, name):
    response = desk_client.get(url(name, event))
    assert "camera=()" in response["Permissions-Policy"]


def test_the_desk_page_loads_the_scanner_and_its_worker_from_our_static_files(desk_client, event):
    page = desk_client.get(url("desk", event)).content.decode()

    assert 'src="/static/vendor/qr-scanner/qr-scanner.umd.min.js"' in page
    assert 'data-worker-url="/static/vendor/qr-scanner/qr-scanner-worker.js"' in page
    # The phone forgets the list of people six hours after the event's end.
    [forget_after] = re.findall(r'data-forget-after="([^"]+)"', page)
    assert datetime.fromisoformat(forget_after) == event.ends_at + timedelta(hours=6)
    assert "<script>" not in page and " style=" not in page


# --- The page without JavaScript: search and a form per person ----------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("olena", ["Ołena Коваленко"]),
        ("ОЛЕНА", []),  # no transliteration between scripts
        ("коваленко", ["Ołena Коваленко"]),
        ("KOWAL", []),
        ("czulent", ["Miriam Landau"]),
        ("fundacja ołena", ["Ołena Коваленко"]),
        ("waiting", []),  # only accepted people are on the desk's list
    ],
)
def test_the_page_finds_people_by_name_or_organisation_without_diacritics(desk_client, event, people, query, found):
    response = desk_client.get(url("desk", event), {"q": query})

    assert response.status_code == 200
    assert [person["name"] for person in response.context["found"]] == found


def test_the_page_search_costs_a_constant_number_of_queries(
    desk_client, event, organiser, people, django_assert_max_num_queries
):
    for n in range(15):
        accepted(event, organiser, first_name=f"Ołena{n}", last_name="Melnyk")
    desk_client.get(url("desk", event), {"q": "melnyk"})  # the tickets are made on the first ask
    with django_assert_max_num_queries(14):
        response = desk_client.get(url("desk", event), {"q": "melnyk"})
    assert len(response.context["found"]) == 15


def test_the_form_of_a_person_checks_them_in_once(desk_client, event, people, desk):
    olena = people["olena"]
    form = {"registration": olena.pk, "client_id": "form-1", "q": "olena", "basis": ""}

    response = desk_client.post(url("desk_checkin_form", event), form)

    assert response.status_code == 302
    assert response["Location"].endswith("?q=olena")
    assert flashes(response) == ["Ołena Коваленко is checked in."]
    desk_client.get(response["Location"])  # the message shown
    checkin = CheckIn.objects.get(registration=olena)
    assert checkin.source == "name" and checkin.checked_in_by == desk

    again = desk_client.post(url("desk_checkin_form", event), {**form, "client_id": "form-2"}, follow=True)
    [message] = flashes(again)
    local = event.local(checkin.checked_in_at)
    assert message == f"Ołena Коваленко was already checked in at {local:%H:%M} by Marta Nowak."
    assert CheckIn.objects.count() == 1


def test_the_form_refuses_a_person_not_accepted_and_one_of_another_event(desk_client, event, organiser, people):
    response = desk_client.post(
        url("desk_checkin_form", event), {"registration": people["waiting"].pk, "client_id": "form-3"}, follow=True
    )
    assert "not accepted" in flashes(response)[0]

    other = accepted(EventFactory(organisers=[organiser]), organiser)
    response = desk_client.post(
        url("desk_checkin_form", event), {"registration": other.pk, "client_id": "form-4"}, follow=True
    )
    assert flashes(response) == ["This person is not registered for this event."]
    assert not CheckIn.objects.exists()


def test_the_page_shows_who_is_checked_in(desk_client, event, people):
    desk_client.post(url("desk_checkin_form", event), {"registration": people["olena"].pk, "client_id": "f-5"})

    response = desk_client.get(url("desk", event), {"q": "zustricz"})

    page = response.content.decode()
    assert "Checked in" in page
    assert f'name="registration" value="{people["olena"].pk}"' not in page
    assert 'id="desk-present">1<' in page


# --- The safety rule: the verdict recomputed at that moment, the basis shown -----------------------


@pytest.fixture
def rule_event(organiser):
    return EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())


def test_with_a_rule_the_desk_records_the_basis_shown_and_the_verdict_now(client, rule_event, organiser):
    vaccinated = SafetyInput(
        basis="vaccinated", date=rule_event.local(rule_event.starts_at).date() - timedelta(days=30)
    )
    person = accepted(rule_event, organiser, first_name="Iryna", safety=vaccinated, consent_health=True)
    client.force_login(organiser)

    page = client.get(url("desk", rule_event), {"q": "iryna"})
    assert "Meets the safety rule" in page.content.decode()
    with translation.override("en"):
        verdict_url = reverse("checkin:desk_verdict", kwargs={"slug": rule_event.slug, "pk": person.pk})
    verdict = client.get(verdict_url)
    assert verdict.status_code == 200
    assert verdict.json()["verdict"] == "meets"
    assert verdict.json()["verdict_text"].startswith("Meets the safety rule")
    assert not CheckIn.objects.exists()  # asking for the verdict checks nobody in
    response = post_json(
        client,
        url("desk_checkins", rule_event),
        {"client_id": "rule-1", "registration_id": person.pk, "basis": "vaccinated"},
    )

    assert response.status_code == 201
    assert response.json()["verdict"] == "meets"
    assert response.json()["verdict_text"].startswith("Meets the safety rule")
    assert CheckIn.objects.get(registration=person).basis == "vaccinated"


def test_a_basis_that_is_not_one_of_the_rule_is_refused(desk_client, event, people):
    response = post_json(
        desk_client,
        url("desk_checkins", event),
        {"client_id": "b-1", "registration_id": people["olena"].pk, "basis": "passport 123"},
    )
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


# --- The JSON endpoints -----------------------------------------------------------------------------


def test_the_list_holds_only_what_the_desk_needs(desk_client, event, people):
    response = desk_client.get(url("desk_list", event))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert {person["name"] for person in data["people"]} == {"Ołena Коваленко", "Miriam Landau"}
    assert set(data["people"][0]) <= {
        "id",
        "name",
        "organisation",
        "folded",
        "ticket",
        "state",
        "role",
        "checked_in_at",
    }
    assert "@" not in response.content.decode()  # no email
    assert data["counts"] == {"present": 0, "accepted": 2, "seats": event.capacity}


def test_the_list_costs_a_constant_number_of_queries(desk_client, event, organiser, django_assert_max_num_queries):
    for n in range(20):
        accepted(event, organiser, first_name=f"P{n}")
    desk_client.get(url("desk_list", event))
    with django_assert_max_num_queries(12):
        response = desk_client.get(url("desk_list", event))
    assert len(response.json()["people"]) == 20


def test_a_ticket_checks_in_once_and_again_says_when_and_by_whom(desk_client, event, people):
    code = ticket_code(people["olena"])
    address = url("desk_checkins", event)

    first = post_json(desk_client, address, {"client_id": "c-1", "code": code})

    assert first.status_code == 201
    data = first.json()
    assert data["name"] == "Ołena Коваленко"
    assert data["organisation"] == "Fundacja Zustricz"
    assert data["already"] is False and data["replayed"] is False
    assert data["checked_in_by"] == "Marta Nowak"
    assert data["message"] == "Ołena Коваленко is checked in."
    assert data["counts"]["present"] == 1

    # The same request again (a flaky network): the first answer, nothing new recorded.
    replay = post_json(desk_client, address, {"client_id": "c-1", "code": code})
    assert replay.status_code == 200
    assert replay.json()["replayed"] is True and replay.json()["already"] is False
    assert CheckInRequest.objects.count() == 1

    # Another scan of the same ticket: already, at the first time, by the first person.
    second = post_json(desk_client, address, {"client_id": "c-2", "code": code})
    assert second.status_code == 200
    assert second.json()["already"] is True
    assert second.json()["checked_in_at"] == data["checked_in_at"]
    assert second.json()["message"].startswith("Ołena Коваленко was already checked in at ")
    assert second.json()["message"].endswith(" by Marta Nowak.")
    assert CheckIn.objects.count() == 1


def test_the_queue_of_two_offline_desks_records_one_check_in_and_tells_the_second(
    client, event, organiser, people, desk
):
    """Two desks scanned the same ticket while offline; the second to send hears it is a duplicate."""
    code = ticket_code(people["miriam"])
    second_desk = Client()
    second_desk.force_login(organiser)
    client.force_login(desk)

    first = post_json(client, url("desk_checkins", event), {"client_id": "desk-a-1", "code": code})
    second = post_json(second_desk, url("desk_checkins", event), {"client_id": "desk-b-1", "code": code})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["already"] is True
    assert second.json()["checked_in_by"] == "Marta Nowak"
    assert CheckIn.objects.filter(registration=people["miriam"]).count() == 1
    assert CheckInRequest.objects.get(client_id="desk-b-1").duplicate is True


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("garbage", "tampered"),
        ("https://example.org/ticket", "tampered"),
        ("CM1.aaaa.bbbb", "tampered"),
        ("x" * 10_000, "unknown"),
        ("CM1.\u0000.", "tampered"),
    ],
)
def test_whatever_a_qr_code_holds_the_answer_is_a_refusal_with_a_message(desk_client, event, code, reason):
    response = post_json(desk_client, url("desk_checkins", event), {"client_id": client_id(), "code": code})

    assert response.status_code == 409
    assert response.json()["reason"] == reason
    assert response.json()["message"]
    assert not CheckIn.objects.exists()


def test_a_ticket_of_another_event_or_no_longer_valid_is_refused(desk_client, event, organiser, people):
    other = accepted(EventFactory(organisers=[organiser]), organiser)
    response = post_json(desk_client, url("desk_checkins", event), {"client_id": "o-1", "code": ticket_code(other)})
    assert response.status_code == 409
    assert response.json()["reason"] == "other_event"

    olena = people["olena"]
    code = ticket_code(olena)
    registration_decide(registration=olena, decision="waitlist", actor=organiser)
    response = post_json(desk_client, url("desk_checkins", event), {"client_id": "o-2", "code": code})
    assert response.status_code == 409
    assert response.json()["reason"] == "not_accepted"
    assert response.json()["message"].startswith("This ticket is not valid")


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        {"code": "x"},  # no client id
        {"client_id": "", "code": "x"},
        {"client_id": "y" * 101, "code": "x"},
        {"client_id": "z"},  # neither code nor person
        {"client_id": "z", "code": "x", "registration_id": 1},  # both
        {"client_id": "z", "registration_id": "1"},
        {"client_id": "z", "registration_id": True},
    ],
)
def test_a_request_the_desk_cannot_have_sent_is_answered_400(desk_client, event, body):
    response = post_json(desk_client, url("desk_checkins", event), body)

    assert response.status_code == 400
    assert response.json()["message"]
    assert not CheckInRequest.objects.exists()


def test_the_check_in_needs_the_csrf_token_in_a_header(event, desk, people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(desk)
    page = client.get(url("desk", event))
    token = page.context["csrf_token"]
    body = {"client_id": "csrf-1", "registration_id": people["olena"].pk}

    assert post_json(client, url("desk_checkins", event), body).status_code == 403
    assert post_json(client, url("desk_checkins", event), body, HTTP_X_CSRFTOKEN=str(token)).status_code == 201


def test_the_check_in_answers_in_the_language_of_the_page(desk_client, event, people):
    response = post_json(desk_client, url("desk_checkins", event, "uk"), "not json")
    assert response.status_code == 400
    assert response.json()["message"] == "Не вдалося прочитати запит."


# --- Walk-ins ---------------------------------------------------------------------------------------


def walk_in_form(**overrides):
    return {
        "first_name": "Dmytro",
        "last_name": "Шевченко",
        "organisation_name": "Stowarzyszenie Ukraińców",
        "email": "dmytro@example.org",
        "language": "uk",
        "consent_processing": "on",
        "client_id": "walk-1",
        **overrides,
    }


def test_a_walk_in_is_registered_accepted_and_checked_in_at_once(desk_client, event, desk):
    response = desk_client.post(url("desk_walk_in", event), walk_in_form())

    assert response.status_code == 302
    assert response["Location"] == url("desk", event)
    assert flashes(response) == ["Dmytro Шевченко is checked in."]
    registration = Registration.objects.get(email="dmytro@example.org")
    assert registration.state == State.ACCEPTED
    assert registration.checkin.source == "walk_in"
    assert registration.checkin.checked_in_by == desk

    # The same form sent twice (a double tap): one person.
    desk_client.post(url("desk_walk_in", event), walk_in_form())
    assert Registration.objects.filter(event=event).count() == 1


def test_a_walk_in_form_with_errors_comes_back_filled_in_with_the_errors_next_to_the_fields(desk_client, event):
    response = desk_client.post(
        url("desk_walk_in", event), walk_in_form(first_name="", email="not an email", consent_processing="")
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "email", "consent_processing"}
    page = response.content.decode()
    assert 'value="Шевченко"' in page
    assert 'id="error-summary"' in page
    assert not Registration.objects.exists()


def test_a_walk_in_with_an_email_already_registered_is_told_next_to_the_email(desk_client, event, people):
    response = desk_client.post(url("desk_walk_in", event), walk_in_form(email=people["olena"].email))

    assert response.status_code == 409
    assert response.context["form"].errors["email"] == ["This email address is already registered for this event."]


def test_no_walk_in_when_no_seat_is_left(desk_client, organiser, desk):
    event = EventFactory(organisers=[organiser], capacity=1)
    desk_member_client = desk_client
    desk_member_client.force_login(organiser)
    accepted(event, organiser)

    response = desk_member_client.post(url("desk_walk_in", event), walk_in_form())

    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    assert 'value="Dmytro"' in response.content.decode()
    assert not Registration.objects.filter(email="dmytro@example.org").exists()


def test_the_walk_in_json_endpoint(desk_client, event, people):
    address = url("desk_walk_ins", event)
    body = {**walk_in_form(), "consent_processing": True}

    created = post_json(desk_client, address, body)
    assert created.status_code == 201
    assert created.json()["name"] == "Dmytro Шевченко"
    assert created.json()["counts"]["present"] == 1

    invalid = post_json(desk_client, address, {**body, "client_id": "walk-2", "first_name": ""})
    assert invalid.status_code == 400
    assert set(invalid.json()["errors"]) == {"first_name"}

    taken = post_json(desk_client, address, {**body, "client_id": "walk-3", "email": people["miriam"].email})
    assert taken.status_code == 409
    assert taken.json()["errors"]["email"]


def test_the_desk_pages_own_javascript_and_css_stay_under_60_kb_compressed():
    """Issue 11's budget for a phone on a venue's Wi-Fi (the vendored scanner aside)."""
    import gzip
    from pathlib import Path

    from django.conf import settings

    static = Path(settings.BASE_DIR) / "static"
    own = [static / "js" / name for name in ("desk.js", "desk-fold.js", "desk-sw.js")] + [static / "css" / "desk.css"]
    compressed = sum(len(gzip.compress(path.read_bytes(), compresslevel=6)) for path in own)
    assert compressed < 60 * 1024


def test_the_verdict_is_given_for_accepted_people_of_this_event_only(desk_client, event, organiser, people):
    def verdict(registration):
        with translation.override("en"):
            address = reverse("checkin:desk_verdict", kwargs={"slug": event.slug, "pk": registration.pk})
        return desk_client.get(address)

    assert verdict(people["olena"]).json() == {"verdict": "", "verdict_text": ""}  # the event has no rule
    assert verdict(people["waiting"]).status_code == 404
    assert verdict(accepted(EventFactory(organisers=[organiser]), organiser)).status_code == 404


def test_the_desks_posts_are_rate_limited_per_person(desk_client, event, people, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMIT_DESK = "2/m"
    address = url("desk_checkins", event)
    for n in range(2):
        assert post_json(desk_client, address, {"client_id": f"r-{n}", "code": "garbage"}).status_code == 409

    assert post_json(desk_client, address, {"client_id": "r-3", "code": "garbage"}).status_code == 429


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_four_desks_scanning_one_ticket_at_the_same_instant_record_one_check_in():
    """Real threads, each a desk with its own session and database connection, released together."""
    from civicmeet.events.tests.factories import UserFactory
    from civicmeet.registrations.tests.test_concurrency import run_at_once

    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    code = ticket_code(accepted(event, organiser, first_name="Ołena"))
    desks = [desk_member(event) for _ in range(4)]
    address = url("desk_checkins", event)

    def scan(user, n):
        def job():
            client = Client()
            client.force_login(user)
            response = post_json(client, address, {"client_id": f"race-{n}", "code": code})
            return f"{response.status_code} {response.json().get('already')}"

        return job

    outcomes = run_at_once([scan(user, n) for n, user in enumerate(desks)])

    assert sorted(outcomes) == ["200 True", "200 True", "200 True", "201 False"]
    assert CheckIn.objects.count() == 1
    assert CheckInRequest.objects.filter(duplicate=True).count() == 3
