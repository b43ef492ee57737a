"""Permissions-Policy: every page forbids the camera and the like; a view decorated with
`allow_features` allows a feature for this site only (the check-in desk's camera)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from civicmeet.core.middleware import SecurityHeadersMiddleware, allow_features, permissions_allowing


def test_allowing_a_feature_changes_only_that_feature():
    policy = "accelerometer=(), camera=(), geolocation=(), microphone=()"

    assert permissions_allowing(policy, ("camera",)) == "accelerometer=(), camera=(self), geolocation=(), microphone=()"
    assert permissions_allowing(policy, ()) == policy
    # A feature the policy does not name is added, for this site only.
    assert permissions_allowing("camera=()", ("fullscreen",)) == "camera=(), fullscreen=(self)"


@pytest.mark.parametrize("decorated", [False, True])
def test_the_middleware_allows_the_camera_only_for_a_decorated_view(decorated):
    def view(request):
        return HttpResponse("ok")

    if decorated:
        view = allow_features("camera")(view)
    middleware = SecurityHeadersMiddleware(view)

    response = middleware(RequestFactory().get("/en/somewhere/"))

    policy = response["Permissions-Policy"]
    assert ("camera=(self)" in policy) is decorated
    assert ("camera=()" in policy) is not decorated
    assert "microphone=()" in policy and "geolocation=()" in policy
    # The Content-Security-Policy stays the strict default either way.
    assert "blob:" not in response["Content-Security-Policy"]
    assert response["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self';")
    assert settings.PERMISSIONS_POLICY.count("camera=()") == 1
