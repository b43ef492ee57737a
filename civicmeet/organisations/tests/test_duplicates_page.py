"""The moderators' duplicates page, the merge confirmation and the merge history."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.core.management import call_command

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.models import Organisation, OrganisationMerge, OrganisationStatus

from .data_fixtures import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator_client(client):
    client.force_login(moderator())
    return client


def test_a_draft_is_shown_with_its_likely_duplicates_and_why(moderator_client):
    published = OrganisationFactory(name="Fundacja Zustricz", status=OrganisationStatus.PUBLISHED)
    draft = OrganisationFactory(name="Fundacja „Zustricz”", status=OrganisationStatus.DRAFT)
    OrganisationFactory(name="Stowarzyszenie Romów", status=OrganisationStatus.PUBLISHED)
    page = moderator_client.get("/en/network/duplicates/").content.decode()
    assert "Fundacja „Zustricz”" in page and "Stowarzyszenie Romów" not in page
    assert "the same name once quotes, legal form and letters are set aside" in page
    assert f"/en/network/duplicates/merge/{published.pk}/{draft.pk}/" in page


def test_not_the_same_hides_the_pair(moderator_client):
    OrganisationFactory(name="Fundacja Zustricz", status=OrganisationStatus.PUBLISHED)
    draft = OrganisationFactory(name="Zustricz", status=OrganisationStatus.DRAFT)
    other = Organisation.objects.get(name="Fundacja Zustricz")
    response = moderator_client.post("/en/network/duplicates/not-duplicates/", {"first": other.pk, "second": draft.pk})
    assert response.status_code == 302
    page = moderator_client.get("/en/network/duplicates/").content.decode()
    assert "/merge/" not in page


def test_the_whole_directory_scan_runs_in_the_background_and_its_result_is_shown(moderator_client):
    old = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", status=OrganisationStatus.PUBLISHED)
    other = OrganisationFactory(name="Stowarzyszenie Czulent", status=OrganisationStatus.PUBLISHED)
    Organisation.objects.filter(pk__in=[old.pk, other.pk]).update(created_at="2020-01-01T00:00:00Z")
    assert "/merge/" not in moderator_client.get("/en/network/duplicates/").content.decode()
    assert moderator_client.post("/en/network/duplicates/scan/").status_code == 302  # the test backend runs it now
    page = moderator_client.get("/en/network/duplicates/").content.decode()
    assert f"/merge/{old.pk}/{other.pk}/" in page


def test_page_queries_do_not_grow_with_the_drafts(moderator_client, django_assert_max_num_queries):
    for number in range(20):
        OrganisationFactory(name=f"Fundacja Pomocy Numer {number}", status=OrganisationStatus.DRAFT)
    with django_assert_max_num_queries(14):
        response = moderator_client.get("/en/network/duplicates/")
    assert response.status_code == 200


def test_merge_confirmation_shows_both_and_the_post_merges(moderator_client):
    survivor = OrganisationFactory(name="Fundacja Zustricz", city="Kraków")
    duplicate = OrganisationFactory(name="Zustricz", website="https://zustricz.example.org")
    duplicate.names.create(name="Зустріч", language="uk")
    url = f"/en/network/duplicates/merge/{survivor.pk}/{duplicate.pk}/"
    page = moderator_client.get(url).content.decode()
    assert "https://zustricz.example.org" in page and "Kraków" in page
    assert "name variants: 1" in page
    response = moderator_client.post(url)
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    history = moderator_client.get(f"/en/network/organisations/{survivor.pk}/merges/").content.decode()
    assert "Zustricz" in history and f"#{duplicate.pk}" in history


def test_merging_into_itself_or_a_gone_one_is_refused_clearly(moderator_client):
    survivor = OrganisationFactory(name="Fundacja Zustricz")
    assert (
        "cannot be merged into itself"
        in moderator_client.get(f"/en/network/duplicates/merge/{survivor.pk}/{survivor.pk}/").content.decode()
    )
    assert moderator_client.post(f"/en/network/duplicates/merge/{survivor.pk}/{survivor.pk}/").status_code == 409
    assert moderator_client.get(f"/en/network/duplicates/merge/{survivor.pk}/999999/").status_code == 404
    assert OrganisationMerge.objects.count() == 0


def test_only_moderators(client):
    organisation = OrganisationFactory(name="A")
    other = OrganisationFactory(name="B")
    urls = ["/en/network/duplicates/", f"/en/network/duplicates/merge/{organisation.pk}/{other.pk}/"]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(urls[1]).status_code == 404
    assert Organisation.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_with_the_database_worker_the_scan_waits_then_its_result_is_read_from_the_database(moderator_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    old = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", status=OrganisationStatus.PUBLISHED)
    other = OrganisationFactory(name="Stowarzyszenie Czulent", status=OrganisationStatus.PUBLISHED)
    Organisation.objects.filter(pk__in=[old.pk, other.pk]).update(created_at="2020-01-01T00:00:00Z")
    moderator_client.post("/en/network/duplicates/scan/")
    page = moderator_client.get("/en/network/duplicates/").content.decode()
    assert "waiting or running" in page and "/merge/" not in page
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    caches["default"].clear()  # the worker is another process: its cache is not this one's
    page = moderator_client.get("/en/network/duplicates/").content.decode()
    assert "waiting or running" not in page
    assert f"/merge/{old.pk}/{other.pk}/" in page


def test_the_profile_links_moderators_to_the_merge_history(client, moderator_client):
    from django.urls import reverse

    from civicmeet.organisations.selectors import organisation_slug

    organisation = OrganisationFactory(name="Fundacja Zustricz", status=OrganisationStatus.PUBLISHED)
    url = reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})
    history = f"/network/organisations/{organisation.pk}/merges/"
    assert history in moderator_client.get(url).content.decode()
    client.logout()
    assert history not in client.get(url).content.decode()
