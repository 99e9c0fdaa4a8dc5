"""Setting up payouts on the winner's pages: with the local gateway at once; with Stripe
through its hosted onboarding (a loopback Stripe, tests/stripe_connect.py), back to the
return page that reads the account, or to the page that makes a fresh link. A payout
waits, visibly, until the account can receive it; staff see why, and may link an
account id by hand (recorded)."""

from html import escape

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from payouts.models import PayoutAccount, PayoutAccountLink, PayoutState
from payouts.selectors import payouts_for
from payouts.services.tax import tax_form_submit
from tests.factories import StaffFactory, UserFactory, claim_awarded_challenge, claim_w9_data
from tests.stripe_connect import stripe_connect_running, stripe_error

pytestmark = pytest.mark.django_db

PAYOUT_URL = reverse("solvers:payout_details")
WAITING = "Waiting for you to finish payout set-up with Stripe"


@pytest.fixture
def stripe_connect(settings, monkeypatch):
    yield from stripe_connect_running(settings, monkeypatch)


def as_user(client, user):
    client.force_login(user)
    return client


def signed_and_filed(org, owner):
    """A winner who accepted, signed the deed and filed a tax form: only payouts are
    missing for the award to be verified and released."""
    won = claim_awarded_challenge(org, owner)
    award_accept(award_id=won.award.pk, user=won.winner)
    rendered = award_deed(award=won.award, user=won.winner)
    award_deed_sign(
        award_id=won.award.pk,
        user=won.winner,
        accepted_sha256=rendered.sha256,
        signature=won.winner.full_name,
    )
    tax_form_submit(user=won.winner, kind="w9", data=claim_w9_data(won.winner.full_name))
    return won


def local_path(url: str) -> str:
    return url.removeprefix("http://testserver")


class TestLocalGateway:
    def test_nothing_is_needed_and_set_up_is_immediate(self, client, solver):
        client = as_user(client, solver)
        page = client.get(PAYOUT_URL).content.decode()
        assert "Nothing needed: test money is paid instantly." in page
        assert "Set up payouts" not in page and 'name="destination"' not in page
        response = client.post(reverse("solvers:payout_setup"))
        assert response.status_code == 302 and response.url == PAYOUT_URL
        assert PayoutAccount.objects.get(user=solver).gateway == "local"


class TestStripeOnboarding:
    def test_set_up_goes_to_stripe_and_comes_back(self, client, solver, stripe_connect):
        client = as_user(client, solver)
        page = client.get(PAYOUT_URL).content.decode()
        assert "Set up payouts</button>" in page and 'name="destination"' not in page

        response = client.post(reverse("solvers:payout_setup"))
        assert response.status_code == 302
        assert response.url.startswith(f"{stripe_connect.url}/connect/onboarding/")
        account = PayoutAccount.objects.get(user=solver)
        assert account.payouts_enabled is False
        [link] = stripe_connect.links.values()
        back = urlencode({"next": PAYOUT_URL})
        back_to = {"return_url": "payout_setup_return", "refresh_url": "payout_setup_refresh"}
        for name, view in back_to.items():
            assert link[name] == f"http://testserver{reverse(f'solvers:{view}')}?{back}"

        page = client.get(PAYOUT_URL).content.decode()
        assert WAITING in page and "Continue payout set-up" in page
        assert "a bank account to pay the money into" in page  # what Stripe still needs

        stripe_connect.finish(account.destination)
        response = client.get(local_path(link["return_url"]), follow=True)
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == PAYOUT_URL
        assert "Your payout set-up is complete: you can be paid." in page
        assert f"Payouts go to the Stripe account {account.destination}." in page
        account.refresh_from_db()
        assert account.payouts_enabled is True and account.details_submitted is True

    def test_coming_back_unfinished_says_stripe_needs_more(self, client, solver, stripe_connect):
        client = as_user(client, solver)
        client.post(reverse("solvers:payout_setup"))
        [link] = stripe_connect.links.values()
        response = client.get(local_path(link["return_url"]), follow=True)
        assert "Stripe still needs something from you" in response.content.decode()

    def test_a_stale_link_is_replaced(self, client, solver, stripe_connect):
        client = as_user(client, solver)
        client.post(reverse("solvers:payout_setup"))
        [link] = stripe_connect.links.values()
        response = client.get(local_path(link["refresh_url"]))
        assert response.url.startswith(f"{stripe_connect.url}/connect/onboarding/")
        assert len(stripe_connect.links) == 2 and len(stripe_connect.made_accounts) == 1

    def test_only_pages_of_this_site_are_gone_back_to(self, client, solver, stripe_connect):
        client = as_user(client, solver)
        client.post(reverse("solvers:payout_setup"))
        url = reverse("solvers:payout_setup_return") + "?next=https://evil.example/"
        assert client.get(url).url == PAYOUT_URL

    def test_a_refusal_by_stripe_is_said_not_a_server_error(
        self, client, solver, stripe_connect, monkeypatch
    ):
        refusal = "You can only create new accounts if you've signed up for Connect."
        monkeypatch.setattr(
            stripe_connect, "account_create", lambda form: stripe_error(400, refusal)
        )
        response = as_user(client, solver).post(reverse("solvers:payout_setup"), follow=True)
        assert response.status_code == 200
        shown = f"Stripe could not set up payouts ({escape(refusal)})"
        assert shown in response.content.decode()
        assert not PayoutAccount.objects.filter(user=solver).exclude(destination="").exists()

    def test_coming_back_without_an_account(self, client, solver, stripe_connect):
        response = as_user(client, solver).get(reverse("solvers:payout_setup_return"))
        assert response.url == PAYOUT_URL


