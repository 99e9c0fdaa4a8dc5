"""The escrow badge on public challenges, and a challenge's escrow statement page and
CSV export for its Seeker and staff."""

import csv
import io
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.awards.services.finalize import awards_finalize
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_transition
from payouts.models import Account, Payment
from tests.db_guards import guards_off
from tests.factories import ChallengeFactory, fund_challenge
from tests.story import awarding, claim_both, propose_both

pytestmark = pytest.mark.django_db

BADGE = "Prize funded in escrow: $25,000.00"
ROLES = ["anonymous", "solver", "outsider", "judge", "manager", "owner", "staff"]
MAY_SEE = {"judge", "manager", "owner", "staff"}


def opened(org, actor, **kwargs) -> Challenge:
    """A challenge funded (pool + fee, local gateway) and opened, so escrow holds the pool."""
    challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING, funded=True, **kwargs)
    return challenge_transition(challenge_id=challenge.pk, name="open", actor=actor)


def challenge_payment(challenge) -> int:
    return Payment.objects.get(subject=f"challenge:{challenge.pk}").pk


def statement_url(challenge) -> str:
    return reverse("escrow_statement", args=[challenge.pk])


def csv_url(challenge) -> str:
    return reverse("escrow_csv", args=[challenge.pk])


def login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    return client


class TestBadge:
    def test_catalogue_cards_and_challenge_page_show_the_escrowed_pool(self, client, org, owner):
        opened_pk = opened(org, owner).pk
        ChallengeFactory(state=S.OPEN, prize_pool=500_000, currency="EUR")
        catalogue = client.get(reverse("catalogue")).content.decode()
        assert catalogue.count("Prize funded in escrow") == 2
        assert BADGE in catalogue
        assert "Prize funded in escrow: €5,000.00" in catalogue
        page = client.get(reverse("challenge_detail", args=[opened_pk])).content.decode()
        assert BADGE in page

    @pytest.mark.parametrize("state", [S.CLOSED, S.JUDGING, S.AWARDING])
    def test_every_published_state_while_escrow_holds_the_pool(self, client, org, owner, state):
        challenge = opened(org, owner)
        Challenge.objects.filter(pk=challenge.pk).update(state=state)
        page = client.get(reverse("challenge_detail", args=[challenge.pk])).content.decode()
        assert BADGE in page

    def test_a_published_challenge_without_money_in_the_ledger_claims_none(self, client):
        challenge = ChallengeFactory(state=S.OPEN)  # rows only: nothing was posted
        page = client.get(reverse("challenge_detail", args=[challenge.pk])).content.decode()
        assert challenge.title in page
        assert "escrow-now" not in page and "Prize funded in escrow" not in page

    def test_paid_and_returned_money_is_shown_from_the_ledger(
        self, client, django_capture_on_commit_callbacks
    ):
        """7,000.00 and 2,000.00 paid to the winners of a 10,000.00 pool, 1,000.00
        returned to the Seeker at completion: the page says so, not "in escrow"."""
        people = awarding()
        url = reverse("challenge_detail", args=[people.challenge.pk])
        with django_capture_on_commit_callbacks(execute=True):
            claim_both(people, propose_both(people))
        page = client.get(url).content.decode()
        assert "Prize funded in escrow" not in page
        assert "In escrow now: $1,000.00" in page
        assert "Paid to winners: $9,000.00" in page
        assert "Returned to the Seeker" not in page
        with django_capture_on_commit_callbacks(execute=True):
            awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)
        page = client.get(url).content.decode()
        assert "In escrow now" not in page and "Prize funded in escrow" not in page
        assert "Paid to winners: $9,000.00" in page
        assert "Returned to the Seeker: $1,000.00" in page

    @pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING])
    def test_not_before_opening(self, client, org, owner, state):
        challenge = ChallengeFactory(organization=org, state=state, funded=True)
        client.force_login(owner)
        page = client.get(reverse("challenge_detail", args=[challenge.pk])).content.decode()
        assert challenge.title in page
        assert "Prize funded in escrow" not in page

    def test_adds_no_query_per_card(self, client, settings):
        settings.MARKETPLACE = {**settings.MARKETPLACE, "CATALOGUE_PAGE_SIZE": 50}

        def queries(total: int) -> int:
            ChallengeFactory.create_batch(
                total - Challenge.objects.count(), state=S.OPEN, plan=False
            )
            with CaptureQueriesContext(connection) as ctx:
                content = client.get(reverse("catalogue")).content.decode()
            assert content.count(BADGE) == total
            return len(ctx.captured_queries)

        assert queries(3) == queries(20)


