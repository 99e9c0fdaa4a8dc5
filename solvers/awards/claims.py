"""Where one winner stands with one award: which of the five steps is theirs to take
next (accept, sign the deed, tax form, payout details, then the outcome), and what the
outcome is. Pure reads over rows already loaded."""

from dataclasses import dataclass, field
from math import ceil

from django.utils import timezone

from marketplace.awards.models import AwardRecipient, AwardState
from marketplace.challenges.states import SETTLED, UNCLAIMED
from payouts.models import PayoutState

ACCEPT, SIGN, TAX, PAYOUT, STATUS = 1, 2, 3, 4, 5
PAYOUT_STAGES = {
    PayoutState.SUCCEEDED: "sent",
    PayoutState.FAILED: "failed",
    PayoutState.REVERSED: "reversed",
    PayoutState.CANCELLED: "cancelled",
}
DAY_SECONDS = 86_400


@dataclass
class Claim:
    recipient: AwardRecipient
    deed_needed: bool
    tax_form: object = None  # payouts.TaxForm or None
    payout_ready: bool = False
    payout_waiting: bool = False  # Stripe said their account cannot receive payouts yet
    payouts: list = field(default_factory=list)  # this person's payouts of the award
    certificate: object = None  # legal.Certificate or None

    @property
    def award(self):
        return self.recipient.award

    @property
    def is_team(self) -> bool:
        return self.award.submission.team_id is not None

    @property
    def open(self) -> bool:
        """Still to be claimed, before the deadline."""
        return self.award.state in UNCLAIMED and not self.expired

    @property
    def expired(self) -> bool:
        return self.award.claim_expired()

    @property
    def days_left(self) -> int | None:
        if not self.open:
            return None
        seconds = (self.award.claim_deadline - timezone.now()).total_seconds()
        return ceil(seconds / DAY_SECONDS)

    @property
    def accepted(self) -> bool:
        """Accepted by this person, or (for a team) by a teammate."""
        return self.recipient.accepted_at is not None or self.award.state not in (
            AwardState.PROPOSED,
            AwardState.FORFEITED,
        )

    @property
    def signed(self) -> bool:
        return self.recipient.deed_id is not None

    @property
    def tax_done(self) -> bool:
        return self.recipient.amount == 0 or self.tax_form is not None

    @property
    def step(self) -> int:
        """The step this person takes next (STATUS once their part is done)."""
        if self.award.state in SETTLED or self.expired:
            return STATUS
        if not self.accepted:
            return ACCEPT
        if self.deed_needed and not self.signed:
            return SIGN
        if not self.tax_done:
            return TAX
        if not self.payout_ready:
            return PAYOUT
        return STATUS

    @property
    def status(self) -> str:
        """forfeited, paid, expired, on_hold (frozen in a staff dispute), payout_failed,
        waiting_setup (a payout waits for their Stripe set-up), paying, releasing (verified, released by the next sweep), awaiting_team
        (teammates still to sign or file details) or in_progress."""
        award = self.award
        if award.state == AwardState.FORFEITED:
            return "forfeited"
        if award.state == AwardState.PAID:
            return "paid"
        if self.expired:
            return "expired"
        if award.is_frozen:
            return "on_hold"
        if award.released_at is not None:
            if any(p.state == PayoutState.FAILED for p in self.payouts):
                return "payout_failed"
            return "waiting_setup" if "waiting" in self.payout_stages.values() else "paying"
        if award.state == AwardState.VERIFIED:
            return "releasing"
        if self.step == STATUS and self.is_team:
            return "awaiting_team"
        return "in_progress"

    @property
    def paid_on(self):
        done = [p.completed_at for p in self.payouts if p.state == PayoutState.SUCCEEDED]
        return max(done) if done else self.award.paid_at

    @property
    def payout_stages(self) -> dict:
        """Each of this person's payouts (by id) and where it stands for them: queued,
        waiting (for their payout set-up with Stripe), sent, failed, reversed or
        cancelled."""
        stages = {}
        for payout in self.payouts:
            if payout.state == PayoutState.PENDING:
                stages[payout.pk] = "waiting" if self.payout_waiting else "queued"
            else:
                stages[payout.pk] = PAYOUT_STAGES[payout.state]
        return stages

    @property
    def payout_rows(self) -> list[tuple]:
        """(payout, stage) for the page, oldest first."""
        stages = self.payout_stages
        return [(payout, stages[payout.pk]) for payout in self.payouts]
