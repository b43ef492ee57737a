from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.programmes import services
from civicmeet.programmes.models import (
    OfferSignUp,
    OfferStatus,
    ProgrammeAction,
    ProgrammeLogEntry,
    SignUpStatus,
)
from civicmeet.search.models import SearchDocument

from .factories import make_offer, make_project, person, representative

pytestmark = pytest.mark.django_db


def test_sign_up_takes_a_seat_and_emails_the_person_and_the_team():
    project = make_project()
    representative(project.organisation, email="team@czulent.example.org", language="pl")
    offer = make_offer(project, seats=2)
    signup, token = services.offer_signup(offer=offer, data=person())
    assert signup.status == SignUpStatus.SIGNED_UP
    assert signup.token_hash and token not in signup.token_hash  # only the hash is stored
    assert services.signup_by_token(token) == signup
    to_person = OutgoingEmail.objects.get(to="olena@example.org")
    assert to_person.language == "uk"
    assert "Тренінг: як побудувати коаліцію" in to_person.subject
    assert f"/uk/sign-up/{token}/" in to_person.body_text
    to_team = OutgoingEmail.objects.get(to="team@czulent.example.org")
    assert to_team.language == "pl"
    assert "Olena Kovalenko" in to_team.subject and "Szkolenie" in to_team.subject
    assert ProgrammeLogEntry.objects.filter(signup=signup, action=ProgrammeAction.SIGNED_UP).exists()


def test_over_capacity_goes_on_the_waiting_list_and_never_exceeds_the_seats():
    offer = make_offer(make_project(), seats=2)
    statuses = [services.offer_signup(offer=offer, data=person(email=f"p{n}@example.org"))[0].status for n in range(4)]
    assert statuses == ["signed_up", "signed_up", "waitlisted", "waitlisted"]
    assert offer.signups.filter(status=SignUpStatus.SIGNED_UP).count() == 2
    waiting_email = OutgoingEmail.objects.get(to="p2@example.org")
    assert "списку очікування" in waiting_email.body_text  # in the person's language (uk)


def test_cancel_frees_the_seat_for_the_first_person_waiting():
    offer = make_offer(make_project(), seats=1)
    first, token = services.offer_signup(offer=offer, data=person(email="first@example.org"))
    second, _ = services.offer_signup(offer=offer, data=person(email="second@example.org", language="pl"))
    third, _ = services.offer_signup(offer=offer, data=person(email="third@example.org"))
    services.signup_cancel(signup=services.signup_by_token(token))
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == SignUpStatus.SIGNED_UP
    assert third.status == SignUpStatus.WAITLISTED
    promoted = OutgoingEmail.objects.get(to="second@example.org", kind="programmes_promoted_to_person")
    assert promoted.language == "pl" and "Masz miejsce" in promoted.subject
    with pytest.raises(services.SignUpError):
        services.signup_cancel(signup=first)


def test_raising_the_seats_moves_people_from_the_waiting_list():
    offer = make_offer(make_project(), seats=1)
    services.offer_signup(offer=offer, data=person(email="a@example.org"))
    waiting, _ = services.offer_signup(offer=offer, data=person(email="b@example.org"))
    services.offer_save(offer=offer, data={"seats": 2})
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.SIGNED_UP
    entry = ProgrammeLogEntry.objects.filter(action=ProgrammeAction.OFFER_CHANGED).get()
    assert entry.changes["seats"] == [1, 2]


def test_the_lock_serialises_sign_ups_for_the_last_seat(transactional_db):
    """Concurrency-ish: many threads for a few seats; the offer's row lock keeps the count exact."""
    import threading

    from django.db import connection

    offer = make_offer(make_project(), seats=3)
    errors: list[Exception] = []

    def sign(n: int) -> None:
        try:
            services.offer_signup(offer=offer, data=person(email=f"t{n}@example.org"))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert offer.signups.filter(status=SignUpStatus.SIGNED_UP).count() == 3
    assert offer.signups.filter(status=SignUpStatus.WAITLISTED).count() == 5


