"""Calendar and clock arithmetic that the rules rely on.

Two rules keep it correct:

- calendar dates are turned into moments in the event's zone, through UTC, so a local midnight that
  does not exist (a daylight-saving gap at midnight) becomes the first moment that does;
- moments are compared and shifted in UTC only. Python compares and subtracts two datetimes that share
  a tzinfo by their wall-clock times, which is wrong across a daylight-saving change.
"""

from __future__ import annotations

import calendar
import datetime as dt

UTC = dt.UTC
ONE_MICROSECOND = dt.timedelta(microseconds=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later; a day the shorter month lacks becomes its last day.

    2021-08-31 + 6 → 2022-02-28; 2023-08-31 + 6 → 2024-02-29; 2021-03-31 + 6 → 2021-09-30.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC)


def start_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The first moment of `day` in `tz` (normally local midnight), as an aware datetime in `tz`."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz).astimezone(UTC).astimezone(tz)


def end_of_day(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    """The last moment of `day` in `tz`: one microsecond before the next day starts (normally 23:59:59.999999)."""
    return (utc(start_of_day(day + dt.timedelta(days=1), tz)) - ONE_MICROSECOND).astimezone(tz)


def within(moment: dt.datetime, start: dt.datetime | None, end: dt.datetime | None) -> bool:
    """`start <= moment <= end` as real moments; None is unbounded."""
    at = utc(moment)
    return (start is None or utc(start) <= at) and (end is None or at <= utc(end))


def is_aware(moment: dt.datetime) -> bool:
    return moment.tzinfo is not None and moment.utcoffset() is not None
