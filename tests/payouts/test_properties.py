"""Random sequences of funding, opening, cancelling, excess refunds and no-award
endings over a few challenges, through the marketplace services and the local gateway.
After every step the ledger agrees with a plain model of each challenge's money and
every invariant holds; at the end the audit is clean. Each example runs in its own
transaction, rolled back afterwards (hypothesis' Django TestCase)."""

from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.escrow.services import (
    challenge_fund,
    challenge_refund_excess,
    funding_due,
    subject_of,
)
from marketplace.lifecycle.services import challenge_transition
from marketplace.lifecycle.tasks import send_event_emails
from marketplace.organisations.roles import OrgRole
from payouts.audit import run_audit
from payouts.fees import fee_for
from payouts.models import Account, Payment
from payouts.selectors import statement
from tests.factories import ChallengeFactory, MembershipFactory, StaffFactory
from tests.payouts.test_ledger import assert_invariants

# (currency, pool): under the first fee tier with a half-unit fee to round, across the
# 100,000.00 tier boundary, and a currency without minor units.
POOLS = [("USD", 12_345), ("USD", 15_000_001), ("JPY", 250_000)]
PUBLISHED = {S.OPEN, S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD}
ENDED = {S.CANCELLED, S.NO_AWARD}

OPERATIONS = ["fund", "open", "cancel", "refund_excess", "judge", "no_award"]
# What usually comes next in each state. Each step draws one of these with odds 2:1
# against any operation at all, so most examples take challenges past opening to an
# ending while out-of-turn operations are still tried (and must be refused, moving nothing).
LIKELY = {
    S.AWAITING_FUNDING: ["fund", "open"],
    S.OPEN: ["refund_excess", "cancel", "judge"],
    S.JUDGING: ["no_award", "cancel", "refund_excess"],
}
ARGUMENTS = {
    "fund": st.tuples(st.sampled_from(["due", "part", "over"]), st.integers(1, 10**6)),
    "cancel": st.tuples(st.sampled_from(["owner", "staff"])),
}


@dataclass
class Model:
    """What the ledger should say about one challenge."""

    state: str
    pool: int
    fee: int
    received: int = 0
    funding: int = 0
    escrow: int = 0
    fee_earned: int = 0
    refunded: int = 0

    def refund(self, include_escrow: bool) -> None:
        self.refunded += self.funding + (self.escrow if include_escrow else 0)
        self.funding = 0
        if include_escrow:
            self.escrow = 0


