"""The one search box's query: folding, name variants, languages, typos, prefixes, ranking,
visibility, facets and paging; on the database the suite runs on (SQLite FTS5 or PostgreSQL)."""

from __future__ import annotations

import pytest

from civicmeet.core.visibility import Visibility
from civicmeet.search import selectors
from civicmeet.search.models import SearchDocument, SearchFacet, SearchTerm
from civicmeet.search.selectors import search, visibilities_for
from civicmeet.search.services import search_document_delete, search_index_rebuild

from .helpers import document, found

pytestmark = pytest.mark.django_db

ANYONE = visibilities_for(member=False, moderator=False)


@pytest.fixture
def zustricz():
    return document(
        titles={"pl": "Fundacja Zustricz", "uk": "Фундація «Зустріч»", "en": "Zustricz Foundation"},
        texts=("Zustricz", "Зустріч", "Fundacja wspiera migrantów z Ukrainy w Krakowie.", "Фонд підтримує мігрантів."),
        facets={"type": "migrant", "communities": ["ukrainian"], "languages": ["uk", "pl"], "region": "malopolskie"},
    )


@pytest.fixture
def jewish():
    return document(
        titles={"pl": "Stowarzyszenie Żydowskie Czulent", "en": "Czulent Jewish Association"},
        texts=("Czulent", "Organizujemy spotkania i warsztaty w Kazimierzu.", "Żółta sala na 30 osób."),
        facets={"type": "national_minority", "communities": ["jewish"], "languages": ["pl", "en", "he"]},
    )


@pytest.mark.parametrize(
    "query",
    ["Zustricz", "zustricz", "ZUSTRICZ", "Fundacja Zustricz", "zustricz foundation", "Зустріч", "зустріч", "ЗУСТРІЧ"],
)
def test_found_by_every_name_variant_and_case(zustricz, jewish, query):
    assert found(query) == [zustricz.pk]


@pytest.mark.parametrize("query", ["зустрич", "Зустрич", "фундация зустрич", "мигрантив"])
def test_ukrainian_letters_fold_onto_plain_cyrillic(zustricz, query):
    # і/ї → и, й → и, є → е, ґ → г: typed on a keyboard without Ukrainian letters.
    assert found(query) == [zustricz.pk]


@pytest.mark.parametrize("query", ["zydowskie", "Żydowskie", "ŻYDOWSKIE", "zolta", "żółta sala", "zOlTa"])
def test_polish_diacritics_do_not_matter_either_way(jewish, query):
    assert found(query) == [jewish.pk]


def test_diacritics_typed_where_the_text_has_none(jewish):
    # The text says "Kazimierzu"; a reader who types diacritics that are not there still finds it.
    assert found("kazimierżu") == [jewish.pk]


def test_apostrophes_inside_ukrainian_words_do_not_matter():
    mint = document("М'ята і чай", texts=("Простір мʼяти",))
    assert found("мята") == [mint.pk]
    assert found("м’ята") == [mint.pk]


def test_every_language_of_the_document_is_searched(zustricz):
    assert found("wspiera") == found("підтримує") == found("foundation") == [zustricz.pk]


@pytest.mark.parametrize("query", ["Zustrcz", "zustriczz", "zustrycz", "Fundcja Zustricz", "Зустрич фундація"])
def test_one_typo_is_tolerated(zustricz, jewish, query):
    results = search(query, visibilities=ANYONE)
    assert [hit.id for hit in results.hits] == [zustricz.pk]


def test_a_corrected_word_is_reported(zustricz):
    results = search("Zustrcz", visibilities=ANYONE)
    assert results.corrections == {"zustrcz": ("zustricz",)}
    assert results.corrected_query == "Zustricz"  # as the results write it


def test_a_corrected_cyrillic_word_is_shown_as_written(zustricz):
    assert search("зустрч", visibilities=ANYONE).corrected_query == "Зустріч"


def test_an_exact_word_is_not_corrected_into_a_neighbour():
    exact = document("Dom Kultury Romów")
    neighbour = document("Dim Ukraiński")
    assert found("dom") == [exact.pk]
    assert found("dim") == [neighbour.pk]


def test_a_typo_that_makes_another_real_word_still_finds_by_widening():
    # "kultury" typed as "kultary" with "kultara" … no: "dom" typed as "dim" when both exist, with
    # another word that only the intended document has.
    intended = document("Dom Kultury Romów")
    document("Dim Ukraiński")
    assert found("dim kultury") == [intended.pk]


