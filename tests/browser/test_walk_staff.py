"""Staff's part of the story, in English and in Spanish: the dashboard (approving a
request to close a challenge early), the challenge list and its filters, the review
queue (approving a challenge), awards, payouts, deeds, the agreements audit and the
ledger, after a challenge has been awarded and paid through the services. Every page is
checked for accessibility and, in Spanish, for English left on it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from legal.models import Acceptance
from marketplace.challenges.models import ChallengeState
from marketplace.lifecycle.early_close import early_close_request
from marketplace.lifecycle.models import EarlyCloseRequest
from marketplace.lifecycle.services import challenge_transition
from marketplace.participation.services import challenge_register
from payouts.models import Account
from tests.browser.checks import check_page
from tests.browser.walk import log_in, submit, visit
from tests.factories import ChallengeFactory, agreement_hash, submission_for
from tests.story import awarding, claim_both, draft_for, propose_both

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = (
    "staff_awards",
    "staff_payouts",
    "staff_payout_accounts",
    "staff_deeds",
    "acceptance_audit",
    "ledger_accounts",
    "ledger_entries",
    "ledger_payments",
    "ledger_refunds",
    "ledger_events",
    "ledger_audit",
)


def asked_to_close_early(people) -> EarlyCloseRequest:
    """A second challenge of the organisation, open with an entry, whose owner asks staff
    to close it early; `people.challenge` stays the awarded one."""
    awarded = people.challenge
    challenge = draft_for(
        people, title="Cold-chain sensor tag", state=ChallengeState.AWAITING_FUNDING, funded=True
    )
    challenge_transition(challenge_id=challenge.pk, name="open", actor=people.owner)
    solver = people.solvers[0]
    challenge_register(
        challenge_id=challenge.pk, user=solver, accepted_sha256=agreement_hash(challenge)
    )
    submission_for(challenge, solver, title="Tag printed on paper")
    people.challenge = awarded
    return early_close_request(
        challenge_id=challenge.pk, actor=people.owner, reason="The supplier withdrew."
    )


def test_staff_walk_the_story(reader, live_server, language):
    page, url = reader, live_server.url
    people = awarding()
    claim_both(people, propose_both(people))
    waiting = ChallengeFactory(
        organization=people.org,
        created_by=people.owner,
        title="Humidity-proof cardboard",
        state=ChallengeState.IN_REVIEW,
    )

    asked = asked_to_close_early(people)

    log_in(page, url, people.staff, language)
    visit(page, url + reverse("staff_dashboard"), language)
    submit(page, reverse("staff_early_close_approve", args=[asked.pk]))
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)
    challenges = url + reverse("staff_challenges")
    visit(page, challenges, language, shot="staff-challenges")
    visit(page, challenges + "?state=awarding&q=film", language)
    expect(page.locator("main table tbody tr")).to_have_count(1)

    visit(page, url + reverse("staff_review_queue"), language)
    submit(page, reverse("staff_challenge_action", args=[waiting.pk, "approve"]))
    expect(page.locator(".messages .success")).to_be_visible()
    check_page(page, language)

    for name in LISTS:
        visit(page, url + reverse(name), language)
    acceptance = Acceptance.objects.filter(subject=f"challenge:{people.challenge.pk}").first()
    visit(page, url + reverse("acceptance_detail", args=[acceptance.pk]), language)
    escrow = Account.objects.get(code=f"challenge:{people.challenge.pk}:escrow")
    visit(page, url + reverse("ledger_account", args=[escrow.pk]), language)
    visit(page, url + reverse("escrow_statement", args=[people.challenge.pk]), language)
