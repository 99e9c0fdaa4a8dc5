"""Staff pages answer 404 to everyone else: they do not reveal that they exist."""

from django.http import Http404

from marketplace.accounts.permissions import is_staff


def require_staff(user) -> None:
    if not is_staff(user):
        raise Http404