class TestAwardPayout:
    def test_the_award_waits_for_the_set_up_then_is_paid(
        self, client, org, owner, stripe_connect, django_capture_on_commit_callbacks
    ):
        won = signed_and_filed(org, owner)
        client = as_user(client, won.winner)
        page_url = reverse("solvers:award_detail", args=[won.award.pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("solvers:award_payout_setup", args=[won.award.pk]))
        assert response.url.startswith(stripe_connect.url)
        assert Award.objects.get(pk=won.award.pk).released_at is not None
        [payout] = payouts_for(won.award.reference)
        assert (payout.state, payout.attempts) == (PayoutState.PENDING, 0)
        assert stripe_connect.requests == []
        page = client.get(page_url).content.decode()
        assert '<tr data-payout-stage="waiting">' in page and WAITING in page
        assert "Released: waiting for your payout set-up" in page

        [link] = stripe_connect.links.values()
        assert link["return_url"].endswith(urlencode({"next": f"{page_url}#step-4"}))
        stripe_connect.finish(payout.destination)
        with django_capture_on_commit_callbacks(execute=True):
            client.get(local_path(link["return_url"]))
        payout.refresh_from_db()
        assert payout.state == PayoutState.SUCCEEDED
        page = client.get(page_url).content.decode()
        assert '<tr data-payout-stage="sent">' in page
        assert f"${payout.amount // 100:,}.00" in page

    def test_the_page_in_spanish(self, client, org, owner, stripe_connect):
        won = signed_and_filed(org, owner)
        client = as_user(client, won.winner)
        client.post(reverse("solvers:award_payout_setup", args=[won.award.pk]))
        page_url = reverse("solvers:award_detail", args=[won.award.pk])
        page = client.get(page_url, headers={"accept-language": "es"}).content.decode()
        assert WAITING not in page
        assert "Stripe" in page and '<tr data-payout-stage="waiting">' in page


class TestStaff:
    def test_staff_see_why_a_payout_waits(self, client, org, owner, stripe_connect):
        won = signed_and_filed(org, owner)
        as_user(client, won.winner).post(reverse("solvers:award_payout_setup", args=[won.award.pk]))
        client.force_login(StaffFactory())
        page = client.get(reverse("staff_payouts")).content.decode()
        assert "Waiting for the payee to finish payout set-up with Stripe" in page

    def test_staff_link_an_account_and_it_is_recorded(self, client, solver, stripe_connect):
        url = reverse("staff_payout_accounts")
        assert as_user(client, UserFactory()).get(url).status_code == 404
        staff = StaffFactory()
        client.force_login(staff)
        assert client.get(url).status_code == 200
        response = client.post(url, {"email": solver.email, "destination": "bank 42"})
        assert response.status_code == 400 and "Enter a Stripe account id" in (
            response.content.decode()
        )
        response = client.post(url, {"email": solver.email, "destination": "acct_1Given"})
        assert response.status_code == 302
        [link] = PayoutAccountLink.objects.all()
        assert (link.actor, link.account.user, link.destination) == (staff, solver, "acct_1Given")
        page = client.get(url).content.decode()
        assert "acct_1Given" in page and staff.email in page
