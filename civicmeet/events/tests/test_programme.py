"""An event as part of a grant programme: chosen on the event's form, named on the public page
(also on the stored copy), listed on the programme's page (through programmes.page_sections)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.db.models.deletion import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.events.history import change_lines
from civicmeet.events.models import Event, EventLogEntry
from civicmeet.events.services import event_unpublish, event_update
from civicmeet.events.tests.factories import EventFactory
from civicmeet.programmes.services import programme_save

from .test_views_manage import event_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_page_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def active_citizens():
    return programme_save(
        slug="aktywni-obywatele",
        data={
            "name": {
                "pl": "Aktywni Obywatele – Fundusz Krajowy",
                "uk": "Активні громадяни – Національний фонд",
                "en": "Active Citizens – National Fund",
            },
            "funder": "EEA and Norway Grants",
        },
    )


@pytest.fixture
def other_programme():
    return programme_save(slug="fio", data={"name": {"pl": "Fundusz Inicjatyw Obywatelskich"}})


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# The event's form -----------------------------------------------------------------------------


def test_the_edit_form_offers_every_programme_and_none(client, organiser, event, active_citizens, other_programme):
    client.force_login(organiser)
    html = client.get(url("events:edit", slug=event.slug, language="uk")).content.decode()
    select = html.split('name="programme"', 1)[1].split("</select>", 1)[0]
    assert f'value="{active_citizens.pk}">Активні громадяни – Національний фонд</option>' in select
    assert f'value="{other_programme.pk}">Fundusz Inicjatyw Obywatelskich</option>' in select  # its only name
    assert '<option value="" selected>' in select  # not part of a programme yet


def test_choosing_a_programme_saves_it_with_a_line_in_the_history(client, organiser, event, active_citizens):
    client.force_login(organiser)
    response = client.post(
        url("events:edit", slug=event.slug), event_post_data(slug=None, programme=active_citizens.pk)
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.programme == active_citizens
    entry = EventLogEntry.objects.filter(event=event).latest("id")
    assert entry.changes["programme"] == [None, "Active Citizens – National Fund"]
    assert any(line.label == "Programme" for line in change_lines(entry, event))
    # Shown chosen when the form is opened again; leaving it empty takes the event out of it.
    html = client.get(url("events:edit", slug=event.slug)).content.decode()
    assert f'<option value="{active_citizens.pk}" selected>' in html
    client.post(url("events:edit", slug=event.slug), event_post_data(slug=None, programme=""))
    event.refresh_from_db()
    assert event.programme is None


@pytest.mark.parametrize("value", ["999999", "aktywni-obywatele"])
def test_an_unknown_programme_is_refused_next_to_the_field_and_the_rest_kept(
    client, organiser, event, active_citizens, value
):
    client.force_login(organiser)
    data = event_post_data(slug=None, programme=value, title_pl="Nowy tytuł")
    response = client.post(url("events:edit", slug=event.slug), data)
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    html = response.content.decode()
    assert 'id="id_programme_error"' in html
    assert 'href="#id_programme"' in html  # the error summary links to the field
    assert 'value="Nowy tytuł"' in html
    event.refresh_from_db()
    assert event.programme is None and event.title["pl"] != "Nowy tytuł"


def test_a_new_event_can_be_part_of_a_programme(client, organiser, active_citizens):
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(programme=active_citizens.pk))
    assert response.status_code == 302
    assert Event.objects.get(slug="spotkanie-sieciujace-2021").programme == active_citizens


def test_a_programme_with_events_is_not_deleted(event, active_citizens):
    event_update(event=event, data={"programme": active_citizens})
    with pytest.raises(ProtectedError):
        active_citizens.delete()


# The public event page ------------------------------------------------------------------------


def test_the_event_page_names_the_programme_with_a_link(client, event, active_citizens):
    assert 'id="event-programme"' not in client.get(url("events:detail", slug=event.slug)).content.decode()
    event_update(event=event, data={"programme": active_citizens})
    html = client.get(url("events:detail", slug=event.slug, language="pl")).content.decode()
    line = html.split('id="event-programme"', 1)[1].split("</p>", 1)[0]
    assert "Część programu" in line
    assert f'href="{url("programmes:programme", slug="aktywni-obywatele", language="pl")}"' in line
    assert "Aktywni Obywatele – Fundusz Krajowy" in line


def test_the_stored_page_changes_when_the_programme_does(client, event, active_citizens, other_programme):
    event_update(event=event, data={"programme": active_citizens})
    page = url("events:detail", slug=event.slug)
    assert "Active Citizens – National Fund" in client.get(page).content.decode()
    assert "Active Citizens – National Fund" in client.get(page).content.decode()  # the stored copy
    event_update(event=event, data={"programme": other_programme})
    html = client.get(page).content.decode()
    assert "Fundusz Inicjatyw Obywatelskich" in html and "Active Citizens" not in html
    event_update(event=event, data={"programme": None})
    assert 'id="event-programme"' not in client.get(page).content.decode()


def test_the_programme_costs_the_event_page_no_query(client, event, active_citizens):
    page = url("events:detail", slug=event.slug)
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as without:
        client.get(page)
    event_update(event=event, data={"programme": active_citizens})
    caches["pages"].clear()
    with CaptureQueriesContext(connection) as with_programme:
        client.get(page)
    assert len(with_programme) == len(without)


# The programme's page -------------------------------------------------------------------------


def test_the_programme_page_lists_its_published_events(client, organiser, active_citizens, other_programme):
    now = timezone.now()
    coming = EventFactory(slug="spotkanie-jesienne", programme=active_citizens)
    past = EventFactory(
        slug="spotkanie-wiosenne",
        programme=active_citizens,
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(days=90) + timedelta(hours=6),
        registration_opens_at=now - timedelta(days=120),
        registration_closes_at=now - timedelta(days=93),
    )
    hidden = EventFactory(slug="spotkanie-robocze", programme=active_citizens)
    event_unpublish(event=hidden)
    EventFactory(slug="spotkanie-innego-programu", programme=other_programme)
    EventFactory(slug="spotkanie-bez-programu")

    html = client.get(url("programmes:programme", slug="aktywni-obywatele", language="uk")).content.decode()
    section = html.split('id="programme-events"', 1)[1].split("</section>", 1)[0]
    assert "Зустрічі цієї програми" in section
    coming_list = section.split('data-events="coming"', 1)[1].split("</ul>", 1)[0]
    past_list = section.split('data-events="past"', 1)[1].split("</ul>", 1)[0]
    assert f'data-event="{coming.slug}"' in coming_list and f'data-event="{past.slug}"' in past_list
    assert f'href="{url("events:detail", slug=coming.slug, language="uk")}"' in coming_list
    assert "Мережева зустріч організацій меншин і мігрантів" in coming_list
    for slug in ("spotkanie-robocze", "spotkanie-innego-programu", "spotkanie-bez-programu"):
        assert slug not in html


def test_a_programme_without_events_has_no_events_section(client, active_citizens):
    html = client.get(url("programmes:programme", slug="aktywni-obywatele")).content.decode()
    assert 'id="programme-events"' not in html


@pytest.mark.parametrize("count", [1, 12])
def test_the_programme_page_queries_do_not_grow_with_its_events(
    client, active_citizens, count, django_assert_max_num_queries
):
    for _n in range(count):
        EventFactory(programme=active_citizens)
    with django_assert_max_num_queries(6):
        response = client.get(url("programmes:programme", slug="aktywni-obywatele"))
    assert response.content.decode().count("data-event=") == count
