"""The award rules of the ledger audit (MONEY.md): an award's release entry pays exactly
its winners from its challenge's escrow, no award is paid twice, no payout exists
without a signed deed and a verified winner, the signed deeds awards point at are still
there (and so are the deeds void marks point at), and every paid winner has a
certificate. `payouts.audit` runs this through the LEDGER_AUDIT_EXTRA_CHECKS setting, so
the ledger never imports the core. A fixed number of queries, whatever the size."""

from django.db.models import Count, Exists, OuterRef, Sum

from legal.models import Certificate, Deed, DeedVoid
from marketplace.awards.models import Award, AwardRecipient, AwardState, award_id_of
from marketplace.awards.services.deeds import deed_kind
from marketplace.challenges.states import RELEASED, SIGNED
from marketplace.core.references import subject_of
from payouts.accounts import payable_account
from payouts.models import AccountPurpose, Entry, Leg, Payout, PayoutState

# What the rules read of an award and its challenge (not the challenge's long texts).
AWARD_FIELDS = (
    "state",
    "amount",
    "released_at",
    "verified_at",
    "challenge__ip_model",
    "challenge__currency",
)


def _award_id(reference: str) -> int | None:
    """The award a reference names, or None (also for a forged "award:x")."""
    try:
        return award_id_of(reference)
    except ValueError:
        return None


def award_checks(breach) -> None:
    awards = {
        a.pk: a
        for a in Award.objects.select_related("challenge")
        .only(*AWARD_FIELDS)
        .prefetch_related("recipients")
    }
    _check_payouts(awards, breach)
    _check_releases(awards, breach)
    _check_deeds(awards, breach)
    _check_certificates(awards, breach)


def _check_payouts(awards: dict[int, Award], breach) -> None:
    live = Payout.objects.exclude(state=PayoutState.CANCELLED)
    by_reference = {
        row["reference"]: row
        for row in live.values("reference").annotate(total=Sum("amount"), n=Count("pk"))
    }
    paid_out = set()
    for reference, row in sorted(by_reference.items()):
        award = awards.get(_award_id(reference))
        if award is None:
            breach(f"payouts of {reference}: no such award")
            continue
        paid_out.add(award.pk)
        if award.released_at is None or award.state not in RELEASED:
            breach(f"{reference}: payouts exist but the award was never released ({award.state})")
        if row["total"] > award.amount:
            breach(f"{reference}: payouts of {row['total']} exceed the award of {award.amount}")
        paid_people = [r for r in award.recipients.all() if r.amount > 0]
        if row["n"] > len(paid_people):
            breach(f"{reference}: {row['n']} payouts for {len(paid_people)} winner(s)")
        if deed_kind(award.challenge) and any(r.deed_id is None for r in paid_people):
            breach(f"{reference}: paid out without every winner's signed deed")
        if award.verified_at is None:
            breach(f"{reference}: paid out before the winner was verified")
    for award in awards.values():
        if award.state == AwardState.PAID and award.pk not in paid_out:
            breach(f"{award.reference}: marked paid without any payout")


def _listed(legs: dict[str, int]) -> str:
    return ", ".join(f"{code} {amount:+d}" for code, amount in sorted(legs.items())) or "nothing"


def _check_releases(awards: dict[int, Award], breach) -> None:
    """Each release entry pays its award's winners (the recipients with a share of
    money), from its challenge, and each released award has one."""
    releases = dict(
        Entry.objects.filter(kind="release").values_list("idempotency_key", "reference")
    )
    posted: dict[str, dict[str, int]] = {key: {} for key in releases}
    for key, code, amount in Leg.objects.filter(
        entry__kind="release", account__purpose=AccountPurpose.PAYABLE
    ).values_list("entry__idempotency_key", "account__code", "amount"):
        posted[key][code] = posted[key].get(code, 0) + amount
    for key, subject in sorted(releases.items()):
        award = awards.get(_award_id(key.removeprefix("release:")))
        if award is None:
            breach(f"entry {key}: releases no award")
            continue
        if award.released_at is None:
            breach(f"entry {key}: {award.reference} was never released ({award.state})")
        challenge_subject = subject_of(award.challenge)
        if subject != challenge_subject:
            breach(f"entry {key}: posted for {subject}, but the award is of {challenge_subject}")
        owed = {
            payable_account(r.user_id, award.challenge.currency)[0]: r.amount
            for r in award.recipients.all()
            if r.amount > 0
        }
        if posted[key] != owed:
            breach(
                f"entry {key}: pays {_listed(posted[key])}; the winners are owed {_listed(owed)}"
            )
    for award in awards.values():
        if award.released_at is not None and f"release:{award.reference}" not in releases:
            breach(f"{award.reference}: released, but no release entry was posted")


def _check_deeds(awards: dict[int, Award], breach) -> None:
    """A recipient's deed is there, is theirs and is for their award; an award past
    signing has every recipient's deed (when its IP model calls for one); a void mark
    marks a deed that is there."""
    rows = AwardRecipient.objects.order_by("award_id", "pk").values_list(
        "award_id", "user_id", "deed_id", "deed__reference", "deed__signer_id"
    )
    for award_id, user_id, deed_id, deed_reference, signer in rows:
        award = awards[award_id]
        if deed_id is None:
            if award.state in SIGNED and deed_kind(award.challenge):
                breach(f"{award.reference} is {award.state} without user {user_id}'s signed deed")
        elif signer is None:
            breach(f"{award.reference}: user {user_id}'s signed deed {deed_id} is gone")
        elif (signer, deed_reference) != (user_id, award.reference):
            breach(
                f"{award.reference}: user {user_id}'s deed {deed_id} was signed by user {signer} "
                f"for {deed_reference}"
            )
    orphans = DeedVoid.objects.filter(~Exists(Deed.objects.filter(pk=OuterRef("pk"))))
    for pk in orphans.order_by("pk").values_list("pk", flat=True):
        breach(f"void mark of deed {pk}: the deed is gone")


def _check_certificates(awards: dict[int, Award], breach) -> None:
    issued = set(Certificate.objects.values_list("reference", "recipient_id"))
    for award in awards.values():
        if award.state != AwardState.PAID:
            continue
        for recipient in award.recipients.all():
            if recipient.amount > 0 and (award.reference, recipient.user_id) not in issued:
                breach(
                    f"{award.reference}: paid, but user {recipient.user_id}'s certificate is gone"
                )
