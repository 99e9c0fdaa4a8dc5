"""Show a service's refusal to the user as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from ..errors import IllegalTransition, NotAllowed

SERVICE_ERRORS = (ValidationError, IllegalTransition, NotAllowed)


def report_error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        texts = error.messages
    elif isinstance(error, IllegalTransition):
        texts = [error.message]
    else:
        texts = [str(error)]
    for text in texts:
        messages.error(request, text)
