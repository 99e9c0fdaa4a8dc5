"""The audit's payout checks: each breach is found and named. A clean ledger with
payouts in every state is built through the services, then corrupted below them, with
the database's guards switched off."""

import pytest
from django.db.models import F

from marketplace.core.references import subject_of
from payouts.accounts import payable_account, subject_account
from payouts.audit import run_audit
from payouts.gateways import TransferOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Payout, PayoutState
from payouts.services.ledger import entry_post, transfer
from payouts.services.payouts import payout_reverse, payout_send, payouts_cancel
from tests.db_guards import guards_off
from tests.factories import UserFactory

from .conftest import release

pytestmark = [pytest.mark.django_db, pytest.mark.corrupts_ledger]

S = PayoutState


@pytest.fixture
def people(db):
    return UserFactory(), UserFactory()


@pytest.fixture
def paid(escrowed, people, monkeypatch):
    """award:1 paid to Ada and refused for Ben; award:2 forfeited; award:3 paid to Ada
    and reversed. Returns Ada's paid payout of award:1."""
    ada, ben = people
    first, refused = release(escrowed, [(ada, 600), (ben, 400)], reference="award:1")
    release(escrowed, [(ben, 50)], reference="award:2")
    (third,) = release(escrowed, [(ada, 70)], reference="award:3")
    payout_send(payout_id=first.pk)
    payout_send(payout_id=third.pk)
    payout_reverse(payout_id=third.pk)
    payouts_cancel(reference="award:2")
    with monkeypatch.context() as patch:
        patch.setattr(LocalGateway, "transfer", lambda self, p: TransferOutcome(status="failed"))
        payout_send(payout_id=refused.pk)
    report = run_audit()
    assert report.clean, report.breaches
    assert report.checked["payouts"] == 4
    assert report.checked["extra checks"] == 0
    return first


def payout(reference: str, user) -> Payout:
    return Payout.objects.get(reference=reference, payee=user)


def forge(payouts, **changes) -> None:
    with guards_off():
        payouts.update(**changes)


def breaches() -> list[str]:
    return run_audit().breaches


def code(user) -> str:
    return payable_account(user.pk, "USD")[0]


def test_a_paid_payout_never_posted(paid, people):
    refused = payout("award:1", people[1])
    forge(Payout.objects.filter(pk=refused.pk), state=S.SUCCEEDED)
    assert breaches() == [f"payout:{refused.key}: the payout was paid but never posted"]


def test_a_payout_entry_without_a_paid_payout(paid):
    forge(Payout.objects.filter(pk=paid.pk), state=S.FAILED)
    assert breaches() == [f"entry payout:{paid.key} has no paid payout behind it"]


def test_a_payout_whose_amount_differs_from_its_entries(paid, people):
    forge(Payout.objects.filter(pk=paid.pk), amount=F("amount") + 1)
    ada, ben = people
    assert breaches() == [
        f"entry release:award:1: payable legs {{'{code(ada)}': 600, '{code(ben)}': 400}}, "
        f"payouts say {{'{code(ada)}': 601, '{code(ben)}': 400}}",
        f"entry payout:{paid.key}: payable legs {{'{code(ada)}': -600}}, "
        f"payouts say {{'{code(ada)}': -601}}",
        "award:1: payouts of 1001 exceed its release of 1000",
    ]


def test_a_reversed_payout_whose_reversal_was_never_posted(paid):
    forge(Payout.objects.filter(pk=paid.pk), state=S.REVERSED)
    assert breaches() == [
        f"reverse:payout:{paid.key}: the payout was reversed but the reversal never posted"
    ]


def test_a_reversal_entry_without_a_reversed_payout(paid, people):
    reversed_ = payout("award:3", people[0])
    forge(Payout.objects.filter(pk=reversed_.pk), state=S.SUCCEEDED)
    assert breaches() == [f"entry reverse:payout:{reversed_.key} has no reversed payout behind it"]


def test_a_release_without_payouts(paid, escrowed, people):
    entry_post(
        key="release:award:9",
        kind="release",
        reference=subject_of(escrowed),
        currency="USD",
        legs=transfer(
            subject_account(subject_of(escrowed), "escrow"), payable_account(people[0].pk, "USD"), 5
        ),
    )
    assert breaches() == ["entry release:award:9 has no payouts behind it"]


def test_payouts_without_a_release(paid, escrowed, people):
    Payout.objects.create(
        subject=subject_of(escrowed),
        reference="award:8",
        payee=people[0],
        amount=5,
        currency="USD",
        gateway="local",
        transfer_group=subject_of(escrowed),
        key=f"award:8:{people[0].pk}",
    )
    assert breaches() == [
        "release:award:8: payouts exist but the award was never released",
        "award:8: payouts of 5 exceed its release of 0",
    ]


def test_a_cancelled_payout_never_forfeited(paid, people):
    refused = payout("award:1", people[1])
    forge(Payout.objects.filter(pk=refused.pk), state=S.CANCELLED)
    assert breaches() == ["forfeit:award:1: payouts were cancelled but never forfeited"]


def test_a_forfeit_without_cancelled_payouts(paid, people):
    forge(Payout.objects.filter(reference="award:2"), state=S.FAILED)
    assert breaches() == ["entry forfeit:award:2 has no cancelled payouts behind it"]


def award_rule(breach) -> None:
    breach("award 5 is paid but its deed is unsigned")


def test_extra_checks_from_settings_report_through_the_audit(paid, settings):
    settings.LEDGER_AUDIT_EXTRA_CHECKS = [f"{__name__}.award_rule"]

    report = run_audit()

    assert report.breaches == ["award 5 is paid but its deed is unsigned"]
    assert report.checked["extra checks"] == 1
