"""The programmes part of the access matrix's world (tests/security/conftest.py).

The matrix fills `<slug:slug>` with our event's slug and `<int:pk>` with our participant's
registration id, so the world's programme and project take the event's slug and its offer that
id; the participants' sign-ups for it are reached with their registration tokens (the matrix
fills `<str:token>` with them). The project is run by our participants' organisation (a draft
no persona represents), so its team is the moderators (staff) alone: team pages are 404 to every
other signed-in persona. The representatives' own cases: civicmeet/programmes/tests/.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from civicmeet.accounts.models import hash_token
from civicmeet.programmes.models import (
    OfferSignUp,
    OfferStatus,
    Programme,
    Project,
    ProjectOffer,
    SignUpSource,
    SignUpStatus,
)


def programmes_world(world) -> None:
    slug = world.ours.slug
    programme = Programme.objects.create(slug=slug, name={"en": "Active Citizens – National Fund"})
    project = Project.objects.create(
        programme=programme,
        organisation_id=world.mine.organisation_id,
        slug=slug,
        title={"en": "Coalition of minority organisations"},
        short_name="KOMM",
    )
    starts = timezone.now() + timedelta(days=20)
    offer = ProjectOffer.objects.create(
        pk=world.mine.pk,
        project=project,
        title={"en": "Coalition training"},
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        city="Kraków",
        languages=["pl", "uk"],
        seats=10,
        status=OfferStatus.OPEN,
    )
    # An explicit id: let PostgreSQL's sequence move past it (SQLite needs nothing).
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ProjectOffer]):
            cursor.execute(sql)
    for registration, name in ((world.mine, "Mine Participant"), (world.theirs, "Theirs Participant")):
        OfferSignUp.objects.create(
            offer=offer,
            name=name,
            email=registration.email,
            language="en",
            status=SignUpStatus.SIGNED_UP,
            source=SignUpSource.DIRECT,
            token_hash=hash_token(registration.token),
        )


def programmes_fingerprint() -> tuple:
    """What a refused request must not change in programmes."""
    return (
        sorted(Programme.objects.values_list("slug", "name", "updated_at")),
        sorted(Project.objects.values_list("pk", "slug", "title", "visibility", "updated_at")),
        sorted(ProjectOffer.objects.values_list("pk", "title", "seats", "status", "updated_at")),
        sorted(OfferSignUp.objects.values_list("pk", "status", "email")),
    )
