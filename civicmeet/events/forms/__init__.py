"""Organisers' forms: the event, its custom questions and its team.

Forms only validate and shape data for the services in events.services; they write nothing.
"""

from ..questions import MAX_OPTIONS
from .event import EventForm
from .fields import EventsForm, LocalDateTimeField, LocalizedField
from .questions import BaseQuestionFormSet, QuestionForm, QuestionFormSet
from .team import TeamInviteForm

__all__ = [
    "MAX_OPTIONS",
    "BaseQuestionFormSet",
    "EventForm",
    "EventsForm",
    "LocalDateTimeField",
    "LocalizedField",
    "QuestionForm",
    "QuestionFormSet",
    "TeamInviteForm",
]
