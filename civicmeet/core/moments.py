"""The moments civicmeet accepts: the one home of the rule for forms, the API and the models."""

from __future__ import annotations

from datetime import UTC, datetime

# Far enough from the ends of Python's calendar that no time zone's offset pushes a moment out of
# it (which would be a 500 when the database or the event's zone converts it).
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(9000, 1, 1, tzinfo=UTC)


def moment_in_range(value: datetime) -> bool:
    try:
        return EARLIEST_MOMENT <= value.astimezone(UTC) < LATEST_MOMENT
    except OverflowError:
        return False