def test_two_typos_find_nothing_but_suggest(zustricz):
    # Two edits in the second half of the word: its first half finds the neighbour.
    results = search("Zustrcsz", visibilities=ANYONE)
    assert results.hits == []
    assert results.suggestion == "zustricz"


def test_nothing_like_it_suggests_nothing(zustricz):
    results = search("qwxyzvb", visibilities=ANYONE)
    assert results.hits == [] and results.suggestion == ""


def test_the_last_word_is_a_prefix(zustricz, jewish):
    assert found("Zustr") == [zustricz.pk]
    assert found("fundacja zus") == [zustricz.pk]
    assert found("Зуст") == [zustricz.pk]
    # Only the last word: "zus fundacja" needs the whole word "zus".
    assert found("zus fundacja") == []


def test_every_word_must_match(zustricz, jewish):
    assert found("zustricz czulent") == []


def test_a_name_ranks_above_a_mention_in_a_description(zustricz):
    mention = document("Klub Dyskusyjny", texts=("Współpracujemy z fundacją Zustricz od lat. Zustricz to partner.",))
    assert found("zustricz") == [zustricz.pk, mention.pk]


def test_the_title_is_in_the_readers_language_and_the_snippet_marks_the_match(zustricz):
    hit = search("migrantów", visibilities=ANYONE, language="uk").hits[0]
    assert hit.title == "Фундація «Зустріч»"
    assert ("migrantów", True) in hit.snippet
    assert "".join(text for text, _marked in hit.snippet).startswith("Zustricz Зустріч Fundacja wspiera migrantów")
    assert search("migrantów", visibilities=ANYONE, language="pl").hits[0].title == "Fundacja Zustricz"


def test_a_title_missing_in_the_readers_language_falls_back(jewish):
    assert search("czulent", visibilities=ANYONE, language="uk").hits[0].title == "Czulent Jewish Association"


def test_visibility_public_members_private():
    public = document("Wspólna sala", visibility=Visibility.PUBLIC)
    members = document("Wspólna sala dla członków", visibility=Visibility.MEMBERS)
    private = document("Wspólna sala prywatna", visibility=Visibility.PRIVATE, organisation_id=7)
    other_private = document("Wspólna sala innych", visibility=Visibility.PRIVATE, organisation_id=8)
    everyone = visibilities_for(member=False, moderator=False)
    member = visibilities_for(member=True, moderator=False)
    moderator = visibilities_for(member=True, moderator=True)
    assert set(found("sala", visibilities=everyone)) == {public.pk}
    assert set(found("sala", visibilities=member)) == {public.pk, members.pk}
    assert set(found("sala", visibilities=member, own_organisation_ids=[7])) == {public.pk, members.pk, private.pk}
    assert set(found("sala", visibilities=moderator)) == {public.pk, members.pk, private.pk, other_private.pk}


def test_facets_filter_in_sql(zustricz, jewish):
    assert found("", facets={"type": ["migrant"]}) == [zustricz.pk]
    assert set(found("", facets={"languages": ["pl"]})) == {zustricz.pk, jewish.pk}
    assert found("", facets={"languages": ["pl"], "communities": ["jewish"]}) == [jewish.pk]
    assert set(found("", facets={"type": ["migrant", "national_minority"]})) == {zustricz.pk, jewish.pk}
    assert found("", facets={"region": ["slaskie"]}) == []
    assert found("zustricz", facets={"type": ["national_minority"]}) == []


def test_kinds_filter(zustricz):
    offer = document("Sala Zustricz do wynajęcia", kind="offer", facets={"direction": "offer", "category": "room"})
    assert found("zustricz", kinds=["offer"]) == [offer.pk]
    assert set(found("zustricz")) == {zustricz.pk, offer.pk}


def test_facet_counts_cover_every_result(zustricz, jewish):
    results = search("", visibilities=ANYONE, facets={"languages": ["pl"]}, count_facets=["type", "languages"])
    assert results.facet_counts == {
        "type": {"migrant": 1, "national_minority": 1},
        "languages": {"pl": 2, "uk": 1, "en": 1, "he": 1},
    }


def test_no_words_and_no_filters_is_no_search(zustricz):
    results = search("  ,. ", visibilities=ANYONE)
    assert results.hits == [] and results.total == 0


