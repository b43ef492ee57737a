import datetime as dt

from django.template import Context, Template
from django.utils import timezone


def test_in_tz_shows_the_moment_in_the_given_zone_whatever_the_active_one():
    moment = dt.datetime(2026, 5, 1, 10, 0, tzinfo=dt.UTC)
    template = Template("{% load civicmeet %}{{ moment|in_tz:'America/New_York'|date:'Y-m-d H:i' }}")
    with timezone.override("Asia/Tokyo"):
        assert template.render(Context({"moment": moment})) == "2026-05-01 06:00"


def test_in_tz_passes_an_empty_value_through():
    assert (
        Template("{% load civicmeet %}[{{ moment|in_tz:'Europe/Warsaw' }}]").render(Context({"moment": None}))
        == "[None]"
    )
