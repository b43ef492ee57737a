"""Pages of activities, offers and needs: thin views over services, suggestions and contact.

Representatives sign in with a one-time link (accounts:signin_link). An item the reader may not see
answers 404, as does managing an organisation one does not represent.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.decorators import ratelimit

from civicmeet.core.errors import DomainError
from civicmeet.organisations.models import Organisation, OrganisationStatus
from civicmeet.organisations.permissions import (
    is_moderator,
    may_edit_organisation,
    may_see,
    represented_organisation_ids,
    visible_filter,
)

from . import contact, services
from .forms import ActivityForm, ContactForm, OffersFilterForm, ResourceForm
from .models import Activity, ContactRequest, ContactStatus, Direction, Resource
from .reasons import reasons_text
from .suggestions import current_filter, suggestion_dismiss, suggestions_for

PAGE_SIZE = 20


def _contact_rate(group, request) -> str | None:
    from django.conf import settings

    return "20/d" if settings.RATE_LIMITS_ENABLED else None


class SignInRequired(LoginRequiredMixin):
    login_url = "accounts:signin_link"


def _visible_resources(user):
    today = timezone.localdate()
    return Resource.objects.filter(current_filter(today), organisation__status=OrganisationStatus.PUBLISHED).filter(
        visible_filter(user)
    )


def _with_organisation_visibility(user):
    """The organisation's profile must be visible too (a private profile hides its items)."""
    return visible_filter(user, organisation_field="organisation", visibility_field="organisation__visibility")


def _resource_for_reader(request: HttpRequest, pk: int) -> Resource:
    resource = get_object_or_404(Resource.objects.select_related("organisation"), pk=pk)
    organisation = resource.organisation
    own = may_edit_organisation(request.user, organisation)
    visible = (
        organisation.status == OrganisationStatus.PUBLISHED
        and resource.is_current()
        and may_see(request.user, visibility=resource.visibility, organisation_id=organisation.pk)
        and may_see(request.user, visibility=organisation.visibility, organisation_id=organisation.pk)
    )
    if not (own or visible):
        raise Http404
    return resource


