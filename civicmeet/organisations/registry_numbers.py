"""Polish registry numbers of an organisation: NIP (tax), REGON (statistical) and KRS (court register).

NIP and REGON carry check digits, verified by `python-stdnum`; KRS has none, so only its form is
checked (10 digits). Each `*_clean` takes what a person typed — with spaces, dashes, a "PL" prefix
for the NIP, or a KRS without its leading zeros — and returns the number as it is stored (digits
only, KRS padded to 10), or raises a ValidationError that says what is wrong in the user's language.
Empty stays empty: every number is optional.

Branches ("oddziały") share their parent's NIP and KRS and have a 14-digit REGON of their own, so
none of these numbers is unique in the directory; they help find duplicates instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.pl import nip, regon

KRS_LENGTH = 10


def _checked(value: str, module, *, name: str, lengths: str) -> str:
    number = module.compact(value)
    try:
        return module.validate(number)
    except InvalidChecksum:
        raise ValidationError(
            _("This %(name)s is not valid: its check digit does not match. Check it for a typo.") % {"name": name},
            code="checksum",
        ) from None
    except (InvalidLength, InvalidFormat):
        raise ValidationError(
            _("A %(name)s has %(lengths)s digits.") % {"name": name, "lengths": lengths}, code="format"
        ) from None
    except StdnumError:  # any other refusal of the library
        raise ValidationError(_("This %(name)s is not valid.") % {"name": name}, code="invalid") from None


def nip_clean(value: str) -> str:
    """The NIP as 10 digits ("PL 123-456-32-18" → "1234563218"); '' stays ''."""
    if not (value or "").strip():
        return ""
    return _checked(value, nip, name="NIP", lengths="10")


def regon_clean(value: str) -> str:
    """The REGON as 9 digits (an organisation) or 14 (a local unit, such as a branch); '' stays ''."""
    if not (value or "").strip():
        return ""
    return _checked(value, regon, name="REGON", lengths=_("9 or 14"))


def krs_clean(value: str) -> str:
    """The KRS number as 10 digits, leading zeros included ("KRS 12345" → "0000012345"); '' stays ''."""
    number = "".join((value or "").split()).replace("-", "")
    if number.upper().startswith("KRS"):
        number = number[3:]
    if not number:
        return ""
    if not number.isdigit() or len(number) > KRS_LENGTH or not number.strip("0"):
        raise ValidationError(_("A KRS number has up to 10 digits, for example 0000123456."), code="format")
    return number.zfill(KRS_LENGTH)


def display_nip(value: str) -> str:
    """The NIP written for people (123-456-32-18)."""
    return nip.format(value) if value else ""


# Each number's field name on Organisation and its clean function.
CLEANERS: dict[str, Callable[[str], str]] = {"nip": nip_clean, "regon": regon_clean, "krs": krs_clean}


def registry_numbers_clean(values: dict[str, str]) -> dict[str, str]:
    """{"nip": …, "regon": …, "krs": …} as typed → as stored; a ValidationError by field lists
    every number that is wrong (the model's clean and the services share this)."""
    cleaned: dict[str, str] = {}
    errors: dict[str, ValidationError] = {}
    for field, value in values.items():
        try:
            cleaned[field] = CLEANERS[field](value)
        except ValidationError as error:
            errors[field] = error
    if errors:
        raise ValidationError(errors)
    return cleaned
