"""The organisation's projects on its profile page: run and as partner, open offers only, each
reader seeing what they may, the team linked to adding an offer, a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicmeet.organisations.tests.profiles_setup import (
    make_moderator,
    make_organisation,
    make_representative,
    profile_url,
)
from civicmeet.programmes import services
from civicmeet.programmes.models import OfferStatus

from .factories import make_offer, make_project, person

pytestmark = pytest.mark.django_db


def _projects(organisation, count: int, *, partner=None):
    for number in range(count):
        project = make_project(organisation=organisation, slug=f"p{organisation.pk}-{number}", short_name=f"P{number}")
        if partner is not None:
            services.project_save(project=project, data={}, partners=[partner])
        offer = make_offer(project, seats=1, title={"en": f"Training {organisation.pk}-{number}"})
        services.offer_signup(offer=offer, data=person(email=f"x{number}@example.org"))  # full: waiting list
        make_offer(project, title={"en": f"Closed {number}"}, status=OfferStatus.CLOSED)
        make_offer(project, title={"en": f"Members {number}"}, visibility="members")


@pytest.fixture
def czulent():
    return make_organisation("Żydowskie Stowarzyszenie Czulent")


def test_the_profile_lists_projects_run_and_as_partner_with_their_open_offers(client, czulent):
    zustricz = make_organisation("Fundacja Zustricz")
    komm = make_project(organisation=czulent)
    services.project_save(project=komm, data={}, partners=[zustricz])
    make_offer(komm, title={"en": "Coalition training", "uk": "Тренінг коаліції"})
    make_offer(komm, title={"en": "Closed workshop"}, status=OfferStatus.CLOSED)
    make_offer(komm, title={"en": "Past deadline"}, signup_until=timezone.now() - timedelta(days=1))
    make_offer(komm, title={"en": "For members"}, visibility="members")
    cancelled = make_offer(komm, title={"en": "Cancelled one"})
    services.offer_save(offer=cancelled, data={"status": OfferStatus.CANCELLED})

    page = client.get(profile_url(czulent)).content.decode()
    assert "Projects we run" in page and "KOMM – " in page
    assert "Coalition training" in page
    for hidden in ("Closed workshop", "Past deadline", "For members", "Cancelled one"):
        assert hidden not in page
    assert "Add an offer" not in page

    page = client.get(profile_url(zustricz, "uk")).content.decode()
    assert "Проєкти, у яких ми партнери" in page and "Тренінг коаліції" in page

    member = make_representative(make_organisation("Inna"), "member@inna.example.org")
    client.force_login(member)
    page = client.get(profile_url(czulent)).content.decode()
    assert "For members" in page and "Add an offer" not in page


def test_private_and_members_projects_are_hidden_from_those_who_may_not_see_them(client, czulent):
    make_offer(make_project(organisation=czulent, slug="secret", short_name="SECRET", visibility="private"))
    page = client.get(profile_url(czulent)).content.decode()
    assert "SECRET" not in page and 'id="projects-heading"' not in page  # no section at all
    client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    assert "SECRET" not in client.get(profile_url(czulent)).content.decode()
    client.force_login(make_representative(czulent, "rep@czulent.example.org"))
    page = client.get(profile_url(czulent)).content.decode()
    assert "SECRET" in page and "Add an offer" in page
    client.force_login(make_moderator())
    assert "SECRET" in client.get(profile_url(czulent)).content.decode()


@pytest.mark.parametrize("reader", ["anonymous", "member", "team"])
def test_query_count_is_the_same_with_1_and_5_projects(client, django_assert_num_queries, reader):
    one, five, partner = make_organisation("Jeden"), make_organisation("Pięć"), make_organisation("Partner")
    _projects(one, 1, partner=partner)
    _projects(five, 5, partner=partner)
    if reader == "member":
        client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    elif reader == "team":
        client.force_login(make_representative(one, "rep@one.example.org"))
    client.get(profile_url(one))  # the session and caches settle
    with django_assert_num_queries(100, exact=False) as baseline:
        client.get(profile_url(one))
    with django_assert_num_queries(len(baseline.captured_queries)):
        page = client.get(profile_url(five)).content.decode()
    assert "Training" in page and "P4 – " in page
    with django_assert_num_queries(len(baseline.captured_queries)):
        page = client.get(profile_url(partner)).content.decode()
    assert "Projects we are a partner of" in page
