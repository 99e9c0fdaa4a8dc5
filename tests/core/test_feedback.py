"""How a page shows a service's refusal: on the form it concerns, or as messages, with
the status a page answered again returns; anything else is not swallowed."""

import pytest
from django import forms
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.feedback import ServiceRefusal


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


@pytest.fixture
def form():
    form = NameForm({"name": "Ada"})
    assert form.is_valid()
    return form


def messages_of(request) -> list[str]:
    return [str(m) for m in request._messages]


def test_nothing_refused_leaves_the_page_alone(request_, form):
    with ServiceRefusal(request_, form) as refusal:
        done = True
    assert done and refusal.error is None and not refusal.on_form
    assert messages_of(request_) == [] and not form.errors


def test_a_validation_error_goes_on_the_fields_it_names_else_at_the_top(request_, form):
    error = ValidationError({"name": ["Taken."], "colour": ["Unknown colour."]})
    with ServiceRefusal(request_, form) as refusal:
        raise error
    assert refusal.error is error and refusal.on_form and refusal.status == 400
    assert form.errors == {"name": ["Taken."], "__all__": ["Unknown colour."]}
    assert messages_of(request_) == []


def test_without_a_form_each_text_is_a_message(request_):
    with ServiceRefusal(request_) as refusal:
        raise ValidationError(["Too short.", "Too plain."])
    assert not refusal.on_form and refusal.status == 400
    assert messages_of(request_) == ["Too short.", "Too plain."]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (IllegalTransition("Not while judging.", state="judging"), 409),
        (NotAllowed("Not while judging."), 403),
    ],
)
def test_a_refusal_of_the_step_is_a_message_even_with_a_form(request_, form, error, status):
    with ServiceRefusal(request_, form) as refusal:
        raise error
    assert refusal.error is error and not refusal.on_form and refusal.status == status
    assert messages_of(request_) == ["Not while judging."] and not form.errors


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (IllegalTransition("Not while judging.", state="judging"), 409),
        (NotAllowed("Not while judging."), 403),
        (ValidationError("Not while judging."), 400),
    ],
)
def test_whole_form_puts_every_refusal_on_the_form(request_, form, error, status):
    with ServiceRefusal(request_, form, whole_form=True) as refusal:
        raise error
    assert refusal.on_form and refusal.status == status
    assert form.errors == {"__all__": ["Not while judging."]} and messages_of(request_) == []


def test_other_errors_are_not_swallowed(request_, form):
    with pytest.raises(KeyError), ServiceRefusal(request_, form):
        raise KeyError("name")
    assert messages_of(request_) == [] and not form.errors
