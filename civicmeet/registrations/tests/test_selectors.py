from __future__ import annotations

import pytest

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.registrations.models import Dietary, State
from civicmeet.registrations.selectors import (
    RegistrationFilters,
    catering_summary,
    email_counts,
    email_list,
    registration_counts,
    registration_get,
    registration_list,
    registration_organisations,
)
from civicmeet.registrations.services import guest_add, registration_cancel, registration_decide

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db


def pks(queryset) -> set[int]:
    return {registration.pk for registration in queryset}


def test_counts_per_state_seats_left_and_guests(organiser, event, django_assert_num_queries):
    event.capacity = 5
    event.save()
    for decision in ["accept", "accept", "waitlist", "reject"]:
        registration_decide(registration=submit(event), decision=decision, actor=organiser)
    registration_cancel(registration=submit(event))
    submit(event)
    guest_add(event=event, data=registration_data(), actor=organiser)
    cancelled_guest = guest_add(event=event, data=registration_data(), actor=organiser)
    registration_cancel(registration=cancelled_guest, actor=organiser)
    submit(EventFactory())  # another event's registration counts nowhere here

    with django_assert_num_queries(1):
        counts = registration_counts(event=event)

    assert counts.by_state == {
        State.SUBMITTED: 1,
        State.ACCEPTED: 2,
        State.WAITLISTED: 1,
        State.REJECTED: 1,
        State.CANCELLED: 1,
    }
    assert counts.seats_taken == 2
    assert counts.seats_left == 3
    assert counts.guests == 1


def test_seats_left_never_negative(organiser, event):
    event.capacity = 1
    event.save()
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    event.capacity = 0  # the organisers shrank the room after accepting someone
    assert registration_counts(event=event).seats_left == 0


def test_list_is_scoped_to_the_event_and_oldest_first(event):
    first, second = submit(event), submit(event)
    submit(EventFactory())
    assert list(registration_list(event=event)) == [first, second]


def test_search_matches_every_word_in_any_field(event):
    olena = submit(event, first_name="Olena", last_name="Шевченко", organisation_name="Fundacja Zustricz")
    jan = submit(event, first_name="Jan", email="jan.kowalski@czulent.example", organisation_name="Czulent")

    def search(text):
        return pks(registration_list(event=event, filters=RegistrationFilters(search=text)))

    assert search("OLENA") == {olena.pk}
    assert search("Шевченко") == {olena.pk}
    assert search("kowalski@CZULENT") == {jan.pk}
    assert search("olena czulent") == set()
    assert search("  ") == {olena.pk, jan.pk}
    # Regular-expression characters are taken literally.
    assert search(".*") == set()


def test_each_filter_narrows_the_list(organiser, event):
    a = submit(
        event, language="pl", dietary=Dietary.HALAL, organisation_name="Czulent", organisation_type="ethnic_minority"
    )
    b = submit(event, language="uk", dietary=Dietary.NONE, organisation_name="Zustricz", organisation_type="migrant")
    registration_decide(registration=b, decision="accept", actor=organiser)

    def listed(**kwargs):
        return pks(registration_list(event=event, filters=RegistrationFilters(**kwargs)))

    assert listed(state=State.ACCEPTED) == {b.pk}
    assert listed(organisation_type="ethnic_minority") == {a.pk}
    assert listed(organisation_id=b.organisation_id) == {b.pk}
    assert listed(language="pl") == {a.pk}
    assert listed(dietary=Dietary.HALAL) == {a.pk}
    assert listed(language="pl", state=State.ACCEPTED) == set()


def test_organisations_for_the_filter_are_those_of_the_event(event):
    submit(event, organisation_name="Czulent")
    submit(event, organisation_name="czulent")
    submit(EventFactory(), organisation_name="Elsewhere")
    assert [o.name for o in registration_organisations(event=event)] == ["Czulent"]


def test_registration_get_loads_history_and_emails_in_fixed_queries(organiser, event, django_assert_num_queries):
    registration = submit(event)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    with django_assert_num_queries(3):
        loaded = registration_get(event=event, pk=registration.pk)
        assert [entry.actor for entry in loaded.log.all()] == [None, organiser]
        assert [email.kind for email in loaded.emails.all()] == ["registration_received", "registration_accepted"]


