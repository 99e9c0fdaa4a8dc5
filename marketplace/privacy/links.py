"""The link e-mailed for an export: the request's id, signed, good for
settings.PERSONAL_DATA_LINK_DAYS days."""

from django.conf import settings
from django.core import signing

SALT = "marketplace.privacy.export"


class LinkExpired(Exception):
    """The link was genuine but is too old."""


def export_token(request_id: int) -> str:
    return signing.dumps(request_id, salt=SALT)


def export_request_id(token: str) -> int | None:
    """The export a token names; None if it was not made here. Raises LinkExpired when
    it is older than the link's life."""
    max_age = settings.PERSONAL_DATA_LINK_DAYS * 24 * 3600
    try:
        return int(signing.loads(token, salt=SALT, max_age=max_age))
    except signing.SignatureExpired:
        raise LinkExpired from None
    except (signing.BadSignature, TypeError, ValueError):
        return None
