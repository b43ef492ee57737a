"""Services of activities, offers and needs, suggestions and contact requests (real database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicmeet.core.errors import ConflictError, PermissionDeniedError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.models import RepresentativeStatus
from civicmeet.resources import contact, services
from civicmeet.resources.models import ContactStatus, ResourceLogEntry, Suggestion
from civicmeet.resources.suggestions import fits_for_organisation, suggestion_dismiss, suggestions_compute_all
from civicmeet.search.models import SearchDocument

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """A: Fundacja X offers a room for 40 in Kraków on Saturdays and Sundays; B needs one for 30 on Saturdays."""
    a = f.organisation("Fundacja X")
    b = f.organisation("Stowarzyszenie Y")
    rep_a = f.representative(a, email="olena@x.example.org", language="uk", first_name="Olena")
    rep_b = f.representative(b, email="jan@y.example.org", language="pl", first_name="Jan")
    offer = f.resource(a, rep_a, title="Sala na 40 osób", quantity=40, weekdays=[5, 6])
    need = f.resource(b, rep_b, direction="need", title="Potrzebna sala", quantity=30, weekdays=[5])
    return a, b, rep_a, rep_b, offer, need


def test_create_writes_history_and_search_entry(pair):
    a, _b, rep_a, _rep_b, offer, _need = pair
    entry = ResourceLogEntry.objects.get(item_kind="resource", item_id=offer.pk)
    assert entry.action == "created" and entry.actor == rep_a and entry.changes["quantity"] == [None, 40]
    document = SearchDocument.objects.get(kind="offer", key=str(offer.pk))
    assert document.facets["category"] == "room" and document.facets["direction"] == "offer"
    assert document.facets["region"] == "malopolskie" and document.facets["type"] == a.type
    assert "Fundacja X" in document.text


def test_only_representatives_and_moderators_may_write(pair):
    a, _b, _rep_a, rep_b, offer, _need = pair
    with pytest.raises(PermissionDeniedError):
        services.resource_update(resource=offer, actor=rep_b, data={"title": "Mine now"})
    pending = f.representative(a, status=RepresentativeStatus.PENDING)
    with pytest.raises(PermissionDeniedError):
        services.activity_create(organisation=a, actor=pending, data={"title": "Nope"})


def test_bad_data_refused_by_field(pair):
    a, _b, rep_a, *_ = pair
    with pytest.raises(ValidationError) as error:
        f.resource(a, rep_a, region="", city="", online=False, weekdays=[9])
    assert set(error.value.message_dict) >= {"region", "weekdays"}
    with pytest.raises(ValidationError) as error:
        f.activity(a, rep_a, starts_on=date(2027, 5, 1), ends_on=date(2027, 4, 1))
    assert "ends_on" in error.value.message_dict


def test_update_logs_each_change_and_inactive_leaves_search(pair):
    _a, _b, rep_a, _rep_b, offer, _need = pair
    services.resource_update(resource=offer, actor=rep_a, data={"quantity": 45, "active": False})
    entry = ResourceLogEntry.objects.filter(item_id=offer.pk, action="updated").get()
    assert entry.changes == {"quantity": [40, 45], "active": [True, False]}
    assert not SearchDocument.objects.filter(kind="offer", key=str(offer.pk)).exists()


def test_delete_keeps_history(pair):
    _a, _b, rep_a, _rep_b, offer, _need = pair
    services.resource_delete(resource=offer, actor=rep_a)
    assert ResourceLogEntry.objects.filter(item_id=offer.pk, action="deleted").exists()
    assert not SearchDocument.objects.filter(kind="offer", key=str(offer.pk)).exists()


def test_suggested_to_both_sides(pair):
    a, b, rep_a, rep_b, offer, need = pair
    for org, user in ((a, rep_a), (b, rep_b)):
        fits = fits_for_organisation(organisation=org, user=user)
        assert [(x.offer_id, x.need_id) for x in fits] == [(offer.pk, need.pk)]


def test_private_offer_not_suggested_to_others(pair):
    _a, b, rep_a, rep_b, offer, _need = pair
    services.resource_update(resource=offer, actor=rep_a, data={"visibility": "private"})
    assert fits_for_organisation(organisation=b, user=rep_b) == []


def test_draft_organisation_not_matched(pair):
    a, b, _rep_a, rep_b, *_ = pair
    a.status = "draft"
    a.save()
    assert fits_for_organisation(organisation=b, user=rep_b) == []


def test_one_organisation_in_constant_queries(pair, django_assert_max_num_queries):
    a, b, rep_a, rep_b, *_ = pair
    for n in range(10):
        f.resource(a, rep_a, title=f"Sala {n}", quantity=40 + n, weekdays=[5])
    with django_assert_max_num_queries(4):
        assert len(fits_for_organisation(organisation=b, user=rep_b)) == 11


def test_nightly_run_stores_and_keeps_dismissals(pair):
    a, b, rep_a, rep_b, offer, need = pair
    assert suggestions_compute_all() == {"created": 1, "updated": 0, "removed": 0}
    suggestion_dismiss(user=rep_b, offer=offer, need=need, by=b)
    assert fits_for_organisation(organisation=b, user=rep_b) == []
    assert len(fits_for_organisation(organisation=a, user=rep_a)) == 1  # only B said "not for us"
    assert suggestions_compute_all() == {"created": 0, "updated": 1, "removed": 0}
    assert Suggestion.objects.get().dismissed_by_needer is True
    services.resource_update(resource=offer, actor=rep_a, data={"quantity": 10})
    assert suggestions_compute_all()["removed"] == 1


def test_contact_request_emails_the_other_side_in_its_language_without_the_askers_address(pair, run_on_commit):
    a, _b, rep_a, rep_b, offer, need = pair
    request = contact.contact_request_send(
        user=rep_b, offer=offer, need=need, message="Czy możemy skorzystać z sali w sobotę?", language="pl"
    )
    assert request.from_organisation.name == "Stowarzyszenie Y" and request.to_organisation == a
    email = OutgoingEmail.objects.get(kind="resources_contact_request")
    assert email.to == "olena@x.example.org" and email.language == "uk"
    assert "Stowarzyszenie Y" in email.subject
    assert "jan@y.example.org" not in email.body_text + email.body_html + email.subject
    assert email.reply_to == ""
    assert "Czy możemy skorzystać" in email.body_text
    assert "/uk/network/contact/answer/" in email.body_text
    assert "хоче зв" in email.subject  # Ukrainian: "… хоче зв'язатися"


def test_second_pending_request_for_the_pair_refused(pair):
    _a, _b, rep_a, rep_b, offer, need = pair
    contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Hello", language="en")
    with pytest.raises(ConflictError):
        contact.contact_request_send(user=rep_a, offer=offer, need=need, message="Hello too", language="en")


def test_contact_requests_limited_per_day(pair, monkeypatch):
    a, _b, rep_a, rep_b, _offer, need = pair
    monkeypatch.setattr(contact, "CONTACT_REQUESTS_PER_DAY", 2)
    offers = [f.resource(a, rep_a, title=f"Sala {n}") for n in range(3)]
    for item in offers[:2]:
        contact.contact_request_send(user=rep_b, offer=item, need=need, message="Hi", language="en")
    with pytest.raises(contact.ContactRefused) as error:
        contact.contact_request_send(user=rep_b, offer=offers[2], need=need, message="Hi", language="en")
    assert error.value.code == "too_many"


def test_outsider_may_not_ask(pair):
    _a, _b, _rep_a, _rep_b, offer, need = pair
    stranger = f.representative(f.organisation("Inna"))
    with pytest.raises(PermissionDeniedError):
        contact.contact_request_send(user=stranger, offer=offer, need=need, message="Hi", language="en")


def _token(request, user) -> str:
    """The raw token of `user`'s link, read back from their email as they would."""
    email = OutgoingEmail.objects.filter(kind="resources_contact_request", to=user.email).latest("id")
    return email.body_text.split("/network/contact/answer/")[1].split("/")[0]


