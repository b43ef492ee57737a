"""Data protection for the directory's personal data (docs/data-protection.md, "The network").

Three nightly rules, each after `PERSONAL_DATA_RETENTION_DAYS`:

- **Refused or removed representatives.** The Representative row (who, their role, language,
  consent, who decided) is deleted once that long has passed since it ended (its last history row);
  the history keeps that representative number N came and went, without their address.
- **Idle accounts.** An account that represents no organisation (no Representative row at all), is
  on no event's team, is not staff, not a superuser and not a moderator, has no API token, has not
  signed in for that long, and that the apps above do not report in use (registrations: an
  unanonymised registration with its address) is deactivated and anonymised — never deleted,
  because the organisations' contact history points at it. Its outbox mail older than the
  retention goes too.
- **Contact data in the history.** OrganisationLogEntry rows and merge records older than that keep
  that a contact field changed, not its values; representatives' addresses in the history stay only
  while they still represent (approved or pending).

organisations sits below registrations (civicmeet/layers.py): the caller (the nightly purge in
registrations.tasks) passes `in_use`, which says which of some accounts a higher app still needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from civicmeet.accounts.models import ApiToken, SignInLink, TeamMember
from civicmeet.notifications.models import OutgoingEmail

from .models import (
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationMerge,
    Representative,
    RepresentativeStatus,
)
from .permissions import MODERATE

# What replaces an erased value in a history row: the row still says the field changed.
ERASED = "(erased)"
# The contact fields of an organisation's profile: they may name a person (jan.kowalski@…, a mobile).
CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_other")
ENDED = (RepresentativeStatus.REFUSED, RepresentativeStatus.REMOVED)
CURRENT = (RepresentativeStatus.APPROVED, RepresentativeStatus.PENDING)

InUse = Callable[[list[Any]], set[int]]


def _retention() -> timedelta:
    return timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def erased_email(user) -> str:
    return f"erased-{user.pk}@invalid"


# -- Representatives -------------------------------------------------------------------------------


def representative_ended_at(representative: Representative) -> datetime:
    """When a refused or removed representation ended: its newest history row (removing writes
    one; decided_at is not set on removal), else its decision, else its creation."""
    last = OrganisationLogEntry.objects.filter(
        organisation_id=representative.organisation_id,
        action=OrganisationAction.REPRESENTATIVE,
        changes__representative=representative.pk,
    ).aggregate(last=Max("created_at"))["last"]
    moments = [moment for moment in (last, representative.decided_at, representative.created_at) if moment]
    return max(moments)


def representatives_purge(*, now: datetime | None = None) -> int:
    """Delete the refused and removed representatives whose retention has run out (their address is
    scrubbed from the history by history_scrub). Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - _retention()
    deleted = 0
    candidates = Representative.objects.filter(status__in=ENDED, created_at__lte=cutoff).order_by("pk")
    for pk in list(candidates.values_list("pk", flat=True)):
        with transaction.atomic():
            representative = Representative.objects.select_for_update().filter(pk=pk, status__in=ENDED).first()
            # Asked again (pending) or approved in the meantime: not ours to delete.
            if representative is None or representative_ended_at(representative) > cutoff:
                continue
            representative.delete()
            deleted += 1
    return deleted


# -- Idle accounts ---------------------------------------------------------------------------------


def _moderator_ids() -> set[int]:
    permission = Permission.objects.filter(
        content_type__app_label=MODERATE.split(".")[0], codename=MODERATE.split(".")[1]
    ).first()
    if permission is None:
        return set()
    User = get_user_model()
    return set(
        User.objects.filter(Q(user_permissions=permission) | Q(groups__permissions=permission)).values_list(
            "pk", flat=True
        )
    )


def idle_accounts(*, now: datetime | None = None):
    """Active accounts nobody needs any more (before asking the apps above): see the module's doc."""
    now = now or timezone.now()
    cutoff = now - _retention()
    User = get_user_model()
    return (
        User.objects.filter(is_active=True, is_staff=False, is_superuser=False, date_joined__lte=cutoff)
        .filter(Q(last_login__isnull=True) | Q(last_login__lte=cutoff))
        .exclude(pk__in=Representative.objects.values("user_id"))
        .exclude(pk__in=TeamMember.objects.values("user_id"))
        .exclude(pk__in=ApiToken.objects.values("user_id"))
        .exclude(pk__in=_moderator_ids())
        .order_by("pk")
    )


