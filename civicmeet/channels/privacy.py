"""Data protection for channels to local government (docs/data-protection.md, "The network").

A channel's email and phone may be an official's own (jan.nowak@um.example.pl, a direct line).
The channel itself shows what is true today; its history (Revision) and the proposed changes
decided by a moderator would keep every old address for ever. After `PERSONAL_DATA_RETENTION_DAYS`
those rows keep that the email or phone changed, not the values. Drafts and proposals still
waiting for a moderator are left alone: they are the author's current work. Authorship is a link
to the author's account (SET_NULL), which the directory's purge anonymises when it is idle.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicmeet.organisations.privacy import ERASED

from .models import ChannelProposal, ItemStatus, Revision

CONTACT_FIELDS = ("email", "phone")


def _erase(value: Any) -> Any:
    if isinstance(value, list):
        return [_erase(item) for item in value]
    return ERASED if value not in (None, "", ERASED) else value


def _scrub(changes: Any) -> bool:
    if not isinstance(changes, dict):
        return False
    touched = False
    for field in CONTACT_FIELDS:
        if field in changes:
            erased = _erase(changes[field])
            if erased != changes[field]:
                changes[field] = erased
                touched = True
    return touched


def channel_history_scrub(*, now: datetime | None = None) -> dict[str, int]:
    """Erase the email and phone values in revisions and decided proposals older than the
    retention. Running it again changes nothing. Returns how many rows of each were changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    has_contact = Q()
    for field in CONTACT_FIELDS:
        has_contact |= Q(changes__has_key=field)
    revisions = proposals = 0
    with transaction.atomic():
        rows = Revision.objects.filter(has_contact, created_at__lte=cutoff).select_for_update().order_by("pk")
        for revision in rows.iterator():
            if _scrub(revision.changes):
                revision.save(update_fields=["changes"])
                revisions += 1
        decided = (
            ChannelProposal.objects.filter(has_contact, updated_at__lte=cutoff)
            .exclude(status__in=(ItemStatus.DRAFT, ItemStatus.SUBMITTED))
            .select_for_update()
            .order_by("pk")
        )
        for proposal in decided:
            if _scrub(proposal.changes):
                # .update(): saving would move updated_at, which the channel's pages show.
                ChannelProposal.objects.filter(pk=proposal.pk).update(changes=proposal.changes)
                proposals += 1
    return {"revisions": revisions, "proposals": proposals}
