"""Show a service's refusal to the user: as a message, or on the form it concerns."""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from marketplace.core.errors import IllegalTransition, NotAllowed

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


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    for key, texts in errors.items():
        form.add_error(key if key in form.fields else None, texts)
