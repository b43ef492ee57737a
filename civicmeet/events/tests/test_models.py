from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from civicmeet.events.models import Event

WARSAW = ZoneInfo("Europe/Warsaw")


def _event(**kwargs) -> Event:
    values = {
        "slug": "spotkanie",
        "title": {"pl": "Spotkanie sieciujące"},
        "starts_at": datetime(2021, 9, 30, 10, 0, tzinfo=WARSAW),
        "ends_at": datetime(2021, 9, 30, 16, 0, tzinfo=WARSAW),
        "registration_opens_at": datetime(2021, 9, 1, 0, 0, tzinfo=WARSAW),
        "registration_closes_at": datetime(2021, 9, 26, 23, 59, tzinfo=WARSAW),
        "capacity": 40,
        "is_published": True,
    }
    values.update(kwargs)
    return Event(**values)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (datetime(2021, 8, 31, 23, 59, tzinfo=WARSAW), "not_yet"),
        (datetime(2021, 9, 1, 0, 0, tzinfo=WARSAW), "open"),
        (datetime(2021, 9, 26, 23, 59, tzinfo=WARSAW), "open"),
        (datetime(2021, 9, 26, 23, 59, tzinfo=WARSAW) + timedelta(seconds=1), "closed"),
    ],
)
def test_registration_window_boundaries(now, status):
    assert _event().registration_status(now) == status


def test_unpublished_event_is_never_open():
    assert not _event(is_published=False).is_registration_open(datetime(2021, 9, 10, tzinfo=WARSAW))


def test_clean_reports_each_inconsistency_on_its_field():
    event = _event(
        timezone="Mars/Olympus",
        ends_at=datetime(2021, 9, 29, tzinfo=WARSAW),
        registration_closes_at=datetime(2021, 8, 1, tzinfo=WARSAW),
        title={},
    )
    with pytest.raises(ValidationError) as error:
        event.clean()
    assert set(error.value.message_dict) == {"timezone", "ends_at", "registration_closes_at", "title"}


def test_agenda_items_strip_bullets_and_blank_lines():
    event = _event(agenda={"pl": " • poznanie organizacji\n\n- kanały komunikacji z urzędnikami\n"})
    assert event.agenda_items("pl") == ["poznanie organizacji", "kanały komunikacji z urzędnikami"]


def test_local_time_is_in_the_events_zone():
    event = _event(timezone="Europe/Warsaw")
    assert event.local(datetime(2021, 9, 30, 8, 0, tzinfo=ZoneInfo("UTC"))).hour == 10
