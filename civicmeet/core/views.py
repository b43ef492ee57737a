from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Answer 429 with a page that says what happened and what to do."""
    return render(request, "429.html", status=429)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
