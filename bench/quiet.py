"""Wait until the server's background work is done: no email waiting or being sent, no task due.

bench/run.py calls it before each scenario, so a scenario is not measured while the worker is
still sending the emails of the one before (the registration scenarios leave thousands). Prints
how long it waited. Run with the same environment as the server.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

import django  # noqa: E402

django.setup()

from django.db.models import Q  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from civicmeet.notifications.models import EmailStatus, OutgoingEmail  # noqa: E402

LIMIT = float(os.environ.get("BENCH_QUIET_LIMIT", "300"))


def busy() -> bool:
    emails = OutgoingEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).exists()
    due = Q(status="READY") & (Q(run_after__isnull=True) | Q(run_after__lte=timezone.now()))
    tasks = DBTaskResult.objects.filter(due | Q(status="RUNNING")).exists()
    return emails or tasks


def main() -> None:
    started = time.monotonic()
    while busy():
        if time.monotonic() - started > LIMIT:
            sys.exit(f"the worker was still busy after {LIMIT:.0f} s")
        time.sleep(0.5)
    print(f"{time.monotonic() - started:.1f}")


if __name__ == "__main__":
    main()
