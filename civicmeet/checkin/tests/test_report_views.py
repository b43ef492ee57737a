"""The report's page, PDF and workbook: organisers of the event only, the figures as they are."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.checkin.documents import pdf
from civicmeet.events.services import event_update
from civicmeet.events.tests.factories import EventFactory, UserFactory

from .test_report import _fill, accept, check_in, communities, held_event, move, submit  # noqa: F401 — fixtures
from .test_report_programme import active_citizens

ROUTES = ("checkin:report", "checkin:report_pdf", "checkin:report_xlsx")


def url(name, event, language="en"):
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs={"slug": event.slug})


def test_report_page_shows_the_figures_with_charts_and_tables(client, organiser, held_event):  # noqa: F811
    event = held_event["event"]
    client.force_login(organiser)
    response = client.get(url("checkin:report", event))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-key="present"><th scope="row" data-label="Figure">Present</th><td data-label="People">3</td>' in html
    assert 'data-key="no_shows"><th scope="row" data-label="Figure">No-shows</th><td data-label="People">1</td>' in html
    assert "25% of the admitted participants did not come." in html
    assert 'id="report-provisional"' in html  # the event is two weeks away
    # Charts: server-drawn SVG, hidden from screen readers (the tables follow), nothing the CSP forbids.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 3
    assert 'aria-hidden="true"' in html
    assert "<script type" not in html.split("<main", 1)[1]
    assert "<style" not in html
    assert "style=" not in html


def test_report_page_shows_the_events_of_the_series_with_totals(client, organiser, held_event):  # noqa: F811
    event = held_event["event"]
    programme = active_citizens()
    event_update(event=event, data={"programme": programme})
    earlier = EventFactory(organisers=[organiser], slug="spotkanie-wiosenne", programme=programme)
    check_in(
        accept(submit(earlier, organisation_name="Fundacja Zustricz", interpreting_needs="українська"), organiser),
        actor=organiser,
    )
    move(earlier, timezone.now() - timedelta(days=60))
    client.force_login(organiser)
    html = client.get(url("checkin:report", event)).content.decode()
    assert html.index('data-event="spotkanie-wiosenne"') < html.index(f'data-event="{event.slug}"')
    total = html.split('id="series-total"', 1)[1].split("</tr>", 1)[0]
    assert [cell.split(">", 1)[1].split("<", 1)[0] for cell in total.split("<td")[1:]] == ["", "7", "5", "4", "1", "2"]
    needs = html.split('id="series-needs-table"', 1)[1].split("</table>", 1)[0]
    assert 'data-key="interpreting">' in needs
    interpreting = needs.split('data-key="interpreting">', 1)[1].split("</tr>", 1)[0]
    assert 'data-label="Asked for (admitted)">3</td>' in interpreting
    assert 'data-label="Of them present">2</td>' in interpreting
    assert 'id="series-by-community-table"' in html
    # The chart across the events names each by its date first (their titles are often the same).
    series_chart = html.split('id="series"', 1)[1].split("</figure>", 1)[0]
    assert f">{earlier.local(earlier.starts_at):%Y-%m-%d} " in series_chart
    # Zustricz came to the earlier event: returning to this one.
    assert 'dd data-key="returning">1</dd>' in html.split('id="organisation-facts"', 1)[1]


def test_report_page_in_ukrainian(client, organiser, held_event):  # noqa: F811
    client.force_login(organiser)
    response = client.get(url("checkin:report", held_event["event"], "uk"))
    assert response.status_code == 200
    assert 'lang="uk"' in response.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_report_page_queries_do_not_grow_with_registrations(
    client,
    organiser,
    event,
    communities,  # noqa: F811
    count,
    django_assert_max_num_queries,
):
    _fill(event, organiser, count)
    client.force_login(organiser)
    with django_assert_max_num_queries(22):
        response = client.get(url("checkin:report", event))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ROUTES)
def test_anonymous_is_sent_to_sign_in(client, event, name):
    response = client.get(url(name, event))
    assert response.status_code == 302
    assert "/login/" in response["Location"] or "signin" in response["Location"] or "accounts" in response["Location"]


@pytest.mark.parametrize("name", ROUTES)
def test_other_organisers_and_the_desk_get_404(client, event, outsider, name):
    desk = UserFactory(email="desk@zustricz.example.org")
    TeamMember.objects.create(team=event.team, user=desk, role=TeamRole.DESK)
    for user in (outsider, desk):
        client.force_login(user)
        assert client.get(url(name, event)).status_code == 404


@pytest.mark.parametrize("name", ROUTES)
def test_post_is_refused(client, organiser, event, name):
    client.force_login(organiser)
    assert client.post(url(name, event)).status_code == 405


def test_xlsx_holds_the_figures_and_no_formula(client, organiser, held_event):  # noqa: F811
    event = held_event["event"]
    event_update(event=event, data={"programme": active_citizens()})
    accept(submit(event, organisation_name='=HYPERLINK("http://x")', organisation_type="other"), organiser)
    client.force_login(organiser)
    response = client.get(url("checkin:report_xlsx", event))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="report-' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Programme"] == "Active Citizens – National Fund"
    assert summary["Registrations"] == 7
    assert summary["Admitted"] == 5
    assert summary["Present"] == 3
    assert summary["No-shows"] == 2
    assert summary["Returning organisations"] == 0
    by_type = [row for row in workbook["By type"].iter_rows(min_row=2, values_only=True)]
    assert ("Migrant organisation", 1, 1) in by_type
    events = list(workbook["Events"].iter_rows(min_row=2, values_only=True))
    assert events[0][2:6] == (7, 5, 3, 2)
    assert events[-1][0] == "All these events" and events[-1][2:7] == (7, 5, 3, 2, 2)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def pdf_text(content: bytes) -> str:
    return subprocess.run(  # noqa: S603 — poppler on our own PDF
        [shutil.which("pdftotext") or "pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode()


@pytest.mark.skipif(not pdf.available() or not shutil.which("pdftotext"), reason="WeasyPrint or poppler missing")
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "pl",
            ["Sprawozdanie dla programu grantowego", "Spotkanie sieciujące organizacji mniejszości oraz migranckich"],
        ),
        ("uk", ["Звіт для грантової програми", "Мережева зустріч організацій меншин і мігрантів", "Присутні"]),
        ("en", ["Report for the grant programme", "No-shows", "Needs met"]),
    ],
)
def test_pdf_holds_the_figures_in_the_language_of_the_page(client, organiser, held_event, language, words):  # noqa: F811
    event = held_event["event"]
    client.force_login(organiser)
    response = client.get(url("checkin:report_pdf", event, language))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="report-' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for word in words:
        assert word in text
    assert "Kraków" in text
    # The summary table: its four rows in order, each with its figure.
    table = text.split("Figure" if language == "en" else {"pl": "Wskaźnik", "uk": "Показник"}[language], 1)[1]
    rows = [line.split() for line in table.splitlines() if line.strip()][1:5]
    assert [row[-1] for row in rows] == ["6", "4", "3", "1"]


def test_the_dashboard_links_the_report_and_the_counters(client, organiser, event):
    client.force_login(organiser)
    html = client.get(reverse("registrations:dashboard", kwargs={"slug": event.slug})).content.decode()
    assert f'href="{url("checkin:report", event)}"' in html
    assert f'href="{reverse("checkin:counters", kwargs={"slug": event.slug})}"' in html
