"""Staff pages of awards, payouts and signed deeds: who sees them (staff; everyone else
404), what they show, retrying a failed payout, forfeiting its award, the deed PDF, and
CSV exports that a spreadsheet cannot run."""

import csv
import hashlib
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.propose import award_propose
from marketplace.awards.tasks import pay_award
from marketplace.challenges.models import Challenge, IPModel
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways import GatewayUnavailable
from payouts.gateways.base import TransferOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Payout, PayoutState
from payouts.selectors import statement
from payouts.services import payouts as payout_service
from payouts.services.tax import tax_form_submit
from tests.db_guards import guards_off
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory, submission_for

pytestmark = pytest.mark.django_db

REFUSAL = '=HYPERLINK("http://evil.example","account closed")'
SNEAKY_AGENT = "=cmd|' /C calc'!A0"

GET_PAGES = ["staff_awards", "staff_payouts", "staff_payouts_csv", "staff_deeds", "staff_deeds_csv"]


def w9(name: str) -> dict:
    return {
        "legal_name": name,
        "address_line": "1 Main Street",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
        "tax_classification": "individual",
        "tin_kind": "ssn",
        "tin": "123-45-6789",
        "signature_name": name,
        "certified": True,
    }


def awarding_challenge(org, owner, *, ip_model=IPModel.SOLVER_KEEPS, **fields) -> Challenge:
    """A funded, opened challenge (pool 25,000.00, fee 2,500.00) moved on to awarding."""
    challenge = ChallengeFactory(
        organization=org,
        created_by=owner,
        state=S.AWAITING_FUNDING,
        funded=True,
        ip_model=ip_model,
        **fields,
    )
    challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
    Challenge.objects.filter(pk=challenge.pk).update(state=S.AWARDING)
    return Challenge.objects.get(pk=challenge.pk)


def proposed_award(challenge, owner, *, name="Ada Winner", amount=1_000_000) -> Award:
    winner = RegistrationFactory(challenge=challenge, user=UserFactory(full_name=name)).user
    Challenge.objects.filter(pk=challenge.pk).update(state=S.OPEN)
    submission = submission_for(challenge, winner, title=f"Entry of {name}")
    Challenge.objects.filter(pk=challenge.pk).update(state=S.AWARDING)
    return award_propose(
        challenge_id=challenge.pk,
        actor=owner,
        submission_id=submission.pk,
        planned_award_id=challenge.planned_awards.get().pk,
        amount=amount,
    )


def verified_award(org, owner, *, deed=False, name="Ada Winner", amount=1_000_000) -> Award:
    """An award of `amount` the winner accepted (and signed the deed for, with `deed`),
    with a W-9 on file: verified, so released, its payout task queued after commit (which
    a test's transaction never reaches: `release` runs it)."""
    ip_model = IPModel.EXCLUSIVE_TRANSFER if deed else IPModel.SOLVER_KEEPS
    award = proposed_award(
        awarding_challenge(org, owner, ip_model=ip_model), owner, name=name, amount=amount
    )
    winner = award.recipients.get().user
    tax_form_submit(user=winner, kind="w9", data=w9(name))
    award_accept(award_id=award.pk, user=winner)
    if deed:
        award_deed_sign(
            award_id=award.pk,
            user=winner,
            accepted_sha256=award_deed(award=award, user=winner).sha256,
            signature=name,
            ip="203.0.113.9",
            user_agent=SNEAKY_AGENT,
        )
    award = Award.objects.get(pk=award.pk)
    assert award.state == AwardState.VERIFIED
    return award


def release(award, capture) -> Award:
    """Run what the verification queued after commit: the payout task."""
    with capture(execute=True):
        pay_award.delay(award.pk)
    return Award.objects.get(pk=award.pk)


class RefusingGateway(LocalGateway):
    """The local gateway, except that the provider refuses every transfer."""

    def transfer(self, payout) -> TransferOutcome:
        return TransferOutcome(status="failed", failure_message=REFUSAL)


class SilentGateway(LocalGateway):
    """The local gateway, except that the provider never answers a transfer."""

    def transfer(self, payout) -> TransferOutcome:
        raise GatewayUnavailable("The provider did not answer.")


def released_unsent(org, owner, name: str) -> Award:
    """A released award whose payout task has not run yet (its payout is pending)."""
    return verified_award(org, owner, name=name)


