import pytest

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.core.errors import DomainError
from civicmeet.events.services import team_member_add, team_member_remove

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_only_organiser_cannot_be_demoted_to_desk(event, organiser):
    with pytest.raises(DomainError):
        team_member_add(event=event, email=organiser.email, role=TeamRole.DESK)
    assert TeamMember.objects.get(team=event.team, user=organiser).role == TeamRole.ORGANISER


def test_an_organiser_can_be_demoted_when_another_remains(event, organiser):
    colleague = UserFactory(email="dawid@czulent.example.org")
    team_member_add(event=event, email=colleague.email)
    team_member_add(event=event, email=organiser.email, role=TeamRole.DESK)
    assert TeamMember.objects.get(team=event.team, user=organiser).role == TeamRole.DESK


def test_the_last_organiser_cannot_be_removed(event, organiser):
    member = TeamMember.objects.get(team=event.team, user=organiser)
    with pytest.raises(DomainError):
        team_member_remove(event=event, member=member)


def test_adding_an_unknown_account_is_refused(event):
    with pytest.raises(DomainError):
        team_member_add(event=event, email="nobody@example.org")


def test_the_team_lists_organisers_first_then_desk_staff_each_by_email(event, organiser):
    for email, role in (("zofia@example.org", TeamRole.ORGANISER), ("adam@example.org", TeamRole.DESK)):
        UserFactory(email=email)
        team_member_add(event=event, email=email, role=role)
    from civicmeet.events.selectors import team_member_list

    listed = [(member.role, member.user.email) for member in team_member_list(event=event)]
    assert listed == [
        (TeamRole.ORGANISER, organiser.email),
        (TeamRole.ORGANISER, "zofia@example.org"),
        (TeamRole.DESK, "adam@example.org"),
    ]