def test_refuses_a_second_sign_up_with_the_same_email_and_a_closed_offer():
    offer = make_offer(make_project())
    services.offer_signup(offer=offer, data=person(email="Olena@Example.org"))
    with pytest.raises(services.SignUpError) as error:
        services.offer_signup(offer=offer, data=person(email="olena@example.org"))
    assert error.value.code == "already_signed_up"
    services.offer_save(offer=offer, data={"status": OfferStatus.CLOSED})
    with pytest.raises(services.SignUpError):
        services.offer_signup(offer=offer, data=person(email="other@example.org"))


def test_bad_input_is_refused_per_field():
    offer = make_offer(make_project())
    with pytest.raises(ValidationError) as error:
        services.offer_signup(offer=offer, data=person(email="not-an-email", phone="600 123"))
    assert set(error.value.message_dict) == {"email"}
    with pytest.raises(ValidationError) as error:
        services.offer_signup(offer=offer, data=person(phone="600 123"))
    assert "phone" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.offer_save(offer=offer, data={"online": False, "city": "", "address": "", "seats": 0})
    assert {"city", "seats"} <= set(error.value.message_dict)


def test_offers_and_projects_are_in_the_search_index():
    project = make_project()
    offer = make_offer(project)
    document = SearchDocument.objects.get(kind="project_offer", key=str(offer.pk))
    assert document.facets == {"type": "training", "languages": ["pl", "uk"], "region": "malopolskie"}
    assert document.url_name == "programmes:offer"
    project_document = SearchDocument.objects.get(kind="project", key=str(project.pk))
    assert "KOMM" in project_document.title and project_document.facets["type"] == ["training"]
    services.offer_save(offer=offer, data={"status": OfferStatus.CANCELLED})
    assert not SearchDocument.objects.filter(kind="project_offer", key=str(offer.pk)).exists()


def test_a_members_only_project_makes_its_offers_members_only_in_search():
    project = make_project(visibility="members")
    offer = make_offer(project, visibility="public")
    assert SearchDocument.objects.get(kind="project_offer", key=str(offer.pk)).visibility == "members"


def test_interests_are_recorded_and_erased_with_their_emails():
    project = make_project()
    representative(project.organisation, email="team@czulent.example.org", language="en")
    offer = make_offer(project)
    [interest] = services.interests_record(
        offers=[offer],
        registration_id=41,
        event_id=7,
        event_title={"pl": "Spotkanie sieciujące", "en": "Networking meeting"},
        name="Olena Kovalenko",
        email="olena@example.org",
        language="uk",
    )
    assert interest.status == SignUpStatus.INTERESTED
    assert offer.signups.filter(status=SignUpStatus.SIGNED_UP).count() == 0  # no seat taken
    team_email = OutgoingEmail.objects.get(to="team@czulent.example.org")
    assert "registration form for Networking meeting" in team_email.body_text
    assert services.interests_erase(registration_id=41) == 1
    assert not OfferSignUp.objects.filter(registration_id=41).exists()
    assert not OutgoingEmail.objects.filter(to="team@czulent.example.org").exists()
    assert ProgrammeLogEntry.objects.filter(action=ProgrammeAction.ERASED, offer=offer).exists()


def test_examples_load_the_invitations_three_projects_twice_without_duplicates():
    from civicmeet.events.tests.factories import OrganisationFactory
    from civicmeet.programmes.examples import load_examples
    from civicmeet.programmes.models import Project, ProjectOffer

    organisations = {
        name: OrganisationFactory(name=name) for name in ("Fundacja Zustricz", "Żydowskie Stowarzyszenie Czulent")
    }
    load_examples(organisations=organisations)
    load_examples(organisations=organisations)
    assert sorted(Project.objects.values_list("short_name", flat=True)) == ["", "IDZ", "KOMM"]
    assert ProjectOffer.objects.count() == 5