class OfferListView(View):
    """The public list of offers and needs with filters (category, direction, region, language)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = OffersFilterForm(request.GET or None)
        resources = (
            _visible_resources(request.user)
            .filter(_with_organisation_visibility(request.user))
            .select_related("organisation")
            .order_by("-updated_at", "-id")
        )
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            for name in ("direction", "category", "region"):
                if data.get(name):
                    resources = resources.filter(**{name: data[name]})
            if data.get("language"):
                # Items in no particular language fit every reader.
                # (JSON "contains" is PostgreSQL-only: the quoted code is looked for in the list's text.)
                resources = resources.filter(Q(languages__icontains=f'"{data["language"]}"') | Q(languages=[]))
        page = Paginator(resources, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "resources/offer_list.html",
            {
                "form": form,
                "page_obj": page,
                "resources": page.object_list,
                "own_ids": represented_organisation_ids(request.user),
            },
        )


class ResourceDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        resource = _resource_for_reader(request, pk)
        own_ids = represented_organisation_ids(request.user)
        return render(
            request,
            "resources/resource_detail.html",
            {
                "resource": resource,
                "may_edit": may_edit_organisation(request.user, resource.organisation),
                "own_ids": own_ids,
                "is_representative": bool(own_ids),
            },
        )


class ActivityDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        activity = get_object_or_404(Activity.objects.select_related("organisation"), pk=pk)
        organisation = activity.organisation
        visible = (
            organisation.status == OrganisationStatus.PUBLISHED
            and may_see(request.user, visibility=activity.visibility, organisation_id=organisation.pk)
            and may_see(request.user, visibility=organisation.visibility, organisation_id=organisation.pk)
        )
        if not (visible or may_edit_organisation(request.user, organisation)):
            raise Http404
        return render(
            request,
            "resources/activity_detail.html",
            {"activity": activity, "may_edit": may_edit_organisation(request.user, organisation)},
        )


def _editable_organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not may_edit_organisation(request.user, organisation):
        raise Http404
    return organisation


class ManageView(SignInRequired, View):
    """An organisation's activities, offers and needs, for its representatives (and moderators)."""

    def get(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        organisation = _editable_organisation(request, organisation_pk)
        resources = list(organisation.resources.order_by("direction", "-updated_at"))
        return render(
            request,
            "resources/manage.html",
            {
                "organisation": organisation,
                "activities": list(organisation.activities.order_by("starts_on", "id")),
                "offers": [r for r in resources if r.direction == Direction.OFFER],
                "needs": [r for r in resources if r.direction == Direction.NEED],
            },
        )


class MyItemsView(SignInRequired, View):
    """The signed-in representative's way in: their organisation's page (or a choice of them)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        ids = sorted(represented_organisation_ids(request.user))
        if len(ids) == 1:
            return redirect("resources:manage", organisation_pk=ids[0])
        organisations = Organisation.objects.filter(pk__in=ids)
        return render(request, "resources/choose_organisation.html", {"organisations": organisations})


class _ItemFormView(SignInRequired, View):
    form_class: type = ResourceForm
    template = "resources/resource_form.html"
    kind = "resource"

    def render_form(self, request, form, organisation, item=None, status=200):
        return render(
            request,
            self.template,
            {"form": form, "organisation": organisation, "item": item, "kind": self.kind},
            status=status,
        )

    def save(self, request, form, organisation, item):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        for name in ("description", "city"):
            if name in data and data[name] is None:
                data[name] = ""
        saved: Resource | Activity
        try:
            if self.kind == "resource":
                if item is None:
                    saved = services.resource_create(organisation=organisation, actor=request.user, data=data)
                else:
                    saved = services.resource_update(resource=item, actor=request.user, data=data)
            elif item is None:
                saved = services.activity_create(organisation=organisation, actor=request.user, data=data)
            else:
                saved = services.activity_update(activity=item, actor=request.user, data=data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(request, form, organisation, item, status=400)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_form(request, form, organisation, item, status=400)
        messages.success(request, _("Saved."))
        return redirect("resources:manage", organisation_pk=saved.organisation_id)


class ResourceCreateView(_ItemFormView):
    def get(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        organisation = _editable_organisation(request, organisation_pk)
        direction = request.GET.get("direction")
        initial = {
            "direction": direction if direction in Direction.values else Direction.OFFER,
            "language": translation.get_language(),
            "region": organisation.region,
            "city": organisation.city,
            "active": True,
        }
        return self.render_form(request, self.form_class(initial=initial), organisation)

    def post(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        organisation = _editable_organisation(request, organisation_pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, organisation, status=400)
        return self.save(request, form, organisation, None)


class ResourceEditView(_ItemFormView):
    def item(self, request, pk):
        item = get_object_or_404(Resource.objects.select_related("organisation"), pk=pk)
        if not may_edit_organisation(request.user, item.organisation):
            raise Http404
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(request, pk)
        return self.render_form(request, self.form_class(instance=item), item.organisation, item)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(request, pk)
        form = self.form_class(request.POST, instance=self.item(request, pk))
        if not form.is_valid():
            return self.render_form(request, form, item.organisation, item, status=400)
        return self.save(request, form, item.organisation, item)


class ActivityCreateView(ResourceCreateView):
    form_class = ActivityForm
    template = "resources/activity_form.html"
    kind = "activity"

    def get(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        organisation = _editable_organisation(request, organisation_pk)
        form = self.form_class(initial={"language": translation.get_language()})
        return self.render_form(request, form, organisation)


class ActivityEditView(ResourceEditView):
    form_class = ActivityForm
    template = "resources/activity_form.html"
    kind = "activity"

    def item(self, request, pk):
        item = get_object_or_404(Activity.objects.select_related("organisation"), pk=pk)
        if not may_edit_organisation(request.user, item.organisation):
            raise Http404
        return item


class _DeleteView(SignInRequired, View):
    model: Any = Resource

    def item(self, request, pk):
        item = get_object_or_404(self.model.objects.select_related("organisation"), pk=pk)
        if not may_edit_organisation(request.user, item.organisation):
            raise Http404
        return item

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "resources/delete.html", {"item": self.item(request, pk)})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.item(request, pk)
        if self.model is Resource:
            services.resource_delete(resource=item, actor=request.user)
        else:
            services.activity_delete(activity=item, actor=request.user)
        messages.success(request, _("Deleted: %(title)s.") % {"title": item.title})
        return redirect("resources:manage", organisation_pk=item.organisation_id)


class ResourceDeleteView(_DeleteView):
    model = Resource


class ActivityDeleteView(_DeleteView):
    model = Activity


def _reader_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation whose suggestions are shown: ?organisation=, else the first one represented."""
    ids = represented_organisation_ids(request.user)
    wanted = request.GET.get("organisation") or request.POST.get("organisation")
    if wanted and wanted.isdigit() and (int(wanted) in ids or is_moderator(request.user)):
        return Organisation.objects.filter(pk=int(wanted)).first()
    if not ids:
        return None
    return Organisation.objects.filter(pk__in=ids).order_by("name").first()


class SuggestionsView(SignInRequired, View):
    """'Suggested for you': the offers and needs that fit the organisation's, with the reasons."""

    def get(self, request: HttpRequest) -> HttpResponse:
        organisation = _reader_organisation(request)
        if organisation is None:
            return render(request, "resources/suggestions.html", {"organisation": None, "suggestions": []})
        suggestions = suggestions_for(organisation=organisation, user=request.user)
        pending = set(
            ContactRequest.objects.filter(
                Q(from_organisation=organisation) | Q(to_organisation=organisation), status=ContactStatus.PENDING
            ).values_list("offer_id", "need_id")
        )
        rows = [
            {
                "view": view,
                "reasons": reasons_text(view.fit.reasons, reader_organisation_id=organisation.pk),
                "pending": (view.fit.offer_id, view.fit.need_id) in pending,
            }
            for view in suggestions
        ]
        others = Organisation.objects.filter(pk__in=represented_organisation_ids(request.user)).exclude(
            pk=organisation.pk
        )
        return render(
            request,
            "resources/suggestions.html",
            {"organisation": organisation, "suggestions": rows, "other_organisations": list(others)},
        )


class SuggestionDismissView(SignInRequired, View):
    def post(self, request: HttpRequest, offer_pk: int, need_pk: int) -> HttpResponse:
        offer = get_object_or_404(Resource, pk=offer_pk, direction=Direction.OFFER)
        need = get_object_or_404(Resource, pk=need_pk, direction=Direction.NEED)
        organisation = _reader_organisation(request)
        if organisation is None:
            raise Http404
        try:
            suggestion_dismiss(user=request.user, offer=offer, need=need, by=organisation)
        except DomainError:
            raise Http404 from None
        messages.success(request, _("This suggestion will not be shown again."))
        return redirect(reverse("resources:suggestions") + f"?organisation={organisation.pk}")


@method_decorator(
    ratelimit(group="resources_contact", key="user_or_ip", rate=_contact_rate, method="POST", block=True), name="post"
)
class ContactView(SignInRequired, View):
    """'Contact them': a short message to the other side of a suggested pair."""

    def pair(self, request, offer_pk, need_pk):
        offer = _resource_for_reader(request, offer_pk)
        need = _resource_for_reader(request, need_pk)
        if offer.direction != Direction.OFFER or need.direction != Direction.NEED:
            raise Http404
        own = represented_organisation_ids(request.user)
        if offer.organisation_id in own and need.organisation_id not in own:
            theirs = need
        elif need.organisation_id in own and offer.organisation_id not in own:
            theirs = offer
        else:
            raise Http404
        return offer, need, theirs

    def render_form(self, request, form, offer, need, theirs, status=200):
        return render(
            request,
            "resources/contact.html",
            {"form": form, "offer": offer, "need": need, "theirs": theirs},
            status=status,
        )

    def get(self, request: HttpRequest, offer_pk: int, need_pk: int) -> HttpResponse:
        offer, need, theirs = self.pair(request, offer_pk, need_pk)
        return self.render_form(request, ContactForm(), offer, need, theirs)

    def post(self, request: HttpRequest, offer_pk: int, need_pk: int) -> HttpResponse:
        offer, need, theirs = self.pair(request, offer_pk, need_pk)
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, offer, need, theirs, status=400)
        try:
            contact.contact_request_send(
                user=request.user,
                offer=offer,
                need=need,
                message=form.cleaned_data["message"],
                language=translation.get_language() or "pl",
            )
        except DomainError as error:
            form.add_error("message" if error.code == "message" else None, error.message)
            return self.render_form(request, form, offer, need, theirs, status=400)
        messages.success(
            request,
            _("Your message was sent to %(organisation)s. You will get an email when they answer.")
            % {"organisation": theirs.organisation.name},
        )
        mine = need if theirs is offer else offer
        return redirect(reverse("resources:suggestions") + f"?organisation={mine.organisation_id}")