@pytest.fixture
def refusing_gateway(monkeypatch):
    """Payouts go through a gateway that refuses them until `monkeypatch.undo()`."""
    monkeypatch.setattr(payout_service, "get_gateway", lambda name=None: RefusingGateway())
    return monkeypatch


@pytest.fixture
def failed_payout(org, owner, refusing_gateway, django_capture_on_commit_callbacks) -> Payout:
    award = release(verified_award(org, owner), django_capture_on_commit_callbacks)
    assert award.state == AwardState.VERIFIED
    payout = Payout.objects.get(reference=award.reference)
    assert payout.state == PayoutState.FAILED
    return payout


@pytest.fixture
def staff_client(client, staff):
    cache.clear()
    client.force_login(staff)
    return client


def content(client, url, params=None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class TestAccess:
    @pytest.fixture
    def deed_award(self, org, owner):
        return verified_award(org, owner, deed=True)

    @pytest.mark.parametrize("who", ["anonymous", "solver", "outsider", "judge", "owner"])
    def test_404_for_everyone_but_staff(self, client, request, deed_award, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        deed = deed_award.recipients.get().deed
        urls = [reverse(name) for name in [*GET_PAGES, "staff_dashboard"]]
        urls.append(reverse("staff_deed_pdf", args=[deed.pk]))
        for url in urls:
            assert client.get(url).status_code == 404, url

    def test_staff_see_every_page(self, staff_client, deed_award):
        deed = deed_award.recipients.get().deed
        urls = [reverse(name) for name in [*GET_PAGES, "staff_dashboard"]]
        for url in [*urls, reverse("staff_deed_pdf", args=[deed.pk])]:
            assert staff_client.get(url).status_code == 200, url

    def test_actions_are_404_for_the_owner_and_change_nothing(self, client, owner, failed_payout):
        client.force_login(owner)
        award_pk = Award.objects.get().pk
        retry = client.post(reverse("staff_payout_retry", args=[failed_payout.pk]))
        forfeit = client.post(reverse("staff_award_forfeit", args=[award_pk]), {"reason": "x"})
        assert (retry.status_code, forfeit.status_code) == (404, 404)
        assert Payout.objects.get().state == PayoutState.FAILED
        assert Award.objects.get().state == AwardState.VERIFIED

    def test_nav_links_only_for_staff(self, client, owner, staff):
        client.force_login(owner)
        page = content(client, reverse("home"))
        assert reverse("staff_awards") not in page
        assert reverse("staff_dashboard") not in page
        client.force_login(staff)
        page = content(client, reverse("home"))
        assert f'<a href="{reverse("staff_awards")}">Awards & payouts</a>' in page
        assert f'<a href="{reverse("staff_dashboard")}">Dashboard</a>' in page


class TestPayouts:
    def test_failed_payout_needs_attention_first(
        self,
        staff_client,
        org,
        owner,
        failed_payout,
        refusing_gateway,
        django_capture_on_commit_callbacks,
    ):
        refusing_gateway.undo()
        paid = release(
            verified_award(org, owner, name="Ben Paid"), django_capture_on_commit_callbacks
        )
        assert paid.state == AwardState.PAID
        response = staff_client.get(reverse("staff_payouts"))
        rows = [payout for payout, _award in response.context["rows"]]
        assert [p.reference for p in rows] == [failed_payout.reference, paid.reference]
        page = response.content.decode()
        failed_award = Award.objects.exclude(pk=paid.pk).get()
        for text in (
            "Ada Winner",
            "$10,000.00",
            "Failed",
            "needs attention",
            "account closed",
            f"Transfer: local_tr_{rows[1].pk}",
            reverse("staff_payout_retry", args=[failed_payout.pk]),
            reverse("staff_award_freeze", args=[failed_award.pk]),  # a dispute, then forfeit
        ):
            assert text in page, text
        assert page.count("Retry</button>") == 1

    def test_needs_attention_filter(self, staff_client, org, owner, failed_payout, monkeypatch):
        waiting = Payout.objects.get(reference=released_unsent(org, owner, "Ben Waiting").reference)
        stuck = Payout.objects.get(reference=released_unsent(org, owner, "Cy Stuck").reference)
        monkeypatch.setattr(payout_service, "get_gateway", lambda name=None: SilentGateway())
        with pytest.raises(GatewayUnavailable):
            payout_service.payout_send(payout_id=stuck.pk)
        everything = staff_client.get(reverse("staff_payouts"))
        attention = staff_client.get(reverse("staff_payouts"), {"state": "attention"})
        pending = staff_client.get(reverse("staff_payouts"), {"state": "pending"})
        assert [p.pk for p, _a in everything.context["rows"]] == [
            stuck.pk,
            failed_payout.pk,
            waiting.pk,
        ]
        assert [p.pk for p, _a in attention.context["rows"]] == [stuck.pk, failed_payout.pk]
        assert [p.pk for p, _a in pending.context["rows"]] == [stuck.pk, waiting.pk]
        assert "The provider did not answer." in attention.content.decode()

    def test_retry_pays_once_the_gateway_accepts(
        self, staff_client, failed_payout, refusing_gateway, django_capture_on_commit_callbacks
    ):
        refusing_gateway.undo()
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(
                reverse("staff_payout_retry", args=[failed_payout.pk]), follow=True
            )
        payout = Payout.objects.get()
        assert payout.state == PayoutState.SUCCEEDED
        assert payout.attempts == 2
        assert payout.provider_id == f"local_tr_{payout.pk}"
        assert Award.objects.get().state == AwardState.PAID
        assert f"Payout #{payout.pk} was sent again" in response.content.decode()
        assert statement(payout.subject)["paid"] == 1_000_000

    def test_retry_that_fails_again_shows_it(
        self, staff_client, failed_payout, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = staff_client.post(reverse("staff_payout_retry", args=[failed_payout.pk]))
        assert response.status_code == 302
        assert Payout.objects.get().state == PayoutState.FAILED
        assert Payout.objects.get().attempts == 2
        page = content(staff_client, response["Location"])
        assert f"Payout #{failed_payout.pk} was sent again" in page
        row = page.split(f'id="payout-{failed_payout.pk}"')[1]
        assert "Failed" in row
        assert "account closed" in row

    def test_retry_needs_post(self, staff_client, failed_payout):
        response = staff_client.get(reverse("staff_payout_retry", args=[failed_payout.pk]))
        assert response.status_code == 405

    def test_a_released_award_is_forfeited_only_after_a_dispute_freezes_it(
        self, staff_client, failed_payout
    ):
        award = Award.objects.get()
        refused = staff_client.post(
            reverse("staff_award_forfeit", args=[award.pk]),
            {"reason": "The winner's bank account is closed.", "back": "staff_payouts"},
            follow=True,
        )
        assert Award.objects.get().state == AwardState.VERIFIED
        assert "freeze the award in a dispute first" in refused.content.decode()
        assert 'action="{}"'.format(reverse("staff_award_freeze", args=[award.pk])) in (
            refused.content.decode()
        )
        staff_client.post(
            reverse("staff_award_freeze", args=[award.pk]),
            {"reason": "The winner's bank account is closed."},
        )
        response = staff_client.post(
            reverse("staff_award_forfeit", args=[award.pk]),
            {"reason": "The winner's bank account is closed.", "back": "staff_payouts"},
            follow=True,
        )
        award = Award.objects.get()
        assert award.state == AwardState.FORFEITED
        assert award.forfeit_reason == "The winner's bank account is closed."
        assert Payout.objects.get().state == PayoutState.CANCELLED
        figures = statement(failed_payout.subject)
        assert (figures["held"], figures["owed"], figures["paid"]) == (2_500_000, 0, 0)
        assert f"Award #{award.pk} is forfeited." in response.content.decode()

    def test_forfeit_needs_a_reason(self, staff_client, failed_payout):
        award = Award.objects.get()
        response = staff_client.post(
            reverse("staff_award_forfeit", args=[award.pk]), {"reason": " "}, follow=True
        )
        assert Award.objects.get().state == AwardState.VERIFIED
        assert "Give a reason for this action." in response.content.decode()

    def test_csv_escapes_formula_cells(self, staff_client, failed_payout):
        with guards_off():  # a destination only a client around the services could write
            Payout.objects.filter(pk=failed_payout.pk).update(destination="+acct_1")
        response = staff_client.get(reverse("staff_payouts_csv"), {"state": "attention"})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        [row] = csv_rows(response)
        assert row["failure_message"] == "'" + REFUSAL
        assert row["destination"] == "'+acct_1"
        assert row["amount_minor"] == "1000000"
        assert row["amount"] == "10000.00"
        assert row["state"] == "failed"
        assert row["reference"] == failed_payout.reference

    def test_page_queries_do_not_grow_with_rows(
        self, staff_client, org, owner, failed_payout, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(12) as few:
            staff_client.get(reverse("staff_payouts"))
        for number in range(3):
            released_unsent(org, owner, f"Winner {number}")
        with django_assert_max_num_queries(len(few)):
            response = staff_client.get(reverse("staff_payouts"))
        assert len(response.context["rows"]) == 4


class TestDeeds:
    @pytest.fixture
    def award(self, org, owner):
        return verified_award(org, owner, deed=True)

    def test_signed_deed_listed(self, staff_client, award):
        deed = award.recipients.get().deed
        page = content(staff_client, reverse("staff_deeds"))
        for text in (
            f'<a href="{reverse("challenge_detail", args=[award.challenge_id])}"><code>{award.reference}</code></a>',
            award.challenge.title,
            "Ada Winner",
            deed.signer.email,
            "v1",
            "203.0.113.9",
            deed.text_sha256,
            deed.pdf_sha256,
            reverse("staff_deed_pdf", args=[deed.pk]),
            "1 signed deed, newest first",
        ):
            assert text in page, text

    def test_pdf_is_the_stored_file(self, staff_client, award):
        deed = award.recipients.get().deed
        response = staff_client.get(reverse("staff_deed_pdf", args=[deed.pk]))
        body = b"".join(response.streaming_content)
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert body.startswith(b"%PDF")
        assert hashlib.sha256(body).hexdigest() == deed.pdf_sha256

    def test_unknown_deed_is_404(self, staff_client):
        assert staff_client.get(reverse("staff_deed_pdf", args=[999])).status_code == 404

    def test_filter_by_challenge_and_signer(self, staff_client, org, owner, award):
        other = verified_award(org, owner, deed=True, name="Cy Other")
        by_challenge = staff_client.get(reverse("staff_deeds"), {"challenge": other.challenge_id})
        assert [d.signer.full_name for d, _a in by_challenge.context["rows"]] == ["Cy Other"]
        by_signer = staff_client.get(reverse("staff_deeds"), {"signer": "ada win"})
        assert [d.signer.full_name for d, _a in by_signer.context["rows"]] == ["Ada Winner"]
        both = staff_client.get(reverse("staff_deeds"))
        assert len(both.context["rows"]) == 2

    def test_bad_filter_shows_its_error_and_is_ignored(self, staff_client, award):
        response = staff_client.get(reverse("staff_deeds"), {"challenge": "twelve"})
        assert response.context["form"].errors["challenge"]
        assert len(response.context["rows"]) == 1

    def test_csv_escapes_formula_cells(self, staff_client, award):
        deed = award.recipients.get().deed
        response = staff_client.get(reverse("staff_deeds_csv"), {"challenge": award.challenge_id})
        [row] = csv_rows(response)
        assert row["user_agent"] == "'" + SNEAKY_AGENT
        assert row["reference"] == award.reference
        assert row["challenge_id"] == str(award.challenge_id)
        assert row["signature"] == "Ada Winner"
        assert (row["text_sha256"], row["pdf_sha256"]) == (deed.text_sha256, deed.pdf_sha256)
        assert row["template_kind"] == "transfer_deed"


class TestAwards:
    def test_progress_of_each_award(
        self, staff_client, org, owner, django_capture_on_commit_callbacks
    ):
        paid = release(verified_award(org, owner), django_capture_on_commit_callbacks)
        waiting = proposed_award(
            awarding_challenge(org, owner, ip_model=IPModel.NONEXCLUSIVE_LICENCE),
            owner,
            name="Di Waiting",
            amount=500_000,
        )
        response = staff_client.get(reverse("staff_awards"))
        assert [a.pk for a, _deed in response.context["rows"]] == [waiting.pk, paid.pk]
        rows = response.content.decode().split('id="award-')
        waiting_row, paid_row = rows[1], rows[2]
        for text in (
            "Proposed",
            "$5,000.00",
            "Di Waiting",
            "not accepted",
            "deed not signed",
            "no tax form",
        ):
            assert text in waiting_row, text
        for text in (
            "Paid",
            "$10,000.00",
            "Ada Winner",
            "accepted ✓",
            "no deed needed",
            "tax form on file ✓",
        ):
            assert text in paid_row, text
        assert paid_row.count("—") == 0  # verified, released and paid dates all shown

    def test_filter_by_state(self, staff_client, org, owner):
        award = verified_award(org, owner)
        proposed_award(awarding_challenge(org, owner), owner, name="Di Waiting")
        response = staff_client.get(reverse("staff_awards"), {"state": "verified"})
        assert [a.pk for a, _deed in response.context["rows"]] == [award.pk]
