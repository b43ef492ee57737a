"""Sign-ups for project offers: the person's data goes after the retention, the counts stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.programmes import privacy, services
from civicmeet.programmes.models import OfferSignUp, OfferStatus, SignUpStatus

from .factories import make_offer, make_project, person, representative

pytestmark = pytest.mark.django_db

RETENTION = timedelta(days=365)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365


def _signup(offer, email, **extra):
    return services.offer_signup(offer=offer, data=person(email=email, phone="+48 600 100 200", **extra))


def test_sign_ups_are_anonymised_a_retention_after_the_offer_ended_and_counts_stay():
    project = make_project()
    representative(project.organisation, email="team@czulent.example.org")
    offer = make_offer(project, seats=1)
    first, token = _signup(offer, "olena@example.org", message="Przyjdę z koleżanką", organisation_name="Zustricz")
    waiting, _ = _signup(offer, "taras@example.org")
    later_start = offer.starts_at + RETENTION * 2
    later = make_offer(make_project(slug="idz", short_name="IDZ"), starts_at=later_start, ends_at=later_start)
    unrelated, unrelated_token = _signup(later, "olena@example.org")
    assert OutgoingEmail.objects.filter(to="olena@example.org").count() == 2

    # The day before the retention runs out nothing changes.
    assert privacy.signups_anonymise_expired(now=offer.ends_at + RETENTION - SECOND).anonymised == 0
    first.refresh_from_db()
    assert first.name == "Olena Kovalenko" and services.signup_by_token(token) == first

    result = privacy.signups_anonymise_expired(now=offer.ends_at + RETENTION)
    assert result.as_dict() == {"anonymised": 2, "statuses": {"signed_up": 1, "waitlisted": 1}}
    first.refresh_from_db()
    assert (first.name, first.phone, first.message) == ("", "", "")
    assert first.email == f"erased-{first.pk}@invalid"
    assert first.token_hash is None and services.signup_by_token(token) is None
    # What the team's report counts stays: the offer, the status, the organisation, the language.
    assert (first.offer_id, first.status, first.organisation_name, first.language) == (
        offer.pk,
        "signed_up",
        "Zustricz",
        "uk",
    )
    # The emails about the two sign-ups (to the people and to the team, reply-to the person) are gone.
    assert not OutgoingEmail.objects.filter(subject_id__in=[first.pk, waiting.pk]).exists()
    assert set(
        OutgoingEmail.objects.filter(Q(to="olena@example.org") | Q(reply_to="olena@example.org")).values_list(
            "subject_id", flat=True
        )
    ) == {unrelated.pk}
    assert not OutgoingEmail.objects.filter(to="taras@example.org").exists()
    # The other offer has not ended: its sign-up is untouched.
    unrelated.refresh_from_db()
    assert unrelated.name == "Olena Kovalenko" and services.signup_by_token(unrelated_token) == unrelated
    assert offer.signups.count() == 2

    # A second run finds nothing.
    assert privacy.signups_anonymise_expired(now=offer.ends_at + RETENTION).anonymised == 0


def test_a_cancelled_sign_up_goes_a_retention_after_it_was_cancelled():
    offer = make_offer(make_project(), seats=None, starts_at=None, ends_at=None)  # dates to be agreed
    cancelled, _ = _signup(offer, "olena@example.org")
    staying, _ = _signup(offer, "taras@example.org")
    services.signup_cancel(signup=cancelled)
    cancelled.refresh_from_db()
    due = cancelled.updated_at + RETENTION
    assert privacy.signup_due_at(cancelled) == due
    assert privacy.signup_due_at(staying) is None  # the offer goes on

    assert privacy.signups_anonymise_expired(now=due - SECOND).anonymised == 0
    assert privacy.signups_anonymise_expired(now=due).as_dict() == {"anonymised": 1, "statuses": {"cancelled": 1}}
    cancelled.refresh_from_db()
    staying.refresh_from_db()
    assert cancelled.name == "" and cancelled.email.endswith("@invalid")
    assert staying.email == "taras@example.org"
    # Years later the open offer without dates still keeps its active sign-up.
    assert privacy.signups_anonymise_expired(now=due + RETENTION * 3).anonymised == 0


def test_offers_without_dates_count_from_closing_and_cancelled_offers_from_cancelling():
    project = make_project()
    closed = make_offer(project, seats=None, starts_at=None, ends_at=None)
    future = make_offer(project, seats=None, starts_at=timezone.now() + RETENTION * 3, ends_at=None)
    in_closed, _ = _signup(closed, "a@example.org")
    in_cancelled, _ = _signup(future, "b@example.org")
    closed = services.offer_save(offer=closed, data={"status": OfferStatus.CLOSED})
    future = services.offer_save(offer=future, data={"status": OfferStatus.CANCELLED})
    assert privacy.offer_ended_at(closed) == closed.updated_at
    assert privacy.offer_ended_at(future) == future.updated_at  # cancelled before its start

    moment = max(closed.updated_at, future.updated_at) + RETENTION
    assert privacy.signups_anonymise_expired(now=moment - timedelta(days=1)).anonymised == 0
    assert privacy.signups_anonymise_expired(now=moment).anonymised == 2
    assert set(OfferSignUp.objects.values_list("name", flat=True)) == {""}


def test_erasure_on_request_frees_the_seat_and_spares_other_people():
    offer = make_offer(make_project(), seats=1)
    mine, token = _signup(offer, "Olena@Example.org")
    waiting, _ = _signup(offer, "taras@example.org")
    other_offer = make_offer(make_project(slug="idz", short_name="IDZ"), seats=None)
    second_mine, _ = _signup(other_offer, "olena@example.org")

    assert privacy.signups_erase_by_email(email=" olena@example.org ") == 2
    mine.refresh_from_db()
    second_mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == SignUpStatus.CANCELLED and mine.name == "" and services.signup_by_token(token) is None
    assert second_mine.email == f"erased-{second_mine.pk}@invalid"
    # The freed seat went to the next person, who keeps their data and was told.
    assert waiting.status == SignUpStatus.SIGNED_UP and waiting.name == "Olena Kovalenko"
    assert OutgoingEmail.objects.filter(to="taras@example.org", kind="programmes_promoted_to_person").exists()
    assert not OutgoingEmail.objects.filter(to__iexact="olena@example.org").exists()
    # Asking again finds nothing more.
    assert privacy.signups_erase_by_email(email="olena@example.org") == 0
    assert privacy.signups_erase_by_email(email="") == 0
