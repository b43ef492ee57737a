"""`manage.py load_demo`: the invitation's meeting, ready to be tried out.

Loads the networking meeting from the real invitation (Polish, English and Ukrainian texts),
its co-organisers, custom questions, a handful of registrations (some already decided) and the
demo organiser, all through the services; then the last week and the day (the_day.py): tickets,
"Are you still coming?" with some answers, an offer to the waiting list, a desk login, and an
earlier meeting that has taken place, with its check-ins. The invitation's safety rule is the event's rule (not
text in a description), and the registrations carry safety declarations checked against it.
Safe to run again: what exists is left alone, except that a demo whose registration window has
passed gets new dates so that registration is open (the verdicts are then recomputed for the new
start, as for any event; declarations purged after the old date count as "to be checked").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.accounts.models import TeamRole
from civicmeet.accounts.services import organiser_account_save
from civicmeet.core.images import COVER, LOGO, process_image
from civicmeet.demo import content, content_day, network, pictures
from civicmeet.demo.network import load_network
from civicmeet.demo.the_day import load_the_day
from civicmeet.events import services as event_services
from civicmeet.events.models import Event
from civicmeet.organisations.services import organisation_get_or_create
from civicmeet.registrations.models import Registration
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import RegistrationData, registration_decide, registration_submit
from civicmeet.registrations.validation import clean_answers, normalise_phone, safety_input_problems

FRIDAY = 4


def demo_schedule(today: date, tz: ZoneInfo) -> dict[str, datetime]:
    """Dates that keep the invitation's shape and open registration today.

    The meeting is a Friday 10:00–16:00 about three weeks ahead; registration closes at the end of
    the Sunday before it (the original deadline, 26 September 2021, was a Sunday) and opened a
    week ago.
    """
    day = today + timedelta(days=20)
    day += timedelta(days=(FRIDAY - day.weekday()) % 7)
    return {
        "starts_at": datetime.combine(day, time(10, 0), tz),
        "ends_at": datetime.combine(day, time(16, 0), tz),
        "registration_opens_at": datetime.combine(today - timedelta(days=7), time(0, 0), tz),
        "registration_closes_at": datetime.combine(day - timedelta(days=5), time(23, 59), tz),
    }


class Command(BaseCommand):
    help = "Load the demo meeting (the real invitation), its registrations and the demo organiser. Idempotent."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            organiser = self._organiser()
            co_organisers = [organisation_get_or_create(name=name, type=kind) for name, kind in content.CO_ORGANISERS]
            event = self._event(organiser, co_organisers)
            self._identity(event, co_organisers, organiser)
            added = self._registrations(event, organiser)
            loaded = load_network(organiser=organiser)
            day = load_the_day(event=event, organiser=organiser)
        if any(loaded.values()):
            self.stdout.write(
                "Loaded the demo network: " + ", ".join(f"{n} {what}" for what, n in loaded.items()) + "."
            )
        self._report(event, added, day)

    def _organiser(self):
        user, created = organiser_account_save(email=content.ORGANISER_EMAIL)
        if created or not user.check_password(content.ORGANISER_PASSWORD):
            # The demo login is printed for everyone to use, so it must keep working; the
            # password validators would refuse it for resembling the address.
            user, _created = organiser_account_save(
                email=content.ORGANISER_EMAIL, password=content.ORGANISER_PASSWORD, validate=False
            )
            self.stdout.write("Set the demo organiser's password.")
        return user

    def _event(self, organiser, co_organisers) -> Event:
        tz = ZoneInfo(content.TIMEZONE)
        schedule = demo_schedule(timezone.localdate(timezone=tz), tz)
        event = Event.objects.filter(slug=content.SLUG).first()
        if event is None:
            event = event_services.event_create(
                creator=organiser,
                data={
                    "slug": content.SLUG,
                    "title": content.TITLE,
                    "description": content.DESCRIPTION,
                    "agenda": content.AGENDA,
                    "venue": content.VENUE,
                    "conditions": content.CONDITIONS,
                    "safety_policy": content.SAFETY_POLICY,
                    "safety_rules": content.SAFETY_NOTES,
                    "processing_purpose": content.PROCESSING_PURPOSE,
                    "fallback_language": "pl",
                    "timezone": content.TIMEZONE,
                    "capacity": content.CAPACITY,
                    "seats_per_organisation": content.SEATS_PER_ORGANISATION,
                    "is_free": True,
                    "provides_materials": True,
                    "provides_catering": True,
                    "reconfirm_days_before": content_day.RECONFIRM_DAYS_BEFORE,
                    "offer_hours": content_day.OFFER_HOURS,
                    **schedule,
                },
                co_organisers=co_organisers,
            )
            # On the team on behalf of the first co-organiser.
            event_services.team_member_add(
                event=event, email=organiser.email, role=TeamRole.ORGANISER, organisation=co_organisers[0]
            )
            event_services.questions_replace(event=event, questions=content.QUESTIONS)
            event_services.event_publish(event=event)
            self.stdout.write(f"Created the demo event {event.slug}.")
        elif event.registration_status() != "open":
            event = event_services.event_update(event=event, data=schedule)
            self.stdout.write(f"Moved the demo event {event.slug} so that its registration is open today.")
        return event

    def _identity(self, event: Event, co_organisers, organiser) -> None:
        """The organisers' contact, a cover and the co-organisers' logos, if the demo has none yet."""
        if event.cover_id is not None or event.contact_email:
            return  # set before (or by an organiser): leave it be
        event_services.event_identity_update(
            event=event,
            contact=content.CONTACT,
            cover=process_image(pictures.cover_png(), COVER),
            logos={
                organisation.pk: process_image(pictures.LOGOS[organisation.name](), LOGO)
                for organisation in co_organisers
                if organisation.name in pictures.LOGOS and organisation.logo_id is None
            },
            actor=organiser,
        )
        self.stdout.write("Gave the demo event its cover, logos and contact.")

    def _registrations(self, event: Event, organiser) -> int:
        if not event.is_published:
            return 0  # An organiser unpublished the demo on purpose; leave it be.
        known = {email.lower() for email in Registration.objects.filter(event=event).values_list("email", flat=True)}
        questions = list(event.questions.all())
        added = 0
        for person in content.REGISTRATIONS:
            if person["email"].lower() in known:
                continue
            values = {key: value for key, value in person.items() if key not in ("decision", "message", "safety")}
            values["phone"] = normalise_phone(values.get("phone", ""))
            values["answers"] = clean_answers(questions, values.get("answers", {}))
            safety = self._declaration(event, person.get("safety"))
            data = RegistrationData(**values, consent_processing=True, safety=safety, consent_health=safety is not None)
            registration = registration_submit(event=event, data=data)
            added += 1
            if person.get("decision"):
                registration_decide(
                    registration=registration,
                    decision=person["decision"],
                    actor=organiser,
                    message=person.get("message", ""),
                )
        return added

    def _declaration(self, event: Event, declared) -> SafetyInput | None:
        """The person's declaration as the form would give it: dated `days_ago` days before today
        (a vaccination or a positive test has happened), checked as the form checks it."""
        if event.safety is None or declared is None or declared == content.BRING_TEST:
            return None
        today = timezone.localdate(timezone=event.tz)
        safety = SafetyInput(basis=declared["basis"], date=today - timedelta(days=declared["days_ago"]))
        problems = safety_input_problems(event, safety, today=today)
        if problems:
            raise ValueError(f"demo declaration {declared!r}: {problems}")
        return safety

    def _report(self, event: Event, added: int, day: dict) -> None:
        if added:
            self.stdout.write(f"Added {added} demo registration(s).")
        if any(day["added"].values()):
            self.stdout.write(
                "Loaded the demo's last week and day: {registrations} registration(s) and {checkins} check-in(s) "
                "at the earlier meeting, {answers} answer(s) to “Are you still coming?”, {offers} seat offer(s) to "
                "the waiting list, {programme_links} meeting(s) linked to the programme.".format(**day["added"])
            )
        if not added and not any(day["added"].values()):
            self.stdout.write("The demo is already loaded; nothing to add.")
        with translation.override("pl"):
            event_url = settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug})
            login_url = settings.SITE_URL + reverse("accounts:login")
        closes = event.local(event.registration_closes_at).strftime("%Y-%m-%d %H:%M")
        starts = event.local(event.starts_at).strftime("%A %Y-%m-%d %H:%M")
        self.stdout.write("")
        self.stdout.write(f"Demo event:  {event_url}")
        self.stdout.write(f"             starts {starts} ({event.timezone}); registration open until {closes}")
        self.stdout.write(self.style.SUCCESS(f"Organiser login: {login_url}"))
        self.stdout.write(self.style.SUCCESS(f"    email:    {content.ORGANISER_EMAIL}"))
        self.stdout.write(self.style.SUCCESS(f"    password: {content.ORGANISER_PASSWORD}"))
        past = day["past"]
        with translation.override("pl"):
            desk_url = settings.SITE_URL + reverse("checkin:desk", kwargs={"slug": event.slug})
            report_url = settings.SITE_URL + reverse("checkin:report", kwargs={"slug": past.slug})
        self.stdout.write(self.style.SUCCESS(f"Desk login (check-in only): {desk_url}"))
        self.stdout.write(self.style.SUCCESS(f"    email:    {content_day.DESK_EMAIL}"))
        self.stdout.write(self.style.SUCCESS(f"    password: {content_day.DESK_PASSWORD}"))
        held = past.local(past.starts_at).strftime("%Y-%m-%d")
        self.stdout.write(f"An earlier meeting, held {held}, with its check-ins: {report_url} (organiser login)")
        with translation.override("pl"):
            signin_url = settings.SITE_URL + reverse("accounts:signin_link")
            directory_url = settings.SITE_URL + reverse("directory:list")
        self.stdout.write(f"The network: {directory_url}")
        self.stdout.write(
            f"Representatives sign in with a link sent by email: {signin_url} "
            f"(e.g. {network.ORGANISATIONS[0]['representative'][0]}; the email lands in the outbox)"
        )
