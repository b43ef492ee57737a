"""What the anonymous participant does: register, see their personal page, edit and cancel.

The personal pages are keyed by the registration's unguessable token; whoever holds the link is
the participant. Those pages are kept out of search engines and never leak the token in a
Referer header.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_registration_view, limit_safety_check_view
from civicmeet.events.models import Event, QuestionKind
from civicmeet.events.safety_text import OUTCOME_LABELS, verdict_display
from civicmeet.events.selectors import event_get_for_registration
from civicmeet.programmes.selectors import interests_of_registration

from .calendar import event_ics
from .extensions import personal_links, ticket_context
from .forms import RegistrationForm, SafetyCheckForm
from .models import ACTIVE_STATES, ActorKind, LogEntry, Registration, State
from .offers import pending_offer_for
from .personal_link import private_response, registration_by_token
from .safety import registration_verdict, registration_verdict_text
from .services import (
    UNDONE_ACTION,
    AlreadyRegisteredError,
    RegistrationClosedError,
    registration_cancel,
    registration_resend_link,
    registration_submit,
    registration_update,
)

# What each state means for the participant, in plain words.
STATE_EXPLANATIONS: dict[str, Promise] = {
    State.SUBMITTED: gettext_lazy(
        "Your registration has been received and is waiting for the organisers' decision. "
        "This is not yet an admission: the organisers will tell you by email whether you can take part."
    ),
    State.ACCEPTED: gettext_lazy(
        "The organisers have accepted your registration: you have a place at the meeting. "
        "If you cannot come after all, please cancel so that someone else can take your seat."
    ),
    State.WAITLISTED: gettext_lazy(
        "You are on the waiting list. If a place becomes free, the organisers may accept you; "
        "you will get an email either way."
    ),
    State.REJECTED: gettext_lazy(
        "The organisers could not admit you to this meeting. Any message from them is shown in the history below."
    ),
    State.CANCELLED: gettext_lazy(
        "This registration has been cancelled. If you would like to take part after all, please contact the organisers."
    ),
}

# The state in one plain sentence, first thing on the personal page (accepted: `_state_sentence`).
STATE_SENTENCES: dict[str, Promise] = {
    State.SUBMITTED: gettext_lazy("Your registration is received; it is not yet an admission."),
    State.WAITLISTED: gettext_lazy("You are on the waiting list: there is no place for you yet."),
    State.REJECTED: gettext_lazy("The organisers could not admit you to this meeting."),
    State.CANCELLED: gettext_lazy("Your registration is cancelled."),
}

HISTORY_ACTIONS = {
    "registrations.registration.submitted": gettext_lazy("Registration submitted"),
    "registrations.registration.accepted": gettext_lazy("Accepted: you have a place"),
    "registrations.registration.waitlisted": gettext_lazy("Moved to the waiting list"),
    "registrations.registration.rejected": gettext_lazy("Not admitted"),
    "registrations.registration.cancelled": gettext_lazy("Cancelled"),
    "registrations.registration.edited": gettext_lazy("Answers changed"),
    "registrations.registration.guest_added": gettext_lazy("Added as a guest"),
    # Before the day (offers.py, reconfirmation.py).
    "registrations.offer.made": gettext_lazy("Offered a freed seat"),
    "registrations.offer.declined": gettext_lazy("Seat offer declined"),
    "registrations.offer.expired": gettext_lazy("Seat offer expired"),
    "registrations.waitlist.moved": gettext_lazy("Place on the waiting list changed"),
    "registrations.reconfirmation.asked": gettext_lazy("Asked whether you are still coming"),
    "registrations.reconfirmation.yes": gettext_lazy("Confirmed: still coming"),
    "registrations.reconfirmation.no": gettext_lazy("Answered: not coming"),
}

HISTORY_ACTORS: dict[str, Promise] = {
    ActorKind.PARTICIPANT: gettext_lazy("you"),
    ActorKind.ORGANISER: gettext_lazy("the organisers"),
    ActorKind.SYSTEM: gettext_lazy("the system"),
}


def _published_event(slug: str) -> Event:
    event = event_get_for_registration(slug=slug)
    if event is None:
        raise Http404
    return event


def _registration_by_token(token: str) -> Registration:
    return registration_by_token(
        token,
        Registration.objects.select_related("event", "organisation").prefetch_related(
            "event__questions", "event__co_organisers"
        ),
    )


def _can_edit(registration: Registration) -> bool:
    return registration.state in ACTIVE_STATES and registration.event.registration_status() != "closed"


def _personal_url(request: HttpRequest, registration: Registration) -> str:
    return request.build_absolute_uri(reverse("registrations:personal", kwargs={"token": registration.token}))


def _event_context(event: Event) -> dict[str, Any]:
    return {"event": event, "event_title": event.display_title()}


# The name of the no-JavaScript "Check my declaration" button in the registration form.
CHECK_SAFETY = "check_safety"


def _checked_form_page(
    request: HttpRequest,
    template_name: str,
    event: Event,
    context: dict[str, Any],
    *,
    registration: Registration | None = None,
) -> HttpResponse:
    """ "Check my declaration" without JavaScript: the page again, as typed, with the verdict. Nothing is saved."""
    form = RegistrationForm.unchecked(event, request.POST, registration=registration)
    verdict = SafetyCheckForm(event, data=request.POST).display()
    return render(request, template_name, {**context, "form": form, "safety_verdict": verdict})


def _stored_verdict_display(registration: Registration) -> dict[str, str] | None:
    return verdict_display(registration.event, registration_verdict(registration))


def safety_summary(registration: Registration) -> dict[str, Any] | None:
    """What the participant declared (no more than is stored) and the verdict sentence, for their pages."""
    event = registration.event
    if event.safety is None:
        return None
    declaration = getattr(registration, "health_declaration", None)
    rows: list[tuple[str, str]] = []
    if declaration is not None:
        rows.append((_("Basis"), declaration.get_basis_display()))
        if declaration.date and declaration.basis == "vaccinated":
            rows.append((_("Vaccination cycle completed on"), formats.date_format(declaration.date, "DATE_FORMAT")))
        elif declaration.date:
            rows.append((_("First positive test on"), formats.date_format(declaration.date, "DATE_FORMAT")))
        if declaration.taken_at:
            taken_at = formats.date_format(timezone.localtime(declaration.taken_at, event.tz), "DATETIME_FORMAT")
            rows.append((_("Test taken at"), f"{taken_at} ({event.timezone})"))
        if declaration.test_kind:
            rows.append((_("Kind of test"), declaration.get_test_kind_display()))
        text = registration_verdict_text(registration)
    else:
        verdict = registration_verdict(registration)
        if verdict is not None:
            rows.append((_("Basis"), _("You will bring a test result to the meeting")))
            shown = verdict_display(event, verdict) or {}
            text = " ".join(part for part in (f"{shown.get('label', '')}.", shown.get("reason", "")) if part)
        else:
            label = OUTCOME_LABELS[registration.safety_verdict]()
            text = _("%(verdict)s. Your health declaration has been deleted, as planned after the meeting.") % {
                "verdict": label
            }
    return {"rows": rows, "outcome": registration.safety_verdict, "text": text}


@limit_registration_view
class RegisterView(View):
    template_name = "registrations/participant/register.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = _published_event(slug)
        if not event.is_registration_open():
            return self._closed(request, event)
        return self._form_page(request, event, RegistrationForm(event))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = _published_event(slug)
        if not event.is_registration_open():
            return self._closed(request, event, status=409)
        if CHECK_SAFETY in request.POST:
            return _checked_form_page(request, self.template_name, event, _event_context(event))
        form = RegistrationForm(event, data=request.POST)
        if not form.is_valid():
            return self._form_page(request, event, form)
        try:
            registration = registration_submit(event=event, data=form.registration_data())
        except AlreadyRegisteredError as error:
            registration_resend_link(registration=error.registration)
            return render(
                request,
                "registrations/participant/already_registered.html",
                {
                    **_event_context(event),
                    "email": form.cleaned_data["email"],
                    "is_active": error.registration.state in ACTIVE_STATES,
                },
            )
        except RegistrationClosedError as error:
            return self._closed(request, event, status=409, message=error.message)
        except DomainError as error:
            form.add_error(None, error.message)
            return self._form_page(request, event, form)
        return redirect("registrations:received", token=registration.token)

    def _form_page(self, request: HttpRequest, event: Event, form: RegistrationForm) -> HttpResponse:
        context = {**_event_context(event), "form": form, "safety_verdict": form.safety_verdict_display()}
        return render(request, self.template_name, context)

    def _closed(self, request: HttpRequest, event: Event, *, status: int = 200, message: str = "") -> HttpResponse:
        return render(
            request,
            "registrations/participant/closed.html",
            {**_event_context(event), "status": event.registration_status(), "message": message},
            status=status,
        )


class ReceivedView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        response = render(
            request,
            "registrations/participant/received.html",
            {
                **_event_context(registration.event),
                "registration": registration,
                "personal_url": _personal_url(request, registration),
                "safety": safety_summary(registration),
            },
        )
        return private_response(response)


def _answer_rows(registration: Registration) -> list[dict[str, Any]]:
    """The custom questions with the answers given, as text in the page language."""
    rows = []
    answers = registration.answers or {}
    for question in registration.event.questions.all():
        value = answers.get(question.key)
        if value is None or value == "" or value == []:
            text = ""
        elif question.kind == QuestionKind.YES_NO:
            text = _("Yes") if value else _("No")
        elif question.is_choice:
            labels = dict(question.option_choices())
            keys: list[str] = value if isinstance(value, list) else [value]
            text = ", ".join(labels.get(key, key) for key in keys)
        else:
            text = str(value)
        rows.append({"label": question.display_label(), "answer": text})
    return rows


def _history_rows(entries: list[LogEntry]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for entry in entries:
        if entry.action == UNDONE_ACTION:
            # An undone decision never reached the participant (its email was withdrawn), so
            # neither it nor its undoing is theirs to read. A decision can be undone only while it
            # is the latest entry, so the row it undid is the one just before.
            if rows:
                rows.pop()
            continue
        # An organiser's words to the participant come with decisions; for edits `message` only
        # lists the changed fields, which is not meant as a message.
        show_message = entry.actor_kind == ActorKind.ORGANISER and not entry.action.endswith(".edited")
        rows.append(
            {
                "when": entry.created_at,
                "what": HISTORY_ACTIONS.get(entry.action) or State(entry.to_state).label,
                "who": HISTORY_ACTORS.get(entry.actor_kind, entry.actor_kind),
                "message": entry.message if show_message else "",
            }
        )
    return rows


def latest_decision_message(entries: list[LogEntry]) -> str:
    """The organisers' words with their latest decision: '' when it came without a message (or
    was itself undone: the undoing is the latest change, and says nothing)."""
    for entry in reversed(entries):
        if entry.actor_kind == ActorKind.ORGANISER and entry.from_state != entry.to_state:
            return entry.message.strip()
    return ""


def map_url(address: str) -> str:
    """An OpenStreetMap search for the venue's address: a plain link, no embedded map, nothing
    loaded from a third party until the person follows it."""
    query = ", ".join(" ".join(line.split()) for line in address.splitlines() if line.strip())
    return "https://www.openstreetmap.org/search?" + urlencode({"query": query})


def _meeting_day(event: Event) -> str:
    """ "1 October": the date alone (the weekday would need its own grammatical case in a sentence
    in Polish and Ukrainian; it is shown under "When")."""
    start = event.local(event.starts_at)
    same_year = start.year == event.local(timezone.now()).year
    return formats.date_format(start, "j E" if same_year else "j E Y")


def _state_sentence(registration: Registration) -> str:
    if registration.state == State.ACCEPTED:
        return _("You are accepted: see you on %(day)s.") % {"day": _meeting_day(registration.event)}
    return str(STATE_SENTENCES[registration.state])


def _when_text(event: Event) -> str:
    """The meeting's time in its own zone, with the day of the week: "Thursday, 1 October 2026, 10:00–16:00"."""
    starts, ends = event.local(event.starts_at), event.local(event.ends_at)
    start_text = formats.date_format(starts, "l, j E Y, H:i")
    if starts.date() == ends.date():
        return f"{start_text}–{formats.date_format(ends, 'H:i')}"
    return f"{start_text} – {formats.date_format(ends, 'l, j E Y, H:i')}"


