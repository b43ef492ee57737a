"""Polish registry numbers: NIP and REGON checked by their check digits, KRS by its form; each
stored as digits only, each refusal said in the user's language."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from civicmeet.organisations.models import Organisation, OrganisationType
from civicmeet.organisations.registry_numbers import display_nip, krs_clean, nip_clean, regon_clean
from civicmeet.organisations.services import organisation_registry_numbers_set


def refusal(clean, value: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        clean(value)
    return caught.value


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234563218", "1234563218"),
        ("123-456-32-18", "1234563218"),
        ("PL 123 456 32 18", "1234563218"),
        ("", ""),
        ("  ", ""),
    ],
)
def test_nip_is_stored_as_digits(typed, stored):
    assert nip_clean(typed) == stored


def test_nip_with_a_wrong_check_digit_is_refused_as_a_typo():
    error = refusal(nip_clean, "123-456-32-19")
    assert error.code == "checksum"
    assert error.messages == ["This NIP is not valid: its check digit does not match. Check it for a typo."]


@pytest.mark.parametrize("typed", ["12345", "12345678901", "12345abcde"])
def test_nip_of_the_wrong_form_says_how_long_it_is(typed):
    error = refusal(nip_clean, typed)
    assert error.code == "format"
    assert error.messages == ["A NIP has 10 digits."]


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_typo_in_a_nip_is_caught(base, position, change):
    # The NIP's rule, written out here: the weighted sum of the first nine digits, modulo 11.
    check = sum(weight * int(digit) for weight, digit in zip((6, 5, 7, 2, 3, 4, 5, 6, 7), base, strict=True)) % 11
    assume(check < 10)  # a stem whose check digit would be 10 has no valid NIP
    valid = base + str(check)
    assert nip_clean(valid) == valid
    typo = valid[:position] + str((int(valid[position]) + change) % 10) + valid[position + 1 :]
    with pytest.raises(ValidationError):
        nip_clean(typo)


@pytest.mark.parametrize(("typed", "stored"), [("123456785", "123456785"), ("12-345-678-512347", "12345678512347")])
def test_regon_of_an_organisation_or_a_branch(typed, stored):
    assert regon_clean(typed) == stored


def test_regon_with_a_wrong_check_digit_or_length_is_refused():
    assert refusal(regon_clean, "123456784").code == "checksum"
    error = refusal(regon_clean, "1234567")
    assert error.code == "format"
    assert error.messages == ["A REGON has 9 or 14 digits."]


@pytest.mark.parametrize(
    ("typed", "stored"), [("0000123456", "0000123456"), ("123456", "0000123456"), ("KRS 0000 123 456", "0000123456")]
)
def test_krs_is_ten_digits_with_its_leading_zeros(typed, stored):
    assert krs_clean(typed) == stored


@pytest.mark.parametrize("typed", ["00001234567", "12a456", "0000000000"])
def test_krs_of_the_wrong_form_is_refused(typed):
    assert refusal(krs_clean, typed).messages == ["A KRS number has up to 10 digits, for example 0000123456."]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("pl", "Ten NIP jest nieprawidłowy: cyfra kontrolna się nie zgadza. Sprawdź, czy nie ma literówki."),
        ("uk", "Цей NIP недійсний: контрольна цифра не збігається. Перевірте, чи немає помилки."),
    ],
)
def test_refusals_are_in_the_users_language(language, message):
    with translation.override(language):
        assert refusal(nip_clean, "1234563219").messages == [message]


def test_display_nip():
    assert display_nip("1234563218") == "123-456-32-18"
    assert display_nip("") == ""


@pytest.mark.django_db
def test_service_stores_the_numbers_as_digits():
    organisation = Organisation.objects.create(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    organisation_registry_numbers_set(
        organisation=organisation, nip="PL 123-456-32-18", regon="123456785", krs="123456"
    )
    organisation.refresh_from_db()
    assert (organisation.nip, organisation.regon, organisation.krs) == ("1234563218", "123456785", "0000123456")


@pytest.mark.django_db
def test_service_refuses_by_field_and_saves_nothing():
    organisation = Organisation.objects.create(
        name="Fundacja Zustricz", type=OrganisationType.MIGRANT, krs="0000123456"
    )
    with pytest.raises(ValidationError) as caught:
        organisation_registry_numbers_set(organisation=organisation, nip="1234563219", regon="1234567", krs="")
    assert set(caught.value.message_dict) == {"nip", "regon"}
    organisation.refresh_from_db()
    assert (organisation.nip, organisation.regon, organisation.krs) == ("", "", "0000123456")


@pytest.mark.django_db
def test_the_models_clean_normalises_and_refuses_too():
    organisation = Organisation(name="Stowarzyszenie Czulent", type=OrganisationType.ETHNIC_MINORITY, krs="KRS 123456")
    organisation.clean()
    assert organisation.krs == "0000123456"
    organisation.regon = "123456784"
    with pytest.raises(ValidationError) as caught:
        organisation.clean()
    assert list(caught.value.message_dict) == ["regon"]