def account_retire(user, *, now: datetime | None = None) -> None:
    """Deactivate and anonymise one account (row locked by the caller): no name, no address, no
    password, no sign-in links; its old mail goes from the outbox."""
    now = now or timezone.now()
    address = user.email
    user.username = f"erased-{user.pk}"
    user.email = erased_email(user)
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    SignInLink.objects.filter(user=user).delete()
    if address:
        OutgoingEmail.objects.filter(to__iexact=address, created_at__lte=now - _retention()).delete()


def accounts_retire_idle(*, in_use: InUse, now: datetime | None = None) -> int:
    """Retire every idle account that `in_use` does not claim. Returns how many were retired."""
    now = now or timezone.now()
    users = list(idle_accounts(now=now))
    if not users:
        return 0
    needed = in_use(users)
    retired = 0
    for user in users:
        if user.pk in needed:
            continue
        with transaction.atomic():
            # Checked again under the lock: the person may have signed in or been invited a moment ago.
            current = idle_accounts(now=now).select_for_update().filter(pk=user.pk).first()
            if current is None:
                continue
            account_retire(current, now=now)
            retired += 1
    return retired


# -- Contact data in the history -------------------------------------------------------------------


def _erase_pair(value: Any) -> Any:
    if isinstance(value, list):
        return [ERASED if item not in (None, "", ERASED) else item for item in value]
    return ERASED if value not in (None, "", ERASED) else value


def _scrub_fields(changes: dict, fields: Iterable[str]) -> bool:
    touched = False
    for field in fields:
        if field in changes:
            erased = _erase_pair(changes[field])
            if erased != changes[field]:
                changes[field] = erased
                touched = True
    return touched


def _scrub_entry(entry: OrganisationLogEntry, current_representatives: set[int]) -> bool:
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    touched = _scrub_fields(changes, CONTACT_FIELDS)
    nested = changes.get("fields")  # imports: {"fields": {name: [before, after]}}
    if isinstance(nested, dict):
        touched = _scrub_fields(nested, CONTACT_FIELDS) or touched
    filled = changes.get("filled")  # merges: the fields filled from the duplicate
    if isinstance(filled, dict):
        touched = _scrub_fields(filled, CONTACT_FIELDS) or touched
    if (
        entry.action == OrganisationAction.REPRESENTATIVE
        and changes.get("representative") not in current_representatives
        and changes.get("email") not in (None, "", ERASED)
    ):
        changes["email"] = ERASED
        touched = True
    return touched


def history_scrub(*, now: datetime | None = None) -> dict[str, int]:
    """Erase the contact values in history rows and merge records older than the retention, and
    the addresses of people who no longer represent. Returns how many rows of each were changed."""
    now = now or timezone.now()
    cutoff = now - _retention()
    current = set(Representative.objects.filter(status__in=CURRENT).values_list("pk", flat=True))
    has_contact = Q()
    for field in CONTACT_FIELDS:
        has_contact |= Q(changes__has_key=field) | Q(changes__fields__has_key=field)
        has_contact |= Q(changes__filled__has_key=field)
    old = OrganisationLogEntry.objects.filter(created_at__lte=cutoff)
    representatives = Q(action=OrganisationAction.REPRESENTATIVE, changes__has_key="email")
    entries = 0
    with transaction.atomic():
        for entry in old.filter(has_contact | representatives).select_for_update().order_by("pk").iterator():
            if _scrub_entry(entry, current):
                entry.save(update_fields=["changes"])
                entries += 1
        merges = 0
        for merge in OrganisationMerge.objects.filter(created_at__lte=cutoff).select_for_update().order_by("pk"):
            data = merge.merged_data if isinstance(merge.merged_data, dict) else {}
            if _scrub_fields(data, CONTACT_FIELDS):
                merge.save(update_fields=["merged_data"])
                merges += 1
    return {"history_entries": entries, "merges": merges}


# -- All of it -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryPurge:
    representatives: int
    accounts: int
    history_entries: int
    merges: int

    def as_dict(self) -> dict[str, int]:
        return {
            "representatives": self.representatives,
            "accounts": self.accounts,
            "history_entries": self.history_entries,
            "merges": self.merges,
        }


def directory_purge(*, in_use: InUse, now: datetime | None = None) -> DirectoryPurge:
    """Representatives first (an account whose last one goes may then be idle), then accounts, then
    the history (the deleted representatives' addresses with it). Idempotent."""
    now = now or timezone.now()
    representatives = representatives_purge(now=now)
    accounts = accounts_retire_idle(in_use=in_use, now=now)
    history = history_scrub(now=now)
    return DirectoryPurge(
        representatives=representatives,
        accounts=accounts,
        history_entries=history["history_entries"],
        merges=history["merges"],
    )
