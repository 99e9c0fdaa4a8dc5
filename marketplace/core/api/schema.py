"""OpenAPI descriptions of the error bodies (see `errors.py`) and a helper that lists
the errors an operation can answer with."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

CHALLENGE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Challenge id."))
SUBMISSION_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Submission id."))
AWARD_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("Award id."))


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Stable machine-readable code, e.g. “not_found”."))
    detail = serializers.CharField(help_text=_("Readable message in the request's language."))


class InvalidSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=_("Messages per field; nested fields as “requirements.0.weight”."),
    )


class ConflictSerializer(ErrorSerializer):
    state = serializers.CharField(help_text=_("The challenge's current state."))


class LimitSerializer(ErrorSerializer):
    retry_after = serializers.IntegerField(help_text=_("Seconds to wait before trying again."))


_ERRORS = {
    400: OpenApiResponse(
        InvalidSerializer,
        description=_(
            "Invalid input (code “invalid”), or a body that cannot be read: not JSON "
            "(“parse_error”), not UTF-8 (“not_utf8”), nested too deeply (“too_deep”), too "
            "large (“too_large”) or a form with too many fields (“too_many_fields”)."
        ),
    ),
    401: OpenApiResponse(ErrorSerializer, description=_("Not signed in.")),
    403: OpenApiResponse(ErrorSerializer, description=_("The role needed is missing.")),
    404: OpenApiResponse(ErrorSerializer, description=_("Not found, or not visible to you.")),
    409: OpenApiResponse(
        ConflictSerializer,
        description=_(
            "Not possible in the current state: “illegal_transition”, "
            "“condition_failed”, “not_editable”, “not_open” or “not_answerable”."
        ),
    ),
    429: OpenApiResponse(
        LimitSerializer,
        description=_(
            "Too many requests (“throttled”) or a limit of the action reached; wait the "
            "seconds given in the Retry-After header and in “retry_after”."
        ),
    ),
}


def errors(*codes: int) -> dict:
    """Error responses for `extend_schema(responses=...)`."""
    return {code: _ERRORS[code] for code in codes}


def document_write_limits(result, generator, request, public):
    """Every operation that changes something may answer 429 (see `throttling.py`):
    say so wherever the operation does not already."""
    limit = {
        "description": str(_ERRORS[429].description),
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Limit"}}},
    }
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method in ("post", "put", "patch", "delete"):
                operation["responses"].setdefault("429", limit)
    return result
