"""A billing document is kept as issued, below the ORM too: the database refuses to
change or delete one (raw SQL, on whichever database the suite runs), and a document's
kind matches what it is for."""

import pytest
from django.db import IntegrityError, transaction

from marketplace.billing.models import BillingDocument
from marketplace.challenges.models import ChallengeState as S
from marketplace.escrow.services import challenge_fund
from tests.db_guards import refused
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(org, owner) -> BillingDocument:
    challenge = ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
    challenge_fund(challenge_id=challenge.pk, actor=owner)
    return BillingDocument.objects.get()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE marketplace_billingdocument SET amount = 1 WHERE id = %s",
        "UPDATE marketplace_billingdocument SET sequence = 99 WHERE id = %s",
        "UPDATE marketplace_billingdocument SET details = '{}' WHERE id = %s",
        "DELETE FROM marketplace_billingdocument WHERE id = %s",
    ],
)
def test_an_issued_document_never_changes_or_goes(receipt, sql):
    before = list(BillingDocument.objects.values())
    refused(sql, [receipt.pk], match="append-only")
    assert list(BillingDocument.objects.values()) == before


def test_a_receipt_names_its_payment(receipt):
    with pytest.raises(IntegrityError), transaction.atomic():
        BillingDocument.objects.create(
            kind="receipt",
            year=receipt.year,
            sequence=receipt.sequence + 1,
            challenge=receipt.challenge,
            amount=1,
            currency="USD",
            details={},
        )
