"""The API's JSON parser: DRF's, with limits. Every request body of the API is one JSON
object in UTF-8, at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes and MAX_DEPTH levels deep;
anything else is refused with a 400 in the API's error shape before a view sees it.
(Form and multipart bodies are held to Django's own DATA_UPLOAD_* limits; `errors.py`
answers those refusals in the same shape.)"""

import json

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils.json import strict_constant

# An object holding a list of objects is three levels; no endpoint needs more than a few.
MAX_DEPTH = 32


def body_too_large() -> ParseError:
    return ParseError(
        _("The request body is larger than %(limit)s.")
        % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
        code="too_large",
    )


def _nesting_error() -> ParseError:
    return ParseError(
        _("The request body nests more than %(limit)d levels deep.") % {"limit": MAX_DEPTH},
        code="too_deep",
    )


def _too_deep(value, limit: int) -> bool:
    """Whether containers nest more than `limit` levels (the body itself is level 1)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in children:
            if isinstance(child, (dict, list)):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise body_too_large()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not UTF-8 text."), code="not_utf8") from None
        try:
            data = json.loads(text, parse_constant=strict_constant)
        except RecursionError:
            raise _nesting_error() from None
        except ValueError as exc:
            raise ParseError(
                _("The request body is not valid JSON: %(error)s") % {"error": exc}
            ) from None
        if isinstance(data, (dict, list)) and _too_deep(data, MAX_DEPTH):
            raise _nesting_error()
        if not isinstance(data, dict):
            # "invalid", as a serializer says of a body that is not an object
            raise ParseError(_("The request body must be a JSON object."), code="invalid")
        return data
