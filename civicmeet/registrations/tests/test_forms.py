from __future__ import annotations

import pytest
from django.utils import translation

from civicmeet.events.services import questions_replace
from civicmeet.organisations.models import Organisation, OrganisationType
from civicmeet.organisations.services import organisation_get_or_create
from civicmeet.registrations.forms import RegistrationForm
from civicmeet.registrations.models import Dietary

from .factories import submit

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {
        "key": "topics",
        "kind": "short_text",
        "label": {"pl": "Tematy do rozmowy", "uk": "Теми для розмови", "en": "Topics to discuss"},
        "required": True,
    },
    {
        "key": "about",
        "kind": "long_text",
        "label": {"pl": "O organizacji", "en": "About your organisation"},
    },
    {
        "key": "workshop",
        "kind": "single_choice",
        "label": {"pl": "Warsztat", "uk": "Майстерня", "en": "Workshop"},
        "required": True,
        "options": [
            {"key": "grants", "label": {"pl": "Granty", "uk": "Гранти", "en": "Grants"}},
            {"key": "media", "label": {"pl": "Media", "uk": "Медіа", "en": "Media"}},
        ],
    },
    {
        "key": "offers",
        "kind": "multiple_choice",
        "label": {"pl": "Co możemy zaoferować", "en": "What we can offer"},
        "required": True,
        "options": [
            {"key": "rooms", "label": {"pl": "Sale", "en": "Rooms"}},
            {"key": "translation", "label": {"pl": "Tłumaczenia", "en": "Translation"}},
        ],
    },
    {
        "key": "first_time",
        "kind": "yes_no",
        "label": {"pl": "Pierwszy raz?", "uk": "Вперше?", "en": "Your first time?"},
        "required": True,
    },
]


def add_questions(event, questions=None):
    questions_replace(event=event, questions=QUESTIONS if questions is None else questions)
    return event


