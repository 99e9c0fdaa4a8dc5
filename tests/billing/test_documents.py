"""Billing documents: a receipt for each confirmed payment and a credit note for each
completed refund, issued in the same transaction as the money; pro-forma invoices on
request, reused while the amount due is unchanged; one gap-free sequence per year."""

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.billing.models import BillingDocument, DocumentCounter
from marketplace.billing.numbering import number_take
from marketplace.billing.services import organization_billing_update, proforma_issue
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import wire_reference
from marketplace.escrow.services import challenge_fund, challenge_refund_excess
from marketplace.escrow.wire import wire_refund_record, wire_transfer_record
from marketplace.lifecycle.services import challenge_transition
from payouts.models import Refund
from payouts.services.payments import payment_confirm, refund_done
from payouts.tasks import execute_refund
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


@pytest.fixture
def awaiting(org, owner):
    return ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)


def numbers() -> list[str]:
    return [d.number for d in BillingDocument.objects.order_by("year", "sequence")]


def test_a_confirmed_payment_gets_one_receipt_numbered_in_the_year(awaiting, owner):
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner)
    (receipt,) = BillingDocument.objects.all()
    year = timezone.localdate().year
    assert (receipt.kind, receipt.payment, receipt.amount, receipt.number) == (
        "receipt",
        payment,
        TOTAL,
        f"{year}-000001",
    )
    details = receipt.details
    assert (details["pool"], details["fee"], details["total"]) == (2_500_000, 250_000, TOTAL)
    assert details["payment"]["gateway"] == "local"
    payment_confirm(payment_id=payment.pk)  # reported again: nothing new
    assert BillingDocument.objects.count() == 1


def test_a_completed_refund_gets_a_credit_note_naming_the_receipt(awaiting, owner, staff):
    first = wire_transfer_record(
        reference=wire_reference(awaiting.pk),
        amount=TOTAL + 10_000,
        received_on=timezone.localdate(),
        bank_reference="BANK-1",
        actor=staff,
    )
    challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)
    challenge_refund_excess(challenge_id=awaiting.pk, actor=owner)
    (refund,) = Refund.objects.all()
    wire_refund_record(
        refund_id=refund.pk, sent_on=timezone.localdate(), bank_reference="BANK-R1", actor=staff
    )
    receipt = BillingDocument.objects.get(kind="receipt", payment=first)
    note = BillingDocument.objects.get(kind="credit_note")
    assert (note.refund_id, note.amount) == (refund.pk, 10_000)
    assert note.details["refund"]["receipt"] == receipt.number
    refund_done(refund_id=refund.pk)  # reported again: nothing new
    assert BillingDocument.objects.filter(kind="credit_note").count() == 1
    assert numbers() == [receipt.number, note.number]
    assert note.sequence == receipt.sequence + 1


def test_a_refund_by_the_gateway_task_gets_its_credit_note_too(awaiting, owner):
    challenge_fund(challenge_id=awaiting.pk, actor=owner)
    challenge_transition(challenge_id=awaiting.pk, name="cancel", actor=owner, reason="Budget cut")
    for refund in Refund.objects.all():
        execute_refund(refund.pk)
    assert list(BillingDocument.objects.values_list("kind", flat=True)) == [
        "receipt",
        "credit_note",
    ]


def test_the_proforma_asks_for_what_is_due_with_the_wire_reference(awaiting, owner, staff):
    awaiting.organization.billing_name = "Helix Materials Lab S.L."
    awaiting.organization.save()
    proforma = proforma_issue(challenge_id=awaiting.pk, actor=owner)
    assert (proforma.kind, proforma.amount) == ("proforma", TOTAL)
    assert proforma.details["wire_reference"] == wire_reference(awaiting.pk)
    assert proforma.details["customer"]["name"] == "Helix Materials Lab S.L."
    assert proforma.details["bank"]["iban"]
    assert proforma_issue(challenge_id=awaiting.pk, actor=owner) == proforma  # same amount due
    wire_transfer_record(
        reference=wire_reference(awaiting.pk),
        amount=1_000_000,
        received_on=timezone.localdate(),
        bank_reference="BANK-1",
        actor=staff,
    )
    second = proforma_issue(challenge_id=awaiting.pk, actor=owner)
    assert (second.amount, second.details["received"]) == (TOTAL - 1_000_000, 1_000_000)
    assert proforma.amount == TOTAL  # an issued document never changes
    assert len(numbers()) == 3  # two pro-formas and the receipt between them


@pytest.mark.parametrize("who", ["judge", "solver", "outsider"])
def test_only_owners_managers_and_staff_ask_for_a_proforma(awaiting, who, request):
    with pytest.raises(NotAllowed):
        proforma_issue(challenge_id=awaiting.pk, actor=request.getfixturevalue(who))
    assert not BillingDocument.objects.exists()


def test_no_proforma_once_funded_or_before_approval(org, owner):
    funded = ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
    challenge_fund(challenge_id=funded.pk, actor=owner)
    with pytest.raises(IllegalTransition) as refused:
        proforma_issue(challenge_id=funded.pk, actor=owner)
    assert refused.value.code == "already_funded"
    draft = ChallengeFactory(organization=org, created_by=owner)
    with pytest.raises(IllegalTransition):
        proforma_issue(challenge_id=draft.pk, actor=owner)


def test_a_rolled_back_document_leaves_no_gap(awaiting, owner, manager):
    proforma_issue(challenge_id=awaiting.pk, actor=owner)
    with pytest.raises(RuntimeError), transaction.atomic():
        number_take(year=timezone.localdate().year)
        raise RuntimeError("the issuing transaction fails")
    payment = challenge_fund(challenge_id=awaiting.pk, actor=manager)
    assert [d.sequence for d in BillingDocument.objects.all()] == [1, 2]
    assert BillingDocument.objects.get(payment=payment).sequence == 2


def test_each_year_starts_again_at_one(db):
    with transaction.atomic():
        assert number_take(year=2025) == 1
        assert number_take(year=2025) == 2
        assert number_take(year=2026) == 1
    assert dict(DocumentCounter.objects.values_list("year", "last")) == {2025: 2, 2026: 1}


def test_billing_details_are_kept_tidy_and_only_editors_change_them(org, owner, judge):
    organization_billing_update(
        organization_id=org.pk,
        actor=owner,
        billing_name="  Helix   Materials  ",
        billing_address="Calle Mayor 1\n28013 Madrid\n",
        tax_id="es b1234 5678",
    )
    org.refresh_from_db()
    assert (org.billing_name, org.billing_address, org.tax_id) == (
        "Helix Materials",
        "Calle Mayor 1\n28013 Madrid",
        "ESB12345678",
    )
    with pytest.raises(NotAllowed):
        organization_billing_update(
            organization_id=org.pk, actor=judge, billing_name="x", billing_address="", tax_id=""
        )
