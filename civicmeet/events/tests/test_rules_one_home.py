"""An event's rules live in the model (Event.clean and its validators): the service refuses what the
form refuses, with the same message next to the same field."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from civicmeet.events.forms import EventForm
from civicmeet.events.services import event_create, event_update
from civicmeet.events.tests.factories import EventFactory

from .test_views_manage import event_post_data

pytestmark = pytest.mark.django_db


def valid_data() -> dict:
    event = EventFactory.build()
    return {
        "slug": "spotkanie",
        "title": {"pl": "Spotkanie sieciujące"},
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "registration_opens_at": event.registration_opens_at,
        "registration_closes_at": event.registration_closes_at,
        "capacity": 40,
    }


BROKEN = [
    ("slug", {"slug": "new"}, "This address is reserved. Choose another one."),
    ("capacity", {"capacity": 0}, "Ensure this value is greater than or equal to 1."),
    (
        "registration_closes_at",
        {"registration_closes_at": "after_end"},
        "Registration must close before the event ends.",
    ),
    (
        "health_data_retention_days",
        {"health_data_retention_days": 400, "personal_data_retention_days": 30},
        "Health declarations cannot be kept longer than the other personal data.",
    ),
]


def _broken(overrides: dict) -> dict:
    data = valid_data()
    for name, value in overrides.items():
        data[name] = data["ends_at"] + timedelta(hours=1) if value == "after_end" else value
    return data


@pytest.mark.parametrize(("field", "overrides", "message"), BROKEN, ids=[case[0] for case in BROKEN])
def test_the_service_refuses_what_breaks_a_rule(organiser, field, overrides, message):
    with pytest.raises(ValidationError) as caught:
        event_create(creator=organiser, data=_broken(overrides))
    assert caught.value.message_dict[field] == [message]


@pytest.mark.parametrize(("field", "overrides", "message"), BROKEN[2:], ids=[case[0] for case in BROKEN[2:]])
def test_the_service_refuses_a_change_that_breaks_a_rule(organiser, event, field, overrides, message):
    data = _broken(overrides)
    data.pop("slug")
    with pytest.raises(ValidationError) as caught:
        event_update(event=event, data=data, actor=organiser)
    assert caught.value.message_dict[field] == [message]


def test_the_form_shows_the_models_rules_next_to_their_fields():
    starts = EventFactory.build().starts_at
    form = EventForm(
        event_post_data(
            slug="new",
            registration_opens_at=(starts - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
            registration_closes_at=(starts + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
            ends_at=(starts + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
            health_data_retention_days="60",
            personal_data_retention_days="30",
        )
    )
    assert not form.is_valid()
    assert form.errors["slug"] == ["This address is reserved. Choose another one."]
    assert form.errors["registration_closes_at"] == ["Registration must close before the event ends."]
    assert form.errors["health_data_retention_days"] == [
        "Health declarations cannot be kept longer than the other personal data."
    ]


@pytest.mark.parametrize(("zone", "moment"), [("Etc/GMT+12", "9999-12-31T23:30"), ("Asia/Tokyo", "0001-01-01T00:30")])
def test_a_moment_at_the_end_of_the_calendar_is_an_error_next_to_its_field_not_a_500(client, organiser, zone, moment):
    from django.urls import reverse
    from django.utils import translation

    client.force_login(organiser)
    with translation.override("en"):
        response = client.post(reverse("events:create"), event_post_data(timezone=zone, ends_at=moment))
    assert response.status_code == 200
    assert response.context["form"].errors["ends_at"] == ["Enter a valid date/time."]
    assert f'value="{moment}"' in response.content.decode()


def test_the_service_refuses_a_moment_out_of_range(organiser):
    from datetime import UTC, datetime

    data = {**valid_data(), "ends_at": datetime(9500, 1, 1, tzinfo=UTC)}
    with pytest.raises(ValidationError) as caught:
        event_create(creator=organiser, data=data)
    assert caught.value.message_dict == {"ends_at": ["Enter a valid date/time."]}