def valid_post(**overrides):
    """What a browser sends for a complete, valid registration (answers to QUESTIONS included)."""
    data = {
        "first_name": "Olena",
        "last_name": "Kowalenko",
        "email": "olena@example.org",
        "phone": "",
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": OrganisationType.MIGRANT,
        "organisation_role": "Koordynatorka",
        "dietary": Dietary.NONE,
        "dietary_details": "",
        "accessibility_needs": "",
        "interpreting_needs": "",
        "q_topics": "Granty dla organizacji migranckich",
        "q_about": "",
        "q_workshop": "grants",
        "q_offers": ["rooms", "translation"],
        "q_first_time": "yes",
        "consent_processing": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def bound(event, **overrides):
    return RegistrationForm(event, data=valid_post(**overrides))


def test_valid_form_gives_registration_data_trimmed_and_normalised(event):
    add_questions(event)
    form = bound(
        event,
        first_name="  Olena ",
        phone="+48 600 123 456",
        organisation_name="  Fundacja   Zustricz ",
        q_topics="  granty  ",
    )
    assert form.is_valid(), form.errors
    data = form.registration_data()
    assert data.first_name == "Olena"
    assert data.phone == "+48600123456"
    assert data.organisation_name == "Fundacja Zustricz"
    assert data.language == "uk"
    assert data.consent_processing is True
    assert data.consent_listing is False
    assert data.answers == {
        "topics": "granty",
        "workshop": "grants",
        "offers": ["rooms", "translation"],
        "first_time": True,
    }


def test_phone_accepts_00_prefix(event):
    form = RegistrationForm(event, data=valid_post(phone="0048 600 123 456"))
    assert form.is_valid(), form.errors
    assert form.registration_data().phone == "+48600123456"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", ""),
        ("first_name", "   "),
        ("last_name", ""),
        ("email", "not-an-email"),
        ("email", ""),
        ("phone", "600 123 456"),
        ("phone", "+48 12"),
        ("organisation_name", ""),
        ("organisation_type", "company"),
        ("language", "de"),
        ("dietary", "paleo"),
        ("first_name", "O" * 101),
        ("last_name", "K" * 101),
        ("organisation_name", "F" * 201),
        ("organisation_role", "R" * 201),
        ("dietary_details", "x" * 501),
        ("accessibility_needs", "x" * 1001),
        ("interpreting_needs", "x" * 501),
    ],
)
def test_invalid_standard_field_is_reported_on_that_field(event, field, value):
    form = bound(event, **{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_other_diet_needs_details(event):
    form = bound(event, dietary=Dietary.OTHER, dietary_details="  ")
    assert not form.is_valid()
    assert list(form.errors) == ["dietary_details"]
    assert bound(event, dietary=Dietary.OTHER, dietary_details="bez glutenu").is_valid()


def test_allergies_may_be_given_with_any_diet(event):
    form = bound(event, dietary=Dietary.HALAL, dietary_details="orzechy")
    assert form.is_valid(), form.errors
    assert form.registration_data().dietary_details == "orzechy"


def test_consent_to_processing_is_required(event):
    form = bound(event, consent_processing=None)
    assert not form.is_valid()
    assert list(form.errors) == ["consent_processing"]


def test_consent_to_listing_is_optional_and_kept(event):
    form = bound(event, consent_listing="on")
    assert form.is_valid(), form.errors
    assert form.registration_data().consent_listing is True


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("q_topics", ""),
        ("q_topics", "   "),
        ("q_workshop", None),
        ("q_offers", None),
        ("q_first_time", None),
    ],
)
def test_required_custom_question_must_be_answered(event, field, value):
    add_questions(event)
    form = bound(event, **{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("q_topics", "x" * 301),
        ("q_about", "x" * 3001),
        ("q_workshop", "cooking"),
        ("q_offers", ["rooms", "money"]),
        ("q_first_time", "maybe"),
    ],
)
def test_invalid_custom_answer_is_refused(event, field, value):
    add_questions(event)
    form = bound(event, **{field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_optional_question_may_stay_empty_and_is_not_stored(event):
    add_questions(event)
    form = bound(event, q_about="", q_first_time="no")
    assert form.is_valid(), form.errors
    answers = form.registration_data().answers
    assert "about" not in answers
    assert answers["first_time"] is False


def test_form_fields_follow_event_questions_in_page_language(event):
    add_questions(event)
    form = RegistrationForm(event, language="uk")
    assert form.fields["q_topics"].label == "Теми для розмови"
    assert form.fields["q_workshop"].widget.choices == [("grants", "Гранти"), ("media", "Медіа")]
    # Missing Ukrainian label: the event's fallback language (Polish).
    assert form.fields["q_about"].label == "O organizacji"
    assert form.fields["language"].initial == "uk"


def test_language_defaults_to_active_page_language(event):
    with translation.override("en"):
        form = RegistrationForm(event)
    assert form.fields["language"].initial == "en"


def test_consent_text_names_purpose_and_joint_controllers(event):
    event.co_organisers.add(
        Organisation.objects.create(name="Fundacja Zustricz", type=OrganisationType.MIGRANT),
        Organisation.objects.create(name="Żydowskie Stowarzyszenie Czulent", type=OrganisationType.NATIONAL_MINORITY),
    )
    event.processing_purpose = {"pl": "Organizacja spotkania sieciującego.", "en": "Running the meeting."}
    event.save()
    with translation.override("en"):
        form = RegistrationForm(event)
        summary = str(form.fields["consent_processing"].help_text)
        text = form.processing_details
    # Next to the box, a summary naming who sees the data; the full text one tap away.
    assert "Fundacja Zustricz, Żydowskie Stowarzyszenie Czulent" in summary
    assert "Running the meeting." not in summary
    assert "Purpose: Running the meeting." in text
    assert "Joint controllers of your personal data: Fundacja Zustricz, Żydowskie Stowarzyszenie Czulent." in text


def test_consent_text_has_a_default_purpose(event):
    with translation.override("en"):
        text = str(RegistrationForm(event).fields["consent_processing"].help_text)
    assert "handle your registration" in text
    assert "the organisers of this event" in text


def test_known_organisations_are_offered(event):
    # A new organisation is a draft (issue 10): offered only once a moderator publishes it.
    from civicmeet.organisations.services_profile import organisation_publish
    from civicmeet.organisations.tests.profiles_setup import make_moderator

    organisation = organisation_get_or_create(name="Stowarzyszenie Romów", type=OrganisationType.ETHNIC_MINORITY)
    assert "Stowarzyszenie Romów" not in RegistrationForm(event).known_organisations
    organisation_publish(organisation=organisation, actor=make_moderator())
    assert "Stowarzyszenie Romów" in RegistrationForm(event).known_organisations


def test_edit_form_is_prefilled_and_keeps_email(event):
    add_questions(event)
    registration = submit(
        event,
        email="olena@example.org",
        answers={"topics": "granty", "workshop": "media", "offers": ["rooms"], "first_time": False},
    )
    form = RegistrationForm(event, registration=registration)
    assert form["first_name"].value() == registration.first_name
    assert form["organisation_name"].value() == "Fundacja Zustricz"
    assert form["q_first_time"].value() == "no"
    assert form["q_offers"].value() == ["rooms"]
    assert "consent_processing" not in form.fields
    assert form.fields["email"].disabled

    posted = RegistrationForm(
        event,
        data=valid_post(email="someone-else@example.org", consent_processing=None),
        registration=registration,
    )
    assert posted.is_valid(), posted.errors
    assert posted.registration_data().email == "olena@example.org"


def test_error_summary_links_to_first_option_of_a_group(event):
    add_questions(event)
    form = bound(event, first_name="", q_workshop=None)
    assert not form.is_valid()
    anchors = [item["anchor"] for item in form.error_summary]
    assert anchors == ["id_first_name", "id_q_workshop_0"]


# -- The safety rule's declaration (views and pages: test_safety_participant.py) -------------------


def _safe(event):
    from civicmeet.eligibility import SafetyPolicy

    event.safety_policy = SafetyPolicy().to_data()
    event.save()
    return event


def test_form_without_rule_has_no_safety_fields(event):
    form = RegistrationForm(event)
    assert not [name for name in form.fields if name.startswith("safety_") or name == "consent_health"]


def test_registration_data_carries_the_declaration_and_the_health_consent(event):
    from datetime import date

    form = bound(_safe(event), safety_basis="vaccinated", safety_vaccinated_on="01.06.2021", consent_health="on")
    assert form.is_valid(), form.errors
    data = form.registration_data()
    assert data.safety is not None
    assert (data.safety.basis, data.safety.date, data.safety.taken_at) == ("vaccinated", date(2021, 6, 1), None)
    assert data.consent_health is True


def test_bring_a_test_gives_no_declaration_and_no_health_consent(event):
    form = bound(_safe(event), safety_basis="bring_test", consent_health="on")
    assert form.is_valid(), form.errors
    data = form.registration_data()
    assert data.safety is None
    assert data.consent_health is False


def test_ambiguous_autumn_time_is_read_as_the_earlier_moment(event):
    # 29 October 2023, Warsaw: 02:30 happened twice; the first (summer time, +02:00) is the stricter.
    form = bound(
        _safe(event),
        safety_basis="tested",
        safety_taken_at="2023-10-29T02:30",
        safety_test_kind="pcr",
        consent_health="on",
    )
    assert form.is_valid(), form.errors
    assert form.registration_data().safety.taken_at.utcoffset().total_seconds() == 2 * 3600


def test_safety_fields_come_before_the_consents(event):
    names = list(RegistrationForm(_safe(event)).fields)
    assert names.index("safety_basis") < names.index("consent_processing")
    # The health-data consent stays next to the declaration it is about; the others come last.
    assert names[-3:] == ["consent_health", "consent_processing", "consent_listing"]
    assert names.index("safety_test_kind") < names.index("consent_health")
