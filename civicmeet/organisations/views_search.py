"""The network's one search box (`directory:search`): organisations, activities, offers and needs,
channels to local government, good practice, projects and their offers, in every language.

A GET form, so the page works without JavaScript and every search is a link one can share. The
reader sees what `organisations.permissions` lets them see: public items, members' items when
signed in as a member of the network, private items of their own organisation; moderators all.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _escape  # Django's escape() is that, behind a laziness check per call
from typing import Any, cast

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from civicmeet.search import selectors as search_selectors
from civicmeet.search.selectors import SearchHit, SearchResults, search, visibilities_for

from .languages import language_choices
from .models import Community, OrganisationType, Region
from .permissions import is_moderator, is_network_member, represented_organisation_ids

PAGE_SIZE = 20
QUERY_MAX = 200

# What each kind of search entry is called (the kinds the apps above write).
KIND_LABELS = {
    "organisation": _("Organisation"),
    "activity": _("Activity"),
    "offer": _("Offer"),
    "need": _("Need"),
    "channel": _("Channel to local government"),
    "good_practice": _("Good practice"),
    "project": _("Project"),
    "project_offer": _("Project's training or activity"),
}
# The "What" filter: each choice and the kinds it covers.
KIND_CHOICES = {
    "organisation": (_("Organisations"), ["organisation"]),
    "activity": (_("Activities"), ["activity"]),
    "resource": (_("Offers and needs"), ["offer", "need"]),
    "channel": (_("Channels and good practice"), ["channel", "good_practice"]),
    "programme": (_("Projects, trainings and activities"), ["project", "project_offer"]),
}
# The values of resources.models.Category and Direction (an app above this one, so named here
# again; test_search_page checks that the two lists agree).
CATEGORY_LABELS = {
    "room": _("Room or space"),
    "equipment": _("Equipment"),
    "interpreting": _("Interpreting or translation"),
    "expertise": _("Legal or other expertise"),
    "volunteers": _("Volunteers"),
    "transport": _("Transport"),
    "materials": _("Materials"),
    "funding": _("Funding partnership"),
    "other": _("Other"),
}
DIRECTION_LABELS = {"offer": _("Offers"), "need": _("Needs")}
# Form field -> facet name in the index.
FACET_FIELDS = {
    "type": "type",
    "community": "communities",
    "language": "languages",
    "region": "region",
    "category": "category",
    "direction": "direction",
}


class QuickSelect(forms.Select):
    """A <select> written in Python rather than through a template per <option>: the search page
    has seven of them with 150 options in all, and Django's template-rendered options were half the
    time of a search (measured in bench/search.py). The same HTML: attributes (aria-describedby,
    aria-invalid) from the bound field, the chosen option selected."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(item) for item in self.format_value(value)}
        options = "".join(_option(str(option), str(label), str(option) in chosen) for option, label in self.choices)
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))  # noqa: S308 (escaped above)


