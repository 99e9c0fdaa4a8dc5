"""Every API error has one JSON shape: a stable machine `code` and a readable `detail`,
plus `fields` (name -> messages) for invalid input and `state` for a refused lifecycle
step. Domain errors from the services are translated here, so views stay thin."""

from django.core.exceptions import (
    ObjectDoesNotExist,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from legal.services import StaleAgreement
from marketplace.core.api.parsers import body_too_large
from marketplace.core.errors import IllegalTransition, LimitReached

NON_FIELD = "non_field_errors"


def exception_handler(exc, context):
    if isinstance(exc, IllegalTransition):
        return Response(
            {"code": exc.code, "detail": exc.message, "state": exc.state},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, StaleAgreement):  # the hash sent is missing or not the text in force
        return Response(
            {
                "code": "stale_agreement",
                "detail": " ".join(exc.messages),
                "fields": exc.message_dict,
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, LimitReached):
        return Response(
            {"code": exc.code, "detail": exc.message, "retry_after": exc.retry_after},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(exc.retry_after)},
        )
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = _body(exc)
    return response


def _as_api_exception(exc):
    if isinstance(exc, RequestDataTooBig):  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE
        return body_too_large()
    if isinstance(exc, (TooManyFieldsSent, TooManyFilesSent)):  # DATA_UPLOAD_MAX_NUMBER_*
        return exceptions.ParseError(
            _("The request sends too many fields or files."), code="too_many_fields"
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({NON_FIELD: exc.messages})
    if isinstance(exc, (Http404, ObjectDoesNotExist)):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def _body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        general = fields.pop(NON_FIELD, [])
        detail = " ".join(general) or _("Some fields are not valid; see “fields”.")
        body = {"code": "invalid", "detail": detail}
        if fields:
            body["fields"] = fields
        return body
    code = getattr(exc.detail, "code", None) or exc.default_code
    if isinstance(exc, exceptions.Throttled):  # Retry-After says the same in the header
        return {
            "code": code,
            "detail": ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                exc.wait or 1,
            )
            % {"seconds": exc.wait or 1},
            "retry_after": exc.wait or 1,
        }
    return {"code": code, "detail": str(exc.detail)}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF nests errors like its data ({"requirements": [{}, {"weight": [...]}]}); a
    client wants one list of messages per field path ("requirements.1.weight")."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for path, messages in _flatten(value, name).items():
                out.setdefault(path, []).extend(messages)
        return out
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        out = {}
        for index, value in enumerate(detail):
            for path, messages in _flatten(value, f"{prefix}.{index}").items():
                out.setdefault(path, []).extend(messages)
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD: [str(m) for m in messages]}
