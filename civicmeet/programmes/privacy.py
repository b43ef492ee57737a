"""Data protection for sign-ups for project offers (see docs/data-protection.md, "The network").

A sign-up holds a person's name, email, phone and message. They are erased
`PERSONAL_DATA_RETENTION_DAYS` after the offer ended (its `ends_at`, else its `starts_at`), after
the offer was cancelled, after a closed offer without dates was closed, or after the sign-up itself
was cancelled (whichever comes first). The row stays, anonymised — offer, status, source, language
and the organisation — so the team's counts for grant reports stay right. The emails about the
sign-up (to the person and to the team) are deleted from the outbox. Interests that came from an
event's registration are erased with their registration (services.interests_erase).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicmeet.notifications.models import OutgoingEmail

from .models import OfferSignUp, OfferStatus, ProjectOffer, SignUpStatus
from .services import signup_cancel

ERASED_DOMAIN = "@invalid"


def erased_email(signup: OfferSignUp) -> str:
    """A unique value that is not an address (`.invalid` never resolves), as for registrations."""
    return f"erased-{signup.pk}{ERASED_DOMAIN}"


def _retention() -> timedelta:
    return timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def offer_ended_at(offer: ProjectOffer) -> datetime | None:
    """When the offer stopped needing its people's data: its end (or start) for an offer with
    dates, the moment it was cancelled, the moment a closed offer without dates was closed (its
    last change); None while it is still going on."""
    dated = offer.ends_at or offer.starts_at
    if offer.status == OfferStatus.CANCELLED:
        return min(offer.updated_at, dated) if dated else offer.updated_at
    if dated:
        return dated
    if offer.status == OfferStatus.CLOSED:
        return offer.updated_at
    return None


def signup_due_at(signup: OfferSignUp, offer: ProjectOffer | None = None) -> datetime | None:
    """When the sign-up's personal data is erased (None: not yet known, the offer goes on)."""
    offer = offer or signup.offer
    moments = [moment for moment in (offer_ended_at(offer),) if moment is not None]
    if signup.status == SignUpStatus.CANCELLED:
        # Cancelling is the sign-up's last change (services.signup_cancel saves updated_at).
        moments.append(signup.updated_at)
    return min(moments) + _retention() if moments else None


def _not_erased():
    return OfferSignUp.objects.exclude(email__endswith=ERASED_DOMAIN)


def signup_anonymise(signup: OfferSignUp) -> OfferSignUp:
    """Remove what identifies the person; keep offer, status, source, language, organisation.

    Internal: call inside a transaction with the row locked (the entry points below do).
    """
    signup.name = ""
    signup.email = erased_email(signup)
    signup.phone = ""
    signup.message = ""
    # The personal link stops working: no hash, nothing to find it by.
    signup.token_hash = None
    signup.registration_id = None
    signup.save(update_fields=["name", "email", "phone", "message", "token_hash", "registration_id", "updated_at"])
    # The confirmation to the person and the team's emails (reply-to the person) hold the name and
    # the address; deleting them also stops any still waiting in the outbox.
    OutgoingEmail.objects.filter(
        subject_type=ContentType.objects.get_for_model(OfferSignUp), subject_id=signup.pk
    ).delete()
    return signup


@dataclass(frozen=True)
class SignUpPurge:
    anonymised: int
    # The anonymised rows per status (the counts that remain for the project's reports).
    statuses: dict[str, int]

    def as_dict(self) -> dict:
        return {"anonymised": self.anonymised, "statuses": self.statuses}


def signups_anonymise_expired(*, now: datetime | None = None) -> SignUpPurge:
    """Anonymise every sign-up whose retention has run out (see signup_due_at). Running it again
    changes nothing. Returns how many were anonymised, per status."""
    now = now or timezone.now()
    cutoff = now - _retention()
    # Prefilter in SQL: a cancelled sign-up, or an offer cancelled, closed or with a date, before the cutoff.
    dated = Q(offer__ends_at__lte=cutoff) | Q(offer__ends_at__isnull=True, offer__starts_at__lte=cutoff)
    stopped = Q(offer__status__in=(OfferStatus.CANCELLED, OfferStatus.CLOSED), offer__updated_at__lte=cutoff)
    cancelled = Q(status=SignUpStatus.CANCELLED, updated_at__lte=cutoff)
    candidates = list(_not_erased().filter(dated | stopped | cancelled).values_list("pk", flat=True).order_by("pk"))
    statuses: dict[str, int] = {}
    for pk in candidates:
        with transaction.atomic():
            signup = _not_erased().select_for_update(of=("self",)).select_related("offer").filter(pk=pk).first()
            if signup is None:
                continue
            due = signup_due_at(signup)
            if due is None or due > now:
                continue
            signup_anonymise(signup)
            statuses[signup.status] = statuses.get(signup.status, 0) + 1
    return SignUpPurge(anonymised=sum(statuses.values()), statuses=dict(sorted(statuses.items())))


def signup_erase(*, signup: OfferSignUp, actor=None) -> OfferSignUp:
    """Erase one sign-up on its person's request (GDPR Art. 17): a seat or a place on the waiting
    list is cancelled first through the normal service (the freed seat goes to the next person),
    then the row is anonymised. Erasing an erased sign-up changes nothing."""
    with transaction.atomic():
        current = OfferSignUp.objects.select_for_update(of=("self",)).get(pk=signup.pk)
        if current.email.endswith(ERASED_DOMAIN):
            return current
        if current.status in (SignUpStatus.SIGNED_UP, SignUpStatus.WAITLISTED):
            signup_cancel(signup=current, actor=actor)
            current = OfferSignUp.objects.select_for_update(of=("self",)).get(pk=signup.pk)
        return signup_anonymise(current)


def signups_erase_by_email(*, email: str, actor=None) -> int:
    """Erase every sign-up (and interest) made with this address, on the person's request (a
    moderator acting on an email, for example). Returns how many were erased."""
    email = (email or "").strip()
    if not email or email.endswith(ERASED_DOMAIN):
        return 0
    erased = 0
    with transaction.atomic():
        for signup in _not_erased().filter(email__iexact=email).order_by("pk"):
            signup_erase(signup=signup, actor=actor)
            erased += 1
    return erased