class QuickTextInput(forms.TextInput):
    """The search box's <input>, written in Python: the same HTML as Django's input template
    (test_search_page checks they agree), without a template rendering per page."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = "" if value is None else f' value="{_escape(str(value))}"'
        # In the order given, as django/forms/widgets/attrs.html writes them.
        written = "".join(
            f" {_escape(key)}" if item is True else f' {_escape(key)}="{_escape(str(item))}"'
            for key, item in final.items()
            if item is not False
        )
        html = f'<input type="{_escape(self.input_type)}" name="{_escape(name)}"{shown}{written}>'
        return mark_safe(html)  # noqa: S308 (every value escaped above)


@lru_cache(maxsize=4096)
def _option(value: str, label: str, selected: bool) -> str:
    # The same options on every page (only the counts change): each escaped once.
    return f'<option value="{escape(value)}"{" selected" if selected else ""}>{escape(label)}</option>'


class ReadyChoiceField(forms.ChoiceField):
    """A ChoiceField given its choices as a ready list of (value, label) strings, set as they are.

    Django normalises choices on every assignment, for the field and again for its widget, and
    deep-copies them with every form: on the search page's seven filters (150 options, set twice
    a request) that was a tenth of the page. The lists here are built once per language and never
    changed in place (add_counts assigns new ones)."""

    widget = QuickSelect

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = list(value)
        cast(Any, self.widget)._choices = self._choices

    def valid_value(self, value) -> bool:
        return any(str(value) == option for option, _label in self._choices)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=QUERY_MAX,
        help_text=_("Names, places, languages, what you need or offer: in Polish, Ukrainian or English."),
        widget=QuickTextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    what = ReadyChoiceField(label=_("What"), required=False)
    type = ReadyChoiceField(label=_("Type of organisation"), required=False)
    community = ReadyChoiceField(label=_("Community"), required=False)
    language = ReadyChoiceField(label=_("Language"), required=False)
    region = ReadyChoiceField(label=_("Region"), required=False)
    category = ReadyChoiceField(label=_("Kind of resource"), required=False)
    direction = ReadyChoiceField(label=_("Offer or need"), required=False)

    def __init__(self, *args, communities: list[tuple[str, str]], language: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in _fixed_choices(language).items():
            self._choices(name).choices = choices
        self._choices("community").choices = [("", str(_("any"))), *communities]

    def _choices(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def valid_data(self) -> dict[str, str]:
        """What the reader asked for, leaving out any field that is not valid (its error is shown)."""
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items() if value}

    def add_counts(self, counts: dict[str, dict[str, int]] | None) -> None:
        """Show how many results each value of a filter has ("Migrant (12)")."""
        if counts is None:
            return
        for field_name, facet in FACET_FIELDS.items():
            if facet not in counts:
                continue
            field = self._choices(field_name)
            field.choices = [
                (value, label if value == "" else f"{label} ({counts[facet].get(value, 0)})")
                for value, label in cast(list[tuple[str, Any]], field.choices)
            ]


FILTER_FIELDS = ("what", "type", "community", "language", "region", "category", "direction")


class _Slot(forms.Widget):
    """Renders a mark where the input goes: the form row around it is written once per language."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(f"\x00{name}\x00")  # noqa: S308 (a fixed mark, replaced before output)


@lru_cache(maxsize=16)
def _field_rows(language: str, names: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each field's form row from components/_field.html (label, help, the row's markup) around
    the place of its input, rendered once per language: the eight rows through the template were
    a third of the page's CPU. Rows with an error are rendered in full on the request."""
    form = SearchForm(communities=[], language=language)
    rows = []
    for name in names:
        form.fields[name].widget = _Slot()
        html = render_to_string("components/_field.html", {"field": form[name]})
        before, _slot, after = html.partition(f"\x00{name}\x00")
        rows.append((before, after))
    return tuple(rows)


def filter_rows_html(form: SearchForm, language: str, names: tuple[str, ...] = FILTER_FIELDS) -> str:
    """The fields' form rows as components/_field.html writes them, with their values."""
    pieces: list[str] = []
    for name, (before, after) in zip(names, _field_rows(language, names), strict=True):
        field = form[name]
        if field.errors:
            pieces.append(render_to_string("components/_field.html", {"field": field}))
        else:
            pieces.append(before + str(field) + after)
    return mark_safe("".join(pieces))  # noqa: S308 (rendered by the template and the widget, escaped there)


def _snippet_html(pieces: tuple[tuple[str, bool], ...]) -> str:
    """A hit's snippet as HTML, the words found in <mark>."""
    return "".join(f"<mark>{_escape(text)}</mark>" if marked else _escape(text) for text, marked in pieces)


def hit_cards_html(hits: list[SearchHit]) -> str:
    """The page's results, each a card in an <li> of the results' <ol> (search_results.html):

        <li><article class="card search-hit" aria-labelledby="hit-ID">
          <p><span class="badge badge-neutral" data-kind="KIND">Offer</span> [<span class="badge badge-info">Members only</span>]</p>
          <h3 id="hit-ID"><a href="URL">TITLE</a></h3>
          <p class="muted">SNIPPET with the words found in <mark></p>
        </article></li>

    Written here rather than by a template loop over twenty hits, which was a third of a search
    page's time (bench/search.py); every value is escaped."""
    restricted = {"members": _escape(str(_("Members only"))), "private": _escape(str(_("Private")))}
    cards = []
    for hit in hits:
        badge = f'<span class="badge badge-neutral" data-kind="{_escape(hit.kind)}">{_escape(str(KIND_LABELS.get(hit.kind, hit.kind)))}</span>'
        if hit.visibility != "public":
            badge += f' <span class="badge badge-info">{restricted.get(hit.visibility, restricted["private"])}</span>'
        title = _escape(hit.title)
        heading = f'<a href="{_escape(hit.url)}">{title}</a>' if hit.url else title
        snippet = _snippet_html(hit.snippet)
        cards.append(
            f'<li>\n<article class="card search-hit" aria-labelledby="hit-{hit.id}">\n<p>{badge}</p>\n'
            f'<h3 id="hit-{hit.id}">{heading}</h3>\n'
            + (f'<p class="muted">{snippet}</p>\n' if snippet else "")
            + "</article>\n</li>\n"
        )
    return mark_safe("".join(cards))  # noqa: S308 (every value escaped above)