class ContactAnswerView(View):
    """The asked representative's page from their link: shows the request; answers only by POST."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            recipient = contact.contact_recipient_get(token=token)
        except DomainError:
            raise Http404 from None
        return render(request, "resources/contact_answer.html", {"contact": recipient.request, "token": token})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            contact.contact_recipient_get(token=token)
        except DomainError:
            raise Http404 from None
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Choose whether to accept or decline."))
            return redirect("resources:contact_answer", token=token)
        try:
            contact.contact_request_answer(token=token, accept=answer == "accept")
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("resources:contact_answer", token=token)
        if answer == "accept":
            messages.success(request, _("Accepted. You both got an email with each other's contact."))
        else:
            messages.success(request, _("Declined. They were told politely."))
        return redirect("resources:contact_answer", token=token)


class ContactRequestView(SignInRequired, View):
    """A contact request for the signed-in representatives of either side (answered by the asked)."""

    def load(self, request, pk):
        found = get_object_or_404(
            ContactRequest.objects.select_related("from_organisation", "to_organisation", "offer", "need"), pk=pk
        )
        own = represented_organisation_ids(request.user)
        if found.to_organisation_id not in own and found.from_organisation_id not in own:
            raise Http404
        return found

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = self.load(request, pk)
        may_answer = found.to_organisation_id in represented_organisation_ids(request.user)
        return render(request, "resources/contact_answer.html", {"contact": found, "may_answer": may_answer})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        found = self.load(request, pk)
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Choose whether to accept or decline."))
            return redirect("resources:contact_request", pk=pk)
        try:
            contact.contact_request_answer(request=found, user=request.user, accept=answer == "accept")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your answer was sent."))
        return redirect("resources:contact_request", pk=pk)
