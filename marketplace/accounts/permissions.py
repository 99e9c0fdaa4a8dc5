"""Facts about an account that every domain's rules start from."""


def is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
