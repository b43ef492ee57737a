"""Property-based fuzzing of the whole API from its OpenAPI schema (schemathesis).

In-process: the cases go to Django's WSGI application through schemathesis's WSGI transport (no
socket, no network). Bounded and deterministic: `derandomize=True` fixes the seed, a few dozen
examples per operation in positive and negative (schema-violating) modes, no example database.
Each case may use the real event, the real registration token and a real organiser token, so the
fuzzer reaches the handlers, not only the 404s and 401s. Checks: no 5xx, and every response
conforms to the schema (status code, content type, headers, body).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicmeet.api.urls import api

from .matrix_tools import api_operations

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 40}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    """Django's WSGI app, in this thread and this test's transaction. Like Django's test client,
    it must not close the database connection when a request starts or finishes."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def schema():
    return schemathesis.openapi.from_dict(api.get_openapi_schema())


def _negatable(method: str, path: str) -> bool:
    """Negative cases need a body or query parameters to break: a path parameter that is any
    string cannot be made invalid (the positive runs already send arbitrary strings there)."""
    operation = api.get_openapi_schema()["paths"][path][method.lower()]
    return "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", []))


CASES = [(method, path, GenerationMode.POSITIVE) for method, path in api_operations()] + [
    (method, path, GenerationMode.NEGATIVE) for method, path in api_operations() if _negatable(method, path)
]


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {g.value}" for m, p, g in CASES])
def test_api_operation_never_fails_and_keeps_to_its_schema(world, schema, wsgi_app, method, path, mode):
    operation = schema[path][method]
    organiser_token = world.api_tokens["organiser"]
    real = {
        "slug": world.ours.slug,
        "token": world.mine.token,
        "registration_id": world.theirs.pk,
        "member_id": world.desk_member_id,
    }
    # Negative cases break the body or the query; their path goes to the real objects.
    fixed_path = {name: value for name, value in real.items() if "{" + name + "}" in path}
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=fixed_path if mode == GenerationMode.NEGATIVE else None
    )

    @hypothesis_settings(
        max_examples=MAX_EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, use_real=st.booleans(), authorised=st.booleans())
    def check(case, use_real, authorised):
        if use_real and case.path_parameters:
            for name in list(case.path_parameters):
                if name in real:
                    case.path_parameters[name] = real[name]
        headers = {"Authorization": f"Bearer {organiser_token}"} if authorised else {}
        response = case.call(app=wsgi_app, headers=headers)
        case.validate_response(response, checks=CHECKS)

    check()


def test_operations_with_a_body_declare_the_malformed_json_answer():
    paths = api.get_openapi_schema()["paths"]
    undocumented = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if "requestBody" in operation and "400" not in {str(code) for code in operation["responses"]}
    ]
    assert undocumented == []
