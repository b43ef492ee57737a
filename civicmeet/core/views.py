from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 429 with a page that says what happened and what to do."""
    return render(request, "429.html", status=429)


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the web process answers (touches nothing else; also the benchmarks' bare view)."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the web process answers and its database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", content_type="text/plain", status=503)
    return HttpResponse("ok", content_type="text/plain")


def styleguide(request: HttpRequest) -> HttpResponse:
    """Every component of the design system in the current language (development only)."""
    from django.conf import settings
    from django.http import Http404
    from django.utils.translation import gettext

    from civicmeet.core import contrast
    from civicmeet.core.styleguide import SampleForm, sample_registrations

    if not settings.DEBUG:
        raise Http404
    sheet = contrast.read()
    swatches = [
        {"name": name, "token": f"--cm-{name}", "value": sheet.colour(f"--cm-{name}")}
        for name in ("page", "surface", "ink", "muted", "primary", "info", "success", "warning", "danger")
    ]
    context = {
        "swatches": swatches,
        "pairs": sheet.pairs(),
        "aa": contrast.AA_TEXT,
        "empty_form": SampleForm(prefix="empty"),
        "invalid_form": SampleForm(data={"name": "", "email": "not-an-email", "language": ""}),
        "registrations": sample_registrations(),
        "states": [
            ("submitted", gettext("Submitted — waiting for the organisers")),
            ("accepted", gettext("Accepted")),
            ("waitlisted", gettext("On the waiting list")),
            ("rejected", gettext("Not admitted")),
            ("cancelled", gettext("Cancelled")),
        ],
    }
    return render(request, "core/styleguide.html", context)
