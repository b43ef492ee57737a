"""Benchmark of matching offers to needs (issue 10): one organisation < 50 ms, the whole directory < 30 s.

    .venv/bin/python bench/matching.py [--organisations 5000] [--resources 20000] [--json FILE]

Builds a fresh database in a temporary directory (SQLite; set DATABASE_URL for PostgreSQL, e.g.
through scripts/pg-test.sh, whose database is then filled and left as it is) with the load data of
`manage.py generate_network` (civicmeet/demo/generator.py: `--organisations` organisations and
`--resources` offers and needs, seed 0). Then, on a warm connection, it times:

- one organisation: `suggestions_for` — everything the "Suggested for you" page computes (its own
  items, the SQL prefilter of candidates, scoring both directions, dismissals, the 50 best with both
  items loaded) — for `--samples` organisations that have current offers or needs, each read by one
  of its approved representatives: p50, p95, max; and `fits_for_organisation` without a limit
  (every fit with its reasons) for the same organisations;
- the whole directory: `suggestions_compute_all` (the nightly run, writing Suggestion rows)
  `--nightly` times — the first run creates the rows, the later ones find and update them.

Prints one JSON line with the figures (docs/network/offers-and-needs.md quotes them; `--json` also
writes them to a file for `make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    return {
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--nightly", type=int, default=3, help="How many times to time the whole directory (3).")
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="Use the SQLite database an earlier run left in DIR (CIVICMEET_VAR_DIR) instead of generating one.",
    )
    args = parser.parse_args()

    if args.reuse:
        os.environ["CIVICMEET_VAR_DIR"] = args.reuse
    elif not os.environ.get("DATABASE_URL"):
        os.environ["CIVICMEET_VAR_DIR"] = tempfile.mkdtemp(prefix="civicmeet-bench-matching-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    # Timed as in production (DEBUG off): with DEBUG on, Django also renders every statement with
    # its parameters for connection.queries, which for the nightly run's writes costs seconds.
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from civicmeet.demo.generator import generate_network, generated_organisations
    from civicmeet.organisations.models import Organisation, Representative, RepresentativeSource, RepresentativeStatus
    from civicmeet.resources.suggestions import (
        fits_for_organisation,
        matchable,
        suggestions_compute_all,
        suggestions_for,
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not (args.reuse and generated_organisations().exists()):
        generate_network(organisations=args.organisations, resources=args.resources, seed=0)
    seeded = time.perf_counter() - started

    rng = random.Random(10)
    today = timezone.localdate()
    with_items = sorted(set(matchable(today).values_list("organisation_id", flat=True)))
    sample = rng.sample(with_items, min(args.samples, len(with_items)))
    User = get_user_model()
    User.objects.filter(username__startswith="bench-matching-").delete()
    User.objects.bulk_create(
        [User(username=f"bench-matching-{pk}", email=f"bench-matching-{pk}@example.org") for pk in sample]
    )
    by_name = {user.username: user for user in User.objects.filter(username__startswith="bench-matching-")}
    Representative.objects.bulk_create(
        [
            Representative(
                organisation_id=pk,
                user=by_name[f"bench-matching-{pk}"],
                status=RepresentativeStatus.APPROVED,
                source=RepresentativeSource.INVITATION,
            )
            for pk in sample
        ]
    )
    readers = [(pk, by_name[f"bench-matching-{pk}"].pk) for pk in sample]

    organisations = Organisation.objects.in_bulk(sample)
    # Warm the connection and caches.
    suggestions_for(organisation=organisations[sample[0]], user=User.objects.get(pk=readers[0][1]))
    page, every, shown, found = [], [], 0, 0
    for pk, user_pk in readers:
        reader = User.objects.get(pk=user_pk)  # a fresh user per request, as in a view
        t0 = time.perf_counter()
        shown += len(suggestions_for(organisation=organisations[pk], user=reader))
        page.append((time.perf_counter() - t0) * 1000)
        reader = User.objects.get(pk=user_pk)
        t0 = time.perf_counter()
        found += len(fits_for_organisation(organisation=pk, user=reader))
        every.append((time.perf_counter() - t0) * 1000)

    nightly_runs = []
    for _run in range(args.nightly):
        t0 = time.perf_counter()
        counts = suggestions_compute_all()
        nightly_runs.append({"seconds": round(time.perf_counter() - t0, 2), **counts})

    figures = {
        "database": connection.vendor,
        "organisations": args.organisations,
        "resources": args.resources,
        "matchable": matchable(today).count(),
        "seed_seconds": round(seeded, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "one_organisation_ms": {
            **percentiles(page),
            "samples": len(page),
            "mean_shown": round(shown / len(page), 1),
        },
        "one_organisation_every_fit_ms": {**percentiles(every), "mean_fits": round(found / len(every), 1)},
        "whole_directory": nightly_runs,
    }
    print(json.dumps(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
