"""Reads of programmes, projects, offers and sign-ups for the pages and exports (a constant
number of queries whatever they hold)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import OfferSignUp, OfferStatus, Programme, Project, ProjectOffer, SignUpStatus
from .permissions import visible_offers_filter, visible_projects_filter


def _with_seats(offers: QuerySet[ProjectOffer]) -> QuerySet[ProjectOffer]:
    return offers.annotate(taken=Count("signups", filter=Q(signups__status=SignUpStatus.SIGNED_UP)))


def seats_left(offer: ProjectOffer) -> int | None:
    """Seats still free (None: no limit), from the `taken` annotation of the selectors."""
    if offer.seats is None:
        return None
    return max(offer.seats - getattr(offer, "taken", 0), 0)


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.order_by("slug")


def project_list(user, *, programme: Programme | None = None, organisation_id: int | None = None) -> QuerySet[Project]:
    projects = Project.objects.filter(visible_projects_filter(user)).select_related("organisation", "programme")
    if programme is not None:
        projects = projects.filter(programme=programme)
    if organisation_id is not None:
        projects = projects.filter(Q(organisation_id=organisation_id) | Q(partners__id=organisation_id)).distinct()
    return projects.prefetch_related("partners").order_by("short_name", "slug")


def offer_list(user, *, project: Project) -> QuerySet[ProjectOffer]:
    offers = ProjectOffer.objects.filter(project=project).filter(visible_offers_filter(user))
    return _with_seats(offers).exclude(status=OfferStatus.CANCELLED).order_by("starts_at", "pk")


def offer_get(pk: int) -> ProjectOffer | None:
    return (
        _with_seats(ProjectOffer.objects.filter(pk=pk))
        .select_related("project__organisation", "project__programme")
        .first()
    )


def signup_list(offer: ProjectOffer) -> QuerySet[OfferSignUp]:
    """The offer's sign-ups for its team: seats first, then the waiting list, interests, cancelled."""
    return offer.signups.select_related("organisation").order_by("created_at", "pk")


def interests_of_registration(registration_id: int) -> list[OfferSignUp]:
    """The interests a registration ticked, for the participant's personal page."""
    return list(
        OfferSignUp.objects.filter(registration_id=registration_id)
        .select_related("offer__project")
        .order_by("offer__project__short_name", "offer_id")
    )


def project_with_offers(user, project: Project) -> Project:
    return Project.objects.prefetch_related(
        "partners", Prefetch("offers", queryset=offer_list(user, project=project), to_attr="visible_offers")
    ).get(pk=project.pk)


def organisation_projects(organisation, user) -> list[Project]:
    """The projects `organisation` runs or is a partner of that `user` may see, each with its open
    offers `user` may see (`open_offers`, seats counted) — two queries whatever they hold."""
    now = timezone.now()
    offers = (
        _with_seats(ProjectOffer.objects.filter(visible_offers_filter(user)))
        .filter(status=OfferStatus.OPEN)
        .filter(Q(signup_until__isnull=True) | Q(signup_until__gte=now))
        .order_by("starts_at", "pk")
    )
    return list(
        Project.objects.filter(visible_projects_filter(user))
        .filter(Q(organisation=organisation) | Q(partners=organisation))
        .distinct()
        .select_related("programme")
        .prefetch_related(Prefetch("offers", queryset=offers, to_attr="open_offers"))
        .order_by("short_name", "slug")
    )
