"""Claiming an award, through the services and the local gateway: accept, sign the
deed, file a tax form, get verified, be released and paid, receive the certificate.
Refusals (not a recipient, wrong name, stale text, too late, not verified) store
nothing."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from legal.models import Certificate, Deed
from legal.services import StaleAgreement
from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.payment import award_release_held, awards_settle_released
from marketplace.awards.services.release import awards_recheck_for
from marketplace.awards.tasks import generate_certificate, pay_award
from marketplace.challenges.models import IPModel
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.notifications.models import Notification
from payouts.models import Payout, PayoutState
from payouts.services.tax import tax_form_submit
from tests.factories import UserFactory, claim_awarded_challenge, claim_w9_data

pytestmark = pytest.mark.django_db


def fresh(award) -> Award:
    return Award.objects.get(pk=award.pk)


def sign(award, user, **changes):
    rendered = award_deed(award=fresh(award), user=user)
    fields = {"accepted_sha256": rendered.sha256, "signature": user.full_name, **changes}
    return award_deed_sign(award_id=award.pk, user=user, **fields)


def file_w9(user):
    tax_form_submit(user=user, kind="w9", data=claim_w9_data(user.full_name))
    return awards_recheck_for(user=user)


def claimed(award, *users):
    """Every user accepts, signs their own deed and files a W-9."""
    for user in users:
        award_accept(award_id=award.pk, user=user)
        sign(award, user)
        file_w9(user)
    return fresh(award)


@pytest.fixture
def won(org, owner):
    return claim_awarded_challenge(org, owner)


@pytest.fixture
def team_won(org, owner):
    return claim_awarded_challenge(org, owner, team_members=[UserFactory()])


class TestSigning:
    def test_only_a_recipient_signs_and_a_refusal_stores_nothing(self, won, outsider, owner):
        rendered = award_deed(award=won.award, user=won.winner)
        for stranger in (outsider, owner):
            with pytest.raises(NotAllowed):
                award_deed_sign(
                    award_id=won.award.pk,
                    user=stranger,
                    accepted_sha256=rendered.sha256,
                    signature=stranger.full_name,
                )
        assert not Deed.objects.exists()
        assert fresh(won.award).state == "proposed"

    def test_a_wrong_name_is_a_field_error(self, won):
        with pytest.raises(ValidationError) as caught:
            sign(won.award, won.winner, signature="Someone Else")
        assert "signature" in caught.value.message_dict
        assert not Deed.objects.exists()
        assert fresh(won.award).recipients.get().deed_id is None

    def test_a_stale_text_is_refused(self, won):
        with pytest.raises(StaleAgreement):
            sign(won.award, won.winner, accepted_sha256="0" * 64)
        assert not Deed.objects.exists()

    def test_signing_accepts_stores_the_pdf_and_signing_again_changes_nothing(self, won):
        award = sign(won.award, won.winner)
        assert award.state == "deed_signed"
        deed = fresh(won.award).recipients.get().deed
        assert deed.signer == won.winner and deed.reference == f"award:{won.award.pk}"
        with deed.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == deed.pdf_sha256
        sign(won.award, won.winner)
        assert Deed.objects.count() == 1

    def test_the_solver_keeps_the_ip_so_there_is_no_deed(self, org, owner):
        kept = claim_awarded_challenge(org, owner, ip_model=IPModel.SOLVER_KEEPS)
        assert award_deed(award=kept.award, user=kept.winner) is None
        assert award_accept(award_id=kept.award.pk, user=kept.winner).state == "deed_signed"
        with pytest.raises(IllegalTransition) as caught:
            award_deed_sign(
                award_id=kept.award.pk,
                user=kept.winner,
                accepted_sha256="0" * 64,
                signature=kept.winner.full_name,
            )
        assert caught.value.code == "no_deed"


class TestVerification:
    def test_signed_and_tax_form_filed_is_verified(self, won):
        award_accept(award_id=won.award.pk, user=won.winner)
        sign(won.award, won.winner)
        assert fresh(won.award).state == "deed_signed"
        assert file_w9(won.winner) == 1
        assert fresh(won.award).state == "verified"

    def test_a_tax_form_filed_first_verifies_at_signing(self, won):
        file_w9(won.winner)
        assert sign(won.award, won.winner).state == "verified"

    def test_nothing_is_released_before_verification(self, won):
        sign(won.award, won.winner)
        assert awards_settle_released() == 0
        assert fresh(won.award).released_at is None
        assert not Payout.objects.exists()

    def test_verification_releases_the_prize_in_the_same_action(self, won):
        claimed(won.award, won.winner)
        award = fresh(won.award)
        assert award.state == "verified" and award.released_at is not None
        [payout] = Payout.objects.filter(reference=award.reference)
        assert payout.amount == award.amount and payout.state == PayoutState.PENDING

    def test_a_team_award_waits_for_every_members_deed(self, team_won):
        award, captain, [member] = team_won.award, team_won.winner, team_won.members
        claimed(award, captain)
        recipients = {r.user_id: r for r in fresh(award).recipients.all()}
        assert recipients[captain.pk].deed_id and recipients[member.pk].deed_id is None
        assert fresh(award).state == "accepted"
        sign(award, member)
        assert fresh(award).state == "deed_signed"
        file_w9(member)
        assert fresh(award).state == "verified"
        assert set(Deed.objects.values_list("signer_id", flat=True)) == {captain.pk, member.pk}


class TestClaimWindow:
    def test_declining_forfeits(self, won):
        award = award_forfeit(award_id=won.award.pk, actor=won.winner, reason="No thanks")
        assert award.state == "forfeited" and award.forfeit_reason == "No thanks"
        with pytest.raises(IllegalTransition) as caught:
            award_accept(award_id=won.award.pk, user=won.winner)
        assert caught.value.code == "award_forfeited"

    def test_after_the_claim_deadline_accepting_is_refused(self, won):
        Award.objects.filter(pk=won.award.pk).update(
            claim_deadline=timezone.now() - timedelta(minutes=1)
        )
        with pytest.raises(IllegalTransition) as caught:
            award_accept(award_id=won.award.pk, user=won.winner)
        assert caught.value.code == "claim_expired"
        assert fresh(won.award).recipients.get().accepted_at is None


class TestPayment:
    def test_release_pays_and_issues_the_certificate_once(
        self, won, owner, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            claimed(won.award, won.winner)
        award = fresh(won.award)
        assert award.state == "paid" and award.paid_at is not None
        [payout] = Payout.objects.filter(reference=award.reference)
        assert payout.state == PayoutState.SUCCEEDED and payout.amount == award.amount
        [certificate] = Certificate.objects.filter(reference=award.reference)
        assert certificate.recipient == won.winner and certificate.number
        with certificate.pdf.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == certificate.pdf_sha256
        # The tasks run again (a redelivery): nothing new is paid, issued or sent.
        with django_capture_on_commit_callbacks(execute=True):
            pay_award.delay(award.pk)
            generate_certificate.delay(certificate.pk)
        assert Payout.objects.count() == 1 and Certificate.objects.count() == 1
        kinds = list(Notification.objects.filter(user=won.winner).values_list("kind", flat=True))
        assert sorted(kinds) == sorted(
            ["award_won", "deed_ready", "award_paid", "certificate_ready"]
        )

    def test_verifying_again_and_the_sweep_release_once(
        self, won, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            claimed(won.award, won.winner)
            file_w9(won.winner)
            award_release_held(award_id=won.award.pk)
            awards_settle_released()
        assert Payout.objects.count() == 1
        assert fresh(won.award).state == "paid"

    def test_a_team_is_paid_by_shares_with_a_certificate_each(
        self, team_won, owner, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            award = claimed(team_won.award, team_won.winner, *team_won.members)
        paid = dict(Payout.objects.values_list("payee_id", "amount"))
        assert paid == dict(fresh(award).recipients.values_list("user_id", "amount"))
        assert sum(paid.values()) == award.amount
        assert Certificate.objects.filter(reference=award.reference).count() == 2
