"""The escrow rules of the ledger audit that need the challenge (MONEY.md, event 2): a
challenge's `open` entry is its own (`open:<id>`), moves exactly its prize pool into
escrow in its currency, and exists only once the challenge has been opened. The ledger
checks the rest of the entry's shape (the fee for that pool); `payouts.audit` runs this
through the LEDGER_AUDIT_EXTRA_CHECKS setting."""

from payouts.accounts import subject_account
from payouts.models import AccountPurpose, Entry, Leg

from .models import Challenge, ChallengeState
from .subjects import challenge_id_of

NOT_YET_OPENED = (ChallengeState.DRAFT, ChallengeState.IN_REVIEW, ChallengeState.AWAITING_FUNDING)


def escrow_checks(breach) -> None:
    opens = list(Entry.objects.filter(kind="open").values_list("idempotency_key", "reference"))
    held: dict[str, list[tuple[int, str]]] = {}
    for key, reference, code, amount, currency in Leg.objects.filter(
        entry__kind="open", account__purpose=AccountPurpose.ESCROW
    ).values_list(
        "entry__idempotency_key", "entry__reference", "account__code", "amount", "currency"
    ):
        if code == subject_account(reference, AccountPurpose.ESCROW)[0]:
            held.setdefault(key, []).append((amount, currency))
    challenges = {c.pk: c for c in Challenge.objects.only("prize_pool", "currency", "state")}
    for key, reference in opens:
        challenge = challenges.get(challenge_id_of(reference))
        if challenge is None:
            breach(f"entry {key}: opens {reference}, which is no challenge")
            continue
        if key != f"open:{challenge.pk}":
            breach(f"entry {key}: the opening of {reference} is keyed open:{challenge.pk}")
        pool = sum(amount for amount, _currency in held.get(key, []))
        if pool != challenge.prize_pool:
            breach(f"entry {key}: {pool} into escrow, but the prize pool is {challenge.prize_pool}")
        currencies = {currency for _amount, currency in held.get(key, [])}
        if currencies - {challenge.currency}:
            listed = ", ".join(sorted(currencies))
            breach(f"entry {key}: escrow in {listed}, but the challenge is in {challenge.currency}")
        if challenge.state in NOT_YET_OPENED:
            breach(f"entry {key}: {reference} is {challenge.state} and was never opened")