def test_registration_get_refuses_other_events(event):
    foreign = submit(EventFactory())
    with pytest.raises(foreign.DoesNotExist):
        registration_get(event=event, pk=foreign.pk)


def test_catering_counts_accepted_guests_and_active(organiser, event, django_assert_max_num_queries):
    vegan_accepted = submit(event, dietary=Dietary.VEGAN, accessibility_needs="Wheelchair")
    registration_decide(registration=vegan_accepted, decision="accept", actor=organiser)
    submit(event, dietary=Dietary.VEGAN, interpreting_needs="Polish sign language")
    waitlisted = submit(event, dietary=Dietary.OTHER, dietary_details="Gluten-free")
    registration_decide(registration=waitlisted, decision="waitlist", actor=organiser)
    rejected = submit(event, dietary=Dietary.KOSHER, accessibility_needs="Hearing loop")
    registration_decide(registration=rejected, decision="reject", actor=organiser)
    guest_add(event=event, data=registration_data(dietary=Dietary.KOSHER, first_name="Guest"), actor=organiser)
    submit(EventFactory(), dietary=Dietary.VEGAN)

    with django_assert_max_num_queries(3):  # the catering question (none here), the counts, the texts
        summary = catering_summary(event=event)

    assert summary.totals == {"accepted": 1, "guests": 1, "active": 4}
    assert summary.diets[Dietary.VEGAN] == {"accepted": 1, "guests": 0, "active": 2}
    assert summary.diets[Dietary.KOSHER] == {"accepted": 0, "guests": 1, "active": 1}  # the rejected one is out
    assert summary.diets[Dietary.OTHER] == {"accepted": 0, "guests": 0, "active": 1}
    assert summary.accessibility == {"accepted": 1, "guests": 0, "active": 1}
    assert summary.interpreting == {"accepted": 0, "guests": 0, "active": 1}
    assert [(n.text, n.is_seated_participant) for n in summary.diet_notes] == [("Gluten-free", False)]
    assert [(n.name, n.text) for n in summary.accessibility_notes] == [(vegan_accepted.full_name, "Wheelchair")]
    assert [n.text for n in summary.interpreting_notes] == ["Polish sign language"]
    assert [row[0] for row in summary.diet_rows()] == list(Dietary.values)


def test_email_list_puts_failed_then_pending_then_sent(event):
    registration = submit(event)
    registration_cancel(registration=registration)
    submit(event)
    received, cancelled, received_b = OutgoingEmail.objects.order_by("id")
    OutgoingEmail.objects.filter(pk=received.pk).update(status=EmailStatus.GAVE_UP)
    OutgoingEmail.objects.filter(pk=cancelled.pk).update(status=EmailStatus.SENT)
    submit(EventFactory())

    assert [email.pk for email in email_list(event=event)] == [received.pk, received_b.pk, cancelled.pk]
    counts = email_counts(event=event)
    assert (counts[EmailStatus.PENDING], counts[EmailStatus.SENT], counts[EmailStatus.FAILED]) == (1, 1, 0)
    assert counts[EmailStatus.GAVE_UP] == 1


def test_seats_held_by_pending_offers_are_not_left(organiser, event, django_assert_num_queries):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from civicmeet.registrations.offers import offer_make

    from .before_factories import accepted, waitlisted

    event.capacity = 3
    event.save()
    accepted(event, organiser)
    first, second = waitlisted(event, organiser), waitlisted(event, organiser)
    offer_make(registration=first, actor=organiser)
    with django_assert_num_queries(1):
        counts = registration_counts(event=event)
    assert (counts.seats_taken, counts.seats_offered, counts.seats_left) == (1, 1, 1)
    offer_make(registration=second, actor=organiser)
    assert registration_counts(event=event).seats_left == 0
    with time_machine.travel(timezone.now() + timedelta(days=30)):  # the offers expired unanswered
        assert registration_counts(event=event).seats_offered == 0
        assert registration_counts(event=event).seats_left == 2
