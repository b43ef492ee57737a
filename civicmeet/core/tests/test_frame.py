"""The site frame and the design system's partials: the language switcher, messages as notices,
the form row, the error summary and the status badge."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    """The <a> elements inside the language switcher's list, with their attributes and text."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "ul" and "language-switcher" in (attributes.get("class") or ""):
            self.inside = True
        elif tag == "a" and self.inside:
            self.links.append({**{k: v or "" for k, v in attributes.items()}, "text": ""})

    def handle_endtag(self, tag):
        if tag == "ul":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.links:
            self.links[-1]["text"] += data


def switcher(page: str) -> list[dict[str, str]]:
    parser = _Links()
    parser.feed(page)
    return parser.links


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_language_switcher_names_each_language_in_itself(client, event, language):
    page = client.get(f"/{language}/e/{event.slug}/").content.decode()
    links = switcher(page)
    # Own names, the same on every page: never "PL/UK/EN" ("UK" reads as United Kingdom), never
    # translated ("angielski" on a Polish page).
    assert [link["text"].strip() for link in links] == ["Polski", "Українська", "English"]
    assert [(link["lang"], link["hreflang"]) for link in links] == [("pl", "pl"), ("uk", "uk"), ("en", "en")]
    assert [link["href"] for link in links] == [f"/{code}/e/{event.slug}/" for code in ("pl", "uk", "en")]
    # The current language is marked, and only it.
    assert [link["lang"] for link in links if "aria-current" in link] == [language]
    assert "angielski" not in page and "англійська" not in page


def test_a_message_is_a_notice_of_its_tone(client, organiser, event):
    client.force_login(organiser)
    response = client.post(f"/en/manage/events/{event.slug}/publish/", follow=True)
    page = response.content.decode()
    assert re.search(r'<p class="notice notice-(success|info)">', page), page[:2000]


class _Sample(forms.Form):
    first_name = forms.CharField(label="First name", help_text="As on your badge.")
    workshop = forms.ChoiceField(
        label="Workshop", choices=[("a", "A long option that wraps"), ("b", "B")], widget=forms.RadioSelect
    )
    email = forms.EmailField(label="Email")
    consent = forms.BooleanField(label="I agree to the processing described below.")


def test_field_row_links_help_and_errors_and_marks_required():
    form = _Sample(data={"first_name": "", "email": "x"})
    html = render_to_string("components/_field.html", {"field": form["first_name"]})
    assert (
        '<label for="id_first_name">First name <span class="required-mark" aria-hidden="true">*</span></label>' in html
    )
    assert '<small class="field-help" id="id_first_name_helptext">As on your badge.</small>' in html
    assert '<ul class="errorlist" id="id_first_name_error"><li>This field is required.</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_first_name_helptext id_first_name_error"' in html
    # A group is a fieldset with a legend; each option a label with a hanging indent.
    group = render_to_string("components/_field.html", {"field": form["workshop"]})
    assert '<fieldset id="id_workshop" aria-describedby="id_workshop_error">' in group
    assert re.search(
        r'<label class="choice" for="id_workshop_0"><input type="radio" name="workshop" value="a"[^>]*> A long option',
        group,
    )
    # A checkbox's error sits right above the box, not below a long label or help text.
    consent = render_to_string("components/_field.html", {"field": form["consent"]})
    assert consent.index('id="id_consent_error"') < consent.index('type="checkbox"')


class _CheckedLater(_Sample):
    def clean(self):
        # An error found after the fields were cleaned, on the form's first field.
        self.add_error("first_name", "Please use the name on your ID.")
        return self.cleaned_data


def test_error_summary_lists_errors_in_field_order_each_linking_to_its_field():
    form = _CheckedLater(data={"first_name": "Olena", "email": "x"})
    assert not form.is_valid()
    assert list(form.errors) != ["first_name", "workshop", "email", "consent"]  # found in another order
    html = render_to_string("components/_error_summary.html", {"form": form})
    anchors = re.findall(r'<a href="#([^"]+)">', html)
    assert anchors == ["id_first_name", "id_workshop_0", "id_email", "id_consent"]
    assert html.index("Please use the name on your ID.") < html.index("Enter a valid email address.")
    text = re.sub(r"<[^>]+>", "", html)
    # A label ending with a full stop is not followed by a colon: "…below.: Please…".
    assert ".:" not in text
    assert "I agree to the processing described below." in text
    assert 'role="alert"' in html and 'id="error-summary"' in html


def test_error_summary_is_empty_for_a_valid_or_unbound_form():
    assert render_to_string("components/_error_summary.html", {"form": _Sample()}).strip() == ""


def test_error_summary_in_polish():
    with translation.override("pl"):
        html = render_to_string("components/_error_summary.html", {"form": _Sample(data={})})
    assert "Popraw następujące pola" in html


@pytest.mark.parametrize(
    ("state", "tone"),
    [
        ("submitted", "info"),
        ("accepted", "success"),
        ("waitlisted", "warning"),
        ("rejected", "danger"),
        ("cancelled", "neutral"),
    ],
)
def test_status_badge_tone_follows_the_state(state, tone):
    html = render_to_string("components/_status.html", {"status": state, "label": "Label"})
    assert html.strip() == f'<span class="badge badge-{tone}" data-status="{state}">Label</span>'


def test_status_badge_takes_an_explicit_tone():
    html = render_to_string("components/_status.html", {"status": "x", "label": "L", "tone": "warning"})
    assert 'class="badge badge-warning"' in html
