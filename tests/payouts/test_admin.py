"""The Django admin of the money shows every row and changes none: no entry, leg,
account, payment, refund or payout is added, changed or deleted there, whoever asks
(even a superuser)."""

import pytest
from django.db import transaction
from django.urls import reverse

from marketplace.core.references import subject_of
from payouts.models import Account, Entry, Leg, Payment, Payout, Refund
from payouts.services.payments import refund_send, refunds_start
from payouts.services.payouts import payout_send
from tests.factories import StaffFactory, UserFactory

from .conftest import release

pytestmark = pytest.mark.django_db

MODELS = [Entry, Leg, Account, Payment, Refund, Payout]


@pytest.fixture
def money(escrowed):
    """Funded, opened, an award released and paid, the rest of escrow refunded."""
    (payout,) = release(escrowed, [(UserFactory(), 1_000)])
    payout_send(payout_id=payout.pk)
    with transaction.atomic():
        refunds = refunds_start(subject=subject_of(escrowed), reason="ended", include_escrow=True)
    for refund in refunds:
        refund_send(refund_id=refund.pk)
    return escrowed


@pytest.fixture
def superuser(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def stored() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_money_rows_are_shown_and_never_added_changed_or_deleted(client, superuser, money, model):
    obj = model.objects.order_by("pk").first()
    before = stored()

    assert client.get(url(model, "changelist")).status_code == 200
    assert client.get(url(model, "change", obj.pk)).status_code == 200
    forged = {"amount": 1, "balance": 1, "state": "succeeded", "kind": "fund"}
    assert client.post(url(model, "add"), forged).status_code == 403
    assert client.post(url(model, "change", obj.pk), forged).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert stored() == before


def test_an_entry_is_shown_with_its_legs_and_how_money_moves(client, superuser, money):
    entry = Entry.objects.get(kind="open")
    page = client.get(url(Entry, "change", entry.pk))
    assert [form.instance for form in page.context["inline_admin_formsets"][0].formset] == list(
        entry.legs.order_by("pk")
    )
    assert "a correction is a new entry posted by a service" in page.content.decode()
    payout = Payout.objects.get()
    assert "staff retry failed payouts from the staff payouts page" in (
        client.get(url(Payout, "change", payout.pk)).content.decode()
    )
