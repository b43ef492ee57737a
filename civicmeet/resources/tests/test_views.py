"""Pages of offers and needs: happy paths, bad input in pl/uk (form kept), access, query ceilings."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.resources.models import ContactRequest, Resource

from . import factories as f

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"resources:{name}", kwargs=kwargs)


@pytest.fixture
def world():
    a = f.organisation("Fundacja X")
    b = f.organisation("Stowarzyszenie Y")
    rep_a = f.representative(a, email="olena@x.example.org", language="uk")
    rep_b = f.representative(b, email="jan@y.example.org", language="pl")
    offer = f.resource(a, rep_a, title="Sala na 40 osób", quantity=40, weekdays=[5, 6], language="pl")
    need = f.resource(b, rep_b, direction="need", title="Потрібна зала", quantity=30, weekdays=[5], language="uk")
    return a, b, rep_a, rep_b, offer, need


GOOD = {
    "direction": "offer",
    "category": "room",
    "title": "Sala konferencyjna",
    "description": "",
    "language": "pl",
    "quantity": "40",
    "city": "Kraków",
    "region": "malopolskie",
    "weekdays": ["5"],
    "visibility": "public",
    "active": "on",
}


def test_add_an_offer(client, world):
    a, _b, rep_a, *_ = world
    client.force_login(rep_a)
    response = client.post(url("resource_create", organisation_pk=a.pk), GOOD)
    assert response.status_code == 302
    created = Resource.objects.get(title="Sala konferencyjna")
    assert created.weekdays == [5] and created.quantity == 40 and created.created_by == rep_a


@pytest.mark.parametrize(
    ("language", "message"),
    [("pl", "Wybierz województwo"), ("uk", "Виберіть воєводство")],
)
def test_bad_input_explained_next_to_the_field_and_kept(client, world, language, message):
    a, _b, rep_a, *_ = world
    client.force_login(rep_a)
    bad = {**GOOD, "region": "", "quantity": "-3", "title": "Zachowany tytuł"}
    response = client.post(url("resource_create", language, organisation_pk=a.pk), bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_region_error"' in html and message in html
    assert 'id="id_quantity_error"' in html
    assert 'value="Zachowany tytuł"' in html
    assert not Resource.objects.filter(title="Zachowany tytuł").exists()


def test_manage_is_for_the_organisations_representatives(client, world):
    a, _b, _rep_a, rep_b, *_ = world
    assert client.get(url("manage", organisation_pk=a.pk)).status_code == 302  # sign in first
    client.force_login(rep_b)
    assert client.get(url("manage", organisation_pk=a.pk)).status_code == 404
    assert client.get(url("resource_create", organisation_pk=a.pk)).status_code == 404


def test_public_list_filters_and_hides_private(client, world, django_assert_max_num_queries):
    a, _b, rep_a, _rep_b, offer, need = world
    f.resource(a, rep_a, title="Tajna sala", visibility="private")
    for n in range(15):
        f.resource(a, rep_a, title=f"Projektor {n}", category="equipment")
    with django_assert_max_num_queries(6):
        html = client.get(url("offers")).content.decode()
    assert "Tajna sala" not in html
    html = client.get(url("offers"), {"direction": "need"}).content.decode()
    assert need.title in html and offer.title not in html
    html = client.get(url("offers"), {"category": "room", "language": "xx"}).content.decode()
    assert offer.title in html


def test_detail_shows_written_in_hint(client, world):
    *_, offer, need = world
    html = client.get(url("detail", "en", pk=need.pk)).content.decode()
    assert "Written in Українська" in html or "Written in" in html
    assert client.get(url("detail", "uk", pk=need.pk)).content.decode().count('data-written-in="uk"') == 0


def test_suggestions_show_reasons_and_contact_sends_email(client, world):
    a, b, rep_a, rep_b, offer, need = world
    client.force_login(rep_b)
    html = client.get(url("suggestions")).content.decode()
    assert "Sala na 40 osób" in html and "Fundacja X" in html
    assert "You need: room or space, for 30 people" in html
    assert "Enough: for 40 people offered, for 30 people needed." in html
    response = client.post(url("contact", offer_pk=offer.pk, need_pk=need.pk), {"message": "Dzień dobry!"})
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.from_organisation == b and request.to_organisation == a
    assert OutgoingEmail.objects.filter(to=rep_a.email, language="uk").exists()
    # The same pair again: refused with a clear message, the text kept.
    response = client.post(url("contact", offer_pk=offer.pk, need_pk=need.pk), {"message": "Once more"})
    assert response.status_code == 400 and "already waiting" in response.content.decode()
    assert "Once more" in response.content.decode()


def test_empty_message_refused_in_polish(client, world):
    *_, rep_b, offer, need = world
    client.force_login(rep_b)
    response = client.post(url("contact", "pl", offer_pk=offer.pk, need_pk=need.pk), {"message": ""})
    assert response.status_code == 400 and 'id="id_message_error"' in response.content.decode()


def test_answer_by_link_get_changes_nothing_post_answers(client, world):
    *_, rep_b, offer, need = world
    client.force_login(rep_b)
    client.post(url("contact", offer_pk=offer.pk, need_pk=need.pk), {"message": "Hi"})
    client.logout()
    body = OutgoingEmail.objects.get(kind="resources_contact_request").body_text
    token = body.split("/network/contact/answer/")[1].split("/")[0]
    assert client.get(url("contact_answer", token=token)).status_code == 200
    assert ContactRequest.objects.get().status == "pending"
    assert client.post(url("contact_answer", token=token), {"answer": "accept"}).status_code == 302
    assert ContactRequest.objects.get().status == "accepted"
    assert client.get(url("contact_answer", token="not-a-token")).status_code == 404


def test_profile_section_constant_queries(world, django_assert_max_num_queries):
    from civicmeet.resources.profile import profile_section_context

    a, _b, rep_a, *_ = world
    for n in range(10):
        f.resource(a, rep_a, title=f"Sala {n}")
        f.activity(a, rep_a, title=f"Kurs {n}")
    from django.contrib.auth.models import AnonymousUser

    with django_assert_max_num_queries(2):
        context = profile_section_context(a, AnonymousUser())
    assert len(context["offers"]) == 11 and len(context["current"]) == 10
