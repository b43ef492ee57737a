"""One shape for every error the API answers, in the language of the request.

- 4xx other than 422: ``{"detail": "<sentence>", "code": "<machine code>"}``.
- 422: ``{"detail": [{"field": "email", "message": "<sentence>", "code": "<machine code>"}]}``,
  for schema (pydantic) errors and for Django ValidationErrors raised by services alike.

Messages reuse Django's own wording where it has one, so they arrive translated from Django's
catalogues; the rest are ours.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationErrorContext
from ninja.errors import ValidationError as NinjaValidationError

from civicmeet.core.errors import ConflictError, DomainError, PermissionDeniedError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def field_name(loc: Sequence[Any]) -> str | None:
    """("body", "payload", "title", "pl") -> "title.pl"; ("query", "limit") -> "limit".

    The first item is where the value came from; for a body, the second one is the name of the
    view's parameter, which means nothing to a client.
    """
    parts = list(loc)
    source = parts.pop(0) if parts else None
    if source == "body" and parts:
        parts.pop(0)
    return ".".join(str(part) for part in parts) or None


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def pydantic_message(error: Mapping[str, Any]) -> str:
    """A translated sentence for one pydantic error (its English `msg` is the last resort)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_too_short":
        limit = ctx.get("min_length", 1)
        if limit <= 1:
            return _("This field is required.")
        shown = len(value) if isinstance(value, str) else 0
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": shown}
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        shown = len(value) if isinstance(value, str) else 0
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": shown}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == SLUG_PATTERN:
        return _("Enter a valid address: Latin letters (a–z), digits, hyphens or underscores.")
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return _("Enter a whole number.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("ge", ctx.get("gt"))
        }
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": ctx.get("le", ctx.get("lt"))
        }
    if kind in ("bool_type", "bool_parsing"):
        return _("Enter true or false.")
    if kind in ("enum", "literal_error"):
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {"value": _shown(value)}
    if kind in ("datetime_type", "datetime_parsing", "datetime_from_date_parsing", "datetime_object_invalid"):
        return _("Enter a valid date/time.")
    if kind == "timezone_aware":
        return _("Give the time with its offset from UTC, for example 2021-10-09T10:00:00+02:00.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Send a JSON object here.")
    if kind == "list_type":
        return _("Enter a list of values.")
    if kind == "extra_forbidden":
        return _("There is no such field.")
    if kind in ("string_type", "string_pattern_mismatch", "string_unicode"):
        return _("Enter a valid value.")
    # Our own validators raise PydanticCustomError with a message already translated.
    return str(error.get("msg", _("Enter a valid value.")))


def pydantic_errors(error_contexts: Iterable[ValidationErrorContext]) -> list[dict[str, Any]]:
    errors = []
    for context in error_contexts:
        source = context.model.__ninja_param_source__
        reverse_map = getattr(context.model, "__ninja_flatten_map_reverse__", {})
        for error in context.pydantic_validation_error.errors(include_url=False):
            loc = (source,) + tuple(reverse_map.get(error["loc"], error["loc"]))
            field = field_name(loc)
            if field is None and source == "body" and error["type"] == "missing":
                message = _("Send the data as a JSON object in the request body.")
            else:
                message = pydantic_message(error)
            errors.append({"field": field, "message": message, "code": error["type"]})
    return errors


def django_errors(error: DjangoValidationError, prefix: str = "") -> list[dict[str, Any]]:
    """Flatten a Django ValidationError (a dict of fields, or plain messages) for the 422 body."""
    if not hasattr(error, "error_dict"):
        return [{"field": None, "message": message, "code": "invalid"} for message in error.messages]
    errors = []
    for name, field_errors in error.error_dict.items():
        field = None if name == NON_FIELD_ERRORS else prefix + name
        for field_error in field_errors:
            for message in field_error.messages:
                errors.append({"field": field, "message": message, "code": field_error.code or "invalid"})
    return errors


def error_response(api: NinjaAPI, request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code}, status=status)


def install(api: NinjaAPI) -> None:
    """Register the handlers on the API (replacing django-ninja's defaults)."""

    @api.exception_handler(NinjaValidationError)
    def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": exc.errors}, status=422)

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": django_errors(exc)}, status=422)

    @api.exception_handler(DomainError)
    def _domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        if isinstance(exc, ConflictError):
            return error_response(api, request, 409, exc.message, exc.code)
        if isinstance(exc, PermissionDeniedError):
            return error_response(api, request, 403, exc.message, exc.code)
        detail = [{"field": None, "message": exc.message, "code": exc.code}]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, 404, _("Not found."), "not_found")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(
            api,
            request,
            401,
            _("Send a valid API token in the header “Authorization: Bearer <token>”."),
            "unauthorized",
        )
        response["WWW-Authenticate"] = 'Bearer realm="civicmeet"'
        return response

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        response = error_response(
            api,
            request,
            429,
            _("Too many attempts from your network in a short time. Please wait a few minutes and try again."),
            "rate_limited",
        )
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            return error_response(api, request, 400, _("The request body is not valid JSON."), "malformed_json")
        return error_response(api, request, exc.status_code, str(exc), "error")

    @api.exception_handler(RequestDataTooBig)
    def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return error_response(api, request, 413, _("The request body is too large."), "too_large")

    @api.exception_handler(SuspiciousOperation)
    def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return error_response(api, request, 400, _("The request could not be read."), "bad_request")

    @api.exception_handler(IntegrityError)
    def _integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A uniqueness race lost to a simultaneous request (the services check first, so this is
        # rare): the same answer the service's own check would have given, not a 500.
        logger.warning("API request lost a race: %s", exc)
        return error_response(
            api, request, 409, _("This conflicts with a change made at the same moment. Try again."), "conflict"
        )