class EscrowProperties(TestCase):
    def make_challenges(self, pools):
        org = MembershipFactory(role=OrgRole.OWNER).organization
        self.owner = org.memberships.get().user
        self.staff = StaffFactory()
        self.challenges, self.models = [], []
        for currency, pool in pools:
            self.challenges.append(
                ChallengeFactory(
                    organization=org,
                    created_by=self.owner,
                    currency=currency,
                    prize_pool=pool,
                    state=S.AWAITING_FUNDING,
                )
            )
            self.models.append(Model(S.AWAITING_FUNDING, pool, fee_for(pool, currency)))

    def go(self, i, name, actor, reason=""):
        return challenge_transition(
            challenge_id=self.challenges[i].pk, name=name, actor=actor, reason=reason
        )

    def refused(self, call, error=IllegalTransition):
        payments = Payment.objects.count()
        with self.assertRaises(error):
            call()
        self.assertEqual(Payment.objects.count(), payments)

    # --- one method per operation: do it and update the model, or see it refused ---

    def fund(self, i, kind, x):
        m = self.models[i]
        outstanding = max(m.pool + m.fee - m.funding, 0)
        amount = {"due": None, "part": 1 + x % max(outstanding, 1), "over": outstanding + x}[kind]
        call = lambda: challenge_fund(  # noqa: E731
            challenge_id=self.challenges[i].pk, actor=self.owner, amount=amount
        )
        if m.state != S.AWAITING_FUNDING or outstanding == 0 or (amount or 0) > outstanding:
            return self.refused(call)  # never more than is due
        payment = call()
        self.assertEqual(payment.state, "succeeded")
        m.received += payment.amount
        m.funding += payment.amount
        self.assertEqual(funding_due(self.challenges[i])["received"], m.funding)

    def open(self, i):
        m = self.models[i]
        call = lambda: self.go(i, "open", self.owner)  # noqa: E731
        if m.state != S.AWAITING_FUNDING or m.funding < m.pool + m.fee:
            return self.refused(call)
        call()
        m.state, m.funding, m.escrow, m.fee_earned = (
            S.OPEN,
            m.funding - m.pool - m.fee,
            m.pool,
            m.fee,
        )

    def cancel(self, i, who):
        m = self.models[i]
        call = lambda: self.go(i, "cancel", getattr(self, who), reason="Stopped")  # noqa: E731
        if m.state in (S.CANCELLED, S.NO_AWARD):
            return self.refused(call)
        if m.state in PUBLISHED and who == "owner":
            return self.refused(call, NotAllowed)
        call()
        m.state = S.CANCELLED
        m.refund(include_escrow=True)

    def refund_excess(self, i):
        m = self.models[i]
        call = lambda: challenge_refund_excess(  # noqa: E731
            challenge_id=self.challenges[i].pk, actor=self.owner
        )
        if m.state in ENDED:  # once ended, whatever is still held goes back
            started = call()
            self.assertEqual(started > 0, m.funding + m.escrow > 0)
            m.refund(include_escrow=True)
            return None
        if m.state not in PUBLISHED:
            return self.refused(call)
        started = call()
        self.assertEqual(started > 0, m.funding > 0)
        m.refund(include_escrow=False)
        return None

    def judge(self, i):
        m = self.models[i]
        if m.state != S.OPEN:
            return self.refused(lambda: self.go(i, "close", None))
        Challenge.objects.filter(pk=self.challenges[i].pk).update(
            submission_deadline=timezone.now() - timedelta(minutes=1)
        )
        self.go(i, "close", None)
        self.go(i, "start_judging", self.owner)
        m.state = S.JUDGING

    def no_award(self, i):
        m = self.models[i]
        call = lambda: self.go(i, "declare_no_award", self.owner, reason="Nothing fit")  # noqa: E731
        if m.state != S.JUDGING:
            return self.refused(call)
        call()
        m.state = S.NO_AWARD
        m.refund(include_escrow=True)

    def check(self, statements):
        """The invariants, every challenge's state and balances against its model, and
        the full statement of the challenges in `statements`."""
        assert_invariants(statements=False)  # every subject here is one of the challenges
        balances = dict(Account.objects.values_list("code", "balance"))
        states = dict(Challenge.objects.values_list("pk", "state"))
        for n, (challenge, m) in enumerate(zip(self.challenges, self.models, strict=True)):
            subject = subject_of(challenge)
            self.assertEqual(
                (
                    states[challenge.pk],
                    balances.get(f"{subject}:funding", 0),
                    balances.get(f"{subject}:escrow", 0),
                ),
                (m.state, m.funding, m.escrow),
            )
            if n in statements:
                s = statement(subject)
                self.assertTrue(s["balanced"], s)
                self.assertEqual(
                    (s["received"], s["unallocated"], s["held"], s["fee"], s["refunded"]),
                    (m.received, m.funding, m.escrow, m.fee_earned, m.refunded),
                )

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def test_random_operations_keep_every_invariant(self, data):
        pools = data.draw(st.lists(st.sampled_from(POOLS), min_size=2, max_size=3), label="pools")
        self.make_challenges(pools)
        for _step in range(data.draw(st.integers(4, 16), label="steps")):
            i = data.draw(st.integers(0, len(pools) - 1), label="challenge")
            choices = st.sampled_from(OPERATIONS)
            if likely := LIKELY.get(self.models[i].state):
                choices = st.one_of(st.sampled_from(likely), st.sampled_from(likely), choices)
            name = data.draw(choices, label="operation")
            args = data.draw(ARGUMENTS.get(name, st.just(())), label="arguments")
            # Refunds run after commit; the e-mails queued with them are not money, and slow.
            with (
                self.captureOnCommitCallbacks(execute=True),
                mock.patch.object(send_event_emails, "delay"),
            ):
                getattr(self, name)(i, *args)
            self.check(statements=[i])
        self.check(statements=range(len(pools)))
        report = run_audit()
        self.assertTrue(report.clean, report.breaches)
