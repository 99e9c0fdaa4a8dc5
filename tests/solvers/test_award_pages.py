"""The winner's pages: my awards, the award page's steps (accept or decline, sign the
deed, tax form, payout details, the outcome), the signed deed's PDF; only recipients
see an award (its deeds also its owners and staff), everyone else gets 404."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legal.models import Deed
from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.release import awards_recheck_for
from marketplace.challenges.models import IPModel
from payouts.selectors import payouts_for
from payouts.services.payouts import payout_fail
from payouts.services.tax import tax_form_submit
from tests.conftest import assert_shown_as_receipt_code
from tests.factories import UserFactory, claim_awarded_challenge, claim_w9_data

pytestmark = pytest.mark.django_db


def page_url(award) -> str:
    return reverse("solvers:award_detail", args=[award.pk])


def action_url(name: str, award) -> str:
    return reverse(f"solvers:award_{name}", args=[award.pk])


def deed_url(award, user) -> str:
    return reverse("solvers:award_deed_pdf", args=[award.pk, user.pk])


def fresh(award) -> Award:
    return Award.objects.get(pk=award.pk)


def as_user(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def deed_hash(award, user) -> str:
    return award_deed(award=fresh(award), user=user).sha256


def sign_on_page(client, award, user, **changes):
    data = {"accepted_sha256": deed_hash(award, user), "signature": user.full_name, **changes}
    return as_user(client, user).post(action_url("sign", award), data)


def verified(award, *users):
    for user in users:
        award_accept(award_id=award.pk, user=user)
        rendered = award_deed(award=fresh(award), user=user)
        award_deed_sign(
            award_id=award.pk, user=user, accepted_sha256=rendered.sha256, signature=user.full_name
        )
        tax_form_submit(user=user, kind="w9", data=claim_w9_data(user.full_name))
        awards_recheck_for(user=user)
    return fresh(award)


@pytest.fixture
def won(org, owner):
    return claim_awarded_challenge(org, owner)


@pytest.fixture
def team_won(org, owner):
    return claim_awarded_challenge(org, owner, team_members=[UserFactory(full_name="Ben Member")])


class TestWhoSees:
    def test_only_recipients_open_the_award_page(self, client, won, owner, staff, outsider):
        assert as_user(client, won.winner).get(page_url(won.award)).status_code == 200
        for other in (owner, staff, outsider, UserFactory()):
            assert as_user(client, other).get(page_url(won.award)).status_code == 404
            response = client.post(action_url("accept", won.award))
            assert response.status_code == 404
        assert fresh(won.award).state == "proposed"

    def test_the_list_shows_my_awards_only(self, client, won, outsider):
        page = as_user(client, won.winner).get(reverse("solvers:awards")).content.decode()
        assert won.challenge.title in page and "$25,000.00" in page
        assert "30 days left" in page and "Accept the award" in page
        page = as_user(client, outsider).get(reverse("solvers:awards")).content.decode()
        assert won.challenge.title not in page and "You have no awards yet" in page

    def test_my_challenges_links_to_my_awards(self, client, won):
        page = as_user(client, won.winner).get(reverse("solvers:my_challenges")).content.decode()
        assert reverse("solvers:awards") in page


class TestAcceptAndDecline:
    def test_accepting_opens_the_deed_step(self, client, won):
        client = as_user(client, won.winner)
        response = client.post(action_url("accept", won.award))
        assert response.status_code == 302 and response.url == page_url(won.award) + "#step-2"
        assert fresh(won.award).state == "accepted"
        page = client.get(page_url(won.award)).content.decode()
        assert '<li id="step-2"><details open>' in page
        assert f'name="accepted_sha256" value="{deed_hash(won.award, won.winner)}"' in page
        assert "Deed of assignment of intellectual property" in page

    def test_the_deed_to_sign_shows_its_hash_as_a_short_code(self, client, won):
        client = as_user(client, won.winner)
        client.post(action_url("accept", won.award))
        digest = deed_hash(won.award, won.winner)
        page = client.get(page_url(won.award)).content.decode()
        hidden = f'name="accepted_sha256" value="{digest}"'
        assert hidden in page
        assert_shown_as_receipt_code(page.replace(hidden, ""), digest)

    def test_declining_forfeits_the_award(self, client, won):
        client = as_user(client, won.winner)
        response = client.post(action_url("decline", won.award), {"reason": ""}, follow=True)
        award = fresh(won.award)
        assert award.state == "forfeited" and award.forfeit_reason == "Declined by the winner."
        assert "It is forfeited" in " ".join(messages_of(response))
        assert "This award was forfeited." in response.content.decode()

    def test_after_the_claim_deadline_accepting_is_refused(self, client, won):
        Award.objects.filter(pk=won.award.pk).update(
            claim_deadline=timezone.now() - timedelta(hours=1)
        )
        response = as_user(client, won.winner).post(action_url("accept", won.award), follow=True)
        assert "The claim deadline has passed." in messages_of(response)
        assert fresh(won.award).state == "proposed"
        assert "The claim deadline passed before the award was claimed." in (
            response.content.decode()
        )


class TestSigning:
    def test_a_wrong_name_is_a_field_error_and_nothing_is_stored(self, client, won):
        response = sign_on_page(client, won.award, won.winner, signature="Not Me")
        assert response.status_code == 400
        assert "Type your full name exactly as on your profile" in (
            " ".join(response.context["sign_form"].errors["signature"])
        )
        assert not Deed.objects.exists()

    def test_a_stale_text_is_refused_and_the_current_one_shown(self, client, won):
        response = sign_on_page(client, won.award, won.winner, accepted_sha256="0" * 64)
        assert response.status_code == 400
        assert "The agreement has changed" in " ".join(
            response.context["sign_form"].non_field_errors()
        )
        assert deed_hash(won.award, won.winner) in response.content.decode()
        assert not Deed.objects.exists()

    def test_signing_stores_the_pdf_served_to_recipients_owners_and_staff(
        self, client, won, owner, staff, judge, outsider
    ):
        response = sign_on_page(client, won.award, won.winner)
        assert response.status_code == 302
        deed = Deed.objects.get()
        page = client.get(page_url(won.award)).content.decode()
        assert deed_url(won.award, won.winner) in page and deed.pdf_sha256 in page
        for reader in (won.winner, owner, staff):
            response = as_user(client, reader).get(deed_url(won.award, won.winner))
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            assert response["Content-Disposition"].startswith("inline")
            body = b"".join(response.streaming_content)
            assert hashlib.sha256(body).hexdigest() == deed.pdf_sha256
        for stranger in (judge, outsider, UserFactory()):
            assert as_user(client, stranger).get(deed_url(won.award, won.winner)).status_code == 404

    def test_the_signed_deeds_pdf_hash_shows_as_a_short_code(self, client, won):
        sign_on_page(client, won.award, won.winner)
        page = client.get(page_url(won.award)).content.decode()
        assert_shown_as_receipt_code(page, Deed.objects.get().pdf_sha256)

    def test_someone_elses_deed_cannot_be_signed(self, client, won, outsider):
        data = {"accepted_sha256": deed_hash(won.award, won.winner), "signature": "x"}
        response = as_user(client, outsider).post(action_url("sign", won.award), data)
        assert response.status_code == 404
        assert not Deed.objects.exists()

    def test_without_a_full_name_no_deed_is_shown_only_a_link_to_the_profile(self, client, won):
        won.winner.full_name = ""
        won.winner.save()
        award_accept(award_id=won.award.pk, user=won.winner)
        response = as_user(client, won.winner).get(page_url(won.award))
        page = response.content.decode()
        assert "but your account has no full name yet" in page
        profile = f"{reverse('solvers:profile_edit')}?next={page_url(won.award)}"
        assert f'<a href="{profile}">Add your full name</a>' in page
        assert response.context["deed"] is None
        assert 'class="agreement-text' not in page and "****" not in page
        assert action_url("sign", won.award) not in page and 'name="signature"' not in page

    def test_saving_the_full_name_on_the_profile_goes_back_to_the_deed(self, client, won):
        won.winner.full_name = ""
        won.winner.save()
        award_accept(award_id=won.award.pk, user=won.winner)
        profile = f"{reverse('solvers:profile_edit')}?next={page_url(won.award)}"
        data = {"full_name": "Grace Hopper", "display_name": "Grace", "country": ""}
        response = as_user(client, won.winner).post(profile, data)
        assert response.status_code == 302 and response["Location"] == page_url(won.award)
        response = client.get(page_url(won.award))
        won.winner.refresh_from_db()
        deed = award_deed(award=fresh(won.award), user=won.winner)
        assert response.context["deed"].sha256 == deed.sha256
        assert "Grace Hopper" in deed.text
        assert action_url("sign", won.award) in response.content.decode()

    def test_each_team_member_signs_their_own_deed(self, client, team_won):
        award, captain, [member] = team_won.award, team_won.winner, team_won.members
        assert sign_on_page(client, award, captain).status_code == 302
        page = as_user(client, member).get(page_url(award)).content.decode()
        assert f"{captain.full_name}: signed on" in page
        assert 'Ben Member (you): <span class="muted">not signed yet' in page
        assert fresh(award).state == "accepted"
        assert deed_url(award, member) not in page
        assert as_user(client, captain).get(deed_url(award, member)).status_code == 404
        assert sign_on_page(client, award, member).status_code == 302
        assert fresh(award).state == "deed_signed"
        assert set(Deed.objects.values_list("signer_id", flat=True)) == {captain.pk, member.pk}

    def test_no_deed_when_the_solver_keeps_the_ip(self, client, org, owner):
        kept = claim_awarded_challenge(org, owner, ip_model=IPModel.SOLVER_KEEPS)
        client = as_user(client, kept.winner)
        client.post(action_url("accept", kept.award))
        page = client.get(page_url(kept.award)).content.decode()
        assert "there is no deed to sign" in page and 'name="signature"' not in page
        assert '<li id="step-3"><details open>' in page


class TestStatus:
    def test_verified_is_released_without_waiting_for_anyone(self, client, won):
        verified(won.award, won.winner)  # its payout task is not run
        page = as_user(client, won.winner).get(page_url(won.award)).content.decode()
        assert '<li id="step-5"><details open>' in page
        assert "The prize was released from escrow; your payout is on its way." in page
        assert "Seeker to release" not in page
        assert "•••• 6789" in page and "123-45-6789" not in page and "123456789" not in page

    def test_a_failed_payout_says_staff_are_on_it(self, client, won, owner):
        verified(won.award, won.winner)  # released; its payout task is not run
        [payout] = payouts_for(won.award.reference)
        payout_fail(payout_id=payout.pk, message="Gateway refused: account closed")
        page = as_user(client, won.winner).get(page_url(won.award)).content.decode()
        assert "Our staff have been told and are on it" in page
        assert '<tr data-payout-stage="failed">' in page
        assert "Gateway refused: account closed" in page  # the reason, in the payout list

    def test_paid_shows_the_date_the_deed_and_the_certificate(
        self, client, won, owner, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            verified(won.award, won.winner)
        certificate = won.winner.certificates.get()
        page = as_user(client, won.winner).get(page_url(won.award)).content.decode()
        assert "Your prize was paid on" in page
        assert reverse("certificate_verify", args=[certificate.uuid]) in page
        assert reverse("certificate_pdf", args=[certificate.uuid]) in page
        assert deed_url(won.award, won.winner) in page
        listing = client.get(reverse("solvers:awards")).content.decode()
        assert "Paid on" in listing


def test_the_award_page_reads_in_spanish(client, won):
    client.force_login(won.winner)
    page = client.get(page_url(won.award), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<html lang="es">' in page
    assert "25.000,00\xa0US$" in page
    assert "Premio" in page and "Estado" in page and "Mis desafíos" in page
