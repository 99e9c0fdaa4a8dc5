"""Show a service's refusal to the user: as a message, or on the form it concerns.

A page runs its service call, and what it does on success, inside
`with ServiceRefusal(request, form) as refusal:`. A refusal raised there (one of
`SERVICE_ERRORS`) ends the block and is shown: a ValidationError goes on the form, if
the page has one, on the fields it names (else at the top); any other refusal becomes an
error message, one per text. With `whole_form`, every refusal goes on the form."""

from functools import singledispatch
from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from marketplace.core.errors import IllegalTransition, LimitReached, NotAllowed

SERVICE_ERRORS = (ValidationError, IllegalTransition, NotAllowed, LimitReached)


def refusal_texts(error: Exception) -> list[str]:
    """What a refusal says, one text each."""
    if isinstance(error, ValidationError):
        return error.messages
    if isinstance(error, IllegalTransition | LimitReached):
        return [error.message]
    return [str(error)]


@singledispatch
def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the
    top. A page made of several forms registers its own placement."""
    errors = (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    )
    for key, texts in errors.items():
        form.add_error(key if key in form.fields else None, texts)


class ServiceRefusal:
    """Catches a service's refusal raised in the `with` block and shows it (see the
    module's description). Afterwards `error` is the refusal (None if there was none),
    `on_form` says whether it went on the form, and `status` is what a page answered
    again with it returns: 400, 409 for a step the current state does not allow, 403
    for a role the user lacks, 429 for a limit reached."""

    def __init__(self, request, form=None, *, whole_form: bool = False):
        self.request = request
        self.form = form
        self.whole_form = whole_form
        self.error: Exception | None = None
        self.on_form = False

    def __enter__(self) -> "ServiceRefusal":
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if not isinstance(error, SERVICE_ERRORS):
            return False
        self.error = error
        self.on_form = self.form is not None and (
            self.whole_form or isinstance(error, ValidationError)
        )
        if not self.on_form:
            for text in refusal_texts(error):
                messages.error(self.request, text)
        elif isinstance(error, ValidationError):
            add_service_errors(self.form, error)
        else:
            self.form.add_error(None, refusal_texts(error))
        return True

    @property
    def status(self) -> int:
        if isinstance(self.error, IllegalTransition):
            return HTTPStatus.CONFLICT
        if isinstance(self.error, NotAllowed):
            return HTTPStatus.FORBIDDEN
        if isinstance(self.error, LimitReached):
            return HTTPStatus.TOO_MANY_REQUESTS
        return HTTPStatus.BAD_REQUEST
