"""Every change of programmes, projects, offers and sign-ups goes through here.

Views, the demo loader, the registrations service (interests ticked on an event's registration
form) and the tests call these functions. A sign-up locks its offer's row before it counts the
seats, so two people can never both take the last seat; what does not fit goes on the waiting
list, and a cancelled seat goes to the first person waiting. Every change writes a
ProgrammeLogEntry and schedules its emails (to the person, to the project's team, each in their
own language) in the same transaction. Every project and offer is described to the one search box.
"""

from __future__ import annotations

import copy
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeet.accounts.models import hash_token
from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.core.i18n import clean_localized, localize
from civicmeet.core.phones import normalise_phone
from civicmeet.core.visibility import Visibility
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue
from civicmeet.organisations.models import Organisation, Representative, RepresentativeStatus
from civicmeet.organisations.services import organisation_find
from civicmeet.search.services import search_document_delete, search_document_save

from .models import (
    OfferSignUp,
    OfferStatus,
    Programme,
    ProgrammeAction,
    ProgrammeLogEntry,
    Project,
    ProjectOffer,
    SignUpSource,
    SignUpStatus,
)
from .permissions import offer_visibility

PROJECT_LOCALIZED = ("title", "description")
PROJECT_PLAIN = ("short_name", "website", "starts_on", "ends_on", "visibility")
OFFER_LOCALIZED = ("title", "description")
OFFER_PLAIN = (
    "kind",
    "starts_at",
    "ends_at",
    "online",
    "address",
    "city",
    "region",
    "languages",
    "seats",
    "signup_until",
    "visibility",
    "status",
)
ACTIVE_STATUSES = (SignUpStatus.SIGNED_UP, SignUpStatus.WAITLISTED)
# ISO 639-1 (or -3 where a language has no two-letter code), as organisations' working languages.
LANGUAGE_CODE_RE = re.compile(r"[a-z]{2,3}")


class SignUpError(ConflictError):
    """A sign-up was refused (closed offer, already signed up, nothing to cancel)."""

    code = "signup_refused"


@dataclass
class SignUpData:
    """What a person fills in on an offer's page."""

    name: str
    email: str
    language: str
    phone: str = ""
    organisation_name: str = ""
    message: str = ""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _log(*, project_id: int, action: str, actor=None, offer_id=None, signup=None, changes=None) -> ProgrammeLogEntry:
    return ProgrammeLogEntry.objects.create(
        project_id=project_id,
        offer_id=offer_id,
        signup=signup,
        action=action,
        actor=_user(actor),
        changes=changes or {},
    )