def test_paging_and_the_total():
    made = [document(f"Warsztat numer {index}") for index in range(7)]
    first = search("warsztat", visibilities=ANYONE, limit=3)
    third = search("warsztat", visibilities=ANYONE, limit=3, offset=6)
    beyond = search("warsztat", visibilities=ANYONE, limit=3, offset=9)
    assert first.total == third.total == beyond.total == 7
    assert len(first.hits) == 3 and len(third.hits) == 1 and beyond.hits == []
    ids = {
        hit.id for offset in (0, 3, 6) for hit in search("warsztat", visibilities=ANYONE, limit=3, offset=offset).hits
    }
    assert ids == {document.pk for document in made}


def test_saving_again_replaces_words_and_facets(zustricz):
    document(
        key=zustricz.key,
        titles={"pl": "Fundacja Spotkanie"},
        texts=("Nowa nazwa",),
        facets={"type": "other"},
    )
    assert found("zustricz") == []
    assert found("spotkanie") == [zustricz.pk]
    assert set(SearchFacet.objects.filter(document=zustricz).values_list("name", "value")) == {("type", "other")}


def test_delete_removes_it_from_the_index(zustricz):
    search_document_delete(kind="organisation", key=zustricz.key)
    assert found("zustricz") == []
    assert not SearchFacet.objects.exists()


def test_rebuild_drops_words_no_document_has(zustricz, jewish):
    search_document_delete(kind="organisation", key=jewish.key)
    assert SearchTerm.objects.filter(term="czulent").exists()
    assert search_index_rebuild() == 1
    assert not SearchTerm.objects.filter(term="czulent").exists()
    assert found("zustricz") == [zustricz.pk]


def test_query_syntax_is_just_text(zustricz):
    for query in ['"zustricz', "zustricz*", "NOT zustricz", "zustricz OR czulent", "(zustricz", "-zustricz", "a:*|b"]:
        results = search(query, visibilities=ANYONE)
        assert all(hit.id == zustricz.pk for hit in results.hits), query


def test_searching_costs_a_fixed_number_of_queries(zustricz, jewish, django_assert_max_num_queries):
    for index in range(30):
        document(f"Fundacja numer {index}", texts=("Zustricz partner",), facets={"type": "migrant"})
    with django_assert_max_num_queries(4):
        results = search("fundacja zustricz", visibilities=ANYONE, count_facets=["type"], limit=20)
    assert results.total == 31 and len(results.hits) == 20
    with django_assert_max_num_queries(7):  # a typo that finds nothing: the second round
        search("zstrcz fundacja", visibilities=ANYONE, count_facets=["type"])


def test_the_index_is_in_step_with_the_documents():
    one = document("Jedna")
    SearchDocument.objects.filter(pk=one.pk).update(folded_title="druga")
    assert found("druga") == [one.pk]
    assert found("jedna") == []


def test_the_rebuild_command(zustricz, capsys):
    from django.core.management import call_command

    SearchTerm.objects.all().delete()
    call_command("search_reindex")
    assert "1 entries" in capsys.readouterr().out
    assert found("zustrcz") == [zustricz.pk]  # the vocabulary is back: the typo is corrected again


def test_folding_by_table_is_folding_by_decomposition():
    from civicmeet.search import folding

    for code in range(0x20, 0x2000):
        for text in (chr(code), chr(code).upper()):
            assert folding.fold(text) == folding._fold_slowly(text), hex(code)


def test_the_scope_words_are_not_searched(zustricz):
    # Visibility, organisation and kind are index words of their own column on SQLite
    # ("vpublic", "korganisation"): typing them finds nothing.
    assert found("vpublic") == found("korganisation") == found("korg") == []


def test_documents_written_in_bulk_are_found_like_the_others():
    from civicmeet.search.services import search_documents_in_bulk

    with search_documents_in_bulk():
        public = document("Sala w Krakowie", kind="offer")
        private = document("Sala prywatna", kind="offer", visibility=Visibility.PRIVATE, organisation_id=3)
    assert found("sala") == [public.pk]
    assert set(found("sala", kinds=["offer"], own_organisation_ids=[3])) == {public.pk, private.pk}


