"""The report "across a programme's events": the started events of the event's grant programme
(other teams' published ones too, as counts only), never an event outside it; said plainly when the
event is part of no programme."""

from __future__ import annotations

import io
import shutil
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from civicmeet.checkin import report
from civicmeet.checkin.documents import pdf
from civicmeet.events.services import event_unpublish, event_update
from civicmeet.events.tests.factories import EventFactory
from civicmeet.programmes.services import programme_save

from .test_report import _fill, accept, check_in, communities, held_event, move, submit  # noqa: F401 — fixtures


def active_citizens():
    """The seed invitation's programme (saved by its address: the same one every time)."""
    return programme_save(
        slug="aktywni-obywatele",
        data={
            "name": {
                "pl": "Aktywni Obywatele – Fundusz Krajowy",
                "uk": "Активні громадяни – Національний фонд",
                "en": "Active Citizens – National Fund",
            }
        },
    )


def url(name, event, language="en"):
    with translation.override(language):
        return reverse(name, kwargs={"slug": event.slug})


@pytest.fixture
def programme_world(held_event, organiser, outsider):  # noqa: F811
    """The invitation's meeting (Anna's team) in the programme; a partner's meeting of the same
    programme a month ago (another team); and what must stay out: Anna's own earlier meeting outside
    the programme, a meeting of another programme, the partner's unpublished draft and a meeting of
    the programme that has not started."""
    event = held_event["event"]
    programme = active_citizens()
    other_programme = programme_save(slug="fio", data={"name": {"pl": "Fundusz Inicjatyw Obywatelskich"}})
    event_update(event=event, data={"programme": programme})
    month_ago = timezone.now() - timedelta(days=30)

    partner = EventFactory(organisers=[outsider], slug="spotkanie-partnerskie", programme=programme)
    oleksandr = accept(
        submit(
            partner,
            first_name="Ołeksandr",
            last_name="Szewczenko",
            organisation_name="Fundacja Nasz Wybór",
            organisation_type="migrant",
            interpreting_needs="українська",
        ),
        outsider,
    )
    check_in(oleksandr, actor=outsider)
    check_in(
        accept(submit(partner, first_name="Olena", organisation_name="Fundacja Zustricz"), outsider), actor=outsider
    )
    accept(submit(partner, first_name="Irena", organisation_name="Fundacja Nasz Wybór"), outsider)  # did not come
    submit(partner, first_name="Hanna", organisation_name="Fundacja Ocalenie", organisation_type="other")
    move(partner, month_ago)

    outside = []
    own_earlier = EventFactory(organisers=[organiser], slug="spotkanie-bez-programu")
    check_in(accept(submit(own_earlier, organisation_name="Fundacja Zustricz"), organiser), actor=organiser)
    outside.append(move(own_earlier, month_ago - timedelta(days=10)))
    other = EventFactory(organisers=[organiser], slug="spotkanie-innego-programu", programme=other_programme)
    accept(submit(other, organisation_name="Fundacja Zustricz"), organiser)
    outside.append(move(other, month_ago))
    draft = EventFactory(organisers=[outsider], slug="szkic-partnera", programme=programme)
    accept(submit(draft, organisation_name="Fundacja Zustricz"), outsider)
    event_unpublish(event=draft)
    outside.append(move(draft, month_ago))
    outside.append(
        EventFactory(
            organisers=[outsider],
            slug="spotkanie-zimowe",
            programme=programme,
            starts_at=event.starts_at + timedelta(days=30),
        )
    )
    return {**held_event, "programme": programme, "partner": partner, "outside": outside}


def test_the_programme_covers_its_started_events_of_every_team_and_nothing_else(programme_world, organiser):
    event, partner = programme_world["event"], programme_world["partner"]
    events = report.programme_events(event, user=organiser)
    assert events is not None
    assert list(events) == [partner, event]
    series = report.series_report(events)
    assert [(row.event, row.registrations, row.admitted, row.present, row.no_shows) for row in series.events] == [
        (partner, 4, 3, 2, 1),
        (event, 6, 4, 3, 1),
    ]
    totals = series.figures
    assert (totals.registrations, totals.admitted, totals.present, totals.no_shows) == (10, 7, 5, 2)
    # Zustricz came to both (counted once), Nasz Wybór to the partner's, Czulent to this one.
    assert totals.organisations_present == 3
    assert {row.key: (row.asked, row.present) for row in totals.needs}["interpreting"] == (3, 2)
    by_type = {row.key: (row.registered, row.present) for row in totals.by_type}
    assert by_type["migrant"] == (2, 2)  # Zustricz and Nasz Wybór
    assert by_type["other"] == (1, 0)  # Ocalenie, only at the partner's


