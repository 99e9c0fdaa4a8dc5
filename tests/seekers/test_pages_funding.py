"""Funding from the Seeker's management page: what is due, "Fund now", the payments,
opening once funded, refunding excess, and the whole flow to the public badge."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from payouts.gateways import GatewayUnavailable
from payouts.gateways.base import PaymentOutcome
from payouts.gateways.local import LocalGateway
from payouts.models import Payment, PaymentState, Refund
from payouts.selectors import balance_of, statement
from tests.factories import ChallengeFactory, fund_challenge

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


def manage_url(challenge) -> str:
    return reverse("seekers:challenge_manage", args=[challenge.pk])


def fund_url(challenge) -> str:
    return reverse("seekers:challenge_fund", args=[challenge.pk])


def refund_url(challenge) -> str:
    return reverse("seekers:challenge_refund_excess", args=[challenge.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def state_of(challenge) -> str:
    return Challenge.objects.get(pk=challenge.pk).state


def transition_url(challenge, name) -> str:
    return reverse("seekers:challenge_transition", args=[challenge.pk, name])


@pytest.fixture
def awaiting(org):
    return ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)


def fund_now(client, challenge):
    """Press the button on the page, with the key the page put in the form."""
    page = client.get(manage_url(challenge))
    return client.post(fund_url(challenge), {"key": page.context["fund_key"]}, follow=True)


class TestFundingSection:
    def test_shows_what_is_due_and_the_button(self, client, awaiting, owner):
        client.force_login(owner)
        response = client.get(manage_url(awaiting))
        page = response.content.decode()
        assert response.context["funding"] == {
            "pool": 2_500_000,
            "fee": 250_000,
            "total": TOTAL,
            "received": 0,
            "outstanding": TOTAL,
            "excess": 0,
        }
        for text in (
            "Prize pool",
            "$25,000.00",
            "Platform fee",
            "$2,500.00",
            "Total to fund",
            "$27,500.00",
            "Received so far",
            "$0.00",
            "Fund now",
            "moves test money at once and nothing is charged",
            reverse("escrow_statement", args=[awaiting.pk]),
            "No payments yet.",
        ):
            assert text in page, text
        assert fund_url(awaiting) in page

    def test_judge_sees_the_figures_but_no_button(self, client, awaiting, judge):
        client.force_login(judge)
        page = client.get(manage_url(awaiting)).content.decode()
        assert "$27,500.00" in page
        assert fund_url(awaiting) not in page

    def test_a_draft_shows_what_will_be_due_without_a_button(self, client, draft, owner):
        client.force_login(owner)
        page = client.get(manage_url(draft)).content.decode()
        assert "Once staff approve the challenge" in page
        assert "$27,500.00" in page
        assert fund_url(draft) not in page

    def test_partial_payment(self, client, awaiting, owner):
        fund_challenge(awaiting, amount=1_000_000)
        client.force_login(owner)
        response = client.get(manage_url(awaiting))
        assert response.context["funding"]["received"] == 1_000_000
        assert response.context["funding"]["outstanding"] == 1_750_000
        assert "$17,500.00" in response.content.decode()
        assert "open" not in [t.name for t in response.context["actions"]]

    def test_excess_is_shown_before_opening(self, client, awaiting, owner):
        fund_challenge(awaiting, amount=TOTAL + 500_000)
        client.force_login(owner)
        page = client.get(manage_url(awaiting)).content.decode()
        assert "Excess" in page and "$5,000.00" in page
        assert "Fully funded: the challenge can open." in page
        assert fund_url(awaiting) not in page


ROLES = ["anonymous", "solver", "outsider", "judge", "manager", "owner", "staff"]
MAY_PAY = {"manager", "owner", "staff"}


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


class TestFundNow:
    @pytest.mark.parametrize("who", ROLES)
    def test_who_may_fund(self, client, request, awaiting, who):
        login(client, request, who)
        client.post(fund_url(awaiting), {"key": "0" * 32})
        assert Payment.objects.exists() is (who in MAY_PAY)

    def test_pays_what_is_outstanding_and_open_becomes_available(self, client, awaiting, owner):
        client.force_login(owner)
        response = fund_now(client, awaiting)
        payment = Payment.objects.get()
        assert (payment.amount, payment.state, payment.test_money, payment.created_by) == (
            TOTAL,
            PaymentState.SUCCEEDED,
            True,
            owner,
        )
        assert messages_of(response) == [
            "Payment of $27,500.00 received. This was test money: nothing was charged."
        ]
        assert "open" in [t.name for t in response.context["actions"]]
        page = response.content.decode()
        assert "Succeeded" in page and "test money" in page and f"local_pay_{payment.pk}" in page

    def test_the_same_form_twice_pays_once(self, client, awaiting, owner, monkeypatch):
        """A payment the provider has not confirmed yet is on its way: pressing again,
        with the same form or a fresh one, answers with it instead of paying again."""
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="pending", provider_id=f"pi_{payment.pk}", client_secret="secret"
            ),
        )
        client.force_login(owner)
        key = client.get(manage_url(awaiting)).context["fund_key"]
        client.post(fund_url(awaiting), {"key": key})
        client.post(fund_url(awaiting), {"key": key})
        assert Payment.objects.count() == 1
        fresh = client.get(manage_url(awaiting)).context["fund_key"]
        assert fresh != key
        response = client.post(fund_url(awaiting), {"key": fresh}, follow=True)
        assert Payment.objects.count() == 1
        assert messages_of(response) == [
            "Payment of $27,500.00 started. It counts once the payment provider confirms it."
        ]

    def test_a_resent_form_answers_with_the_first_payment(self, client, awaiting, owner):
        client.force_login(owner)
        key = client.get(manage_url(awaiting)).context["fund_key"]
        first = client.post(fund_url(awaiting), {"key": key}, follow=True)
        again = client.post(fund_url(awaiting), {"key": key}, follow=True)
        assert Payment.objects.count() == 1
        assert messages_of(first)[0].startswith("Payment of $27,500.00 received.")
        assert messages_of(again) == messages_of(first)

    def test_judge_is_refused(self, client, awaiting, judge):
        client.force_login(judge)
        response = client.post(fund_url(awaiting), follow=True)
        assert messages_of(response) == [
            "Only owners and managers of the organisation can fund a challenge."
        ]
        assert not Payment.objects.exists()

    @pytest.mark.parametrize("who", ["solver", "outsider"])
    def test_non_members_get_404(self, client, request, awaiting, who):
        client.force_login(request.getfixturevalue(who))
        assert client.post(fund_url(awaiting)).status_code == 404
        assert not Payment.objects.exists()

    def test_anonymous_is_sent_to_log_in(self, client, awaiting):
        response = client.post(fund_url(awaiting))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert not Payment.objects.exists()

    def test_get_is_not_allowed(self, client, awaiting, owner):
        client.force_login(owner)
        assert client.get(fund_url(awaiting)).status_code == 405

    @pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.OPEN])
    def test_wrong_state_is_refused(self, client, org, owner, state):
        challenge = ChallengeFactory(organization=org, state=state)
        client.force_login(owner)
        response = client.post(fund_url(challenge), follow=True)
        assert messages_of(response) == ["Only a challenge awaiting funding can be funded."]
        assert not Payment.objects.exists()

    def test_a_declined_payment_is_shown(self, client, awaiting, owner, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="failed", provider_id=f"local_pay_{payment.pk}", failure_message="Declined."
            ),
        )
        client.force_login(owner)
        response = fund_now(client, awaiting)
        assert messages_of(response) == ["The payment of $27,500.00 failed: Declined."]
        assert Payment.objects.get().state == PaymentState.FAILED
        assert "Failed" in response.content.decode()

    def test_a_payment_waiting_for_the_provider(self, client, awaiting, owner, monkeypatch):
        monkeypatch.setattr(
            LocalGateway,
            "start_payment",
            lambda self, payment, payment_method=None: PaymentOutcome(
                status="pending", provider_id="pi_1", client_secret="pi_1_secret"
            ),
        )
        client.force_login(owner)
        response = fund_now(client, awaiting)
        assert messages_of(response) == [
            "Payment of $27,500.00 started. It counts once the payment provider confirms it."
        ]
        assert response.context["funding"]["received"] == 0

    def test_gateway_down_then_retry_pays_once(self, client, awaiting, owner, monkeypatch):
        def down(self, payment, payment_method=None):
            raise GatewayUnavailable("timed out")

        monkeypatch.setattr(LocalGateway, "start_payment", down)
        client.force_login(owner)
        response = fund_now(client, awaiting)
        assert "The payment provider did not answer." in messages_of(response)[0]
        assert Payment.objects.get().state == PaymentState.PENDING
        retry_key = response.context["fund_key"]
        monkeypatch.undo()
        response = client.post(fund_url(awaiting), {"key": retry_key}, follow=True)
        payment = Payment.objects.get()
        assert payment.state == PaymentState.SUCCEEDED
        assert messages_of(response)[0].startswith("Payment of $27,500.00 received.")
        assert response.context["fund_key"] != retry_key


class TestRefundExcess:
    @pytest.fixture
    def overfunded(self, awaiting, owner):
        fund_challenge(awaiting, amount=TOTAL + 500_000)
        return challenge_transition(challenge_id=awaiting.pk, name="open", actor=owner)

    def test_button_refunds_the_excess(
        self, client, overfunded, owner, django_capture_on_commit_callbacks
    ):
        client.force_login(owner)
        page = client.get(manage_url(overfunded)).content.decode()
        assert "Paid beyond pool and fee: $5,000.00." in page
        assert refund_url(overfunded) in page
        with django_capture_on_commit_callbacks(execute=True):
            client.post(refund_url(overfunded))
        response = client.get(manage_url(overfunded))
        assert messages_of(response) == [
            "The excess is being refunded; the escrow statement shows each refund."
        ]
        refund = Refund.objects.get()
        assert (refund.amount, refund.from_funding, refund.state) == (500_000, 500_000, "succeeded")
        subject = f"challenge:{overfunded.pk}"
        assert balance_of(subject, "funding") == 0
        assert balance_of(subject, "escrow") == 2_500_000
        assert statement(subject)["refunded"] == 500_000
        assert refund_url(overfunded) not in response.content.decode()

    @pytest.mark.parametrize("who", ROLES)
    def test_who_may_refund(
        self, client, request, overfunded, who, django_capture_on_commit_callbacks
    ):
        login(client, request, who)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(refund_url(overfunded))
        assert Refund.objects.exists() is (who in MAY_PAY)

    def test_nothing_left_to_refund(self, client, org, owner, django_capture_on_commit_callbacks):
        challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
        challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
        client.force_login(owner)
        assert refund_url(challenge) not in client.get(manage_url(challenge)).content.decode()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(refund_url(challenge), follow=True)
        assert messages_of(response) == [
            "Nothing to refund: no excess is left, or its refund is under way."
        ]
        assert not Refund.objects.exists()

    def test_judge_is_refused(self, client, overfunded, judge):
        client.force_login(judge)
        assert refund_url(overfunded) not in client.get(manage_url(overfunded)).content.decode()
        response = client.post(refund_url(overfunded), follow=True)
        assert messages_of(response) == [
            "Only owners and managers of the organisation can ask for refunds."
        ]
        assert not Refund.objects.exists()

    def test_not_before_opening(self, client, awaiting, owner):
        fund_challenge(awaiting, amount=TOTAL + 500_000)
        client.force_login(owner)
        response = client.post(refund_url(awaiting), follow=True)
        assert messages_of(response) == [
            "Excess funding is refunded once the challenge has opened."
        ]
        assert not Refund.objects.exists()


class TestDashboard:
    def test_links_to_funding_and_to_the_statement(self, client, org, owner, awaiting):
        opened = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True)
        challenge_transition(challenge_id=opened.pk, name="open", actor=owner)
        client.force_login(owner)
        page = client.get(reverse("seekers:dashboard")).content.decode()
        assert f'{manage_url(awaiting)}#funding">Funding</a>' in page
        assert reverse("escrow_statement", args=[opened.pk]) in page
        assert reverse("escrow_statement", args=[awaiting.pk]) not in page


def test_flow_fund_open_badge_and_statement(client, awaiting, manager):
    """A manager funds through the page and opens; the public sees the badge; the
    statement adds up."""
    client.force_login(manager)
    fund_now(client, awaiting)
    response = client.post(transition_url(awaiting, "open"), follow=True)
    assert state_of(awaiting) == S.OPEN
    assert "Fund now" not in response.content.decode()

    client.logout()
    badge = "Prize funded in escrow: $25,000.00"
    assert badge in client.get(reverse("catalogue")).content.decode()
    assert badge in client.get(reverse("challenge_detail", args=[awaiting.pk])).content.decode()

    client.force_login(manager)
    statement_page = client.get(reverse("escrow_statement", args=[awaiting.pk]))
    assert statement_page.context["balanced"] is True
    figures = {str(label): amount for label, _help, amount in statement_page.context["figures"]}
    assert figures["Received"] == TOTAL
    assert figures["Held in escrow"] == 2_500_000
    assert figures["Platform fee"] == 250_000
    assert "The figures add up" in statement_page.content.decode()
