"""The public event list and event page: what a participant on a phone sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from civicmeet.events.services import event_unpublish
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory
from civicmeet.organisations.models import OrganisationType

pytestmark = pytest.mark.django_db

AGENDA_PL = (
    "poznanie organizacji mniejszościowych działających w Krakowie i regionie;\n"
    "• kanały komunikacji z urzędnikami, z naciskiem na dobre praktyki komunikacji z samorządem lokalnym;\n"
    "- planowane działania w ramach programu „Aktywni Obywatele – Fundusz krajowy”"
)
AGENDA_UK = (
    "знайомство з організаціями меншин, що діють у Кракові та регіоні;\n"
    "канали комунікації з посадовцями;\n"
    "заплановані заходи в рамках програми «Активні громадяни – Національний фонд»"
)
SAFETY_PL = (
    "W celu zapewnienia bezpieczeństwa zarówno nam jak i osób wokół nas, prosimy o uczestnictwo w szkoleniu osób:\n"
    "zaszczepionych, co najmniej 14 dni po zakończeniu przepisanego cyklu szczepień;"
)


@pytest.fixture
def invitation(organiser):
    """The invitation's meeting: 1 October 2021, 10:00–16:00 in Kraków (08:00 UTC), deadline 26 September."""
    zustricz = OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    czulent = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", type=OrganisationType.NATIONAL_MINORITY)
    event = EventFactory(
        organisers=[organiser],
        slug="spotkanie-sieciujace-2021",
        description={
            "pl": "Zapraszamy przedstawicieli i przedstawicielki organizacji mniejszości narodowych i etnicznych.",
            "uk": "Запрошуємо представників і представниць організацій національних та етнічних меншин.",
        },
        agenda={"pl": AGENDA_PL, "uk": AGENDA_UK},
        venue={"pl": "Kraków, ul. Józefa 36"},
        conditions={"pl": "Prosimy o rejestrację do dnia 26 września 2021."},
        safety_rules={"pl": SAFETY_PL},
        starts_at=datetime(2021, 10, 1, 8, 0, tzinfo=UTC),
        ends_at=datetime(2021, 10, 1, 14, 0, tzinfo=UTC),
        registration_opens_at=datetime(2021, 9, 1, 8, 0, tzinfo=UTC),
        registration_closes_at=datetime(2021, 9, 26, 21, 59, tzinfo=UTC),
        is_free=True,
        provides_materials=True,
        provides_catering=True,
    )
    event.co_organisers.set([zustricz, czulent])
    return event


def page_url(event, language="pl"):
    with translation.override(language):
        return reverse("events:detail", kwargs={"slug": event.slug})


def translated(language, text):
    with translation.override(language):
        return gettext(text)