def _how_to_get_in(registration: Registration, safety: dict[str, Any] | None) -> str:
    """How to get in, in one sentence: the name at the desk, and what the safety rule asks."""
    if safety is None:
        return _("Give your name at the registration desk, or show this page.")
    if safety["outcome"] == "meets":
        return _(
            "Give your name at the registration desk and have with you the document your safety declaration "
            "rests on (vaccination, recovery or test)."
        )
    if safety["outcome"] == "does_not_meet":
        return _(
            "Give your name at the registration desk; your declaration does not meet the safety rule, so bring "
            "a negative test result that does."
        )
    return _(
        "Give your name at the registration desk and show a negative test result that meets the safety rule: "
        "it is checked there."
    )


def _meeting_facts(registration: Registration, safety: dict[str, Any] | None) -> dict[str, Any]:
    event = registration.event
    venue = event.text("venue").strip()
    return {
        "when": _when_text(event),
        "venue": venue,
        "map_url": map_url(venue) if venue else "",
        "how_to_get_in": _how_to_get_in(registration, safety),
        "conditions": event.text("conditions").strip(),
    }


class PersonalView(View):
    """The personal page as a ticket: the state in one sentence; when accepted, when, where, how
    to get in, the organisers' message, the calendar file and the ticket; the history below."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        event = registration.event
        entries = list(LogEntry.objects.filter(registration=registration).order_by("created_at", "id"))
        safety = safety_summary(registration)
        accepted = registration.state == State.ACCEPTED
        response = render(
            request,
            "registrations/participant/personal.html",
            {
                **_event_context(event),
                "registration": registration,
                "state_sentence": _state_sentence(registration),
                "state_explanation": STATE_EXPLANATIONS[registration.state],
                "organisers_message": latest_decision_message(entries),
                "meeting": _meeting_facts(registration, safety) if accepted else None,
                "diet": registration.diet_display,
                "answers": _answer_rows(registration),
                "history": _history_rows(entries),
                "can_edit": _can_edit(registration),
                "can_cancel": registration.can_move_to(State.CANCELLED),
                "safety": safety,
                "interests": interests_of_registration(registration.pk),
                # The ticket area's QR code and links, from the app that issues tickets (checkin).
                "ticket": ticket_context(registration) if accepted else None,
                # Links to the person's documents (ticket PDF, certificate), from the apps above.
                "documents": personal_links(registration),
                # A freed seat offered to this wait-listed person (registrations/offers.py).
                "seat_offer": pending_offer_for(registration),
            },
        )
        return private_response(response)


class CalendarView(View):
    """The accepted participant's calendar file (.ics, the one the acceptance email carries)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        if registration.state != State.ACCEPTED:
            raise Http404
        response = HttpResponse(event_ics(registration), content_type="text/calendar; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
        return private_response(response)


class EditView(View):
    template_name = "registrations/participant/edit.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        if not _can_edit(registration):
            return self._refused(request, registration)
        form = RegistrationForm(registration.event, registration=registration)
        return self._form_page(request, registration, form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        if not _can_edit(registration):
            return self._refused(request, registration, status=409)
        if CHECK_SAFETY in request.POST:
            context = {**_event_context(registration.event), "registration": registration}
            return private_response(
                _checked_form_page(request, self.template_name, registration.event, context, registration=registration)
            )
        form = RegistrationForm(registration.event, data=request.POST, registration=registration)
        if not form.is_valid():
            return self._form_page(request, registration, form)
        try:
            registration_update(registration=registration, data=form.registration_data())
        except DomainError as error:
            form.add_error(None, error.message)
            return self._form_page(request, registration, form)
        messages.success(request, _("Your changes have been saved."))
        return private_response(redirect("registrations:personal", token=registration.token))

    def _form_page(self, request: HttpRequest, registration: Registration, form: RegistrationForm) -> HttpResponse:
        verdict = form.safety_verdict_display() if form.is_bound else _stored_verdict_display(registration)
        response = render(
            request,
            self.template_name,
            {
                **_event_context(registration.event),
                "registration": registration,
                "form": form,
                "safety_verdict": verdict,
            },
        )
        return private_response(response)

    def _refused(self, request: HttpRequest, registration: Registration, *, status: int = 200) -> HttpResponse:
        if registration.state in ACTIVE_STATES:
            message = _("The registration deadline has passed; answers can no longer be changed.")
        else:
            message = _("This registration can no longer be changed.")
        response = render(
            request,
            "registrations/participant/edit_refused.html",
            {**_event_context(registration.event), "registration": registration, "message": message},
            status=status,
        )
        return private_response(response)


class CancelView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        response = render(
            request,
            "registrations/participant/cancel.html",
            {
                **_event_context(registration.event),
                "registration": registration,
                "can_cancel": registration.can_move_to(State.CANCELLED),
            },
        )
        return private_response(response)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _registration_by_token(token)
        try:
            registration_cancel(registration=registration, actor_kind=ActorKind.PARTICIPANT)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("Your registration has been cancelled. We have sent you an email to confirm it.")
            )
        return private_response(redirect("registrations:personal", token=registration.token))


@limit_safety_check_view
class SafetyCheckView(View):
    """The live verdict (htmx): the declaration in, `registrations/_verdict.html` out. Saves nothing.

    Input that cannot be checked yet also answers 200, with what to fix: htmx swaps only 2xx
    answers into the page, and the live region should say why there is no verdict.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = _published_event(slug)
        form = SafetyCheckForm(event, data=request.POST)
        response = render(request, "registrations/_verdict.html", {"verdict": form.display()})
        add_never_cache_headers(response)
        return response
