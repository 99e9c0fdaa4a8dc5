"""Account codes, one place: `challenge:<id>:funding`, `challenge:<id>:escrow`,
`solver:<user>:payable:<CUR>`, `platform:fees:<CUR>`, `gateway:<name>:clearing:<CUR>`."""

from payouts.models import AccountPurpose


def subject_account(subject: str, purpose: str) -> tuple[str, str]:
    """`subject_account("challenge:12", "escrow")` -> ("challenge:12:escrow", "escrow")."""
    return f"{subject}:{purpose}", purpose


def fees_account(currency: str) -> tuple[str, str]:
    return f"platform:fees:{currency}", AccountPurpose.FEES


def clearing_account(gateway: str, currency: str) -> tuple[str, str]:
    return f"gateway:{gateway}:clearing:{currency}", AccountPurpose.CLEARING


def payable_account(user_id: int, currency: str) -> tuple[str, str]:
    """One per solver and currency: a winner may win prizes in several currencies."""
    return f"solver:{user_id}:payable:{currency}", AccountPurpose.PAYABLE