@time_machine.travel(datetime(2021, 9, 20, 12, 0, tzinfo=UTC), tick=False)
def test_event_page_shows_the_invitation_in_polish(client, invitation):
    response = client.get(page_url(invitation, "pl"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Spotkanie sieciujące organizacji mniejszości oraz migranckich" in content
    assert "Fundacja Zustricz" in content
    assert "Żydowskie Stowarzyszenie Czulent" in content
    assert "Zapraszamy przedstawicieli i przedstawicielki" in content
    # Agenda topics as list items, without their bullets.
    assert "<li>poznanie organizacji mniejszościowych działających w Krakowie i regionie;</li>" in content
    assert "<li>kanały komunikacji z urzędnikami" in content
    assert "<li>planowane działania w ramach programu" in content
    assert "Kraków, ul. Józefa 36" in content
    assert "zaszczepionych, co najmniej 14 dni" in content
    assert "Prosimy o rejestrację do dnia 26 września 2021." in content
    # Times in the event's zone (08:00 UTC is 10:00 in Warsaw), with the zone named.
    assert "10:00" in content
    assert "16:00" in content
    assert "Europe/Warsaw" in content
    # The deadline in the event's zone: 21:59 UTC is 23:59 in Warsaw.
    assert "23:59" in content
    for condition in (
        "Participation is free of charge.",
        "The organisers provide training materials.",
        "The organisers provide catering.",
    ):
        assert translated("pl", condition) in content
    not_yet_admitted = translated(
        "pl",
        "Registering does not yet mean you are admitted. The organisers confirm participation: "
        "you will receive an email with their decision.",
    )
    assert not_yet_admitted in content
    register_url = reverse("registrations:register", kwargs={"slug": invitation.slug})
    assert f'href="{register_url}"' in content


@time_machine.travel(datetime(2021, 9, 20, 12, 0, tzinfo=UTC), tick=False)
def test_event_page_in_ukrainian_marks_polish_fallback_blocks(client, invitation):
    response = client.get(page_url(invitation, "uk"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="uk">' in content
    assert "Мережева зустріч організацій меншин і мігрантів" in content
    assert "Запрошуємо представників і представниць" in content
    assert "<li>канали комунікації з посадовцями;</li>" in content
    # Venue and safety rules exist only in Polish: shown, and marked as Polish.
    assert '<dd lang="pl">Kraków, ul. Józefa 36</dd>' in content
    assert 'lang="pl"><p>W celu zapewnienia bezpieczeństwa' in content
    # The Ukrainian title is not marked as a foreign-language block.
    assert "<h1>Мережева зустріч" in content


def test_event_page_shows_times_in_the_events_own_time_zone(client, organiser):
    event = EventFactory(
        organisers=[organiser],
        timezone="America/New_York",
        starts_at=datetime(2030, 1, 15, 15, 30, tzinfo=UTC),
        ends_at=datetime(2030, 1, 15, 18, 0, tzinfo=UTC),
    )
    content = client.get(page_url(event, "en")).content.decode()
    assert "10:30" in content  # 15:30 UTC is 10:30 in New York in January
    assert "America/New_York" in content
    assert "15:30" not in content


def test_register_link_while_registration_is_open(client, event):
    content = client.get(page_url(event)).content.decode()
    assert reverse("registrations:register", kwargs={"slug": event.slug}) in content
    assert translated("pl", "Registration closed") not in content


def test_registration_not_yet_open_says_when_it_opens(client, invitation):
    with time_machine.travel(datetime(2021, 8, 1, tzinfo=UTC), tick=False):
        content = client.get(page_url(invitation, "en")).content.decode()
    assert "Registration opens on 1 September 2021, 10:00." in content
    assert reverse("registrations:register", kwargs={"slug": invitation.slug}) not in content


def test_registration_closed_after_the_deadline(client, invitation):
    with time_machine.travel(datetime(2021, 9, 27, tzinfo=UTC), tick=False):
        content = client.get(page_url(invitation, "pl")).content.decode()
    assert translated("pl", "Registration closed") in content
    assert reverse("registrations:register", kwargs={"slug": invitation.slug}) not in content


def test_unpublished_event_is_not_found_for_the_public(client, event):
    event_unpublish(event=event)
    assert client.get(page_url(event)).status_code == 404


def test_unpublished_event_is_not_found_for_another_events_organiser(client, event, outsider):
    event_unpublish(event=event)
    client.force_login(outsider)
    assert client.get(page_url(event)).status_code == 404


def test_unpublished_event_is_previewed_for_its_organisers(client, event, organiser):
    event_unpublish(event=event)
    client.force_login(organiser)
    response = client.get(page_url(event, "en"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Preview: this event is not published." in content
    assert "Networking meeting of minority and migrant organisations" in content
    # Nobody can register for an unpublished event, so there is no Register link.
    assert reverse("registrations:register", kwargs={"slug": event.slug}) not in content


def test_published_event_has_no_preview_notice(client, event, organiser):
    client.force_login(organiser)
    assert "Preview: this event is not published." not in client.get(page_url(event, "en")).content.decode()


def test_organiser_written_html_is_escaped(client, organiser):
    event = EventFactory(
        organisers=[organiser],
        title={"pl": "<script>alert('tytuł')</script>"},
        description={"pl": "<b>Opis</b><img src=x onerror=alert(1)>"},
        agenda={"pl": "<i>temat</i>"},
        venue={"pl": "<a href='javascript:alert(1)'>Kraków</a>"},
    )
    content = client.get(page_url(event)).content.decode()
    assert "<script>alert(" not in content
    assert "&lt;script&gt;" in content
    assert "<img src=x" not in content
    assert "<b>Opis</b>" not in content
    assert "<i>temat</i>" not in content
    assert "javascript:alert" not in content.replace("&#x27;javascript:alert", "")
    assert "&lt;a href=" in content
    list_content = client.get(reverse("events:list")).content.decode()
    assert "<script>alert(" not in list_content
    assert "&lt;script&gt;" in list_content


def test_list_shows_published_upcoming_events_with_registration_status(client, organiser):
    now = timezone.now()
    open_event = EventFactory(organisers=[organiser], title={"pl": "Otwarte spotkanie"})
    EventFactory(organisers=[organiser], title={"pl": "Nieopublikowane spotkanie"}, is_published=False)
    EventFactory(
        organisers=[organiser],
        title={"pl": "Dawne spotkanie"},
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=6),
        registration_opens_at=now - timedelta(days=60),
        registration_closes_at=now - timedelta(days=40),
    )
    EventFactory(
        organisers=[organiser],
        title={"pl": "Przyszłe spotkanie"},
        registration_opens_at=now + timedelta(days=2),
        registration_closes_at=now + timedelta(days=5),
    )
    with translation.override("en"):
        response = client.get(reverse("events:list"))
    content = response.content.decode()
    assert "Otwarte spotkanie" in content
    assert "Przyszłe spotkanie" in content
    assert "Nieopublikowane spotkanie" not in content
    assert "Dawne spotkanie" not in content
    assert page_url(open_event, "en") in content
    assert content.count("Registration open until") == 1
    assert content.count("Registration opens on") == 1


def test_list_query_count_does_not_grow_with_events(client, organiser, django_assert_max_num_queries):
    for _number in range(15):
        event = EventFactory(organisers=[organiser])
        event.co_organisers.add(OrganisationFactory())
    with django_assert_max_num_queries(3):
        response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert len(response.context["events"]) == 15


def test_event_page_query_count(client, invitation, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(page_url(invitation)).status_code == 200
