"""What the Seeker pages share: who may see a challenge here, and where to go back to."""

from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_editor, is_member
from marketplace.challenges.selectors import challenge_for_user


def challenge_for_seeker(user, pk: int) -> Challenge:
    """The challenge if the user belongs to its organisation or is staff; 404 otherwise,
    even for a published challenge (its public page is elsewhere)."""
    challenge = challenge_for_user(user, pk)
    if not (is_member(user, challenge) or is_staff(user)):
        raise Http404
    return challenge


def editable_challenge(user, pk: int) -> Challenge:
    """The challenge if the user owns or manages its organisation; 404 otherwise."""
    challenge = challenge_for_user(user, pk)
    if not is_editor(user, challenge):
        raise Http404
    return challenge


def next_url(request, default) -> str:
    """The POSTed `next` if it points back into this site, else `default` (a URL name or path)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
