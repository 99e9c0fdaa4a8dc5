"""Facts about an account that every domain's rules start from."""

from allauth.account.models import EmailAddress


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def has_verified_email(user, email: str) -> bool:
    """Whether the signed-in user proved they own the address (allauth's verification)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def has_any_verified_email(user) -> bool:
    """Whether the signed-in user proved they own at least one address."""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()
