"""Staff pages answer 404 to everyone else: they do not reveal that they exist."""

from django.http import Http404

from marketplace.challenges import permissions


def require_staff(user) -> None:
    if not permissions.is_staff(user):
        raise Http404
