from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from civicmeet.accounts.models import ApiToken, hash_token

User = get_user_model()


def create_organiser(*args: str) -> list[str]:
    out = StringIO()
    call_command("create_organiser", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_create_organiser_creates_an_account_named_by_its_email_that_can_log_in():
    create_organiser("maria@czulent.example.org", "--password", "Zustricz-2021-Krakow")

    user = User.objects.get(username="maria@czulent.example.org")
    assert user.email == "maria@czulent.example.org"
    assert not user.is_staff and not user.is_superuser
    assert authenticate(username="maria@czulent.example.org", password="Zustricz-2021-Krakow") == user


@pytest.mark.django_db
def test_create_organiser_changes_the_password_of_an_existing_account():
    create_organiser("maria@czulent.example.org", "--password", "Zustricz-2021-Krakow")

    lines = create_organiser("Maria@Czulent.example.org", "--password", "a-new-long-passphrase")

    assert User.objects.count() == 1
    assert authenticate(username="maria@czulent.example.org", password="a-new-long-passphrase") is not None
    assert authenticate(username="maria@czulent.example.org", password="Zustricz-2021-Krakow") is None
    assert "Changed the password" in lines[0]


@pytest.mark.django_db
def test_create_organiser_without_a_password_leaves_an_existing_password_alone():
    create_organiser("maria@czulent.example.org", "--password", "Zustricz-2021-Krakow")

    create_organiser("maria@czulent.example.org")

    assert authenticate(username="maria@czulent.example.org", password="Zustricz-2021-Krakow") is not None


@pytest.mark.django_db
def test_create_organiser_without_a_password_creates_an_account_that_cannot_log_in_yet():
    create_organiser("token-only@example.org")

    assert not User.objects.get(username="token-only@example.org").has_usable_password()


@pytest.mark.django_db
def test_create_organiser_can_generate_a_password_and_print_it():
    lines = create_organiser("olena@zustricz.example.org", "--generate-password")

    password = next(line for line in lines if line.startswith("Password: ")).removeprefix("Password: ")
    assert authenticate(username="olena@zustricz.example.org", password=password) is not None


@pytest.mark.django_db
def test_create_organiser_prints_a_working_api_token_as_its_last_line():
    lines = create_organiser("olena@zustricz.example.org", "--password", "Zustricz-2021-Krakow", "--api-token")

    token = lines[-1]
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_token(token)
    assert stored.user.username == "olena@zustricz.example.org"
    assert token not in "\n".join(lines[:-1])


@pytest.mark.django_db
def test_create_organiser_issues_a_new_token_for_an_existing_account_each_time():
    first = create_organiser("olena@zustricz.example.org", "--api-token")[-1]
    second = create_organiser("olena@zustricz.example.org", "--api-token")[-1]

    assert first != second
    assert ApiToken.objects.count() == 2
    assert User.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["not-an-email", "olena@", "@example.org", "olena @example.org", ""])
def test_create_organiser_refuses_a_malformed_email(email):
    with pytest.raises(CommandError, match="valid email"):
        create_organiser(email, "--password", "Zustricz-2021-Krakow")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_organiser_refuses_a_weak_password_and_creates_nothing():
    with pytest.raises(CommandError, match="too short|too common"):
        create_organiser("olena@zustricz.example.org", "--password", "1234")

    assert not User.objects.exists()


@pytest.mark.django_db
def test_create_organiser_refuses_an_email_too_long_for_a_username():
    email = "o" * 140 + "@example.org"

    with pytest.raises(CommandError, match="too long"):
        create_organiser(email, "--password", "Zustricz-2021-Krakow")


@pytest.mark.django_db
def test_create_organiser_refuses_both_password_options_at_once():
    with pytest.raises(CommandError, match="either"):
        create_organiser("olena@zustricz.example.org", "--password", "Zustricz-2021-Krakow", "--generate-password")
