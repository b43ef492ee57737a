"""Organisers' event management: list, create/edit, publish, questions, team."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import resolve, reverse
from django.utils import translation

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.events.models import CustomQuestion, Event, QuestionKind
from civicmeet.events.services import event_unpublish, questions_replace, team_member_add
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory
from civicmeet.events.views import EventCreateView
from civicmeet.organisations.models import Organisation, OrganisationType
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def event_post_data(**overrides):
    data = {
        "slug": "spotkanie-sieciujace-2021",
        "title_pl": "Spotkanie sieciujące organizacji mniejszości oraz migranckich",
        "title_uk": "Мережева зустріч організацій меншин і мігрантів",
        "title_en": "",
        "description_pl": "Fundacja Zustricz i Żydowskie Stowarzyszenie Czulent zapraszają do udziału.",
        "description_uk": "",
        "description_en": "",
        "agenda_pl": "poznanie organizacji mniejszościowych\nkanały komunikacji z urzędnikami",
        "agenda_uk": "",
        "agenda_en": "",
        "venue_pl": "Kraków",
        "venue_uk": "Краків",
        "venue_en": "",
        "conditions_pl": "",
        "conditions_uk": "",
        "conditions_en": "",
        "safety_rules_pl": "Prosimy o uczestnictwo osób zaszczepionych.",
        "safety_rules_uk": "",
        "safety_rules_en": "",
        "processing_purpose_pl": "",
        "processing_purpose_uk": "",
        "processing_purpose_en": "",
        "fallback_language": "pl",
        "timezone": "Europe/Warsaw",
        "starts_at": "2031-10-01T10:00",
        "ends_at": "2031-10-01T16:00",
        "registration_opens_at": "2031-09-01T09:00",
        "registration_closes_at": "2031-09-26T23:59",
        "capacity": "40",
        "seats_per_organisation": "",
        "is_free": "on",
        "provides_materials": "on",
        "provides_catering": "on",
        "safety_rule": "none",
        "vaccinated_after_days": "14",
        "recovered_within_months": "6",
        "tested_within_hours": "48",
        "test_kinds": ["pcr", "antigen"],
        "health_data_retention_days": "14",
        "personal_data_retention_days": "365",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Access ---------------------------------------------------------------------------------------

MANAGE_PAGES = ["events:edit", "events:questions", "events:team"]


@pytest.mark.parametrize("name", [*MANAGE_PAGES, "events:publish", "events:unpublish"])
def test_anonymous_is_sent_to_login(client, event, name):
    target = url(name, slug=event.slug)
    response = client.post(target) if name.endswith("publish") else client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", ["registrations:event_list", "events:create"])
def test_anonymous_is_sent_to_login_from_organiser_area(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))


@pytest.mark.parametrize("name", [*MANAGE_PAGES, "events:publish", "events:unpublish"])
def test_other_events_organiser_gets_404(client, event, outsider, name):
    client.force_login(outsider)
    target = url(name, slug=event.slug)
    response = client.post(target) if name.endswith("publish") else client.get(target)
    assert response.status_code == 404


def test_desk_staff_cannot_manage_the_event(client, event):
    desk = UserFactory(email="desk@example.org")
    team_member_add(event=event, email=desk.email, role=TeamRole.DESK)
    client.force_login(desk)
    assert client.get(url("events:edit", slug=event.slug)).status_code == 404


# List -----------------------------------------------------------------------------------------


def test_manage_list_shows_only_own_events_with_state_counts(client, event, organiser, outsider):
    first, second = submit(event), submit(event)
    submit(event)
    registration_decide(registration=first, decision="accept", actor=organiser)
    registration_decide(registration=second, decision="waitlist", actor=organiser)
    other = Event.objects.exclude(pk=event.pk).get()
    other.title = {"pl": "Cudze spotkanie"}
    other.save()
    client.force_login(organiser)
    response = client.get(url("registrations:event_list"))
    assert response.status_code == 200
    events = response.context["events"]
    assert [item.pk for item in events] == [event.pk]
    assert (events[0].count_submitted, events[0].count_accepted, events[0].count_waitlisted) == (1, 1, 1)
    content = response.content.decode()
    assert "Cudze spotkanie" not in content
    assert url("registrations:dashboard", slug=event.slug) in content
    assert url("events:create") in content


def test_manage_list_query_count_does_not_grow_with_events(client, organiser, django_assert_max_num_queries):
    for _number in range(10):
        event = EventFactory(organisers=[organiser])
        submit(event)
    client.force_login(organiser)
    with django_assert_max_num_queries(6):
        response = client.get(url("registrations:event_list"))
    assert len(response.context["events"]) == 10


# Create and edit ------------------------------------------------------------------------------


def test_new_event_address_reaches_the_create_view():
    # "manage/events/new/" must not be taken for the dashboard of an event called "new".
    assert resolve(url("events:create")).func.view_class is EventCreateView


def test_create_event_refuses_a_reserved_address(client, organiser):
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(slug="new"))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors


def test_create_event_converts_times_from_the_chosen_time_zone(client, organiser):
    zustricz = OrganisationFactory(name="Fundacja Zustricz")
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(co_organisers=[zustricz.pk]))
    assert response.status_code == 302
    event = Event.objects.get(slug="spotkanie-sieciujace-2021")
    assert response["Location"] == url("events:edit", slug=event.slug)
    assert event.title == {
        "pl": "Spotkanie sieciujące organizacji mniejszości oraz migranckich",
        "uk": "Мережева зустріч організацій меншин і мігрантів",
    }
    assert event.starts_at == datetime(2031, 10, 1, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert event.registration_closes_at == datetime(2031, 9, 26, 21, 59, tzinfo=UTC)
    assert event.seats_per_organisation is None
    assert (event.is_free, event.provides_materials, event.provides_catering) == (True, True, True)
    assert not event.is_published
    assert list(event.co_organisers.all()) == [zustricz]
    assert event.team.members.get().user == organiser


def test_create_event_in_another_time_zone(client, organiser):
    client.force_login(organiser)
    client.post(url("events:create"), event_post_data(timezone="Europe/Kyiv", provides_catering=None))
    event = Event.objects.get()
    assert event.timezone == "Europe/Kyiv"
    assert event.starts_at == datetime(2031, 10, 1, 7, 0, tzinfo=UTC)  # 10:00 EEST
    assert event.provides_catering is False


def test_create_event_with_new_co_organisers(client, organiser):
    OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    client.force_login(organiser)
    response = client.post(
        url("events:create"),
        event_post_data(
            new_organisation_1="Żydowskie  Stowarzyszenie Czulent",
            new_organisation_1_type=OrganisationType.NATIONAL_MINORITY,
            new_organisation_2="fundacja zustricz",  # known: its type may stay empty
        ),
    )
    assert response.status_code == 302
    names = sorted(org.name for org in Event.objects.get().co_organisers.all())
    assert names == ["Fundacja Zustricz", "Żydowskie Stowarzyszenie Czulent"]
    assert Organisation.objects.get(name="Żydowskie Stowarzyszenie Czulent").type == OrganisationType.NATIONAL_MINORITY


def test_create_event_errors_keep_what_was_typed(client, organiser):
    client.force_login(organiser)
    data = event_post_data(
        title_pl="",
        title_uk="",
        ends_at="2031-10-01T09:00",
        capacity="dużo",
        new_organisation_1="Nowa Fundacja <b>",
        description_pl="Opis, który <script>nie zginie</script>",
    )
    response = client.post(url("events:create"), data)
    assert response.status_code == 200
    assert not Event.objects.exists()
    assert not Organisation.objects.exists()
    form = response.context["form"]
    assert set(form.errors) >= {"title", "ends_at", "capacity", "new_organisation_1_type"}
    content = response.content.decode()
    assert "Opis, który &lt;script&gt;nie zginie&lt;/script&gt;" in content
    assert 'value="2031-10-01T09:00"' in content
    assert 'value="spotkanie-sieciujace-2021"' in content
    assert 'value="Nowa Fundacja &lt;b&gt;"' in content
    # Errors sit next to their fields and are announced.
    assert 'id="id_ends_at_error"' in content
    assert 'aria-describedby="id_ends_at_error"' in content
    assert 'aria-invalid="true"' in content


def test_create_event_refuses_a_taken_address(client, organiser, event):
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(slug=event.slug))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert Event.objects.count() == 1


def test_create_event_refuses_a_time_that_does_not_exist(client, organiser):
    client.force_login(organiser)
    # Clocks in Warsaw jump from 02:00 to 03:00 on 30 March 2031.
    response = client.post(url("events:create"), event_post_data(registration_opens_at="2031-03-30T02:30"))
    assert response.status_code == 200
    assert "registration_opens_at" in response.context["form"].errors


def test_edit_form_shows_times_in_the_events_time_zone(client, organiser):
    event = EventFactory(
        organisers=[organiser],
        timezone="Europe/Kyiv",
        starts_at=datetime(2031, 10, 1, 7, 0, tzinfo=UTC),
        ends_at=datetime(2031, 10, 1, 13, 0, tzinfo=UTC),
    )
    client.force_login(organiser)
    response = client.get(url("events:edit", slug=event.slug))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="2031-10-01T10:00"' in content
    assert 'value="Мережева зустріч організацій меншин і мігрантів"' in content
    assert 'name="slug"' not in content
    assert url("registrations:dashboard", slug=event.slug) in content


def test_edit_event_saves_changes(client, organiser, event):
    client.force_login(organiser)
    data = event_post_data(slug=None, capacity="25", seats_per_organisation="2", title_en="Networking meeting")
    response = client.post(url("events:edit", slug=event.slug), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.capacity, event.seats_per_organisation) == (25, 2)
    assert event.title["en"] == "Networking meeting"
    assert event.slug != "spotkanie-sieciujace-2021"  # the address does not change


def test_edit_event_errors_keep_input_and_change_nothing(client, organiser, event):
    client.force_login(organiser)
    before = event.title
    data = event_post_data(slug=None, title_pl="Nowy tytuł", registration_closes_at="2031-08-01T10:00")
    response = client.post(url("events:edit", slug=event.slug), data)
    assert response.status_code == 200
    assert "registration_closes_at" in response.context["form"].errors
    assert 'value="Nowy tytuł"' in response.content.decode()
    event.refresh_from_db()
    assert event.title == before


# Publish --------------------------------------------------------------------------------------


def test_publish_rejects_get(client, organiser, event):
    client.force_login(organiser)
    assert client.get(url("events:publish", slug=event.slug)).status_code == 405
    assert client.get(url("events:unpublish", slug=event.slug)).status_code == 405


def test_unpublish_and_publish(client, organiser, event):
    client.force_login(organiser)
    response = client.post(url("events:unpublish", slug=event.slug))
    assert response.status_code == 302
    event.refresh_from_db()
    assert not event.is_published
    client.post(url("events:publish", slug=event.slug))
    event.refresh_from_db()
    assert event.is_published


def test_publish_ignores_an_outside_next_address(client, organiser, event):
    event_unpublish(event=event)
    client.force_login(organiser)
    response = client.post(url("events:publish", slug=event.slug), {"next": "https://evil.example/"})
    assert response["Location"] == url("events:edit", slug=event.slug)


# Questions ------------------------------------------------------------------------------------


def questions_post(rows, initial=0):
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        defaults = {"key": "", "kind": "short_text", "ORDER": ""}
        for code in ("pl", "uk", "en"):
            defaults[f"label_{code}"] = ""
            defaults[f"options_{code}"] = ""
        defaults.update(row)
        for name, value in defaults.items():
            if value is not None:
                data[f"questions-{index}-{name}"] = value
    return data


def test_questions_round_trip(client, organiser, event):
    client.force_login(organiser)
    target = url("events:questions", slug=event.slug)
    assert client.get(target).status_code == 200
    rows = [
        {"label_pl": "Czy potrzebujesz tłumacza?", "label_en": "Do you need an interpreter?", "kind": "yes_no"},
        {
            "label_pl": "Które warsztaty?",
            "label_uk": "Які майстер-класи?",
            "kind": "multiple_choice",
            "required": "on",
            "options_pl": "IDZ\nKOMM\n",
            "options_uk": "ІДЗ\nКОММ",
        },
        {},  # an empty extra row is ignored
    ]
    response = client.post(target, questions_post(rows))
    assert response.status_code == 302
    first, second = CustomQuestion.objects.filter(event=event)
    assert (first.key, first.kind, first.required) == ("do-you-need-an-interpreter", QuestionKind.YES_NO, False)
    assert second.key == "ktore-warsztaty"
    assert second.required
    assert second.options == [
        {"key": "idz", "label": {"pl": "IDZ", "uk": "ІДЗ"}},
        {"key": "komm", "label": {"pl": "KOMM", "uk": "КОММ"}},
    ]
    content = client.get(target).content.decode()
    assert 'value="Czy potrzebujesz tłumacza?"' in content
    assert "IDZ\nKOMM</textarea>" in content


def test_editing_questions_keeps_keys_and_option_keys(client, organiser, event):
    questions_replace(
        event=event,
        questions=[
            {
                "key": "workshops",
                "kind": "single_choice",
                "label": {"pl": "Warsztaty"},
                "options": [
                    {"key": "idz", "label": {"pl": "IDZ"}},
                    {"key": "komm", "label": {"pl": "KOMM"}},
                ],
            },
            {"key": "remarks", "kind": "long_text", "label": {"pl": "Uwagi"}},
        ],
    )
    client.force_login(organiser)
    rows = [
        # Reordered: remarks first; the options reordered, one renamed, one added.
        {"key": "remarks", "label_pl": "Uwagi końcowe", "kind": "long_text", "ORDER": "1"},
        {
            "key": "workshops",
            "label_pl": "Warsztaty",
            "label_en": "Workshops",
            "kind": "single_choice",
            "options_pl": "KOMM\nIDZ – Informuj, Działaj, Zrozum\nStrategie",
            "ORDER": "2",
        },
        {"label_pl": "Uwagi", "kind": "short_text"},  # same label as a kept key: gets a new key
    ]
    response = client.post(url("events:questions", slug=event.slug), questions_post(rows, initial=2))
    assert response.status_code == 302
    questions = list(event.questions.all())
    assert [q.key for q in questions] == ["remarks", "workshops", "uwagi"]
    assert questions[0].label == {"pl": "Uwagi końcowe"}
    assert [option["key"] for option in questions[1].options] == ["komm", "idz-informuj-dzialaj-zrozum", "strategie"]


def test_deleting_a_question(client, organiser, event):
    questions_replace(event=event, questions=[{"key": "remarks", "kind": "long_text", "label": {"pl": "Uwagi"}}])
    client.force_login(organiser)
    rows = [{"key": "remarks", "label_pl": "Uwagi", "kind": "long_text", "DELETE": "on"}]
    response = client.post(url("events:questions", slug=event.slug), questions_post(rows, initial=1))
    assert response.status_code == 302
    assert not event.questions.exists()


def test_question_errors_keep_input(client, organiser, event):
    client.force_login(organiser)
    rows = [
        {"label_pl": "Które warsztaty?", "kind": "single_choice"},
        {"label_pl": "Dieta", "kind": "single_choice", "options_pl": "a\nb", "options_en": "a"},
        {"kind": "long_text", "required": "on"},
    ]
    response = client.post(url("events:questions", slug=event.slug), questions_post(rows))
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert "options" in errors[0]
    assert "options" in errors[1]
    assert "label" in errors[2]
    assert 'value="Które warsztaty?"' in response.content.decode()
    assert not event.questions.exists()


# Team -----------------------------------------------------------------------------------------


def test_team_page_lists_members(client, organiser, event, django_assert_max_num_queries):
    zustricz = OrganisationFactory(name="Fundacja Zustricz")
    event.co_organisers.add(zustricz)
    for number in range(5):
        UserFactory(email=f"desk{number}@example.org")
        team_member_add(event=event, email=f"desk{number}@example.org", role=TeamRole.DESK, organisation=zustricz)
    client.force_login(organiser)
    with django_assert_max_num_queries(8):
        response = client.get(url("events:team", slug=event.slug))
    content = response.content.decode()
    assert organiser.email in content
    assert "desk4@example.org" in content
    assert "Fundacja Zustricz" in content


def test_team_invite_on_behalf_of_a_co_organiser(client, organiser, event):
    """The page invites by email (the person may not have an account yet); accepting puts them on
    the team in the role, on behalf of the organisation chosen."""
    from civicmeet.accounts.services import team_invitation_accept
    from civicmeet.notifications.models import OutgoingEmail

    czulent = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")
    event.co_organisers.add(czulent)
    colleague = UserFactory(email="dawid@czulent.example.org")
    client.force_login(organiser)
    response = client.post(
        url("events:team", slug=event.slug),
        {"action": "invite", "email": "Dawid@Czulent.example.org", "role": "organiser", "organisation": czulent.pk,
         "language": "pl"},
    )  # fmt: skip
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(kind="team_invitation")
    assert email.to == "Dawid@czulent.example.org"  # the domain normalised, as accounts store it
    token = email.body_text.split("/accounts/invitation/", 1)[1].split("/", 1)[0]
    member = team_invitation_accept(token=token, user=colleague)
    assert (member.role, member.affiliation.organisation) == (TeamRole.ORGANISER, czulent)


def test_team_invite_malformed_email_shows_error(client, organiser, event):
    client.force_login(organiser)
    response = client.post(
        url("events:team", slug=event.slug),
        {"action": "invite", "email": "nobody@", "role": "desk", "language": "en"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="nobody@"' in response.content.decode()
    assert event.team.members.count() == 1


def test_team_remove_member(client, organiser, event):
    desk = UserFactory(email="desk@example.org")
    member = team_member_add(event=event, email=desk.email, role=TeamRole.DESK)
    client.force_login(organiser)
    response = client.post(url("events:team", slug=event.slug), {"action": "remove", "member": member.pk})
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_team_cannot_remove_the_last_organiser(client, organiser, event):
    member = event.team.members.get(user=organiser)
    client.force_login(organiser)
    response = client.post(url("events:team", slug=event.slug), {"action": "remove", "member": member.pk}, follow=True)
    assert TeamMember.objects.filter(pk=member.pk).exists()
    assert [str(message) for message in response.context["messages"]] == ["An event needs at least one organiser."]


def test_team_remove_refuses_a_member_of_another_event(client, organiser, event, outsider):
    other_member = TeamMember.objects.get(user=outsider)
    client.force_login(organiser)
    response = client.post(url("events:team", slug=event.slug), {"action": "remove", "member": other_member.pk})
    assert response.status_code == 404
    assert TeamMember.objects.filter(pk=other_member.pk).exists()
