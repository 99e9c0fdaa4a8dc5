"""Billing documents through the API and on the escrow statement: owners, managers and
staff read them; everyone else is told nothing exists."""

import pytest
from django.urls import reverse

from marketplace.billing.models import BillingDocument
from marketplace.challenges.models import ChallengeState as S
from marketplace.escrow.services import challenge_fund
from tests.api_calls import client_for
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(org, owner):
    challenge = ChallengeFactory(organization=org, created_by=owner, state=S.AWAITING_FUNDING)
    challenge_fund(challenge_id=challenge.pk, actor=owner)
    return challenge


@pytest.mark.parametrize("who", ["owner", "manager", "staff"])
def test_editors_and_staff_list_the_documents(funded, who, request):
    response = client_for(request.getfixturevalue(who)).get(
        f"/api/v1/challenges/{funded.pk}/billing-documents/"
    )
    assert response.status_code == 200
    receipt = BillingDocument.objects.get()
    assert response.json() == [
        {
            "id": receipt.pk,
            "number": receipt.number,
            "kind": "receipt",
            "issued_at": response.json()[0]["issued_at"],
            "amount": "27500.00",
            "amount_minor": 2_750_000,
            "currency": "USD",
            "pdf_url": "http://testserver" + reverse("billing_document", args=[receipt.pk]),
        }
    ]


@pytest.mark.parametrize("who", ["judge", "solver", "outsider"])
def test_anyone_else_gets_404(funded, who, request):
    response = client_for(request.getfixturevalue(who)).get(
        f"/api/v1/challenges/{funded.pk}/billing-documents/"
    )
    assert response.status_code == 404


def test_the_escrow_statement_lists_them_for_editors_not_judges(funded, owner, judge, staff):
    receipt = BillingDocument.objects.get()
    url = reverse("escrow_statement", args=[funded.pk])
    link = reverse("billing_document", args=[receipt.pk])
    assert link in client_for(owner).get(url).content.decode()
    assert link not in client_for(judge).get(url).content.decode()
    staff_list = client_for(staff).get(reverse("staff_challenges")).content.decode()
    assert reverse("escrow_statement", args=[funded.pk]) + "#billing-documents" in staff_list