class TestStatementPage:
    @pytest.mark.parametrize("who", ROLES)
    def test_only_the_seekers_members_and_staff(self, client, request, org, owner, who):
        challenge = opened(org, owner)
        login(client, request, who)
        for url in (statement_url(challenge), csv_url(challenge)):
            assert client.get(url).status_code == (200 if who in MAY_SEE else 404)

    def test_unknown_challenge_is_404(self, client, staff):
        client.force_login(staff)
        assert client.get(reverse("escrow_statement", args=[999_999])).status_code == 404

    def test_figures_identity_and_entries(self, client, org, owner):
        challenge = opened(org, owner)
        client.force_login(owner)
        response = client.get(statement_url(challenge))
        content = response.content.decode()
        figures = {str(label): amount for label, _help, amount in response.context["figures"]}
        assert figures == {
            "Received": 2_750_000,
            "Platform fee": 250_000,
            "Held in escrow": 2_500_000,
            "Owed to winners": 0,
            "Paid to winners": 0,
            "Refunded": 0,
            "Unallocated": 0,
        }
        for text in (
            "$27,500.00",
            "$2,500.00",
            "$25,000.00",
            "The figures add up",
            f"Payment #{challenge_payment(challenge)} received",
            "Challenge opened: prize pool into escrow, platform fee earned",
            f"challenge:{challenge.pk}:escrow",
            f"challenge:{challenge.pk}:funding",
            "platform:fees:USD",
            "gateway:local:clearing:USD",
            "-$27,500.00",
            "test money",
            csv_url(challenge),
        ):
            assert text in content, text
        assert "do not add up" not in content
        assert "Prize pool into escrow and platform fee" not in content
        assert [sentence for _entry, sentence in response.context["entries"]] == [
            f"Payment #{challenge_payment(challenge)} received",
            "Challenge opened: prize pool into escrow, platform fee earned",
        ]

    def test_entries_in_spanish(self, client, org, owner):
        challenge = opened(org, owner)
        client.force_login(owner)
        content = client.get(statement_url(challenge), HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert '<html lang="es">' in content
        assert f"Pago n.º {challenge_payment(challenge)} recibido" in content
        assert (
            "Desafío abierto: bolsa de premios al depósito en garantía, "
            "comisión de la plataforma cobrada" in content
        )

    @pytest.mark.corrupts_ledger
    def test_says_when_the_figures_do_not_add_up(self, client, org, owner):
        challenge = opened(org, owner)
        with guards_off():
            Account.objects.filter(code=f"challenge:{challenge.pk}:escrow").update(balance=1)
        client.force_login(owner)
        content = client.get(statement_url(challenge)).content.decode()
        assert "The figures do not add up" in content
        assert "The figures add up" not in content

    def test_before_any_payment(self, client, org, owner):
        challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)
        client.force_login(owner)
        content = client.get(statement_url(challenge)).content.decode()
        assert "No money has moved yet." in content
        assert "No payments yet." in content
        assert "The figures add up" in content

    def test_linked_from_the_challenge_page_for_editors_and_staff(
        self, client, org, owner, staff, solver
    ):
        challenge = opened(org, owner)
        page = reverse("challenge_detail", args=[challenge.pk])
        for user, linked in ((owner, True), (staff, True), (solver, False)):
            client.force_login(user)
            assert (statement_url(challenge) in client.get(page).content.decode()) is linked