@lru_cache(maxsize=8)
def _fixed_choices(language: str) -> dict[str, list[tuple[str, str]]]:
    """The filters' choices but the communities (a list in the database), their labels translated
    once per language (lazy labels and choice normalising were a tenth of the page)."""
    anything = [("", str(_("any")))]
    lists: dict[str, list[tuple[str, Any]]] = {
        "what": [("", _("everything"))] + [(key, label) for key, (label, _k) in KIND_CHOICES.items()],
        "type": anything + list(OrganisationType.choices),
        "language": anything + _language_choices(language),
        "region": anything + list(Region.choices),
        "category": anything + list(CATEGORY_LABELS.items()),
        "direction": anything + list(DIRECTION_LABELS.items()),
    }
    return {name: [(str(value), str(label)) for value, label in choices] for name, choices in lists.items()}


@lru_cache(maxsize=8)
def _language_choices(language: str) -> list[tuple[str, str]]:
    # The languages' names in the reader's language (CLDR through Babel): the same on every request.
    return language_choices(language)


@dataclass(frozen=True)
class ResultsPage:
    """What templates/_pagination.html reads from a page, for a page of search results."""

    number: int
    num_pages: int

    @property
    def paginator(self) -> ResultsPage:
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@require_safe
def search_view(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    name_field = f"name_{language}" if language in settings.LANGUAGE_CODES else "name_en"
    communities = [
        (slug, name or name_en) for slug, name, name_en in Community.objects.values_list("slug", name_field, "name_en")
    ]
    form = SearchForm(request.GET or None, communities=communities, language=language)
    asked = form.valid_data() if request.GET else {}
    query = asked.get("q", "")
    kinds = KIND_CHOICES[asked["what"]][1] if asked.get("what") else None
    facets = {facet: [asked[field]] for field, facet in FACET_FIELDS.items() if asked.get(field)}
    number = _page_number(request)
    user = request.user
    results: SearchResults | None = None
    if query.strip() or kinds or facets:
        results = search(
            query,
            visibilities=visibilities_for(member=is_network_member(user), moderator=is_moderator(user)),
            own_organisation_ids=represented_organisation_ids(user),
            kinds=kinds,
            facets=facets,
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
            count_facets=list(FACET_FIELDS.values()),
            language=language,
            count_limit=search_selectors.COUNT_LIMIT,
        )
        last = max(1, -(-results.total // PAGE_SIZE))
        if number > last:
            return redirect(f"{request.path}?{urlencode({**request.GET.dict(), 'page': str(last)})}")
        form.add_counts(results.facet_counts)
    filters = {field: value for field, value in asked.items() if field != "q"}
    return render(
        request,
        "organisations/search.html",
        {
            "form": form,
            "query_row": filter_rows_html(form, language, ("q",)),
            "filter_rows": filter_rows_html(form, language),
            "query": query,
            "results": results,
            "hit_cards": hit_cards_html(results.hits) if results else "",
            "results_start": (number - 1) * PAGE_SIZE + 1,
            "page_obj": ResultsPage(number, max(1, -(-results.total // PAGE_SIZE))) if results else None,
            "filtered": bool(filters),
            "suggestion_link": format_html(
                '<a href="?{}" class="search-suggestion">{}</a>',
                urlencode({**filters, "q": results.suggestion}),
                results.suggestion,
            )
            if results and results.suggestion
            else "",
            "more_filters_open": any(field in filters for field in ("community", "language", "region", "category")),
        },
    )
