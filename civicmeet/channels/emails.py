"""The emails to the author of a channel text when a moderator decides: one function per message.

Rendered in the author's language (the language of their representative row for the text's
organisation, else the language the text is written in) and queued in the decision's transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue
from civicmeet.organisations.models import Representative

from .models import AuthoredItem, Channel, ChannelExperience, ChannelProposal, GoodPractice


def author_language(item: AuthoredItem) -> str:
    languages = {code for code, _name in settings.LANGUAGES}
    if item.organisation_id is not None:
        language = (
            Representative.objects.filter(user=item.author, organisation_id=item.organisation_id)
            .values_list("language", flat=True)
            .first()
        )
        if language in languages:
            return language
    return item.language if item.language in languages else settings.LANGUAGE_CODE


def item_title(item: AuthoredItem) -> str:
    """What the text is, in a few words, in the active language."""
    if isinstance(item, Channel):
        return _("the office “%(name)s”") % {"name": item}
    if isinstance(item, ChannelProposal):
        return _("your proposed change of “%(name)s”") % {"name": item.channel}
    if isinstance(item, ChannelExperience):
        return _("your organisation's experience with “%(name)s”") % {"name": item.channel}
    if isinstance(item, GoodPractice):
        return _("the good-practice note “%(title)s”") % {"title": item.title}
    return str(item)


def item_public_url(item: AuthoredItem) -> str:
    if isinstance(item, Channel):
        return reverse("channels:detail", kwargs={"pk": item.pk})
    if isinstance(item, GoodPractice):
        return reverse("channels:practice_detail", kwargs={"pk": item.pk})
    return reverse("channels:detail", kwargs={"pk": item.channel_id})  # type: ignore[attr-defined]


def _render(kind: str, item: AuthoredItem, language: str) -> OutgoingEmail:
    with translation.override(language):
        url = item_public_url(item) if kind == "published" else reverse("channels:mine")
        context = {
            "what": item_title(item),
            "comment": item.moderator_comment,
            "url": settings.SITE_URL + url,
            "language": language,
        }
        subject = " ".join(render_to_string(f"channels/emails/item_{kind}_subject.txt", context).split())
        body_text = render_to_string(f"channels/emails/item_{kind}.txt", context)
        body_html = render_to_string(f"channels/emails/item_{kind}.html", context)
    return OutgoingEmail(
        kind=f"channels_item_{kind}",
        to=item.author.email,  # type: ignore[union-attr]
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )


def item_published_to_author(item: AuthoredItem) -> OutgoingEmail:
    return email_queue(_render("published", item, author_language(item)), subject=item)


def item_returned_to_author(item: AuthoredItem) -> OutgoingEmail:
    return email_queue(_render("returned", item, author_language(item)), subject=item)


def queue_to_author(item: AuthoredItem, *, kind: str, actor) -> OutgoingEmail | None:
    """Tell the author of the decision; nobody is emailed about their own decision."""
    author = item.author
    if author is None or not author.email or author.pk == getattr(actor, "pk", None):
        return None
    if kind == "published":
        return item_published_to_author(item)
    return item_returned_to_author(item)
