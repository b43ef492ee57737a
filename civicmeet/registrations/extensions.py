"""Hooks through which the apps above registrations add to its pages and emails.

registrations cannot import the apps built on it (civicmeet/layers.py); they register here, in
their AppConfig.ready(), and registrations calls what was registered:

- `register_ticket_provider(provider)`: `provider(registration) -> dict | None`, the context of
  the ticket area of the personal page (`participant/_ticket.html` receives it as `ticket`); the
  first provider answering something other than None wins. checkin gives the QR code.
- `register_email_extra(provider)`: `provider(kind, registration) -> EmailExtra | None`, more
  context and attachments for an email about a registration (`kind` is the email's template name,
  e.g. "registration_accepted"); every provider's extra is merged, in registration order. checkin
  adds the ticket to the acceptance email and the reminder.
- `register_personal_links(provider)`: `provider(registration) -> list[dict(label, url)]`, links
  shown on the personal page under "Your documents" (every provider's, in registration order).
  checkin gives the ticket as a PDF and, after the event, the certificate of attendance.
- `register_event_links(provider)`: `provider(user, events) -> {event_id: [dict(label, url)]}`,
  more links per event on "My events" (`manage/event_list.html`), computed for the whole list at
  once (a constant number of queries, however many events); every provider's, in registration
  order. checkin gives the desk: always to a desk member, to organisers on the day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class EmailExtra:
    context: dict[str, Any] = field(default_factory=dict)
    # Outbox attachments: {"filename", "mimetype", "content"} (text) or {"filename", "mimetype",
    # "content_base64"} (binary, e.g. a PNG).
    attachments: list[dict[str, str]] = field(default_factory=list)


TicketProvider = Callable[[Any], "dict[str, Any] | None"]
EmailExtraProvider = Callable[[str, Any], "EmailExtra | None"]

PersonalLinksProvider = Callable[[Any], "list[dict[str, str]]"]
EventLinksProvider = Callable[[Any, "list[Any]"], "dict[int, list[dict[str, str]]]"]

_ticket_providers: list[TicketProvider] = []
_email_extras: list[EmailExtraProvider] = []
_personal_links: list[PersonalLinksProvider] = []
_event_links: list[EventLinksProvider] = []


def register_ticket_provider(provider: TicketProvider) -> TicketProvider:
    if provider not in _ticket_providers:
        _ticket_providers.append(provider)
    return provider


def register_email_extra(provider: EmailExtraProvider) -> EmailExtraProvider:
    if provider not in _email_extras:
        _email_extras.append(provider)
    return provider


def register_personal_links(provider: PersonalLinksProvider) -> PersonalLinksProvider:
    if provider not in _personal_links:
        _personal_links.append(provider)
    return provider


def register_event_links(provider: EventLinksProvider) -> EventLinksProvider:
    if provider not in _event_links:
        _event_links.append(provider)
    return provider


def event_links(user, events: list) -> dict[int, list[dict[str, str]]]:
    """The links every provider adds to each of `events` for `user` ({event id: links})."""
    merged: dict[int, list[dict[str, str]]] = {}
    if not events:
        return merged
    for provider in _event_links:
        for event_id, links in provider(user, events).items():
            merged.setdefault(event_id, []).extend(links)
    return merged


def personal_links(registration) -> list[dict[str, str]]:
    return [link for provider in _personal_links for link in provider(registration)]


def ticket_context(registration) -> dict[str, Any] | None:
    for provider in _ticket_providers:
        context = provider(registration)
        if context is not None:
            return context
    return None


def email_extra(kind: str, registration) -> EmailExtra:
    merged = EmailExtra()
    for provider in _email_extras:
        extra = provider(kind, registration)
        if extra is not None:
            merged.context.update(extra.context)
            merged.attachments.extend(extra.attachments)
    return merged
