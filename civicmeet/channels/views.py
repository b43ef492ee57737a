"""The channels' pages: thin views that load through channels.permissions and call one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_registration_view
from civicmeet.organisations.permissions import is_moderator

from . import selectors, services
from .forms import ChannelFilterForm, ChannelForm, DecisionForm, ExperienceForm, GoodPracticeForm, ProposalForm
from .models import AuthoredItem, Channel, ChannelExperience, ChannelProposal, GoodPractice, ItemStatus
from .permissions import is_own, may_edit, may_propose, may_view, may_write

PAGE_SIZE = 25

KINDS: dict[str, type[AuthoredItem]] = {
    "channel": Channel,
    "proposal": ChannelProposal,
    "experience": ChannelExperience,
    "practice": GoodPractice,
}
KIND_OF = {model: kind for kind, model in KINDS.items()}


def _item(kind: str, pk: int) -> AuthoredItem:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


Item = TypeVar("Item", bound=AuthoredItem)


def _visible(request: HttpRequest, item: Item) -> Item:
    if not may_view(request.user, item):
        raise Http404
    return item


def _not_allowed(request: HttpRequest) -> HttpResponse:
    return render(request, "channels/not_allowed.html", status=403)


def _form_errors(form, error: Exception) -> None:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(error, ValidationError):
        form.add_error(None, error.messages)
    else:
        form.add_error(None, error.message)  # type: ignore[attr-defined]


def _create_from_form(request: HttpRequest, form, *, create, detail: str, template: str) -> HttpResponse:
    """A new office or good-practice note from its form: saved as a draft or submitted for review,
    then shown; refused input comes back in the form, next to its fields."""
    if form.is_valid():
        submit = "submit" in request.POST
        try:
            item = create(
                actor=request.user,
                organisation=form.cleaned_data.get("organisation"),
                data=form.data_for_service(),
                submit=submit,
            )
        except (ValidationError, DomainError) as error:
            _form_errors(form, error)
        else:
            _after_save(request, item, submit)
            return redirect(detail, pk=item.pk)
    return render(request, template, {"form": form})


def _after_save(request: HttpRequest, item: AuthoredItem, submitted: bool) -> None:
    if item.status == ItemStatus.SUBMITTED and submitted:
        messages.success(request, _("Sent to the moderators. You will get an email when they decide."))
    else:
        messages.success(request, _("Saved."))


def item_url(item: AuthoredItem) -> str:
    from .emails import item_public_url

    return item_public_url(item)


# -- Public lists and pages ------------------------------------------------------------------------


class ChannelListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = ChannelFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        channels = selectors.channel_list(user=request.user, **filters)
        page = Paginator(channels, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "channels/channel_list.html",
            {"form": form, "page_obj": page, "may_write": may_write(request.user)},
        )


class ChannelDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = _visible(request, get_object_or_404(Channel, pk=pk))
        context = selectors.channel_page(channel=channel, user=request.user)
        context.update(
            channel=channel,
            may_edit=may_edit(request.user, channel),
            may_propose=may_propose(request.user, channel),
            may_write=may_write(request.user) and channel.status == ItemStatus.PUBLISHED,
            is_moderator=is_moderator(request.user),
            is_own=is_own(request.user, channel),
        )
        return render(request, "channels/channel_detail.html", context)


class GoodPracticeListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        practices = selectors.good_practice_list(user=request.user)
        page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "channels/practice_list.html", {"page_obj": page, "may_write": may_write(request.user)})


class GoodPracticeDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        practice = _visible(request, get_object_or_404(GoodPractice, pk=pk))
        return render(
            request,
            "channels/practice_detail.html",
            {
                "practice": practice,
                "channels": selectors.good_practice_channels(practice=practice, user=request.user),
                "may_edit": may_edit(request.user, practice),
                "is_moderator": is_moderator(request.user),
                "is_own": is_own(request.user, practice),
            },
        )


# -- Writing ---------------------------------------------------------------------------------------


class WriterMixin(LoginRequiredMixin):
    """Signed in; a representative or a moderator (others see why they cannot write)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_write(request.user):
            return _not_allowed(request)
        return super().dispatch(request, *args, **kwargs)


@limit_registration_view
class ChannelCreateView(WriterMixin, View):
    template = "channels/channel_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, {"form": ChannelForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ChannelForm(request.POST, user=request.user)
        return _create_from_form(
            request, form, create=services.channel_create, detail="channels:detail", template=self.template
        )


