"""What Stripe's requirement and disabled-reason codes for a connected account mean, in
words a winner understands. A code not listed here is shown as Stripe wrote it."""

from django.utils.translation import gettext_lazy as _

# The start of a requirement code (Stripe's field path) and what it asks for.
REQUIREMENTS = [
    ("external_account", _("a bank account to pay the money into")),
    ("individual.verification", _("an identity document")),
    ("individual.id_number", _("your tax or national identity number")),
    ("individual.ssn_last_4", _("the last four digits of your social security number")),
    ("individual.dob", _("your date of birth")),
    ("individual.address", _("your address")),
    ("individual", _("your personal details")),
    ("business_profile", _("what you do (business profile)")),
    ("tos_acceptance", _("acceptance of Stripe's terms")),
    ("company", _("your company's details")),
]

DISABLED_REASONS = {
    "requirements.past_due": _("some information is overdue"),
    "requirements.pending_verification": _("Stripe is checking the information you gave"),
    "under_review": _("Stripe is reviewing the account"),
    "listed": _("Stripe is reviewing the account"),
    "rejected.fraud": _("Stripe rejected the account"),
    "rejected.terms_of_service": _("Stripe rejected the account"),
    "rejected.listed": _("Stripe rejected the account"),
    "rejected.other": _("Stripe rejected the account"),
    "platform_paused": _("payouts are paused by the marketplace"),
    "other": _("Stripe needs more information"),
}


def requirement_label(code: str) -> str:
    for prefix, label in REQUIREMENTS:
        if code == prefix or code.startswith(prefix + "."):
            return str(label)
    return code


def requirements_text(codes: list[str]) -> str:
    """Each thing asked for once, in Stripe's order: "a bank account …, an identity
    document"."""
    return ", ".join(dict.fromkeys(requirement_label(code) for code in codes))


def disabled_reason_label(code: str) -> str:
    return str(DISABLED_REASONS.get(code, code))