def test_titles_holding_every_word_come_first_and_pages_run_on_into_the_mentions():
    mentions = [document(f"Klub {index}", texts=("Kompas " * (3 - index) + "i sąsiedzi",)) for index in range(3)]
    titled = [document(f"Kompas {name}", texts=("Działamy od lat.",)) for name in ("Północ", "Południe", "Wschód")]
    private = document("Kompas tajny", visibility=Visibility.PRIVATE)
    order = [hit.id for hit in search("kompas", visibilities=ANYONE, limit=10).hits]
    assert set(order[:3]) == {doc.pk for doc in titled}
    assert order[3:] == [doc.pk for doc in mentions]  # more mentions rank higher
    pages = [search("kompas", visibilities=ANYONE, limit=2, offset=offset) for offset in (0, 2, 4)]
    assert [hit.id for page in pages for hit in page.hits] == order
    assert [page.total for page in pages] == [6, 6, 6]
    assert private.pk not in order
    # Both words in the title: first; one in the title, one in the text: after.
    both = document("Kompas sąsiedzi")
    assert [hit.id for hit in search("kompas sasiedzi", visibilities=ANYONE).hits] == [both.pk] + [
        doc.pk for doc in mentions
    ]


@pytest.mark.parametrize("walk_from", [10_000, 1], ids=["sorted", "walking the title index"])
def test_a_list_without_words_is_in_title_order_with_its_total_either_way(walk_from, monkeypatch):
    # SQLite sorts a short list of matches and walks the title index for a long one (from
    # WALK_TITLES_FROM matches): both give the same page, total and visibility.
    monkeypatch.setattr(selectors, "WALK_TITLES_FROM", walk_from)
    names = ["Żurawie", "Akacja", "Łąka", "Brzoza", "Cis", "Dąb", "Akacja"]
    made = [document(name, facets={"type": "migrant", "region": "malopolskie"}) for name in names]
    document("Aronia", facets={"type": "migrant", "region": "slaskie"})  # another region
    document("Agrest", facets={"type": "other", "region": "malopolskie"})  # another type
    hidden = document("Abc", visibility=Visibility.MEMBERS, facets={"type": "migrant", "region": "malopolskie"})
    facets = {"type": ["migrant"], "region": ["malopolskie"]}
    by_title = sorted(made, key=lambda item: (item.folded_title, item.pk))
    first = search("", visibilities=ANYONE, facets=facets, limit=4)
    second = search("", visibilities=ANYONE, facets=facets, limit=4, offset=4)
    assert first.total == second.total == 7
    assert [hit.id for hit in first.hits + second.hits] == [item.pk for item in by_title]
    assert [hit.title for hit in first.hits][:3] == ["Akacja", "Akacja", "Brzoza"]
    member = search("", visibilities=visibilities_for(member=True, moderator=False), facets=facets, limit=20)
    assert member.total == 8 and member.hits[0].id == hidden.pk
    assert search("", visibilities=ANYONE, facets=facets, limit=4, offset=8).hits == []
    assert search("", visibilities=ANYONE, facets={"type": ["migrant"], "region": ["podlaskie"]}).total == 0


def test_the_filter_index_is_in_step_with_a_changed_facet():
    one = document("Jedna", facets={"type": "migrant", "languages": ["uk", "pl"]})
    assert found("", facets={"languages": ["uk"]}) == [one.pk]
    document("Jedna", key=one.key, facets={"type": "migrant", "languages": ["pl"]})
    assert found("", facets={"languages": ["uk"]}) == []
    assert found("", facets={"languages": ["pl"], "type": ["migrant"]}) == [one.pk]
    SearchDocument.objects.filter(pk=one.pk).delete()
    assert found("", facets={"languages": ["pl"]}) == []


@pytest.mark.parametrize("query", ["warsztat", ""])
def test_results_are_counted_up_to_the_count_limit(query):
    for index in range(6):
        document(f"Warsztat numer {index}", facets={"type": "migrant"})
    facets = {"type": ["migrant"]}
    capped = search(query, visibilities=ANYONE, facets=facets, limit=2, count_limit=4)
    assert (capped.total, capped.more, len(capped.hits)) == (4, True, 2)
    # The pages go on past the count: only the count stops.
    assert len(search(query, visibilities=ANYONE, facets=facets, limit=2, offset=4, count_limit=4).hits) == 2
    beyond = search(query, visibilities=ANYONE, facets=facets, limit=2, offset=6, count_limit=4)
    assert (beyond.hits, beyond.total, beyond.more) == ([], 4, True)
    exact = search(query, visibilities=ANYONE, facets=facets, limit=2, count_limit=6)
    assert (exact.total, exact.more) == (6, False)
    assert search(query, visibilities=ANYONE, facets=facets, limit=2, count_limit=None).total == 6
