"""'Contact them': one organisation asks another about an offer and a need that fit.

The asked organisation's approved representatives each get an email in their own language
(Representative.language) with their own answering link and the message, but no personal address
of the asker. Whoever answers first decides: accepting emails the asker and the one who answered
each other's name and email; declining tells the asker politely. A person may send at most
CONTACT_REQUESTS_PER_DAY requests in 24 hours, and a pair has at most one request waiting.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicmeet.accounts.models import hash_token
from civicmeet.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue
from civicmeet.organisations.models import Representative, RepresentativeStatus
from civicmeet.organisations.permissions import may_see, represents

from .models import (
    ContactRecipient,
    ContactRequest,
    ContactStatus,
    Direction,
    Resource,
    ResourceAction,
    ResourceLogEntry,
)

CONTACT_REQUESTS_PER_DAY = 20
MESSAGE_MAX_LENGTH = 2000


class ContactRefused(DomainError):
    """The request cannot be sent or answered (why is in the message)."""


def _person(user) -> str:
    return user.get_full_name() or user.email


def _log(request: ContactRequest, action: str, actor) -> None:
    for organisation_id in (request.from_organisation_id, request.to_organisation_id):
        ResourceLogEntry.objects.create(
            organisation_id=organisation_id,
            item_kind="contact",
            item_id=request.pk,
            action=action,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            changes={"offer": request.offer_id, "need": request.need_id},
        )


def answer_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("resources:contact_answer", kwargs={"token": token})


def _render(kind: str, template: str, *, to: str, language: str, context: dict) -> OutgoingEmail:
    with translation.override(language):
        subject = " ".join(render_to_string(f"resources/emails/{template}_subject.txt", context).split())
        body_text = render_to_string(f"resources/emails/{template}.txt", context)
        body_html = render_to_string(f"resources/emails/{template}.html", {**context, "language": language})
    return OutgoingEmail(kind=kind, to=to, language=language, subject=subject, body_text=body_text, body_html=body_html)


def contact_request_send(*, user, offer: Resource, need: Resource, message: str, language: str) -> ContactRequest:
    """Ask the other side of the pair (offer, need) for contact, on behalf of the organisation of
    `user` that owns one of them. Refused (ContactRefused) when the user does not represent that
    organisation, the items are not a pair of two organisations, the message is empty or too long,
    the other side has no one to answer, the user sent too many today, or one is already waiting."""
    message = (message or "").strip()
    if offer.direction != Direction.OFFER or need.direction != Direction.NEED or offer.category != need.category:
        raise ContactRefused(_("These two do not make a pair of an offer and a need."), code="not_pair")
    if offer.organisation_id == need.organisation_id:
        raise ContactRefused(_("Both belong to the same organisation."), code="same_organisation")
    if represents(user, need.organisation_id):
        from_id, to_id = need.organisation_id, offer.organisation_id
        theirs = offer
    elif represents(user, offer.organisation_id):
        from_id, to_id = offer.organisation_id, need.organisation_id
        theirs = need
    else:
        raise PermissionDeniedError(
            _("Only an approved representative of one of the two organisations may ask for contact."),
            code="not_representative",
        )
    if not may_see(user, visibility=theirs.visibility, organisation_id=theirs.organisation_id):
        raise PermissionDeniedError(_("This offer or need is not shown to you."), code="not_visible")
    if not message:
        raise ContactRefused(_("Write a few words about what you would like to do together."), code="message")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ContactRefused(
            _("The message is too long: at most %(count)s characters.") % {"count": MESSAGE_MAX_LENGTH},
            code="message",
        )
    if language not in settings.LANGUAGE_CODES:
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        # The pair's rows locked first: two clicks at once make one request, not two.
        list(Resource.objects.select_for_update().filter(pk__in=[offer.pk, need.pk]).order_by("pk"))
        since = timezone.now() - timedelta(days=1)
        if ContactRequest.objects.filter(from_user=user, created_at__gte=since).count() >= CONTACT_REQUESTS_PER_DAY:
            raise ContactRefused(
                _("You have asked for contact many times today. Please try again tomorrow."), code="too_many"
            )
        if ContactRequest.objects.filter(offer=offer, need=need, status=ContactStatus.PENDING).exists():
            raise ConflictError(
                _("A request for contact about these two is already waiting for an answer."), code="pending"
            )
        recipients = list(
            Representative.objects.filter(organisation_id=to_id, status=RepresentativeStatus.APPROVED)
            .select_related("user", "organisation")
            .exclude(user__email="")
        )
        if not recipients:
            raise ContactRefused(
                _("This organisation has no representative who could answer yet. Please try again later."),
                code="no_recipient",
            )
        try:
            with transaction.atomic():
                request = ContactRequest.objects.create(
                    from_organisation_id=from_id,
                    from_user=user,
                    to_organisation_id=to_id,
                    offer=offer,
                    need=need,
                    message=message,
                    language=language,
                )
        except IntegrityError:
            raise ConflictError(
                _("A request for contact about these two is already waiting for an answer."), code="pending"
            ) from None
        _log(request, ResourceAction.CONTACT_REQUESTED, user)
        from_organisation = request.from_organisation
        for representative in recipients:
            token = secrets.token_urlsafe(32)
            ContactRecipient.objects.create(
                request=request,
                user=representative.user,
                language=representative.language,
                token_hash=hash_token(token),
            )
            context = {
                "request": request,
                "from_organisation": from_organisation.name,
                "to_organisation": representative.organisation.name,
                "offer": offer,
                "need": need,
                "theirs_is_offer": to_id == offer.organisation_id,
                "message": message,
                "url": answer_url(token, representative.language),
            }
            email_queue(
                _render(
                    "resources_contact_request",
                    "contact_request",
                    to=representative.user.email,
                    language=representative.language,
                    context=context,
                ),
                subject=request,
            )
    return request


def contact_recipient_get(*, token: str) -> ContactRecipient:
    """The asked representative a link belongs to; ContactRefused for an unknown link."""
    recipient = (
        ContactRecipient.objects.filter(token_hash=hash_token(token or ""))
        .select_related(
            "request__from_organisation", "request__to_organisation", "request__offer", "request__need", "user"
        )
        .first()
    )
    if recipient is None:
        raise ContactRefused(_("This link is not valid."), code="unknown")
    return recipient


def contact_request_answer(
    *, request: ContactRequest | None = None, token: str = "", user=None, accept: bool
) -> ContactRequest:
    """Accept or decline a waiting request: by its link (`token`), or signed in (`user`, an approved
    representative of the asked organisation). The answer is final."""
    with transaction.atomic():
        if token:
            recipient = ContactRecipient.objects.filter(token_hash=hash_token(token)).select_related("user").first()
            if recipient is None:
                raise ContactRefused(_("This link is not valid."), code="unknown")
            answerer = recipient.user
            pk = recipient.request_id
        else:
            if request is None or user is None:
                raise ContactRefused(_("This link is not valid."), code="unknown")
            pk = request.pk
            answerer = user
        current = (
            ContactRequest.objects.select_for_update()
            .select_related("from_organisation", "to_organisation", "from_user", "offer", "need")
            .get(pk=pk)
        )
        if not token and not represents(answerer, current.to_organisation_id):
            raise PermissionDeniedError(
                _("Only the asked organisation's approved representatives may answer."), code="not_representative"
            )
        if current.status != ContactStatus.PENDING:
            raise ConflictError(_("This request has already been answered."), code="answered")
        current.status = ContactStatus.ACCEPTED if accept else ContactStatus.DECLINED
        current.answered_at = timezone.now()
        current.answered_by = answerer
        current.save(update_fields=["status", "answered_at", "answered_by"])
        _log(current, ResourceAction.CONTACT_ACCEPTED if accept else ResourceAction.CONTACT_DECLINED, answerer)
        asker = current.from_user
        context = {
            "request": current,
            "from_organisation": current.from_organisation.name,
            "to_organisation": current.to_organisation.name,
            "offer": current.offer,
            "need": current.need,
        }
        if accept:
            answerer_language = (
                Representative.objects.filter(organisation_id=current.to_organisation_id, user=answerer)
                .values_list("language", flat=True)
                .first()
                or current.language
            )
            email_queue(
                _render(
                    "resources_contact_accepted",
                    "contact_accepted",
                    to=asker.email,
                    language=current.language,
                    context={
                        **context,
                        "organisation": current.to_organisation.name,
                        "person": _person(answerer),
                        "email": answerer.email,
                    },
                ),
                subject=current,
            )
            email_queue(
                _render(
                    "resources_contact_accepted",
                    "contact_accepted",
                    to=answerer.email,
                    language=answerer_language,
                    context={
                        **context,
                        "organisation": current.from_organisation.name,
                        "person": _person(asker),
                        "email": asker.email,
                    },
                ),
                subject=current,
            )
        else:
            email_queue(
                _render(
                    "resources_contact_declined",
                    "contact_declined",
                    to=asker.email,
                    language=current.language,
                    context=context,
                ),
                subject=current,
            )
    return current
