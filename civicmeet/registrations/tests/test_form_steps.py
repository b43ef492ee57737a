"""The registration form in sections (the steps on a phone), its error summary and its draft.

The browser side (steps, the draft across a reload) is walked in tests/e2e/test_participant_phone.py;
here: what the server sends, which the script relies on.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from civicmeet.registrations.forms import RegistrationForm
from civicmeet.registrations.models import Dietary

from .factories import submit
from .test_forms import add_questions, valid_post
from .test_safety_participant import event_starting_in

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = ["section-you", "section-organisation", "section-needs", "section-safety", "section-consent"]
SAFETY_INPUTS = ("safety_basis", "safety_vaccinated_on", "safety_recovered_on", "safety_taken_at", "safety_test_kind")
NEVER_DRAFTED = (*SAFETY_INPUTS, "consent_health", "consent_processing", "consent_listing")


def register_url(event, language="en"):
    with translation.override(language):
        return reverse("registrations:register", kwargs={"slug": event.slug})


@pytest.fixture
def safe_event(organiser):
    event = event_starting_in(10, organisers=[organiser])
    add_questions(event)
    return event


def _tags(page: str, name: str) -> list[str]:
    return re.findall(rf'<(?:input|textarea|select)[^>]*\bname="{name}"[^>]*>', page)


def test_sections_come_in_order_and_each_is_a_step(client, safe_event):
    page = client.get(register_url(safe_event)).content.decode()
    positions = [page.index(f'id="{heading}"') for heading in SECTION_HEADINGS]
    assert positions == sorted(positions)
    assert page.count("data-step ") + page.count("data-step>") == len(SECTION_HEADINGS)
    assert re.search(r'<form method="post" novalidate class="form-steps" data-steps ', page)
    assert 'data-step-text="Step {current} of {total}: {title}"' in page
    assert '<script src="/static/js/form-steps.js" defer></script>' in page
    # Without JavaScript there is no progress to show: the script reveals it.
    assert re.search(r'<p class="form-steps-progress" data-steps-progress hidden>', page)


def test_fields_sit_in_their_sections_in_the_form_order(client, safe_event):
    page = client.get(register_url(safe_event)).content.decode()
    form = RegistrationForm(safe_event)
    sections = dict(form.section_fields())
    assert list(sections) == ["you", "organisation", "needs", "safety", "consent"]
    assert sections["needs"][-5:] == ["q_topics", "q_about", "q_workshop", "q_offers", "q_first_time"]
    assert sections["safety"][-1] == "consent_health"
    assert sections["consent"] == ["consent_processing", "consent_listing"]
    # The page shows the fields in the form's order, each under its own section's heading.
    names = list(form.fields)
    where = [page.index(f'name="{name}"') for name in names]
    assert where == sorted(where), "the page and the form disagree on the order of the fields"
    headings = [page.index(f'id="{heading}"') for heading in SECTION_HEADINGS]
    for fields, start, end in zip(sections.values(), headings, [*headings[1:], len(page)], strict=True):
        for name in fields:
            assert start < page.index(f'name="{name}"') < end, name


def test_event_without_a_rule_has_four_steps(client, event):
    page = client.get(register_url(event)).content.decode()
    assert 'id="section-safety"' not in page
    assert page.count("data-step ") + page.count("data-step>") == 4


def test_error_summary_lists_the_errors_in_form_order(client, safe_event):
    response = client.post(
        register_url(safe_event),
        valid_post(
            first_name="",
            phone="12",
            dietary=Dietary.OTHER,
            q_topics="",
            safety_basis="vaccinated",
            consent_processing=None,
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') : page.index("</div>", page.index('id="error-summary"'))]
    anchors = re.findall(r'<a href="#([^"]+)">', summary)
    assert anchors == [
        "id_first_name",
        "id_phone",
        "id_dietary_details",
        "id_q_topics",
        "id_safety_vaccinated_on",
        "id_consent_processing",
    ]
    # The label and the message never run together as "…described below.: Please…".
    assert ".:" not in summary
    assert "I agree to the processing of my personal data for this registration" in summary
    assert "Please give your consent: we cannot register you without it." in summary


def test_consent_error_sits_next_to_the_box_and_the_legal_text_is_one_tap_away(client, safe_event):
    safe_event.processing_purpose = {"en": "Running the networking meeting in Kraków."}
    safe_event.save()
    page = client.post(register_url(safe_event), valid_post(consent_processing=None)).content.decode()
    field = page[page.index('id="id_consent_processing_field"') :]
    field = field[: field.index("</details>")]
    error = field.index('<ul class="errorlist" id="id_consent_processing_error">')
    box = field.index('name="consent_processing"')
    full_text = field.index("<details")
    # The error comes before the box, and the long text only after both, folded away.
    assert error < box < full_text
    summary_text = field[box:full_text]
    assert "Only the organisers (the organisers of this event) see your data" in summary_text
    assert "Running the networking meeting" not in summary_text
    assert "Purpose: Running the networking meeting in Kraków." in field[full_text:]
    assert reverse("registrations:privacy_notice", kwargs={"slug": safe_event.slug}) in field[full_text:]
    tag = re.search(r'<input[^>]*name="consent_processing"[^>]*>', page).group(0)
    assert 'aria-describedby="id_consent_processing_helptext id_consent_processing_error"' in tag


def test_health_consent_summary_is_short_and_the_rest_folded(client, safe_event):
    page = client.get(register_url(safe_event)).content.decode()
    field = page[page.index('id="id_consent_health_field"') :]
    summary = field[: field.index("<details")]
    assert "Your answer is health data (GDPR Art. 9)." in summary
    assert "Never a certificate" not in summary
    assert "Never a certificate, a document or a scan." in field[field.index("<details") : field.index("</details>")]


def test_safety_and_consent_inputs_are_never_drafted(client, safe_event):
    """Health data is special-category data: the draft script must never see it (data-no-draft)."""
    page = client.get(register_url(safe_event)).content.decode()
    for name in (*NEVER_DRAFTED, "dietary_details", "accessibility_needs"):
        tags = _tags(page, name)
        assert tags, name
        for tag in tags:
            assert "data-no-draft" in tag, tag
    # The safety section as a whole is marked too, whatever is added to it later.
    assert re.search(r'<fieldset id="safety-inputs"[^>]*\bdata-no-draft\b', page)
    # Ordinary answers are drafted.
    for name in ("first_name", "email", "organisation_name", "q_topics", "dietary"):
        for tag in _tags(page, name):
            assert "data-no-draft" not in tag, tag


def test_draft_is_restored_only_into_a_fresh_form(client, safe_event):
    fresh = client.get(register_url(safe_event)).content.decode()
    assert f'data-draft-key="civicmeet:registration:{safe_event.slug}" data-draft-restore' in fresh
    # The server's answer with errors holds what was sent: no draft is put over it.
    refused = client.post(register_url(safe_event), valid_post(first_name="")).content.decode()
    assert f'data-draft-key="civicmeet:registration:{safe_event.slug}"' in refused
    assert "data-draft-restore" not in refused


def test_received_page_clears_the_draft(client, safe_event):
    registration = submit(safe_event)
    with translation.override("en"):
        received = reverse("registrations:received", kwargs={"token": registration.token})
    page = client.get(received).content.decode()
    assert f'data-draft-clear="civicmeet:registration:{safe_event.slug}"' in page
    assert '<script src="/static/js/form-steps.js" defer></script>' in page


def test_the_script_honours_data_no_draft_and_uses_session_storage():
    """A guard on the script itself: the browser test proves it, this says where to look."""
    script = (Path(settings.BASE_DIR) / "static" / "js" / "form-steps.js").read_text()
    assert '!element.closest("[data-no-draft]")' in script
    assert "window.sessionStorage" in script
    assert "localStorage" not in script
    assert '"hidden", "password", "file"' in script


def test_edit_form_has_steps_but_no_draft(client, safe_event):
    registration = submit(safe_event)
    with translation.override("en"):
        edit = reverse("registrations:edit", kwargs={"token": registration.token})
    page = client.get(edit).content.decode()
    assert "data-steps" in page
    assert "data-draft-key" not in page