class ChannelEditView(LoginRequiredMixin, View):
    template = "channels/channel_form.html"

    def _channel(self, request: HttpRequest, pk: int) -> Channel | HttpResponse:
        channel = _visible(request, get_object_or_404(Channel, pk=pk))
        if may_edit(request.user, channel):
            return channel
        if may_propose(request.user, channel):
            return redirect("channels:propose", pk=channel.pk)
        return _not_allowed(request)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        if isinstance(channel, HttpResponse):
            return channel
        form = ChannelForm(instance=channel, user=request.user, with_organisation=False)
        return render(request, self.template, {"form": form, "channel": channel})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        if isinstance(channel, HttpResponse):
            return channel
        form = ChannelForm(
            request.POST, instance=Channel.objects.get(pk=channel.pk), user=request.user, with_organisation=False
        )
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.channel_update(
                    channel=channel, actor=request.user, data=form.data_for_service(), submit=submit
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                channel.refresh_from_db()
                _after_save(request, channel, submit)
                return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template, {"form": form, "channel": channel})


class ChannelProposeView(LoginRequiredMixin, View):
    template = "channels/channel_form.html"

    def _channel(self, request: HttpRequest, pk: int) -> Channel:
        channel = _visible(request, get_object_or_404(Channel, pk=pk))
        if channel.status != ItemStatus.PUBLISHED:
            raise Http404
        return channel

    def dispatch(self, request, *args, **kwargs):
        # An unknown office is 404 for everyone; a known one explains who may write (403).
        if request.user.is_authenticated:
            channel = self._channel(request, kwargs["pk"])
            if not may_propose(request.user, channel):
                return _not_allowed(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        form = ProposalForm(instance=channel, user=request.user)
        return render(request, self.template, {"form": form, "channel": channel, "proposing": True})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        form = ProposalForm(request.POST, instance=Channel.objects.get(pk=channel.pk), user=request.user)
        if form.is_valid():
            try:
                services.channel_propose(
                    channel=channel,
                    actor=request.user,
                    organisation=form.cleaned_data.get("organisation"),
                    data=form.data_for_service(),
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Your proposed change was sent to the moderators."))
                return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template, {"form": form, "channel": channel, "proposing": True})


class ExperienceCreateView(LoginRequiredMixin, View):
    template = "channels/experience_form.html"

    def _channel(self, request: HttpRequest, pk: int) -> Channel:
        channel = _visible(request, get_object_or_404(Channel, pk=pk))
        if channel.status != ItemStatus.PUBLISHED:
            raise Http404
        return channel

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self._channel(request, kwargs["pk"])  # an unknown office is 404 for everyone
            if not may_write(request.user):
                return _not_allowed(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        return render(request, self.template, {"form": ExperienceForm(user=request.user), "channel": channel})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        channel = self._channel(request, pk)
        form = ExperienceForm(request.POST, user=request.user)
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                experience = services.experience_create(
                    channel=channel,
                    actor=request.user,
                    organisation=form.cleaned_data.get("organisation"),
                    data=form.data_for_service(),
                    submit=submit,
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                _after_save(request, experience, submit)
                return redirect("channels:detail", pk=channel.pk)
        return render(request, self.template, {"form": form, "channel": channel})


class ExperienceEditView(LoginRequiredMixin, View):
    template = "channels/experience_form.html"

    def _experience(self, request: HttpRequest, pk: int) -> ChannelExperience:
        experience = _visible(request, get_object_or_404(ChannelExperience.objects.select_related("channel"), pk=pk))
        if not may_edit(request.user, experience):
            raise Http404
        return experience

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        experience = self._experience(request, pk)
        form = ExperienceForm(instance=experience, user=request.user, with_organisation=False)
        return render(request, self.template, {"form": form, "channel": experience.channel, "experience": experience})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        experience = self._experience(request, pk)
        form = ExperienceForm(
            request.POST, instance=ChannelExperience.objects.get(pk=pk), user=request.user, with_organisation=False
        )
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                experience = services.experience_update(
                    experience=experience, actor=request.user, data=form.data_for_service(), submit=submit
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                _after_save(request, experience, submit)
                return redirect("channels:detail", pk=experience.channel_id)
        return render(request, self.template, {"form": form, "channel": experience.channel, "experience": experience})


@limit_registration_view
class GoodPracticeCreateView(WriterMixin, View):
    template = "channels/practice_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"channels": [request.GET["channel"]]} if request.GET.get("channel", "").isdigit() else None
        return render(request, self.template, {"form": GoodPracticeForm(user=request.user, initial=initial)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GoodPracticeForm(request.POST, user=request.user)
        return _create_from_form(
            request,
            form,
            create=services.good_practice_create,
            detail="channels:practice_detail",
            template=self.template,
        )


class GoodPracticeEditView(LoginRequiredMixin, View):
    template = "channels/practice_form.html"

    def _practice(self, request: HttpRequest, pk: int) -> GoodPractice:
        practice = _visible(request, get_object_or_404(GoodPractice, pk=pk))
        if not may_edit(request.user, practice):
            raise Http404
        return practice

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        practice = self._practice(request, pk)
        form = GoodPracticeForm(instance=practice, user=request.user, with_organisation=False)
        return render(request, self.template, {"form": form, "practice": practice})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        practice = self._practice(request, pk)
        form = GoodPracticeForm(
            request.POST, instance=GoodPractice.objects.get(pk=pk), user=request.user, with_organisation=False
        )
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                practice = services.good_practice_update(
                    practice=practice, actor=request.user, data=form.data_for_service(), submit=submit
                )
            except (ValidationError, DomainError) as error:
                _form_errors(form, error)
            else:
                _after_save(request, practice, submit)
                return redirect("channels:practice_detail", pk=practice.pk)
        return render(request, self.template, {"form": form, "practice": practice})


# -- The author's texts, status changes, history ----------------------------------------------------


class MineView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "channels/mine.html", {"groups": selectors.own_texts(user=request.user)})


class ItemActionView(LoginRequiredMixin, View):
    """POST only: the author submits or takes back a text; a moderator archives or restores one."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
        item = _visible(request, _item(kind, pk))
        services_by_action: dict[str, Callable[..., Any]] = {
            "submit": services.item_submit,
            "withdraw": services.item_withdraw,
            "archive": services.item_archive,
            "restore": services.item_restore,
        }
        service = services_by_action.get(action)
        if service is None:
            raise Http404
        try:
            service(item=item, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                {
                    "submit": _("Sent to the moderators. You will get an email when they decide."),
                    "withdraw": _("Taken back: it is a draft again."),
                    "archive": _("Archived: it is no longer in the lists."),
                    "restore": _("Published again."),
                }[action],
            )
        if kind == "proposal" or not may_view(request.user, type(item)._default_manager.get(pk=item.pk)):
            return redirect("channels:mine")
        return redirect(item_url(item))


class HistoryView(View):
    def get(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        item = _visible(request, _item(kind, pk))
        show_people = is_moderator(request.user) or is_own(request.user, item)
        return render(
            request,
            "channels/history.html",
            {
                "item": item,
                "kind": kind,
                "title": selectors.item_heading(item),
                "back_url": item_url(item),
                "entries": selectors.revision_list(item=item),
                "show_people": show_people,
            },
        )


# -- Moderators --------------------------------------------------------------------------------------


class ModeratorMixin(LoginRequiredMixin):
    """The moderators' pages: login first, then 404 for everyone else (as the directory's review)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_moderator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ReviewQueueView(ModeratorMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "channels/review.html", {"groups": selectors.review_queue()})


class ReviewItemView(ModeratorMixin, View):
    template = "channels/review_item.html"

    def _context(self, item: AuthoredItem, kind: str, form: DecisionForm) -> dict[str, Any]:
        return {"item": item, "kind": kind, "form": form, **selectors.review_details(item=item)}

    def get(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        item = _item(kind, pk)
        return render(request, self.template, self._context(item, kind, DecisionForm()))

    def post(self, request: HttpRequest, kind: str, pk: int) -> HttpResponse:
        item = _item(kind, pk)
        form = DecisionForm(request.POST)
        decision = request.POST.get("decision")
        if form.is_valid() and decision in ("publish", "send_back"):
            comment = form.cleaned_data["comment"]
            try:
                if decision == "publish":
                    services.item_publish(item=item, actor=request.user, comment=comment)
                else:
                    services.item_send_back(item=item, actor=request.user, comment=comment)
            except DomainError as error:
                form.add_error("comment" if error.code == "comment_required" else None, error.message)
            else:
                messages.success(
                    request,
                    _("Published. The author has been told.")
                    if decision == "publish"
                    else _("Sent back to the author with your comment."),
                )
                return redirect("channels:review")
        elif form.is_valid():
            form.add_error(None, _("Choose: publish, or send back with a comment."))
        return render(request, self.template, self._context(item, kind, form))
