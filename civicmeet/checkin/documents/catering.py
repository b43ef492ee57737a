"""The final sheet for the caterer: how many meals, how many of each diet, and the allergies and
other diets as written — never with a name (the caterer needs to know what to cook, not for whom).

Counts come from registrations' catering summary (the same rules as the organisers' catering page:
accepted participants who eat, and accepted guests).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from civicmeet.events.models import Event
from civicmeet.registrations.models import Dietary
from civicmeet.registrations.selectors import catering_summary

from . import pdf
from .common import event_facts

GROUPS = ("accepted", "guests")


def catering_sheet(event: Event) -> dict[str, Any]:
    """Meals, diets and the anonymous notes of the people who eat (accepted participants and guests)."""
    summary = catering_summary(event=event)
    meals = sum(summary.totals[group] for group in GROUPS)
    diets = []
    for value, label in Dietary.choices:
        count = sum(summary.diets[value][group] for group in GROUPS)
        shown = _("Other diet (see below)") if value == Dietary.OTHER else str(label)
        diets.append({"value": value, "label": shown, "count": count})
    notes: Counter[str] = Counter()
    for note in summary.diet_notes:
        if note.is_seated_participant or note.is_accepted_guest:
            notes[" ".join(note.text.split())] += 1
    return {
        "meals": meals,
        "participants": summary.totals["accepted"],
        "guests": summary.totals["guests"],
        "diets": diets,
        "notes": sorted(notes.items(), key=lambda item: item[0].casefold()),
        "lunch_question": summary.lunch.question.display_label() if summary.lunch else "",
    }


def catering_pdf(event: Event, *, language: str) -> bytes:
    from django.utils import translation

    with translation.override(language):
        sheet = catering_sheet(event)
    return pdf.render_pdf(
        "checkin/documents/catering.html", {"facts": event_facts(event, language), "sheet": sheet}, language=language
    )