def test_the_partners_draft_counts_for_its_own_team(programme_world, outsider):
    """Unpublished events are their team's own: the partner's report includes its draft."""
    partner = programme_world["partner"]
    draft = next(event for event in programme_world["outside"] if event.slug == "szkic-partnera")
    events = report.programme_events(partner, user=outsider)
    assert events is not None
    assert draft in list(events)
    assert programme_world["event"] not in list(events)  # not started yet


def test_an_event_outside_any_programme_has_no_programme_figures(held_event, organiser):  # noqa: F811
    assert report.programme_events(held_event["event"], user=organiser) is None


def test_the_page_shows_the_programmes_events_as_counts_only(client, organiser, programme_world):
    event, partner = programme_world["event"], programme_world["partner"]
    client.force_login(organiser)
    html = client.get(url("checkin:report", event)).content.decode()
    section = html.split('id="series"', 1)[1].split("</section>", 1)[0]
    assert "Across the programme&#x27;s events" in section or "Across the programme's events" in section
    assert "Active Citizens – National Fund" in section.split('id="series-programme"', 1)[1]
    assert section.index(f'data-event="{partner.slug}"') < section.index(f'data-event="{event.slug}"')
    for outside in programme_world["outside"]:
        assert f'data-event="{outside.slug}"' not in html
    total = section.split('id="series-total"', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in total.split("<td")[1:]] == ["", "10", "7", "5", "2", "3"]
    # Nothing about the people of the other team's meeting, and no way into its pages.
    for personal in ("Ołeksandr", "Szewczenko", "Irena", "Nasz Wybór", "outsider@"):
        assert personal not in html
    assert f"/manage/events/{partner.slug}/" not in html
    assert 'id="series-no-programme"' not in html


def test_the_page_says_plainly_when_the_event_is_part_of_no_programme(client, organiser, held_event):  # noqa: F811
    event = held_event["event"]
    earlier = EventFactory(organisers=[organiser], slug="spotkanie-wiosenne")
    check_in(accept(submit(earlier, organisation_name="Fundacja Zustricz"), organiser), actor=organiser)
    move(earlier, timezone.now() - timedelta(days=60))
    client.force_login(organiser)
    with translation.override("pl"):
        html = client.get(url("checkin:report", event, "pl")).content.decode()
    section = html.split('id="series"', 1)[1].split("</section>", 1)[0]
    note = section.split('id="series-no-programme"', 1)[1].split("</p>", 1)[0]
    assert "nie jest częścią programu grantowego" in note
    assert f'href="{url("events:edit", event, "pl")}#id_programme"' in note
    assert 'id="series-table"' not in section and "spotkanie-wiosenne" not in html
    assert html.count("<svg") == 3  # people, types, languages: no chart across events


def test_the_workbook_names_the_programme_and_lists_its_events(client, organiser, programme_world):
    event, partner = programme_world["event"], programme_world["partner"]
    client.force_login(organiser)
    workbook = load_workbook(io.BytesIO(client.get(url("checkin:report_xlsx", event)).content))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Programme"] == "Active Citizens – National Fund"
    rows = list(workbook["Events"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [partner.display_title(), event.display_title(), "All these events"]
    assert rows[-1][2:7] == (10, 7, 5, 2, 3)


def test_the_workbook_without_a_programme_says_so_and_has_no_events_sheet(client, organiser, held_event):  # noqa: F811
    client.force_login(organiser)
    workbook = load_workbook(io.BytesIO(client.get(url("checkin:report_xlsx", held_event["event"])).content))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Programme"] == "Not part of a programme"
    assert "Events" not in workbook.sheetnames


@pytest.mark.skipif(not pdf.available() or not shutil.which("pdftotext"), reason="WeasyPrint or poppler missing")
def test_the_pdf_names_the_programme(client, organiser, programme_world):
    from .test_report_views import pdf_text

    client.force_login(organiser)
    with translation.override("uk"):
        response = client.get(url("checkin:report_pdf", programme_world["event"], "uk"))
    text = pdf_text(response.content)
    assert "Активні громадяни – Національний фонд" in text
    assert "Ołeksandr" not in text


def test_the_page_queries_do_not_grow_with_the_programmes_events(client, organiser, outsider, event, communities):  # noqa: F811
    programme = active_citizens()
    event_update(event=event, data={"programme": programme})
    _fill(event, organiser, 3)

    def partner_meeting(n):
        partner = EventFactory(organisers=[outsider], programme=programme)
        _fill(partner, outsider, 3)
        return move(partner, timezone.now() - timedelta(days=10 + n))

    partner_meeting(0)
    client.force_login(organiser)
    page = url("checkin:report", event)
    client.get(page)  # the session and the caches, once
    with CaptureQueriesContext(connection) as two_events:
        assert client.get(page).status_code == 200
    for n in range(1, 6):
        partner_meeting(n)
    with CaptureQueriesContext(connection) as seven_events:
        html = client.get(page).content.decode()
    assert html.split('id="series-table"', 1)[1].split("</tbody>", 1)[0].count("data-event=") == 7
    assert len(seven_events) == len(two_events)
