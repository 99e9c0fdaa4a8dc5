"""Funding by bank transfer: staff record each transfer that arrives (partial,
several, more than is due), the challenge opens through the lifecycle once pool + fee
arrived, excess is refunded through the wire gateway and stays pending until staff
record it as sent; typing errors, bank references recorded twice, future dates,
challenges that cannot take money and non-staff are refused. The ledger audit is clean
after each test (the autouse check) and is run explicitly where money moved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import wire_reference
from marketplace.escrow.services import challenge_refund_excess, funding_due, subject_of
from marketplace.escrow.wire import wire_refund_record, wire_transfer_record
from marketplace.lifecycle.history import challenge_history
from marketplace.lifecycle.services import challenge_transition
from payouts.audit import run_audit
from payouts.models import Payment, PaymentState, Refund, RefundState
from payouts.selectors import statement
from payouts.tasks import execute_refund
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


def today():
    """Worked out when a test runs, not when the module is imported (a run may cross midnight)."""
    return timezone.localdate()


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


def record(challenge, staff, amount, bank_reference, **changes) -> Payment:
    return wire_transfer_record(
        **{
            "reference": wire_reference(challenge.pk),
            "amount": amount,
            "received_on": today(),
            "bank_reference": bank_reference,
            "actor": staff,
            **changes,
        }
    )


def assert_clean() -> None:
    report = run_audit()
    assert report.clean, report.breaches


def test_a_partial_transfer_leaves_the_challenge_partially_funded(awaiting, staff):
    payment = record(awaiting, staff, 1_000_000, "BANK-0001", received_on=today() - timedelta(1))
    assert (payment.gateway, payment.provider_id, payment.state, payment.test_money) == (
        "wire",
        "BANK-0001",
        PaymentState.SUCCEEDED,
        False,
    )
    assert payment.created_by == staff
    due = funding_due(awaiting)
    assert (due["received"], due["outstanding"]) == (1_000_000, TOTAL - 1_000_000)
    [event] = awaiting.events.filter(name="wire_transfer_record")
    assert event.actor == staff
    assert event.details == {
        "payment": payment.pk,
        "amount": 1_000_000,
        "reference": wire_reference(awaiting.pk),
        "bank_reference": "BANK-0001",
        "received_on": (today() - timedelta(1)).isoformat(),
    }
    [(_event, sentence)] = [row for row in challenge_history(awaiting) if row[0] == event]
    assert "$10,000.00" in sentence and "BANK-0001" in sentence
    assert Challenge.objects.get(pk=awaiting.pk).state == S.AWAITING_FUNDING
    assert_clean()


def test_two_partial_transfers_then_the_owner_opens(awaiting, staff, owner):
    with pytest.raises(IllegalTransition):
        challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    record(awaiting, staff, 2_000_000, "BANK-A")
    with pytest.raises(IllegalTransition):
        challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    record(awaiting, staff, TOTAL - 2_000_000, "BANK-B")
    assert funding_due(awaiting)["outstanding"] == 0
    challenge = challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    assert challenge.state == S.OPEN
    assert statement(subject_of(challenge)) | {"escrow_account": ""} == {
        "received": TOTAL,
        "fee": 250_000,
        "held": 2_500_000,
        "owed": 0,
        "paid": 0,
        "refunded": 0,
        "unallocated": 0,
        "balanced": True,
        "escrow_account": "",
    }
    assert_clean()


def test_an_over_payment_is_kept_refunded_through_the_wire_and_recorded_as_sent(
    awaiting, staff, owner, django_capture_on_commit_callbacks
):
    record(awaiting, staff, TOTAL + 50_000, "BANK-OVER")
    due = funding_due(awaiting)
    assert (due["outstanding"], due["excess"]) == (0, 50_000)
    challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_refund_excess(challenge_id=awaiting.pk, actor=owner) == 1
    [refund] = Refund.objects.all()
    # The wire gateway sends nothing: the refund waits for staff.
    assert (refund.state, refund.amount, refund.from_funding) == (
        RefundState.PENDING,
        50_000,
        50_000,
    )
    assert statement(subject_of(awaiting))["unallocated"] == 50_000
    assert execute_refund(refund.pk) == RefundState.PENDING  # a retry sends nothing either
    assert_clean()

    done = wire_refund_record(
        refund_id=refund.pk, sent_on=today(), bank_reference="OUT-77", actor=staff
    )
    assert (done.state, done.provider_id) == (RefundState.SUCCEEDED, "OUT-77")
    summary = statement(subject_of(awaiting))
    assert (summary["refunded"], summary["unallocated"], summary["held"]) == (50_000, 0, 2_500_000)
    [event] = awaiting.events.filter(name="wire_refund_sent")
    assert (event.actor, event.details["bank_reference"], event.details["amount"]) == (
        staff,
        "OUT-77",
        50_000,
    )
    with pytest.raises(ValidationError):  # recorded once
        wire_refund_record(
            refund_id=refund.pk, sent_on=today(), bank_reference="OUT-78", actor=staff
        )
    assert_clean()


def test_money_after_cancelling_is_recorded_and_refundable(
    awaiting, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        challenge_transition(
            challenge_id=awaiting.pk, name="cancel", actor=staff, reason="Budget withdrawn"
        )
    record(awaiting, staff, 700_000, "LATE-1")
    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_refund_excess(challenge_id=awaiting.pk, actor=staff) == 1
    [refund] = Refund.objects.filter(state=RefundState.PENDING)
    wire_refund_record(refund_id=refund.pk, sent_on=today(), bank_reference="BACK-1", actor=staff)
    assert statement(subject_of(awaiting))["refunded"] == 700_000
    assert_clean()


def swapped(reference: str) -> str:
    """The reference with its first two differing neighbouring digits swapped."""
    i = next(i for i in range(2, len(reference) - 1) if reference[i] != reference[i + 1])
    return reference[:i] + reference[i + 1] + reference[i] + reference[i + 2 :]


class TestRefusals:
    def test_the_same_bank_reference_twice(self, awaiting, staff):
        record(awaiting, staff, 100_000, "DUP-1")
        other = ChallengeFactory(state=S.AWAITING_FUNDING)
        for challenge, text in ((awaiting, "DUP-1"), (other, " dup-1 ")):
            with pytest.raises(ValidationError) as exc:
                record(challenge, staff, 100_000, text)
            assert "bank_reference" in exc.value.message_dict
        assert Payment.objects.count() == 1
        assert funding_due(awaiting)["received"] == 100_000

    @pytest.mark.parametrize("mistype", ["swap", "digit", "nonsense", "no challenge"])
    def test_a_mistyped_or_unknown_reference(self, awaiting, staff, mistype):
        good = wire_reference(awaiting.pk)
        reference = {
            "swap": swapped(good),
            "digit": good[:-1] + str((int(good[-1]) + 1) % 10),
            "nonsense": "INVOICE 12",
            "no challenge": wire_reference(awaiting.pk + 1000),
        }[mistype]
        assert reference != good
        with pytest.raises(ValidationError) as exc:
            record(awaiting, staff, 100_000, "B-1", reference=reference)
        assert "reference" in exc.value.message_dict
        assert not Payment.objects.exists()

    def test_spaces_and_case_in_the_reference_are_ignored(self, awaiting, staff):
        spaced = " ".join(wire_reference(awaiting.pk).lower())
        assert record(awaiting, staff, 100_000, "B-2", reference=spaced).amount == 100_000

    @pytest.mark.parametrize("amount", [0, -100, 1.5])
    def test_an_amount_that_is_not_positive_whole_minor_units(self, awaiting, staff, amount):
        with pytest.raises(ValidationError) as exc:
            record(awaiting, staff, amount, "B-3")
        assert "amount" in exc.value.message_dict

    def test_a_date_in_the_future(self, awaiting, staff):
        with pytest.raises(ValidationError) as exc:
            record(awaiting, staff, 100_000, "B-4", received_on=today() + timedelta(days=1))
        assert "received_on" in exc.value.message_dict

    @pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW])
    def test_a_challenge_not_approved(self, org, owner, staff, state):
        challenge = ChallengeFactory(organization=org, created_by=owner, state=state)
        with pytest.raises(IllegalTransition) as exc:
            record(challenge, staff, 100_000, "B-5")
        assert exc.value.code == "not_payable"
        assert not Payment.objects.exists()

    def test_only_staff_record(self, awaiting, owner, manager, outsider, staff):
        for who in (owner, manager, outsider):
            with pytest.raises(NotAllowed):
                record(awaiting, who, 100_000, "B-6")
        assert not Payment.objects.exists()

    def test_only_staff_record_a_refund_and_only_of_a_wire_payment(
        self, awaiting, staff, owner, django_capture_on_commit_callbacks
    ):
        record(awaiting, staff, TOTAL + 10_000, "B-7")
        challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
        with django_capture_on_commit_callbacks(execute=True):
            challenge_refund_excess(challenge_id=awaiting.pk, actor=owner)
        [refund] = Refund.objects.all()
        with pytest.raises(NotAllowed):
            wire_refund_record(
                refund_id=refund.pk, sent_on=today(), bank_reference="X", actor=owner
            )
        with pytest.raises(ValidationError) as exc:  # the bank reference of the payment
            wire_refund_record(
                refund_id=refund.pk, sent_on=today(), bank_reference="B-7", actor=staff
            )
        assert "bank_reference" in exc.value.message_dict
        assert Refund.objects.get(pk=refund.pk).state == RefundState.PENDING
