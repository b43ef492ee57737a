"""Benchmark of matching offers to needs (issue 10): one organisation < 50 ms, the whole directory < 30 s.

    .venv/bin/python bench/matching.py [--organisations 5000] [--resources 20000]

Builds a fresh database in a temporary directory (SQLite; set DATABASE_URL for PostgreSQL, whose
database is then filled and left as it is), with `--organisations` published organisations in the
16 voivodeships (a third in Kraków, Warsaw or Wrocław) and `--resources` offers and needs over the
nine categories, with quantities, weekdays, date ranges, languages and online items drawn at random
(a fixed seed). Rows are written with bulk_create rather than the services, so that seeding takes
seconds; matching reads them like any others. Then it times, on a warm connection:

- `fits_for_organisation` (the "Suggested for you" page's matching: SQL prefilter + scoring) for
  200 organisations that have resources: p50, p95, max;
- `suggestions_compute_all` (the nightly run, writing Suggestion rows) once.

Prints one JSON line with the figures (docs/network/offers-and-needs.md quotes them).
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
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["CIVICMEET_VAR_DIR"] = tempfile.mkdtemp(prefix="civicmeet-bench-matching-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection

    from civicmeet.organisations.models import Organisation, Region
    from civicmeet.resources.models import Category, Resource
    from civicmeet.resources.suggestions import fits_for_organisation, suggestions_compute_all

    call_command("migrate", verbosity=0)
    rng = random.Random(10)
    regions = [r for r in Region.values if r not in ("nationwide", "abroad")]
    cities = {"malopolskie": "Kraków", "mazowieckie": "Warszawa", "dolnoslaskie": "Wrocław"}
    started = time.perf_counter()
    organisations = []
    for n in range(args.organisations):
        region = rng.choice(regions)
        organisations.append(
            Organisation(
                name=f"Bench organisation {n}",
                type="migrant",
                status="published",
                region=region,
                city=cities.get(region, f"Miasto {rng.randint(1, 40)}"),
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    orgs = list(Organisation.objects.filter(name__startswith="Bench organisation").values("pk", "region", "city"))
    today = date.today()
    resources = []
    for n in range(args.resources):
        org = rng.choice(orgs)
        category = rng.choice(Category.values)
        online = category in ("interpreting", "expertise", "funding") and rng.random() < 0.3
        start = today + timedelta(days=rng.randint(-30, 60)) if rng.random() < 0.4 else None
        resources.append(
            Resource(
                organisation_id=org["pk"],
                direction=rng.choice(["offer", "need"]),
                category=category,
                title=f"Bench {category} {n}",
                quantity=rng.choice([None, rng.randint(1, 80)]),
                weekdays=sorted(rng.sample(range(7), rng.randint(0, 3))),
                any_time=rng.random() < 0.2,
                available_from=start,
                available_until=start + timedelta(days=rng.randint(7, 120)) if start else None,
                languages=rng.sample(["pl", "uk", "en", "ru", "be", "vi"], rng.randint(0, 2)),
                city="" if online else org["city"],
                region="" if online else org["region"],
                online=online,
            )
        )
    Resource.objects.bulk_create(resources, batch_size=1000)
    seeded = time.perf_counter() - started

    with_items = list(Resource.objects.values_list("organisation_id", flat=True).distinct())
    sample = rng.sample(with_items, min(args.samples, len(with_items)))
    reader = AnonymousUser()
    fits_for_organisation(organisation=sample[0], user=reader)  # warm the connection and caches
    timings, found = [], 0
    for pk in sample:
        t0 = time.perf_counter()
        found += len(fits_for_organisation(organisation=pk, user=reader))
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    t0 = time.perf_counter()
    nightly = suggestions_compute_all()
    whole = time.perf_counter() - t0
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "organisations": args.organisations,
                "resources": args.resources,
                "seed_seconds": round(seeded, 1),
                "one_organisation_ms": {
                    "p50": round(statistics.median(timings), 1),
                    "p95": round(timings[int(len(timings) * 0.95) - 1], 1),
                    "max": round(timings[-1], 1),
                    "samples": len(timings),
                    "mean_fits": round(found / len(timings), 1),
                },
                "whole_directory_seconds": round(whole, 2),
                "suggestions": nightly,
            }
        )
    )


if __name__ == "__main__":
    main()
