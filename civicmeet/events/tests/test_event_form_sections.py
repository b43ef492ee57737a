"""The event form in sections: the address proposed from the title, canonical time zones with
the likely ones first, no pre-ticked claims, texts per language folded but the fallback one."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from civicmeet.events.forms import EventForm
from civicmeet.events.models import Event
from civicmeet.events.services import event_check, event_update
from civicmeet.events.slugs import slug_free, slug_from_text, slug_propose
from civicmeet.events.tests.factories import EventFactory
from civicmeet.events.tests.test_views_manage import event_post_data
from civicmeet.events.timezones import LIKELY, canonical_timezones, timezone_choices

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# The address ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Spotkanie sieciujące", "spotkanie-sieciujace"),
        ("Зустріч", "zustrich"),
        ("Мережева зустріч у Києві, 2031", "merezheva-zustrich-u-kyievi-2031"),
        ("Łódź — żółta gęś", "lodz-zolta-ges"),
        ("Мар’яна та Григорій", "mariana-ta-hryhorii"),
        ("Networking meeting!", "networking-meeting"),
    ],
)
def test_the_address_is_made_from_polish_and_ukrainian_titles(title, slug):
    assert slug_from_text(title) == slug


def test_a_long_title_is_cut_at_a_word():
    slug = slug_from_text("Spotkanie " * 20)
    assert len(slug) <= 76
    assert slug.endswith("spotkanie")


def test_a_taken_address_gets_the_next_free_number():
    EventFactory(slug="zustrich")
    EventFactory(slug="zustrich-2")
    assert slug_free("zustrich") == "zustrich-3"
    assert slug_propose({"uk": "Зустріч"}, "uk") == "zustrich-3"
    assert slug_free("new") == "new-2"  # the reserved address of the new-event page


def test_the_fallback_language_title_is_used_first():
    assert slug_propose({"pl": "Spotkanie", "uk": "Зустріч"}, "uk") == "zustrich"
    assert slug_propose({"pl": "Spotkanie", "uk": ""}, "uk") == "spotkanie"


def test_an_empty_address_is_proposed_on_the_server(client, organiser):
    EventFactory(slug="zustrich")
    client.force_login(organiser)
    data = event_post_data(slug="", title_pl="", title_uk="Зустріч", fallback_language="uk")
    response = client.post(url("events:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == url("events:edit", slug="zustrich-2")


def test_the_proposal_shown_while_typing_moves_on_when_taken(client, organiser):
    """The browser proposed `spotkanie-sieciujace` from the title; someone has it: -2, no error."""
    EventFactory(slug="spotkanie-sieciujace")
    client.force_login(organiser)
    data = event_post_data(slug="spotkanie-sieciujace", title_pl="Spotkanie sieciujące")
    response = client.post(url("events:create"), data)
    assert response.status_code == 302
    assert Event.objects.filter(slug="spotkanie-sieciujace-2").exists()


def test_an_address_typed_by_hand_that_is_taken_is_refused_with_a_free_one(client, organiser):
    EventFactory(slug="my-own-address")
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(slug="my-own-address"))
    assert response.status_code == 200
    assert response.context["form"].errors["slug"] == [
        "An event with this address already exists. This one is free: my-own-address-2"
    ]


def test_the_new_event_page_has_the_script_and_its_hook(client, organiser):
    client.force_login(organiser)
    content = client.get(url("events:create")).content.decode()
    assert re.search(r'<script src="[^"]*js/event-form\.js"', content)
    assert 'data-slug-from="id_title"' in content
    assert "<script>" not in content


# Time zones -------------------------------------------------------------------------------------


def test_only_canonical_time_zones_are_offered():
    zones = canonical_timezones()
    for name in ("Factory", "localtime", "W-SU", "Europe/Kiev", "Poland", "posixrules", "EST5EDT", "UTC"):
        assert name not in zones
    for name in ("Europe/Kyiv", "Europe/Warsaw", "America/New_York", "Etc/UTC"):
        assert name in zones


def test_the_likely_zones_come_first_in_their_own_group(client, organiser):
    (likely_label, likely), (_all_label, every) = timezone_choices()
    assert [name for name, _label in likely] == list(LIKELY)
    assert likely[0] == ("Europe/Warsaw", "Europe/Warsaw")
    assert {name for name, _label in every} == canonical_timezones()

    client.force_login(organiser)
    content = client.get(url("events:create")).content.decode()
    select = content[content.index('name="timezone"') :]
    select = select[: select.index("</select>")]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Usual time zones", "All time zones"]
    first = re.findall(r'<option value="([^"]+)"', select)
    assert first[: len(LIKELY)] == list(LIKELY)
    for name in ("Factory", "localtime", "W-SU", "Europe/Kiev"):
        assert f'value="{name}"' not in select
    assert 'value="Europe/Kyiv"' in select
    assert re.search(r'<option value="Europe/Warsaw"[^>]* selected', select)


def test_a_non_canonical_zone_is_refused_by_the_form_and_the_model(client, organiser):
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(timezone="W-SU"))
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    with pytest.raises(ValidationError) as caught:
        event_check(
            data={"timezone": "Europe/Kiev"}, exclude=[f.name for f in Event._meta.fields if f.name != "timezone"]
        )
    assert "timezone" in caught.value.message_dict


def test_an_event_stored_under_an_old_zone_name_keeps_working(organiser):
    event = EventFactory(organisers=[organiser], timezone="Europe/Kiev")
    event_update(event=event, data={"capacity": 30}, actor=organiser)  # no "unknown time zone"
    assert EventForm(event=event).initial["timezone"] == "Europe/Kyiv"  # the form shows its canonical name
    with pytest.raises(ValidationError):
        event_update(event=event, data={"timezone": "W-SU"}, actor=organiser)


def test_the_api_refuses_a_non_canonical_zone(organiser):
    from django.test import Client

    from civicmeet.accounts.models import ApiToken
    from civicmeet.api.tests.test_events import _new_event  # the API's own example body

    token = ApiToken.issue(organiser)
    response = Client().post(
        "/api/v1/events",
        _new_event(timezone="W-SU"),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["timezone"]


# Claims and help --------------------------------------------------------------------------------


def test_no_claim_is_pre_ticked_on_a_new_event(client, organiser):
    form = EventForm()
    for name in ("is_free", "provides_materials", "provides_catering"):
        assert not form[name].value()
        assert Event._meta.get_field(name).default is False
    client.force_login(organiser)
    content = client.get(url("events:create")).content.decode()
    for name in ("is_free", "provides_materials", "provides_catering"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
        assert tag is not None
        assert "checked" not in tag.group(0)


def test_help_texts_do_not_refer_to_the_seed_invitation():
    for language in ("en", "pl", "uk"):
        with translation.override(language):
            form = EventForm()
            for field in form.fields.values():
                assert "invitation" not in str(field.help_text).lower()
                assert "14/6/48" not in str(field.help_text)
                assert "zaproszen" not in str(field.help_text).lower()
                assert "запрошен" not in str(field.help_text).lower()


# Sections ---------------------------------------------------------------------------------------

SECTIONS = ["basics", "dates", "place", "texts", "capacity", "rules", "privacy", "interests", "questions"]


def test_the_form_is_in_sections_with_a_navigation(client, organiser, event):
    client.force_login(organiser)
    for target in (url("events:create"), url("events:edit", slug=event.slug)):
        content = client.get(target).content.decode()
        for section in SECTIONS:
            assert f'id="section-{section}"' in content
            assert f'href="#section-{section}"' in content
        assert content.count('class="form-section"') == len(SECTIONS)
    assert url("events:questions", slug=event.slug) in content  # the questions section links to them


def test_long_texts_open_only_the_fallback_language_and_those_with_text(client, organiser):
    event = EventFactory(organisers=[organiser], fallback_language="uk", description={"en": "About"})
    client.force_login(organiser)
    content = client.get(url("events:edit", slug=event.slug)).content.decode()
    start = content.index('id="id_description"')
    block = content[start : content.index("</fieldset>", start)]
    opened = re.findall(r'<details class="localized-language"( open)?>\s*<summary lang="(\w+)"', block)
    assert opened == [("", "pl"), (" open", "uk"), (" open", "en")]


def test_errors_are_summarised_in_the_order_of_the_page(client, organiser):
    client.force_login(organiser)
    data = event_post_data(title_pl="", title_uk="", slug="x", capacity="", starts_at="")
    response = client.post(url("events:create"), data)
    content = response.content.decode()
    summary = content[content.index('id="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    anchors = re.findall(r'href="#([^"]+)"', summary)
    positions = [content.index(f'id="{anchor}"') for anchor in anchors]
    assert len(anchors) >= 3
    assert positions == sorted(positions)
