"""The agreement rules of the ledger audit: a registration points at the acceptance of
its challenge's agreement by its own solver, and that row is still there (agreements
are kept for good; a deleted or swapped acceptance is forged history). `payouts.audit`
runs this through the LEDGER_AUDIT_EXTRA_CHECKS setting."""

from legal.models import Acceptance
from marketplace.core.references import challenge_id_of
from marketplace.participation.models import Registration


def registration_checks(breach) -> None:
    registrations = Registration.objects.exclude(acceptance=None)
    accepted = {
        pk: (user_id, subject)
        for pk, user_id, subject in Acceptance.objects.filter(
            pk__in=registrations.values("acceptance_id")
        ).values_list("pk", "user_id", "subject")
    }
    rows = registrations.order_by("pk").values_list(
        "pk", "challenge_id", "user_id", "acceptance_id"
    )
    for pk, challenge_id, user_id, acceptance_id in rows:
        if acceptance_id not in accepted:
            breach(f"registration {pk}: its acceptance {acceptance_id} is gone")
            continue
        accepted_by, subject = accepted[acceptance_id]
        if accepted_by != user_id or challenge_id_of(subject) != challenge_id:
            breach(
                f"registration {pk} (user {user_id}, challenge {challenge_id}): acceptance "
                f"{acceptance_id} was user {accepted_by}'s, of {subject}"
            )
