"""The demo's last week and day, loaded by `load_demo` through the services (content_day.py).

- A desk member (TeamRole.DESK) on the demo meeting's team and the earlier one's, with a login.
- The demo meeting: every accepted participant's ticket; "Are you still coming?" asked (the
  meeting is within `RECONFIRM_DAYS_BEFORE` days) with some answers, one of them "no"; the seat it
  freed offered to the first on the waiting list, the offer waiting for an answer.
- An earlier meeting of the network, over: its participants registered and accepted while it was
  open (`registration_submit` at a moment of its window), checked in at the desk at the times of
  content_day (`checkin_record` and `walk_in` with that moment), two who did not come; so that
  its report, counters and attendance list have figures.
- Both meetings linked to the programme "Active Citizens – National Fund" of the network demo.

Safe to run again: whoever is checked in already is left alone (and a check-in's client id is
fixed per person, so even a repeated one is answered from the first record and writes nothing);
nothing else is made twice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.accounts.services import organiser_account_save
from civicmeet.checkin.models import CheckIn, Source
from civicmeet.checkin.services import checkin_record, walk_in
from civicmeet.checkin.tickets import ticket_code, ticket_for
from civicmeet.core.errors import DomainError
from civicmeet.events import services as event_services
from civicmeet.events.models import Event
from civicmeet.organisations.services import organisation_get_or_create
from civicmeet.programmes import examples as programme_examples
from civicmeet.programmes.models import Programme
from civicmeet.registrations.models import OfferState, Reconfirmation, Registration, SeatOffer, State
from civicmeet.registrations.offers import offer_make, pending_offer_for
from civicmeet.registrations.reconfirmation import reconfirmation_answer, reconfirmations_send
from civicmeet.registrations.services import RegistrationData, registration_decide, registration_submit
from civicmeet.registrations.validation import clean_answers

from . import content, content_day

FRIDAY = 4


def past_schedule(today: date, tz) -> dict[str, datetime]:
    """A Friday 10:00–15:00 about `PAST_WEEKS_AGO` weeks before `today`, registration open for the
    four weeks before it and closed two days before."""
    day = today - timedelta(weeks=content_day.PAST_WEEKS_AGO)
    day -= timedelta(days=(day.weekday() - FRIDAY) % 7)
    return {
        "starts_at": datetime.combine(day, time(10, 0), tz),
        "ends_at": datetime.combine(day, time(15, 0), tz),
        "registration_opens_at": datetime.combine(day - timedelta(weeks=4), time(0, 0), tz),
        "registration_closes_at": datetime.combine(day - timedelta(days=2), time(23, 59), tz),
    }


def _data(event: Event, person: dict[str, Any]) -> RegistrationData:
    values = {key: value for key, value in person.items() if key not in ("came", "decision", "message", "safety")}
    values["answers"] = clean_answers(list(event.questions.all()), values.get("answers", {}))
    return RegistrationData(**values, consent_processing=True)


def desk_member(events: list[Event], organiser) -> Any:
    """The desk's demo account on each event's team at the desk. Its password is set when the
    account is made (and again if it has none); unlike the organiser's it is not checked on every
    load, which would cost a password hash each time `make run` starts."""
    user, created = organiser_account_save(email=content_day.DESK_EMAIL)
    if created or not user.has_usable_password():
        # Printed for everyone to use, like the organiser's: the validators would refuse it.
        user, _created = organiser_account_save(
            email=content_day.DESK_EMAIL, password=content_day.DESK_PASSWORD, validate=False
        )
    for event in events:
        if not TeamMember.objects.filter(team=event.team_id, user=user).exists():
            event_services.team_member_add(event=event, email=user.email, role=TeamRole.DESK, actor=organiser)
    return user


def programme_link(events: list[Event], organiser) -> int:
    """Link the meetings to the network demo's programme (once: an organiser's choice is kept)."""
    programme = Programme.objects.filter(slug=programme_examples.PROGRAMME["slug"]).first()
    linked = 0
    for event in events:
        if programme is not None and event.programme_id is None:
            event_services.event_update(event=event, data={"programme": programme}, actor=organiser)
            linked += event.programme_id is not None
    return linked


def before_the_day(event: Event, organiser) -> dict[str, int]:
    """Tickets, the reconfirmation with its answers and one offer to the waiting list."""
    done = {"answers": 0, "offers": 0}
    # The acceptance email made each ticket; one accepted before tickets existed gets it now.
    for registration in Registration.objects.filter(event=event, state=State.ACCEPTED).select_related("event"):
        ticket_for(registration)
    if event.reconfirm_days_before is None or event.starts_at <= timezone.now():
        return done  # an older demo (or one an organiser changed): it does not ask
    # The scheduled task's own run, now rather than within ten minutes: it asks whoever is due, in
    # any event of this database, exactly as the worker would.
    reconfirmations_send()
    asked = Reconfirmation.objects.filter(registration__event=event, answer="").select_related("registration")
    for reconfirmation in asked:
        answer = content_day.RECONFIRM_ANSWERS.get(reconfirmation.registration.email)
        if answer and reconfirmation.registration.state == State.ACCEPTED:
            reconfirmation_answer(reconfirmation=reconfirmation, answer=answer)
            done["answers"] += 1
    waiting = Registration.objects.filter(event=event, email=content_day.OFFER_TO, state=State.WAITLISTED).first()
    answered = SeatOffer.objects.filter(registration=waiting, state__in=(OfferState.ACCEPTED, OfferState.DECLINED))
    # Offered again when the last offer ran out (a demo loaded days ago), never once answered.
    if waiting is not None and pending_offer_for(waiting) is None and not answered.exists():
        try:
            offer_make(registration=waiting, actor=organiser)
        except DomainError:
            pass  # no seat left (an organiser filled the meeting while trying it out): nothing to offer
        else:
            done["offers"] += 1
    return done


def past_meeting(organiser, co_organisers) -> tuple[Event, dict[str, int]]:
    """The earlier meeting with its registrations and check-ins (made once; missing parts added)."""
    event = Event.objects.filter(slug=content_day.PAST_SLUG).first()
    done = {"registrations": 0, "checkins": 0}
    if event is None:
        tz = ZoneInfo(content.TIMEZONE)
        event = event_services.event_create(
            creator=organiser,
            data={
                "slug": content_day.PAST_SLUG,
                "title": content_day.PAST_TITLE,
                "description": content_day.PAST_DESCRIPTION,
                "venue": content_day.PAST_VENUE,
                "processing_purpose": content.PROCESSING_PURPOSE,
                "fallback_language": "pl",
                "timezone": content.TIMEZONE,
                "capacity": content_day.PAST_CAPACITY,
                "seats_per_organisation": content.SEATS_PER_ORGANISATION,
                "is_free": True,
                "provides_materials": True,
                "provides_catering": True,
                **past_schedule(timezone.localdate(timezone=tz), tz),
            },
            co_organisers=co_organisers,
        )
        event_services.team_member_add(
            event=event, email=organiser.email, role=TeamRole.ORGANISER, organisation=co_organisers[0]
        )
        lunch = [question for question in content.QUESTIONS if question["key"] == "lunch"]
        event_services.questions_replace(event=event, questions=lunch)
        event_services.event_publish(event=event)
    if not event.is_published:
        return event, done  # unpublished by an organiser on purpose: leave it be
    # Registered while it was open, a day after registration opened.
    registered_at = event.registration_opens_at + timedelta(days=1)
    known = {email.lower(): pk for email, pk in Registration.objects.filter(event=event).values_list("email", "pk")}
    for person in content_day.PAST_REGISTRATIONS:
        if person["email"].lower() in known:
            continue
        registration = registration_submit(event=event, data=_data(event, person), now=registered_at)
        registration_decide(registration=registration, decision="accept", actor=organiser)
        done["registrations"] += 1
    return event, done


def past_checkins(event: Event, organiser, desk) -> int:
    """Check the earlier meeting's people in at the desk, at the times they came (and the walk-in)."""
    day = timezone.localtime(event.starts_at, event.tz).date()
    actors = {"desk": desk, "organiser": organiser}
    recorded = 0
    people = {
        registration.email.lower(): registration
        for registration in Registration.objects.filter(event=event).select_related("event", "organisation")
    }
    present = set(CheckIn.objects.filter(event=event).values_list("registration_id", flat=True))
    for person in content_day.PAST_REGISTRATIONS:
        came = person.get("came")
        registration = people.get(person["email"].lower())
        if came is None or registration is None or registration.state != State.ACCEPTED or registration.pk in present:
            continue
        at = datetime.combine(day, time.fromisoformat(came["at"]), event.tz)
        # One fixed client id per person: a second load is answered from the first and records nothing.
        client_id = f"demo-{registration.pk}"
        if came["how"] == "name":
            result = checkin_record(
                event=event,
                client_id=client_id,
                actor=actors[came["by"]],
                registration=registration,
                source=Source.NAME,
                now=at,
            )
        else:
            code = ticket_code(registration)
            assert code is not None  # accepted
            result = checkin_record(event=event, client_id=client_id, actor=actors[came["by"]], code=code, now=at)
        recorded += not result.replayed
    person = content_day.PAST_WALK_IN
    if person["email"].lower() in people:
        return recorded
    came = person["came"]
    try:
        result = walk_in(
            event=event,
            data=_data(event, person),
            actor=actors[came["by"]],
            client_id="demo-walk-in",
            now=datetime.combine(day, time.fromisoformat(came["at"]), event.tz),
        )
    except DomainError:
        return recorded  # no seat left for them (the meeting was changed by hand): they stay out
    return recorded + (not result.replayed)


def load_the_day(*, event: Event, organiser) -> dict[str, Any]:
    """Everything above; returns what was added, for the command's report."""
    co_organisers = [organisation_get_or_create(name=name, type=kind) for name, kind in content.CO_ORGANISERS]
    past, done = past_meeting(organiser, co_organisers)
    desk = desk_member([event, past], organiser)
    done["checkins"] = past_checkins(past, organiser, desk) if past.is_published else 0
    done |= before_the_day(event, organiser) if event.is_published else {}
    done["programme_links"] = programme_link([event, past], organiser)
    return {"past": past, "desk": desk, "added": done}
