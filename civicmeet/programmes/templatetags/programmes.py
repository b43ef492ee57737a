from __future__ import annotations

from django import template
from django.utils import translation

from civicmeet.core.i18n import local_text

register = template.Library()


@register.filter
def language_names(codes) -> str:
    """ISO 639 codes as language names in the reader's language ("uk, pl" → "Ukrainian, Polish")."""
    names = []
    for code in codes or []:
        try:
            names.append(str(translation.get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code)
    return ", ".join(names)


@register.filter
def local(value):
    """A per-language text picked for the reader (core.i18n.local_text), with the language it is in."""
    return local_text(value)
