"""The card form of the funding section (stripe gateway): shown with the payment's
client secret to the organisation's owners and managers only, with Stripe's origins
added to that page's Content-Security-Policy and to no other; and the payment status
the form asks while it waits for Stripe's webhook."""

import pytest
from django.urls import reverse

from marketplace.challenges.models import ChallengeState as S
from marketplace.escrow.services import challenge_fund
from payouts.models import PaymentState
from payouts.services.payments import payment_confirm
from seekers.views.funding import stripe_policy
from tests.factories import ChallengeFactory, StaffFactory, UserFactory
from tests.project.test_csp import policy
from tests.stripe_fakes import localstripe_url as localstripe_url  # a fixture
from tests.stripe_fakes import stripe_api as stripe_api  # a fixture

pytestmark = pytest.mark.django_db

TOTAL = 2_750_000  # pool 25,000.00 + fee 2,500.00


@pytest.fixture
def awaiting(org):
    return ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)


@pytest.fixture
def pending(stripe_api, awaiting, owner):
    """ "Fund now" pressed with the stripe gateway: a card payment waiting for the card."""
    payment = challenge_fund(challenge_id=awaiting.pk, actor=owner)
    assert (payment.state, bool(payment.client_secret)) == (PaymentState.PENDING, True)
    return payment


def manage_url(challenge) -> str:
    return reverse("seekers:challenge_manage", args=[challenge.pk])


def status_url(challenge, payment) -> str:
    return reverse("seekers:challenge_payment_status", args=[challenge.pk, payment.pk])


def test_fund_now_says_to_pay_by_card_below(client, stripe_api, awaiting, owner):
    client.force_login(owner)
    page = client.get(manage_url(awaiting))
    response = client.post(
        reverse("seekers:challenge_fund", args=[awaiting.pk]),
        {"key": page.context["fund_key"]},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Payment of $27,500.00 started: pay it with your card below. It counts once the "
        "payment provider confirms it."
    ]
    assert response.context["card"]["payment"].amount == TOTAL


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_editors_get_the_card_form_with_the_client_secret(
    request, client, pending, awaiting, localstripe_url, role
):
    client.force_login(request.getfixturevalue(role))
    response = client.get(manage_url(awaiting))

    html = response.content.decode()
    assert f'data-client-secret="{pending.client_secret}"' in html
    assert 'data-publishable-key="pk_test_localstripe"' in html
    assert f'data-status-url="{status_url(awaiting, pending)}"' in html
    assert f'<script src="{localstripe_url}/js.stripe.com/v3/" defer></script>' in html
    assert '<script src="/static/js/card_funding.js" defer></script>' in html
    # The card form replaces "Fund now": pressing it would answer with this payment.
    assert reverse("seekers:challenge_fund", args=[awaiting.pk]) not in html
    directives = policy(response)
    assert directives["script-src"][:2] == ["'self'", localstripe_url]
    assert directives["frame-src"] == [localstripe_url]
    assert directives["connect-src"] == ["'self'", localstripe_url]


def test_staff_and_judges_never_get_the_client_secret(client, pending, awaiting, judge):
    for user in (StaffFactory(), judge):
        client.force_login(user)
        response = client.get(manage_url(awaiting))
        assert response.status_code == 200
        html = response.content.decode()
        assert pending.client_secret not in html
        assert "card-funding" not in html
        assert "js.stripe.com" not in html
        assert policy(response)["connect-src"] == ["'self'"]
        assert "frame-src" not in policy(response)


def test_no_card_form_once_the_payment_is_confirmed(client, pending, awaiting, owner):
    payment_confirm(payment_id=pending.pk)
    client.force_login(owner)
    response = client.get(manage_url(awaiting))
    assert "card" not in response.context
    assert pending.client_secret not in response.content.decode()
    assert "frame-src" not in policy(response)


def test_the_local_gateway_has_no_card_form_and_the_strict_policy(client, awaiting, owner):
    client.force_login(owner)
    client.post(reverse("seekers:challenge_fund", args=[awaiting.pk]), {"key": "0" * 32})
    response = client.get(manage_url(awaiting))
    assert "card" not in response.context
    assert policy(response)["connect-src"] == ["'self'"]
    assert "frame-src" not in policy(response)


def test_other_pages_keep_the_strict_policy_with_the_stripe_gateway(client, stripe_api, owner):
    client.force_login(owner)
    for name in ("home", "seekers:dashboard"):
        directives = policy(client.get(reverse(name)))
        assert directives["connect-src"] == ["'self'"]
        assert "frame-src" not in directives


def test_stripe_policy_for_stripe_itself(settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = "https://api.stripe.com"
    assert stripe_policy() == {
        "script-src": ["https://js.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["https://api.stripe.com"],
    }


class TestPaymentStatus:
    @pytest.mark.parametrize("role", ["owner", "manager"])
    def test_editors_read_the_state(self, request, client, pending, awaiting, role):
        client.force_login(request.getfixturevalue(role))
        response = client.get(status_url(awaiting, pending))
        assert response.status_code == 200
        assert response.json() == {"state": "pending"}

        payment_confirm(payment_id=pending.pk)
        assert client.get(status_url(awaiting, pending)).json() == {"state": "succeeded"}

    def test_staff_read_the_state(self, client, pending, awaiting):
        client.force_login(StaffFactory())
        assert client.get(status_url(awaiting, pending)).json() == {"state": "pending"}

    def test_judges_and_strangers_get_404(self, client, pending, awaiting, judge):
        for user in (judge, UserFactory()):
            client.force_login(user)
            assert client.get(status_url(awaiting, pending)).status_code == 404

    def test_a_payment_of_another_challenge_is_404(self, client, pending, org, owner):
        other = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)
        client.force_login(owner)
        assert client.get(status_url(other, pending)).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, pending, awaiting):
        response = client.get(status_url(awaiting, pending))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))

    def test_only_get(self, client, pending, awaiting, owner):
        client.force_login(owner)
        assert client.post(status_url(awaiting, pending)).status_code == 405
