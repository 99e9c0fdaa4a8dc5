"""The escrow rules of the ledger audit that need the challenge (MONEY.md, event 2): a
challenge's `open` entry is its own (`open:<id>`), moves exactly its prize pool into
escrow in its currency, earns exactly the fee the fee schedule gives for that pool (the
schedule the challenge opened under, recorded in its `open` history row; the schedule
in force for a row from before schedules were recorded), and exists only once the
challenge has been opened. The ledger checks the rest of the entry's shape;
`payouts.audit` runs this through the LEDGER_AUDIT_EXTRA_CHECKS setting."""

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.states import BEFORE_OPENING
from marketplace.core.references import challenge_id_of
from payouts.accounts import fees_account, subject_account
from payouts.fees import fee_for
from payouts.models import AccountPurpose, Entry, Leg


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
    earned: dict[str, int] = {}
    for key, code, amount, currency in Leg.objects.filter(
        entry__kind="open", account__purpose=AccountPurpose.FEES
    ).values_list("entry__idempotency_key", "account__code", "amount", "currency"):
        if code == fees_account(currency)[0]:
            earned[key] = earned.get(key, 0) + amount
    schedules = {
        challenge_id: details.get("fee_schedule")
        for challenge_id, details in ChallengeEvent.objects.filter(name="open").values_list(
            "challenge_id", "details"
        )
    }
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
        fee = fee_for(pool, challenge.currency, schedules.get(challenge.pk))
        if earned.get(key, 0) != fee:
            breach(
                f"entry {key}: a fee of {earned.get(key, 0)}, but the fee schedule it opened "
                f"under gives {fee} for a pool of {pool}"
            )
        if challenge.state in BEFORE_OPENING:
            breach(f"entry {key}: {reference} is {challenge.state} and was never opened")
