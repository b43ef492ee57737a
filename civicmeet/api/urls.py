"""API v1: mounted at /api/v1/ (config/urls.py). Guide: docs/api.md."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.errors import ValidationErrorContext
from ninja.parser import Parser

from . import before, checkin, errors, events, manage, network, registrations, safety


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(Parser):
    """Standard JSON only: Python's parser also takes NaN and Infinity, which no database stores."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, parse_constant=_refuse_constant)


class CivicmeetAPI(NinjaAPI):
    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> NinjaValidationError:
        # One shape for every 422 (see errors.py), translated for the request's language.
        return NinjaValidationError(errors.pydantic_errors(error_contexts))


api = CivicmeetAPI(
    title="civicmeet API",
    version="1",
    description=(
        "Events, registrations and admission decisions, and the network's directory (read-only, "
        "`/api/v1/network/…`). Public endpoints need no authentication; "
        "organiser endpoints need `Authorization: Bearer <token>` "
        "(`python manage.py create_organiser EMAIL --api-token`). Times are ISO 8601 with their offset."
    ),
    urls_namespace="api",
    parser=StrictJSONParser(),
)
errors.install(api)
api.add_router("", events.router)
api.add_router("", registrations.router)
api.add_router("", safety.router)
api.add_router("", manage.router)
api.add_router("", network.router)
api.add_router("", checkin.router)
api.add_router("", before.router)
