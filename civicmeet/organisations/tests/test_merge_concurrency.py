"""Two moderators merging the same duplicate at the same moment: one merge happens, the other is
refused (the rows are locked, and the second finds the duplicate gone); nothing is lost or doubled."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.merge import MergeError, organisation_merge
from civicmeet.organisations.models import Organisation, OrganisationMerge, Representative

from .data_fixtures import moderator

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_the_same_duplicate_merged_twice_at_once_is_merged_once():
    first = moderator("first@civicmeet.example.org")
    second = moderator("second@civicmeet.example.org")
    keep_a, keep_b = OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Zustricz Foundation")
    duplicate = OrganisationFactory(name="Fundacja „Zustricz”")
    Representative.objects.create(organisation=duplicate, user=UserFactory(), source="request")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def merge(survivor, actor):
        try:
            barrier.wait(timeout=30)
            organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)
            outcome = "merged"
        except MergeError:
            outcome = "refused"
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [
        threading.Thread(target=merge, args=(keep_a, first)),
        threading.Thread(target=merge, args=(keep_b, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["merged", "refused"], outcomes
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    record = OrganisationMerge.objects.get()
    assert Representative.objects.get().organisation_id == record.survivor_id