def test_accept_by_link_gives_both_sides_each_others_contact(pair):
    _a, _b, rep_a, rep_b, offer, need = pair
    request = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Hi", language="pl")
    answered = contact.contact_request_answer(token=_token(request, rep_a), accept=True)
    assert answered.status == ContactStatus.ACCEPTED and answered.answered_by == rep_a
    to_asker = OutgoingEmail.objects.get(kind="resources_contact_accepted", to=rep_b.email)
    to_answerer = OutgoingEmail.objects.get(kind="resources_contact_accepted", to=rep_a.email)
    assert rep_a.email in to_asker.body_text and to_asker.language == "pl"
    assert rep_b.email in to_answerer.body_text and to_answerer.language == "uk"
    with pytest.raises(ConflictError):
        contact.contact_request_answer(token=_token(request, rep_a), accept=False)


def test_decline_tells_the_asker_without_contact(pair):
    _a, _b, rep_a, rep_b, offer, need = pair
    request = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Hi", language="en")
    contact.contact_request_answer(request=request, user=rep_a, accept=False)
    email = OutgoingEmail.objects.get(kind="resources_contact_declined")
    assert email.to == rep_b.email and rep_a.email not in email.body_text
    assert "cannot take it up" in email.body_text
    # A new request for the pair may follow once the first was answered.
    contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Later?", language="en")


def test_only_the_asked_side_answers_signed_in(pair):
    _a, _b, _rep_a, rep_b, offer, need = pair
    request = contact.contact_request_send(user=rep_b, offer=offer, need=need, message="Hi", language="en")
    with pytest.raises(PermissionDeniedError):
        contact.contact_request_answer(request=request, user=rep_b, accept=True)


def test_activity_timing():
    org = f.organisation()
    rep = f.representative(org)
    today = timezone.localdate()
    assert f.activity(org, rep, starts_on=today + timedelta(days=3)).timing() == "planned"
    assert f.activity(org, rep, starts_on=today - timedelta(days=3)).timing() == "current"
    assert f.activity(org, rep).timing() == "current"
    past = f.activity(org, rep, starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=1))
    assert past.timing() == "past"
