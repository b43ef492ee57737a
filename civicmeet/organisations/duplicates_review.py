"""The moderators' review of likely duplicates: per organisation on demand, the whole directory in
the background.

- **Drafts and recently added organisations** are compared, when the page is opened, with every
  name of the directory (one organisation against 10,000 names takes a few milliseconds).
- **The whole directory** (every pair: about 23 s for 5,000 organisations) is compared only by a
  background task (`duplicates_scan_task`, django-tasks). Its result is the task's return value,
  which the database backend (django-tasks-db) keeps in the database, where every web process reads
  it; it is also put in the default cache for SCAN_KEEP_SECONDS (shared between processes in
  production, config/settings/prod.py), which serves it without a query and is the only copy with
  a backend that keeps no results (the tests' immediate one).
- **"Not duplicates"**: a moderator's answer that two organisations are different is kept in the
  same cache, one key per pair, without expiry, and the pair is not suggested again. The cache is
  not a record: if it is cleared, the pair is suggested once more, which costs a click and loses
  nothing (a merge itself is recorded in the database).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task

from civicmeet.core.errors import PermissionDeniedError

from .duplicates import Match, NameIndex, duplicate_candidates
from .models import Organisation, OrganisationName, OrganisationStatus
from .permissions import is_moderator

RECENT_DAYS = 30
REVIEW_LIMIT = 50
SCAN_KEY = "organisations:duplicates:scan"
SCAN_KEEP_SECONDS = 7 * 24 * 3600
DISMISSED_KEY = "organisations:not-duplicates:{first}:{second}"


def _cache():
    return caches["default"]


def directory_names() -> dict[int, list[str]]:
    """Every organisation's id with all its names (the main one first), in two queries."""
    names: dict[int, list[str]] = {pk: [name] for pk, name in Organisation.objects.values_list("pk", "name")}
    for owner, variant in OrganisationName.objects.values_list("organisation_id", "name"):
        names.setdefault(owner, []).append(variant)
    return names


def _pair(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def _dismissed(pairs: set[tuple[int, int]]) -> set[tuple[int, int]]:
    keys = {DISMISSED_KEY.format(first=a, second=b): (a, b) for a, b in pairs}
    found = _cache().get_many(list(keys))
    return {keys[key] for key in found}


def not_duplicates_record(*, first: Organisation, second: Organisation, actor) -> None:
    """Remember a moderator's answer that two organisations are not the same one."""
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only the moderators of the network review duplicates."))
    a, b = _pair(first.pk, second.pk)
    _cache().set(DISMISSED_KEY.format(first=a, second=b), {"by": actor.pk, "at": timezone.now().isoformat()}, None)


@dataclass
class ReviewItem:
    organisation: Organisation
    matches: list[tuple[Match, Organisation]]


def duplicates_review(*, limit: int = REVIEW_LIMIT) -> list[ReviewItem]:
    """Drafts and organisations added in the last RECENT_DAYS days that have likely duplicates,
    newest first, each with its candidates (best first). A constant number of queries."""
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    reviewed = list(
        Organisation.objects.filter(status=OrganisationStatus.DRAFT).order_by("-created_at", "-pk")[:limit]
    ) + list(
        Organisation.objects.filter(status=OrganisationStatus.PUBLISHED, created_at__gte=since).order_by(
            "-created_at", "-pk"
        )[:limit]
    )
    if not reviewed:
        return []
    names = directory_names()
    index = NameIndex.build(names)
    found = {
        organisation.pk: index.matches(organisation.pk, names.get(organisation.pk, [])) for organisation in reviewed
    }
    pairs = {_pair(pk, match.other) for pk, matches in found.items() for match in matches}
    dismissed = _dismissed(pairs)
    others = Organisation.objects.in_bulk({match.other for matches in found.values() for match in matches})
    items = []
    shown: set[tuple[int, int]] = set()
    for organisation in reviewed:
        matches = []
        for match in found[organisation.pk]:
            pair = _pair(organisation.pk, match.other)
            if pair in dismissed or pair in shown or match.other not in others:
                continue
            shown.add(pair)  # a draft and a recent one that match each other: shown once
            matches.append((match, others[match.other]))
        if matches:
            items.append(ReviewItem(organisation=organisation, matches=matches))
    return items


@task()
def duplicates_scan_task() -> dict:
    """Compare every name of the directory with every other; keep the pairs found for the page
    (in the shared cache; the database backend also keeps the return value)."""
    candidates = duplicate_candidates(directory_names())
    result = {
        "finished_at": timezone.now().isoformat(),
        "candidates": [
            {"first": c.first, "second": c.second, "score": c.score, "names": list(c.names)} for c in candidates
        ],
    }
    _cache().set(SCAN_KEY, result, SCAN_KEEP_SECONDS)
    return result


def _stored_scan() -> dict | None:
    """The last scan's result: from the cache, else from the task's row in the database (the
    worker may run in a process whose cache this one does not share, as in development)."""
    result = _cache().get(SCAN_KEY)
    if result or "django_tasks_db" not in settings.INSTALLED_APPS:
        return result
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.successful()
        .filter(task_path=duplicates_scan_task.module_path)
        .order_by("-finished_at")
        .values_list("return_value", flat=True)
        .first()
    )


def duplicates_scan_running() -> bool:
    """Whether a scan is queued or running (database backend only)."""
    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=duplicates_scan_task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).exists()


def duplicates_scan_start(*, actor) -> None:
    """Queue a scan of the whole directory (a moderator asked for it)."""
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only the moderators of the network review duplicates."))
    duplicates_scan_task.enqueue()


@dataclass
class ScanPair:
    first: Organisation
    second: Organisation
    score: float
    names: tuple[str, str]


def duplicates_scan_result(*, limit: int = 200) -> tuple[str | None, list[ScanPair]]:
    """When the last full scan finished (ISO time, or None) and its pairs still to decide: both
    organisations still there and not answered "not duplicates"."""
    result = _stored_scan()
    if not result or "candidates" not in result:
        return None, []
    rows = result["candidates"]
    dismissed = _dismissed({_pair(row["first"], row["second"]) for row in rows})
    rows = [row for row in rows if _pair(row["first"], row["second"]) not in dismissed][:limit]
    organisations = Organisation.objects.in_bulk({row["first"] for row in rows} | {row["second"] for row in rows})
    pairs = [
        ScanPair(organisations[row["first"]], organisations[row["second"]], row["score"], tuple(row["names"]))
        for row in rows
        if row["first"] in organisations and row["second"] in organisations
    ]
    return result["finished_at"], pairs
