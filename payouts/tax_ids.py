"""Tax identification numbers: their shapes, and their encryption at rest with Fernet
(AES-128-CBC with HMAC-SHA256). The key is `settings.TAX_ID_KEY`, or one derived from
`SECRET_KEY` when that is empty. Only the last four characters are ever shown again."""

import base64
import re

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

US_TIN = re.compile(r"\d(?:-?\d){8}")  # an SSN, EIN or ITIN: nine digits, dashes allowed
FOREIGN_TIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ./-]{0,28}[A-Za-z0-9])?")


def us_tin_digits(raw: str) -> str | None:
    """The nine digits of "123-45-6789" or "12-3456789"; None if it is not nine digits."""
    text = raw.strip()
    return text.replace("-", "") if US_TIN.fullmatch(text) else None


def foreign_tin_clean(raw: str) -> str | None:
    """A foreign tax number as written (letters, digits, spaces, dots, slashes, dashes;
    at most 30 characters), or None if it cannot be one."""
    text = raw.strip()
    return text if FOREIGN_TIN.fullmatch(text) else None


def tax_number_last4(number: str) -> str:
    return "".join(ch for ch in number if ch.isalnum())[-4:]


def tax_number_masked(last4: str) -> str:
    return f"•••• {last4}" if last4 else ""


def _fernet() -> Fernet:
    key = settings.TAX_ID_KEY
    if not key:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"payouts.tax_ids"
        ).derive(settings.SECRET_KEY.encode())
        key = base64.urlsafe_b64encode(derived)
    return Fernet(key)


def tax_number_encrypt(number: str) -> str:
    return _fernet().encrypt(number.encode()).decode()


def tax_number_decrypt(token: str) -> str:
    """Raises cryptography.fernet.InvalidToken if the key is not the one it was made with."""
    return _fernet().decrypt(token.encode()).decode()