def _json(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _apply(instance, data: dict[str, Any], localized: tuple[str, ...], plain: tuple[str, ...]) -> None:
    for name in localized:
        if name in data:
            setattr(instance, name, clean_localized(data[name]))
    for name in plain:
        if name in data:
            setattr(instance, name, data[name])


def _changes(before, after, names: tuple[str, ...]) -> dict[str, list[Any]]:
    return {
        name: [_json(getattr(before, name)), _json(getattr(after, name))]
        for name in names
        if getattr(before, name) != getattr(after, name)
    }


# -- Programmes and projects -----------------------------------------------------------------------


def programme_save(*, slug: str, data: dict[str, Any]) -> Programme:
    """Create or change a programme (name and description per language, funder, operator, website)."""
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(slug=slug).first() or Programme(slug=slug)
        _apply(programme, data, ("name", "description"), ("funder", "operator", "website"))
        if not programme.name:
            raise ValidationError({"name": _("Give the programme a name in at least one language.")})
        programme.full_clean()
        programme.save()
    return programme


def programme_create(*, slug: str, data: dict[str, Any], actor=None) -> Programme:
    """A new programme (moderators, from the site): refused when the address is taken."""
    with transaction.atomic():
        if Programme.objects.select_for_update().filter(slug=slug).exists():
            raise ValidationError({"slug": _("This address is already taken. Choose another one.")})
        return programme_save(slug=slug, data=data)


def _project_check(project: Project, *, new: bool = False) -> None:
    errors: dict[str, str] = {}
    if new and Project.objects.filter(slug=project.slug).exists():
        errors["slug"] = _("This address is already taken. Choose another one.")
    if not project.title:
        errors["title"] = _("Give the project a title in at least one language.")
    if project.starts_on and project.ends_on and project.ends_on < project.starts_on:
        errors["ends_on"] = _("The project cannot end before it starts.")
    if errors:
        raise ValidationError(errors)
    project.full_clean()


def project_save(
    *,
    data: dict[str, Any],
    project: Project | None = None,
    programme: Programme | None = None,
    organisation: Organisation | None = None,
    slug: str = "",
    partners=None,
    actor=None,
) -> Project:
    """Create a project (with `programme`, `organisation` and `slug`) or change `project`.

    `data`: title/description per language, short_name, website, starts_on, ends_on, visibility.
    `partners`: the partner organisations (None leaves them). Raises ValidationError per field.
    """
    with transaction.atomic():
        if project is None:
            if programme is None or organisation is None or not slug:
                raise DomainError(_("A new project needs its programme, organisation and address."))
            current = Project(programme=programme, organisation=organisation, slug=slug)
            before = None
        else:
            current = Project.objects.select_for_update().get(pk=project.pk)
            before = copy.copy(current)
        _apply(current, data, PROJECT_LOCALIZED, PROJECT_PLAIN)
        _project_check(current, new=before is None)
        current.save()
        changes = _changes(before, current, (*PROJECT_LOCALIZED, *PROJECT_PLAIN)) if before else {}
        if partners is not None:
            names_before = sorted(current.partners.values_list("name", flat=True)) if before else []
            current.partners.set(partners)
            names_after = sorted(partner.name for partner in partners)
            if names_after != names_before:
                changes["partners"] = [names_before, names_after]
        if before is None:
            _log(project_id=current.pk, action=ProgrammeAction.PROJECT_CREATED, actor=actor)
        elif changes:
            _log(project_id=current.pk, action=ProgrammeAction.PROJECT_CHANGED, actor=actor, changes=changes)
        project_index(project=current)
        if before is not None and "visibility" in changes:
            for offer in current.offers.all():
                offer.project = current
                offer_index(offer=offer)
    if project is not None:
        for field in Project._meta.concrete_fields:
            setattr(project, field.attname, getattr(current, field.attname))
        return project
    return current


def project_index(*, project: Project) -> None:
    """Describe the project to the search box (kind "project")."""
    organisation = project.organisation
    offers = list(project.offers.exclude(status=OfferStatus.CANCELLED))
    languages = sorted({code for offer in offers for code in offer.languages or []})
    search_document_save(
        kind="project",
        key=project.pk,
        organisation_id=project.organisation_id,
        visibility=project.visibility,
        url_name="programmes:project",
        url_kwargs={"slug": project.slug},
        titles={
            code: (f"{project.short_name} – {text}" if project.short_name else text)
            for code, text in project.title.items()
        },
        texts=[project.short_name, *project.description.values(), organisation.name],
        facets={
            "type": sorted({offer.kind for offer in offers}),
            "languages": languages,
            "region": organisation.region or "",
        },
    )


# -- Offers ----------------------------------------------------------------------------------------


def _offer_check(offer: ProjectOffer) -> None:
    errors: dict[str, str] = {}
    if not offer.title:
        errors["title"] = _("Give the offer a title in at least one language.")
    if offer.starts_at and offer.ends_at and offer.ends_at < offer.starts_at:
        errors["ends_at"] = _("The offer cannot end before it starts.")
    if offer.ends_at and not offer.starts_at:
        errors["starts_at"] = _("Give the start too, or leave both empty if the dates are to be agreed.")
    if offer.seats is not None and offer.seats < 1:
        errors["seats"] = _("Give at least one seat, or leave it empty for no limit.")
    if not isinstance(offer.languages, list) or not all(
        isinstance(code, str) and LANGUAGE_CODE_RE.fullmatch(code) for code in offer.languages
    ):
        errors["languages"] = _("Give languages as ISO 639 codes, such as pl, uk or en.")
    if not offer.online and not (offer.city or offer.address):
        errors["city"] = _("Give the city or address, or mark the offer as online.")
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["project"])


