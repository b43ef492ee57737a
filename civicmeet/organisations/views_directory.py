"""The directory's pages: the list, an organisation's profile, its editing, and the moderators'
review of drafts. Views are thin: they load through selectors and permissions and call services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST, require_safe

from civicmeet.core.errors import DomainError

from . import services_profile
from .forms_profile import DirectoryFilterForm, OrganisationProfileForm, name_formset
from .jsonld import organisation_jsonld
from .languages import language_names
from .models import Community, Organisation, OrganisationStatus
from .permissions import is_moderator, is_network_member, may_edit_organisation, may_see
from .profile_sections import profile_sections
from .registry_numbers import display_nip
from .selectors import (
    DirectoryFilters,
    directory_list,
    organisation_display_name,
    organisation_profile_get,
    organisation_slug,
    review_queue,
)

PAGE_SIZE = 20
# json_script's escapes: nothing in the data can close the <script> element or open a comment.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def profile_url(organisation: Organisation) -> str:
    return reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})


def _optional_url(name: str) -> str | None:
    """A page another part of the network provides, if it is there yet."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def jsonld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> data block, escaped as json_script escapes."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)


def add_validation_errors(form, error: ValidationError) -> None:
    """A service's ValidationError next to the form's fields (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _card(organisation: Organisation, language: str) -> dict:
    return {
        "organisation": organisation,
        "name": organisation_display_name(organisation, language),
        "url": profile_url(organisation),
        "languages": language_names(organisation.working_languages or [], language),
    }


@require_safe
def directory_list_view(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    communities = list(Community.objects.all())
    form = DirectoryFilterForm(request.GET or None, communities=communities)
    filters = form.filters() if request.GET else DirectoryFilters()
    page = Paginator(directory_list(user=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/directory_list.html",
        {
            "form": form,
            "page_obj": page,
            "cards": [_card(organisation, language) for organisation in page.object_list],
            "filtered": any(vars(filters).values()),
            "search_url": _optional_url("directory:search"),
            "review_url": reverse("directory:review") if is_moderator(request.user) else None,
        },
    )


def _load_profile(request: HttpRequest, pk: int) -> Organisation:
    organisation = organisation_profile_get(pk=pk, user=request.user)
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def _description_language(organisation: Organisation, language: str) -> str:
    """The language the shown description is written in (Organisation.description's fallback)."""
    for code in (language, "pl", "en", "uk"):
        if getattr(organisation, f"description_{code}", ""):
            return code
    return language


@require_safe
def organisation_profile_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    organisation = _load_profile(request, pk)
    if slug != organisation_slug(organisation):
        return redirect(profile_url(organisation), permanent=True)
    language = get_language() or "en"
    user = request.user
    name = organisation_display_name(organisation, language)
    parent = getattr(organisation, "visible_parent", None)  # selectors.organisation_profile_get
    sections = [
        {"template": section.template, "context": context, "key": section.key}
        for section, context in profile_sections(organisation, user)
    ]
    return render(
        request,
        "organisations/profile.html",
        {
            "organisation": organisation,
            "name": name,
            "other_names": [variant for variant in organisation.names.all() if variant.name != name],
            "main_name_differs": organisation.name != name,
            "description": organisation.description(language),
            "description_lang": _description_language(organisation, language),
            "nip_display": display_nip(organisation.nip),
            "working_languages": language_names(organisation.working_languages or [], language),
            "show_contacts": may_see(user, visibility=organisation.contact_visibility, organisation_id=organisation.pk),
            "show_representatives": is_network_member(user),
            "parent": parent,
            "parent_name": organisation_display_name(parent, language) if parent else "",
            "parent_slug": organisation_slug(parent) if parent else "",
            "members": [_card(member, language) for member in getattr(organisation, "visible_members", [])],
            "sections": sections,
            "may_edit": may_edit_organisation(user, organisation),
            "is_moderator": is_moderator(user),
            "is_draft": organisation.status == OrganisationStatus.DRAFT,
            "jsonld": jsonld_script(organisation_jsonld(organisation=organisation, request=request, language=language))
            if organisation.status == OrganisationStatus.PUBLISHED
            else "",
        },
    )


class OrganisationEditView(LoginRequiredMixin, View):
    """The profile's sectioned form: approved representatives of the organisation and moderators.
    Others who may see the profile get 403; those who may not, 404."""

    template_name = "organisations/profile_edit.html"

    def get_organisation(self, request: HttpRequest, pk: int) -> Organisation:
        organisation = _load_profile(request, pk)
        if not may_edit_organisation(request.user, organisation):
            raise PermissionDenied
        return organisation

    def render_page(self, request, organisation, form, names) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "organisation": organisation,
                "name": organisation_display_name(organisation),
                "form": form,
                "names": names,
                "profile_url": profile_url(organisation),
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = self.get_organisation(request, pk)
        return self.render_page(
            request, organisation, OrganisationProfileForm(organisation=organisation), name_formset(organisation)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        organisation = self.get_organisation(request, pk)
        form = OrganisationProfileForm(request.POST, request.FILES, organisation=organisation)
        names = name_formset(organisation, request.POST)
        if form.is_valid() and names.is_valid():
            try:
                updated = services_profile.organisation_profile_update(
                    organisation=organisation,
                    actor=request.user,
                    data=form.profile_data(names.names_data()),
                    logo=form.logo_data(),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The profile was saved."))
                return redirect(profile_url(updated))
        return self.render_page(request, organisation, form, names)


@require_POST
def organisation_checked_view(request: HttpRequest, pk: int) -> HttpResponse:
    """ "The information is still correct": only the date it was last checked changes."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _load_profile(request, pk)
    try:
        services_profile.organisation_confirm_checked(organisation=organisation, actor=request.user)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    messages.success(request, _("Thank you: the profile now shows that its information was checked today."))
    return redirect(profile_url(organisation))


def _moderator_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_moderator(request.user):
        # Like the network's other moderation pages: nothing here for anyone else to know of.
        raise Http404("Not a moderator")
    return None


@require_safe
def review_queue_view(request: HttpRequest) -> HttpResponse:
    if (refusal := _moderator_only(request)) is not None:
        return refusal
    language = get_language() or "en"
    page = Paginator(review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/review.html",
        {
            "page_obj": page,
            "drafts": [
                {
                    **_card(organisation, language),
                    "registration_count": organisation.registration_count,
                    "duplicates_url": _duplicates_url(organisation),
                }
                for organisation in page.object_list
            ],
        },
    )


def _duplicates_url(organisation: Organisation) -> str | None:
    """The organisation's entry on the duplicates page (organisations/data/duplicates.html lists each
    draft with its likely duplicates under the anchor dup-<pk>)."""
    url = _optional_url("directory:duplicates")
    return f"{url}#dup-{organisation.pk}" if url else None


def _decide(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    if (refusal := _moderator_only(request)) is not None:
        return refusal
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise Http404("No such organisation")
    try:
        service(organisation=organisation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": organisation.name})
    target = request.POST.get("next", "")
    return redirect(target if target == reverse("directory:review") else profile_url(organisation))


@require_POST
def organisation_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services_profile.organisation_publish, _("%(name)s is now in the directory."))


@require_POST
def organisation_unpublish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        services_profile.organisation_unpublish,
        _("%(name)s was taken out of the directory, back to draft."),
    )