class TestCsv:
    def rows(self, response) -> list[list[str]]:
        return list(csv.reader(io.StringIO(response.content.decode())))

    def test_one_row_per_leg(self, client, org, owner):
        challenge = opened(org, owner)
        client.force_login(owner)
        response = client.get(csv_url(challenge))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="challenge-{challenge.pk}-escrow.csv"'
        )
        header, *rows = self.rows(response)
        assert header == [
            "entry_time",
            "idempotency_key",
            "kind",
            "memo",
            "account",
            "amount_minor",
            "amount",
            "currency",
        ]
        payment = challenge_payment(challenge)
        assert [row[1:] for row in rows] == [
            [
                f"fund:{payment}",
                "fund",
                f"Payment {payment} via local",
                "gateway:local:clearing:USD",
                "-2750000",
                "-27500.00",
                "USD",
            ],
            [
                f"fund:{payment}",
                "fund",
                f"Payment {payment} via local",
                f"challenge:{challenge.pk}:funding",
                "2750000",
                "27500.00",
                "USD",
            ],
            [
                f"open:{challenge.pk}",
                "open",
                "Prize pool into escrow and platform fee",
                f"challenge:{challenge.pk}:funding",
                "-2750000",
                "-27500.00",
                "USD",
            ],
            [
                f"open:{challenge.pk}",
                "open",
                "Prize pool into escrow and platform fee",
                f"challenge:{challenge.pk}:escrow",
                "2500000",
                "25000.00",
                "USD",
            ],
            [
                f"open:{challenge.pk}",
                "open",
                "Prize pool into escrow and platform fee",
                "platform:fees:USD",
                "250000",
                "2500.00",
                "USD",
            ],
        ]
        for row in rows:
            assert datetime.fromisoformat(row[0]).tzinfo is not None
        assert sum(int(row[5]) for row in rows) == 0

    def test_zero_decimal_currency(self, client, org, owner):
        challenge = opened(org, owner, currency="JPY", prize_pool=1_000_000)
        client.force_login(owner)
        amounts = {row[4]: row[6] for row in self.rows(client.get(csv_url(challenge)))[1:]}
        assert amounts[f"challenge:{challenge.pk}:escrow"] == "1000000"
        # 10 % of the first 100,000 yen and 5 % of the rest.
        assert amounts["platform:fees:JPY"] == "55000"

    def test_a_typed_reason_cannot_run_as_a_formula(
        self, client, org, owner, staff, django_capture_on_commit_callbacks
    ):
        challenge = opened(org, owner)
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(
                challenge_id=challenge.pk,
                name="cancel",
                actor=staff,
                reason='=HYPERLINK("http://evil.example")',
            )
        client.force_login(owner)
        rows = self.rows(client.get(csv_url(challenge)))[1:]
        refund_memos = {row[3] for row in rows if row[2] == "refund"}
        assert refund_memos == {'\'=HYPERLINK("http://evil.example")'}


def test_partial_funding_is_listed_before_opening(client, org, owner):
    challenge = ChallengeFactory(organization=org, state=S.AWAITING_FUNDING)
    fund_challenge(challenge, amount=1_000_000)
    client.force_login(owner)
    response = client.get(statement_url(challenge))
    figures = {str(label): amount for label, _help, amount in response.context["figures"]}
    assert figures["Received"] == figures["Unallocated"] == 1_000_000
    assert "$10,000.00" in response.content.decode()


@pytest.mark.parametrize("state", [S.AWARDING, S.COMPLETED, S.NO_AWARD])
def test_cards_claim_no_escrowed_pool_once_money_may_have_moved(client, org, owner, state):
    """From awarding on, prizes are paid and the rest returned: only the challenge page,
    reading the ledger, says what escrow holds."""
    challenge = opened(org, owner)
    Challenge.objects.filter(pk=challenge.pk).update(state=state)
    catalogue = client.get(reverse("catalogue"), {"state": state}).content.decode()
    assert challenge.title in catalogue
    assert "Prize funded in escrow" not in catalogue
    home = client.get(reverse("home")).content.decode()
    assert "Prize funded in escrow" not in home