def _offer_change_check(before: ProjectOffer | None, current: ProjectOffer) -> None:
    """What an edit may not do: reopen a cancelled offer, start out cancelled, or take away seats
    people already hold (the team cancels sign-ups first, on the sign-ups page)."""
    if before is None:
        if current.status == OfferStatus.CANCELLED:
            raise ValidationError({"status": _("A new offer cannot be cancelled. Choose open or closed.")})
        return
    if before.status == OfferStatus.CANCELLED and current.status != OfferStatus.CANCELLED:
        raise ValidationError(
            {"status": _("A cancelled offer cannot be opened again. Add a new offer with the new dates.")}
        )
    if current.seats is not None and current.seats != before.seats:
        taken = seats_taken(current)
        if current.seats < taken:
            raise ValidationError(
                {
                    "seats": ngettext(
                        "%(taken)d person already holds a seat: give at least %(taken)d seat, or cancel "
                        "sign-ups on the sign-ups page first.",
                        "%(taken)d people already hold a seat: give at least %(taken)d seats, or cancel "
                        "sign-ups on the sign-ups page first.",
                        taken,
                    )
                    % {"taken": taken}
                }
            )


def offer_save(
    *, data: dict[str, Any], offer: ProjectOffer | None = None, project: Project | None = None, actor=None
) -> ProjectOffer:
    """Create an offer of `project` or change `offer` (the fields in `data`). Raising the seats
    moves people from the waiting list onto the new seats; lowering them below the seats already
    held is refused. Cancelling (status CANCELLED, final) tells everyone signed up, waiting or
    interested, each in their language. Raises ValidationError per field."""
    with transaction.atomic():
        if offer is None:
            if project is None:
                raise DomainError(_("A new offer needs its project."))
            current = ProjectOffer(project=project)
            before = None
        else:
            current = ProjectOffer.objects.select_for_update().select_related("project").get(pk=offer.pk)
            before = copy.copy(current)
        _apply(current, data, OFFER_LOCALIZED, OFFER_PLAIN)
        _offer_check(current)
        _offer_change_check(before, current)
        current.save()
        if before is None:
            _log(project_id=current.project_id, offer_id=current.pk, action=ProgrammeAction.OFFER_CREATED, actor=actor)
        else:
            changes = _changes(before, current, (*OFFER_LOCALIZED, *OFFER_PLAIN))
            if changes:
                _log(
                    project_id=current.project_id,
                    offer_id=current.pk,
                    action=ProgrammeAction.OFFER_CHANGED,
                    actor=actor,
                    changes=changes,
                )
            if current.status == OfferStatus.CANCELLED:
                if before.status != OfferStatus.CANCELLED:
                    _email_offer_cancelled(current)
            else:
                _fill_free_seats(current, actor=actor)
        offer_index(offer=current)
        project_index(project=current.project)
    if offer is not None:
        for field in ProjectOffer._meta.concrete_fields:
            setattr(offer, field.attname, getattr(current, field.attname))
        return offer
    return current


def offer_index(*, offer: ProjectOffer) -> None:
    """Describe the offer to the search box (kind "project_offer"); a cancelled offer leaves it."""
    if offer.status == OfferStatus.CANCELLED:
        search_document_delete(kind="project_offer", key=offer.pk)
        return
    project = offer.project
    search_document_save(
        kind="project_offer",
        key=offer.pk,
        organisation_id=project.organisation_id,
        visibility=offer_visibility(offer),
        url_name="programmes:offer",
        url_kwargs={"pk": offer.pk},
        titles=offer.title,
        texts=[*offer.description.values(), project.short_name, *project.title.values(), offer.city],
        facets={
            "type": offer.kind,
            "languages": list(offer.languages or []),
            "region": offer.region or "",
        },
    )


