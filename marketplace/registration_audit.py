"""The agreement rules of the ledger audit: a registration points at the acceptance of
its challenge's agreement by its own solver, and that row is still there (agreements
are kept for good; a deleted or swapped acceptance is forged history). `payouts.audit`
runs this through the LEDGER_AUDIT_EXTRA_CHECKS setting."""

from .models import Registration
from .subjects import challenge_id_of


def registration_checks(breach) -> None:
    rows = Registration.objects.exclude(acceptance=None).values_list(
        "pk",
        "challenge_id",
        "user_id",
        "acceptance_id",
        "acceptance__user_id",
        "acceptance__subject",
    )
    for pk, challenge_id, user_id, acceptance_id, accepted_by, subject in rows.order_by("pk"):
        if accepted_by is None:
            breach(f"registration {pk}: its acceptance {acceptance_id} is gone")
        elif accepted_by != user_id or challenge_id_of(subject) != challenge_id:
            breach(
                f"registration {pk} (user {user_id}, challenge {challenge_id}): acceptance "
                f"{acceptance_id} was user {accepted_by}'s, of {subject}"
            )
