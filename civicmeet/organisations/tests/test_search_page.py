"""The network's search page (directory:search): results across kinds in the reader's language,
visibility per persona, filters, typos and "did you mean", paging, bad input, a fixed query count."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from civicmeet.core.visibility import Visibility
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.organisations.models import Community, OrganisationName, OrganisationType
from civicmeet.organisations.search_documents import organisation_reindex
from civicmeet.organisations.views_search import (
    CATEGORY_LABELS,
    DIRECTION_LABELS,
    FILTER_FIELDS,
    PAGE_SIZE,
    QuickTextInput,
    SearchForm,
    filter_rows_html,
)
from civicmeet.resources.models import Category, Direction
from civicmeet.search import selectors as search_selectors
from civicmeet.search.tests.helpers import document

from .representatives_setup import moderator, published_organisation, representative_of

pytestmark = pytest.mark.django_db


def url(lang: str = "en", /, **params) -> str:
    return f"/{lang}/network/search/" + (f"?{urlencode(params)}" if params else "")


def titles_on(response) -> list[str]:
    return re.findall(r'<h3 id="hit-\d+">(?:<a href="[^"]*">)?([^<]+)<', response.content.decode())


@pytest.fixture
def zustricz():
    organisation = published_organisation(
        "Fundacja Zustricz",
        type=OrganisationType.MIGRANT,
        description_pl="Wspieramy migrantów z Ukrainy w Krakowie.",
        description_uk="Підтримуємо мігрантів з України у Кракові.",
        working_languages=["uk", "pl"],
        region="malopolskie",
    )
    OrganisationName.objects.create(organisation=organisation, language="uk", name="Фундація «Зустріч»")
    organisation.communities.add(Community.objects.get(slug="ukrainian"))
    organisation_reindex(organisation)
    return organisation


def test_the_route_is_the_directorys_search():
    assert reverse("directory:search") == "/en/network/search/"


def test_an_empty_page_is_just_the_box(client):
    response = client.get(url("pl"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="search" name="q"' in body
    assert "search-hits" not in body and "notice-warning" not in body


@pytest.mark.parametrize(("language", "query"), [("pl", "zustricz"), ("uk", "зустрич"), ("en", "ZUSTRICZ")])
def test_an_organisation_is_found_in_every_language_with_its_title_in_the_readers(client, zustricz, language, query):
    response = client.get(url(language, q=query))
    assert response.status_code == 200
    expected = {"pl": "Fundacja Zustricz", "uk": "Фундація «Зустріч»", "en": "Fundacja Zustricz"}[language]
    assert titles_on(response) == [expected]
    profile = reverse("directory:organisation", kwargs={"pk": zustricz.pk, "slug": "fundacja-zustricz"})
    assert f'href="/{language}/' in response.content.decode()
    assert profile.split("/", 2)[2] in response.content.decode()


def test_a_typo_shows_what_was_searched_instead(client, zustricz):
    response = client.get(url("uk", q="Зустрч"))
    body = response.content.decode()
    assert titles_on(response) == ["Фундація «Зустріч»"]
    notice = re.search(r'<p class="notice notice-info">([^<]+)</p>', body).group(1)
    assert "«Зустріч»" in notice  # as the results write it, in the Ukrainian quotes


def test_nothing_found_suggests_a_query_that_finds_something(client, zustricz):
    response = client.get(url("pl", q="Zustrcsz"))
    body = response.content.decode()
    assert titles_on(response) == []
    assert "notice-warning" in body
    assert 'class="search-suggestion">zustricz</a>' in body
    suggestion = re.search(r'<a href="([^"]+)" class="search-suggestion">', body).group(1).replace("&amp;", "&")
    assert titles_on(client.get(url("pl") + suggestion)) == ["Fundacja Zustricz"]


def test_kinds_are_labelled_and_found_together(client, zustricz):
    document(
        "Sala na 30 osób",
        kind="offer",
        texts=("Fundacja Zustricz udostępnia salę w soboty.",),
        facets={"direction": "offer", "category": "room"},
    )
    response = client.get(url("en", q="zustricz"))
    body = response.content.decode()
    assert titles_on(response) == ["Fundacja Zustricz", "Sala na 30 osób"]  # the name above the mention
    assert 'data-kind="organisation">Organisation<' in body and 'data-kind="offer">Offer<' in body
    assert "<mark>Zustricz</mark>" in body


def test_filters_narrow_the_results_and_show_counts(client, zustricz):
    document("Sala Zustricz", kind="offer", facets={"direction": "offer", "category": "room", "type": "migrant"})
    document("Tłumacz Zustricz", kind="need", facets={"direction": "need", "category": "interpreting"})
    assert titles_on(client.get(url(q="zustricz", what="resource"))) == ["Sala Zustricz", "Tłumacz Zustricz"]
    assert titles_on(client.get(url(q="zustricz", direction="need"))) == ["Tłumacz Zustricz"]
    assert titles_on(client.get(url(q="zustricz", category="room"))) == ["Sala Zustricz"]
    assert titles_on(client.get(url(q="zustricz", community="ukrainian"))) == ["Fundacja Zustricz"]
    assert titles_on(client.get(url(q="zustricz", language="uk", region="malopolskie"))) == ["Fundacja Zustricz"]
    body = client.get(url(q="zustricz")).content.decode()
    assert re.search(r'<option value="migrant">Migrant[^<]*\(2\)</option>', body)
    assert re.search(r'<option value="room">Room or space \(1\)</option>', body)
    # Filters alone list what passes them; the chosen one stays chosen.
    response = client.get(url(type="migrant"))
    assert titles_on(response) == ["Fundacja Zustricz", "Sala Zustricz"]
    assert re.search(
        r'<select id="id_type" name="type"[^>]*>.*?<option value="migrant" selected>', response.content.decode(), re.S
    )


def test_a_bad_filter_value_is_an_error_next_to_it_and_the_rest_still_searches(client, zustricz):
    response = client.get(url("pl", q="zustricz", type="nonsense"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_type_error"' in body
    assert titles_on(response) == ["Fundacja Zustricz"]
    assert 'value="zustricz"' in body  # the box keeps what was typed


def test_a_too_long_query_is_an_error_in_the_readers_language(client):
    response = client.get(url("en", q="a" * 201))
    assert response.status_code == 200
    assert 'id="id_q_error"' in response.content.decode()
    assert "Type at most 200 characters." in response.content.decode()


def test_visibility_per_reader(client, zustricz):
    own = published_organisation("Stowarzyszenie Czulent")
    document("Wspólna sala publiczna", visibility=Visibility.PUBLIC)
    document("Wspólna sala członków", visibility=Visibility.MEMBERS)
    document("Wspólna sala prywatna", visibility=Visibility.PRIVATE, organisation_id=own.pk)
    document("Wspólna sala cudza", visibility=Visibility.PRIVATE, organisation_id=zustricz.pk)

    def seen() -> set[str]:
        return set(titles_on(client.get(url("pl", q="wspólna sala"))))

    assert seen() == {"Wspólna sala publiczna"}
    client.force_login(UserFactory(email="nobody@example.org"))  # signed in, not a member
    assert seen() == {"Wspólna sala publiczna"}
    organiser = UserFactory(email="organiser@example.org")
    EventFactory(organisers=[organiser])
    client.force_login(organiser)
    assert seen() == {"Wspólna sala publiczna", "Wspólna sala członków"}
    representative = UserFactory(email="rep@czulent.example.org")
    representative_of(own, representative)
    client.force_login(representative)
    assert seen() == {"Wspólna sala publiczna", "Wspólna sala członków", "Wspólna sala prywatna"}
    client.force_login(moderator())
    assert seen() == {"Wspólna sala publiczna", "Wspólna sala członków", "Wspólna sala prywatna", "Wspólna sala cudza"}


def test_pages_and_a_page_beyond_the_last(client):
    for index in range(PAGE_SIZE + 3):
        document(f"Warsztat {index:02d}")
    first = client.get(url(q="warsztat"))
    second = client.get(url(q="warsztat", page=2))
    assert len(titles_on(first)) == PAGE_SIZE and len(titles_on(second)) == 3
    assert "23 results" in first.content.decode()
    assert 'rel="next"' in first.content.decode()
    beyond = client.get(url(q="warsztat", page=9))
    assert beyond.status_code == 302 and "page=2" in beyond["Location"]
    assert client.get(url(q="warsztat", page="x")).status_code == 200


def test_past_the_count_limit_the_page_says_more_than_and_pages_up_to_it(client, monkeypatch):
    monkeypatch.setattr(search_selectors, "COUNT_LIMIT", 25)
    for index in range(PAGE_SIZE * 2 + 5):
        document(f"Warsztat {index:02d}")
    first = client.get(url(q="warsztat")).content.decode()
    assert "More than 25 results: add a word or a filter to narrow them." in first
    assert "45 results" not in first
    assert len(titles_on(client.get(url(q="warsztat", page=2)))) == PAGE_SIZE
    beyond = client.get(url(q="warsztat", page=3))  # past the pages the count allows
    assert beyond.status_code == 302 and "page=2" in beyond["Location"]
    with translation.override("pl"):
        polish = client.get(reverse("directory:search") + "?q=warsztat").content.decode()
    assert "Ponad 25 wyników" in polish


def test_the_page_costs_a_fixed_number_of_queries(client, zustricz, django_assert_max_num_queries):
    member = UserFactory(email="organiser@example.org")
    EventFactory(organisers=[member])
    client.force_login(member)
    client.get(url(q="zustricz"))  # warm caches (sessions, content types)
    for index in range(PAGE_SIZE * 2):
        document(f"Fundacja numer {index}", texts=("Zustricz partner",), facets={"type": "migrant"})
    # Session, user, permissions (2), represented, team member, communities, vocabulary, results,
    # facet counts: whatever the number of results.
    with django_assert_max_num_queries(10):
        response = client.get(url(q="fundacja zustricz", type="migrant"))
    assert len(titles_on(response)) == PAGE_SIZE


def test_post_is_not_allowed(client):
    assert client.post(url()).status_code == 405


def test_the_resource_labels_here_agree_with_the_resources_app():
    assert set(CATEGORY_LABELS) == set(Category.values)
    assert {key: str(label) for key, label in CATEGORY_LABELS.items()} == {
        value: str(label) for value, label in Category.choices
    }
    assert set(DIRECTION_LABELS) == set(Direction.values)


def test_result_cards_escape_what_the_entries_hold(client):
    document('Sala <b onclick="x">Zustricz</b>', texts=('Opis & <script>alert(1)</script> sali "Zustricz"',))
    body = client.get(url(q="zustricz")).content.decode()
    assert "<b onclick" not in body and "<script>alert" not in body
    assert "Sala &lt;b onclick=&quot;x&quot;&gt;Zustricz&lt;/b&gt;" in body
    assert "Opis &amp; &lt;script&gt;alert(1)&lt;/script&gt; sali &quot;<mark>Zustricz</mark></p>" in body


def test_filter_options_are_escaped(client):
    Community.objects.create(
        slug="x-test", name_pl="<b>Ormianie</b>", name_uk="<b>Вірмени</b>", name_en="<b>Armenians</b>"
    )
    body = client.get(url("en")).content.decode()
    assert '<option value="x-test">&lt;b&gt;Armenians&lt;/b&gt;</option>' in body
    assert "<b>Armenians</b>" not in body


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_filter_rows_written_once_per_language_are_the_form_rows_of_the_field_template(language):
    communities = [("ukrainian", "Ukrainian"), ("x", "<i>X</i>")]
    with translation.override(language):
        for data in ({}, {"type": "migrant", "community": "x", "region": "malopolskie"}, {"type": "nonsense"}):
            form = SearchForm(data or None, communities=communities, language=language)
            form.is_valid()
            expected = "".join(
                render_to_string("components/_field.html", {"field": form[name]}) for name in FILTER_FIELDS
            )
            assert filter_rows_html(form, language) == expected
            if data.get("type") == "nonsense":
                assert 'aria-invalid="true"' in expected


@pytest.mark.parametrize("value", [None, "", "Fundacja", 'a "quoted" <b>&amp; word</b>', "x" * 250])
def test_the_search_box_written_in_python_is_djangos_text_input(value):
    attrs = {"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
    extra = {"maxlength": "200", "aria-describedby": "id_q_helptext id_q_error", "aria-invalid": True, "id": "id_q"}
    assert QuickTextInput(attrs=dict(attrs)).render("q", value, attrs=extra) == forms.TextInput(
        attrs=dict(attrs)
    ).render("q", value, attrs=extra)


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_search_box_row_written_once_per_language_is_the_form_row_of_the_field_template(language):
    with translation.override(language):
        for data in ({}, {"q": 'Kraków "sala"'}, {"q": "x" * 250}):
            form = SearchForm(data or None, communities=[], language=language)
            form.is_valid()
            expected = render_to_string("components/_field.html", {"field": form["q"]})
            assert filter_rows_html(form, language, ("q",)) == expected
            if len(data.get("q", "")) > 200:
                assert 'aria-invalid="true"' in expected