# -- Sign-ups --------------------------------------------------------------------------------------


def seats_taken(offer: ProjectOffer) -> int:
    return offer.signups.filter(status=SignUpStatus.SIGNED_UP).count()


def signup_refusal(offer: ProjectOffer, now: datetime | None = None) -> str | None:
    """Why `offer` takes no sign-ups now, or None when it does."""
    now = now or timezone.now()
    if offer.status == OfferStatus.CANCELLED:
        return _("This offer was cancelled.")
    if offer.status != OfferStatus.OPEN:
        return _("Sign-up for this offer is closed.")
    if offer.signup_until is not None and now > offer.signup_until:
        return _("Sign-up for this offer is closed.")
    return None


def signup_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("programmes:signup", kwargs={"token": token})


def _offer_url(offer: ProjectOffer, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("programmes:offer", kwargs={"pk": offer.pk})


def _project_url(project: Project, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("programmes:project", kwargs={"slug": project.slug})


def _signups_url(offer: ProjectOffer, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("programmes:signups", kwargs={"pk": offer.pk})


def _render(template: str, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    with translation.override(language):
        subject = " ".join(render_to_string(f"programmes/emails/{template}_subject.txt", context).split())
        text = render_to_string(f"programmes/emails/{template}.txt", context)
        html = render_to_string(f"programmes/emails/{template}.html", context)
    return subject, text, html


def _email_person(signup: OfferSignUp, template: str, token: str | None) -> None:
    offer = signup.offer
    language = signup.language
    with translation.override(language):
        context = {
            "signup": signup,
            "language": language,
            "offer_title": localize(offer.title, language),
            "project_title": localize(offer.project.title, language),
            "organisation": offer.project.organisation.name,
            "waitlisted": signup.status == SignUpStatus.WAITLISTED,
            "url": signup_url(token, language) if token else "",
            "offer_url": _offer_url(offer, language),
            "project_url": _project_url(offer.project, language),
            "starts_at": timezone.localtime(offer.starts_at) if offer.starts_at else None,
        }
    subject, text, html = _render(template, language, context)
    email_queue(
        OutgoingEmail(
            kind=f"programmes_{template}",
            to=signup.email,
            language=language,
            subject=subject,
            body_text=text,
            body_html=html,
            from_name=offer.project.organisation.name[:200],
        ),
        subject=signup,
    )


def _email_offer_cancelled(offer: ProjectOffer) -> None:
    """Tell each person signed up, waiting or interested that the offer is cancelled (their language)."""
    people = offer.signups.filter(status__in=(*ACTIVE_STATUSES, SignUpStatus.INTERESTED)).order_by("pk")
    for signup in people:
        signup.offer = offer
        _email_person(signup, "offer_cancelled_to_person", None)


def project_team_recipients(project: Project) -> list[tuple[str, str]]:
    """(email, language) of the project's team: the running organisation's approved representatives."""
    rows = (
        Representative.objects.filter(organisation_id=project.organisation_id, status=RepresentativeStatus.APPROVED)
        .select_related("user")
        .order_by("pk")
    )
    seen: dict[str, str] = {}
    for representative in rows:
        email = (representative.user.email or "").strip()
        if email and email.lower() not in seen:
            seen[email.lower()] = representative.language
    return [(email, language) for email, language in seen.items()]


def _email_team(signup: OfferSignUp) -> None:
    """Tell each member of the project's team, in their language, that someone signed up or is interested."""
    offer = signup.offer
    for email, language in project_team_recipients(offer.project):
        context = {
            "signup": signup,
            "language": language,
            "offer_title": localize(offer.title, language),
            "project_title": localize(offer.project.title, language),
            "event_title": localize(signup.event_title, language),
            "interest": signup.source == SignUpSource.EVENT_INTEREST,
            "url": _signups_url(offer, language),
        }
        with translation.override(language):
            context["status"] = str(SignUpStatus(signup.status).label)
        subject, text, html = _render("signup_to_team", language, context)
        email_queue(
            OutgoingEmail(
                kind="programmes_signup_to_team",
                to=email,
                language=language,
                subject=subject,
                body_text=text,
                body_html=html,
                reply_to=signup.email,
            ),
            subject=signup,
        )


def _clean_person(data: SignUpData) -> SignUpData:
    for value in vars(data).values():
        if isinstance(value, str) and "\x00" in value:
            raise DomainError(_("Null characters are not allowed."), code="null_characters_not_allowed")
    name = " ".join(data.name.split())
    if not name:
        raise ValidationError({"name": _("Please give your name.")})
    email = data.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    try:
        phone = normalise_phone(data.phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from None
    language = data.language if data.language in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE
    return SignUpData(
        name=name,
        email=email,
        language=language,
        phone=phone,
        organisation_name=" ".join(data.organisation_name.split()),
        message=data.message.strip(),
    )


def offer_signup(*, offer: ProjectOffer, data: SignUpData, now: datetime | None = None) -> tuple[OfferSignUp, str]:
    """Sign a person up for an offer: a seat while seats are left, else the waiting list.

    Returns the sign-up and the raw token of the person's own link (only its hash is stored; the
    link goes out in the confirmation email). Refused (SignUpError) when the offer takes no
    sign-ups or this email is already signed up for it. The offer's row is locked before the seats
    are counted, so concurrent sign-ups queue and never exceed the seats.
    """
    data = _clean_person(data)
    organisation = organisation_find(name=data.organisation_name) if data.organisation_name else None
    with transaction.atomic():
        locked = ProjectOffer.objects.select_for_update().select_related("project__organisation").get(pk=offer.pk)
        refusal = signup_refusal(locked, now)
        if refusal:
            raise SignUpError(refusal, code="closed")
        if locked.signups.filter(email__iexact=data.email, status__in=ACTIVE_STATUSES).exists():
            raise SignUpError(_("This email address is already signed up for this offer."), code="already_signed_up")
        full = locked.seats is not None and seats_taken(locked) >= locked.seats
        token = new_token()
        signup = OfferSignUp.objects.create(
            offer=locked,
            name=data.name,
            email=data.email,
            phone=data.phone,
            organisation_name=data.organisation_name,
            organisation=organisation,
            language=data.language,
            message=data.message,
            status=SignUpStatus.WAITLISTED if full else SignUpStatus.SIGNED_UP,
            source=SignUpSource.DIRECT,
            token_hash=hash_token(token),
        )
        _log(
            project_id=locked.project_id,
            offer_id=locked.pk,
            signup=signup,
            action=ProgrammeAction.WAITLISTED if full else ProgrammeAction.SIGNED_UP,
        )
        _email_person(signup, "signup_to_person", token)
        _email_team(signup)
    return signup, token


def signup_by_token(token: str) -> OfferSignUp | None:
    if not token:
        return None
    return (
        OfferSignUp.objects.select_related("offer__project__organisation", "offer__project__programme")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _fill_free_seats(offer: ProjectOffer, *, actor=None) -> list[OfferSignUp]:
    """Give free seats to the people waiting longest (offer row locked by the caller); emails them."""
    if offer.seats is None:
        free = None
    else:
        free = offer.seats - seats_taken(offer)
        if free <= 0:
            return []
    waiting = offer.signups.filter(status=SignUpStatus.WAITLISTED).order_by("created_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for signup in promoted:
        signup.status = SignUpStatus.SIGNED_UP
        signup.save(update_fields=["status", "updated_at"])
        signup.offer = offer
        _log(
            project_id=offer.project_id, offer_id=offer.pk, signup=signup, action=ProgrammeAction.PROMOTED, actor=actor
        )
        _email_person(signup, "promoted_to_person", None)
    return promoted


def signup_cancel(*, signup: OfferSignUp, actor=None) -> OfferSignUp:
    """Cancel a sign-up (by its person through their link, or by the project's team). A freed seat
    goes to the first person on the waiting list, who is told by email."""
    with transaction.atomic():
        offer = ProjectOffer.objects.select_for_update().select_related("project__organisation").get(pk=signup.offer_id)
        current = OfferSignUp.objects.select_for_update().get(pk=signup.pk)
        if current.status == SignUpStatus.CANCELLED:
            raise SignUpError(_("This sign-up was already cancelled."), code="already_cancelled")
        before = current.status
        current.status = SignUpStatus.CANCELLED
        current.save(update_fields=["status", "updated_at"])
        _log(
            project_id=offer.project_id,
            offer_id=offer.pk,
            signup=current,
            action=ProgrammeAction.CANCELLED,
            actor=actor,
            changes={"status": [before, SignUpStatus.CANCELLED]},
        )
        if before == SignUpStatus.SIGNED_UP and offer.status == OfferStatus.OPEN:
            _fill_free_seats(offer, actor=actor)
    signup.status = current.status
    return signup


# -- Interests from an event's registration form ---------------------------------------------------


def interests_record(
    *,
    offers,
    registration_id: int,
    event_id: int,
    event_title: dict[str, str],
    name: str,
    email: str,
    language: str,
    phone: str = "",
    organisation_name: str = "",
    organisation_id: int | None = None,
) -> list[OfferSignUp]:
    """Record the "I am interested" ticks of one registration (called by registrations in the
    transaction of the registration itself). Each becomes an INTERESTED sign-up (no seat) in its
    offer's list, marked with the event it came from, and its project's team is emailed."""
    created = []
    with transaction.atomic():
        for offer in offers:
            signup = OfferSignUp.objects.create(
                offer=offer,
                name=" ".join(name.split()),
                email=email,
                phone=phone,
                organisation_name=organisation_name,
                organisation_id=organisation_id,
                language=language if language in settings.LANGUAGE_CODES else settings.LANGUAGE_CODE,
                status=SignUpStatus.INTERESTED,
                source=SignUpSource.EVENT_INTEREST,
                registration_id=registration_id,
                event_id=event_id,
                event_title=dict(event_title),
            )
            _log(
                project_id=offer.project_id,
                offer_id=offer.pk,
                signup=signup,
                action=ProgrammeAction.INTERESTED,
                changes={"event_id": event_id},
            )
            _email_team(signup)
            created.append(signup)
    return created


def interests_erase(*, registration_id: int) -> int:
    """Erase the interests that came from a registration (it is anonymised or erased): the rows and
    the team's emails about them, which hold the person's name and address. The offer's history
    keeps that an interest was erased, without the person. Returns how many were erased."""
    with transaction.atomic():
        signups = list(OfferSignUp.objects.select_related("offer").filter(registration_id=registration_id))
        if not signups:
            return 0
        ids = [signup.pk for signup in signups]
        OutgoingEmail.objects.filter(
            subject_type=ContentType.objects.get_for_model(OfferSignUp), subject_id__in=ids
        ).delete()
        for signup in signups:
            _log(project_id=signup.offer.project_id, offer_id=signup.offer_id, action=ProgrammeAction.ERASED)
        OfferSignUp.objects.filter(pk__in=ids).delete()
    return len(ids)


def interest_offers_available(now: datetime | None = None):
    """Offers an organiser may show on a registration form: open, public, not past their sign-up."""
    now = now or timezone.now()
    # The registration form is public: only offers everyone may see.
    return (
        ProjectOffer.objects.filter(
            status=OfferStatus.OPEN, visibility=Visibility.PUBLIC, project__visibility=Visibility.PUBLIC
        )
        .filter(Q(signup_until__isnull=True) | Q(signup_until__gte=now))
        .select_related("project")
        .order_by("project__short_name", "project__slug", "starts_at", "pk")
    )
