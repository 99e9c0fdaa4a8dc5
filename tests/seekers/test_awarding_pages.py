"""The owner's scoreboard and the winner-selection page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marketplace.awards.models import Award
from marketplace.awards.models import AwardState as A
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.judging.services import evaluation_save
from marketplace.organisations.roles import OrgRole
from marketplace.submissions.models import Submission
from payouts.models import Payout
from tests.factories import MembershipFactory, judged_challenge, verify_award

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_judge(org):
    return MembershipFactory(organization=org, role=OrgRole.JUDGE).user


@pytest.fixture
def jc(org, owner, judge, second_judge):
    """Awarding: requirements weighing 60 and 40, three entries scored by two judges
    (the second entry best), escrow holding 25,000.00 planned as 15,000 + 10,000."""
    jc = judged_challenge(
        org, owner, entrants=3, judges=[judge, second_judge], awards=[1_500_000, 1_000_000]
    )
    r1, r2 = jc.requirements
    for entry, (a, b) in zip(jc.submissions, [(6, 6), (9, 9), (2, 3)], strict=True):
        evaluation_save(
            submission_id=entry.pk, judge=judge, scores={r1.pk: {"score": a}, r2.pk: {"score": b}}
        )
        evaluation_save(
            submission_id=entry.pk,
            judge=second_judge,
            scores={r1.pk: {"score": a}, r2.pk: {"score": b}},
        )
    Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
    return jc


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def scores_url(challenge):
    return reverse("seekers:scores", args=[challenge.pk])


def awards_url(challenge):
    return reverse("seekers:awards", args=[challenge.pk])


def select(html: str, name: str) -> str:
    """The options of the page's <select name=...>."""
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def give(jc, owner, entry=1, slot=0, amount=None) -> Award:
    return award_propose(
        challenge_id=jc.challenge.pk,
        actor=owner,
        submission_id=jc.submissions[entry].pk,
        planned_award_id=list(jc.challenge.planned_awards.all())[slot].pk,
        amount=amount,
    )


class TestScoreboard:
    @pytest.mark.parametrize("who", ["owner", "staff"])
    def test_owners_and_staff(self, client, request, jc, who):
        response = get(client, request.getfixturevalue(who), scores_url(jc.challenge))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.index("Entry 2") < html.index("Entry 1") < html.index("Entry 3")
        assert "90.00" in html and "60.00" in html and "2 judges assigned" in html

    @pytest.mark.parametrize("who", ["judge", "manager", "solver", "outsider"])
    def test_404_for_everyone_else(self, client, request, jc, who):
        assert (
            get(client, request.getfixturevalue(who), scores_url(jc.challenge)).status_code == 404
        )

    def test_disagreeing_judges_are_shown_by_name(self, client, jc, owner, judge, second_judge):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.JUDGING)
        r1 = jc.requirements[0]
        evaluation_save(submission_id=jc.submissions[2].pk, judge=judge, scores={r1.pk: 10})
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.AWARDING)
        html = get(client, owner, scores_url(jc.challenge)).content.decode()
        assert html.count('class="disagree"') == 1
        assert f"{escape(str(judge))}: 10" in html and f"{escape(str(second_judge))}: 2" in html

    def test_owners_see_names_under_blind_judging_once_winners_are_chosen(self, client, jc, owner):
        Challenge.objects.filter(pk=jc.challenge.pk).update(blind_judging=True)
        html = get(client, owner, scores_url(jc.challenge)).content.decode()
        assert escape(str(jc.solvers[0])) not in html and "Entry #1" in html
        Challenge.objects.filter(pk=jc.challenge.pk).update(awards_final_at=timezone.now())
        html = get(client, owner, scores_url(jc.challenge)).content.decode()
        assert escape(str(jc.solvers[0])) in html

    def test_shortlist_and_filter(self, client, jc, owner):
        entry = jc.submissions[2]
        url = reverse("seekers:shortlist", args=[jc.challenge.pk, entry.pk])
        filtered = scores_url(jc.challenge) + "?shortlisted=1"
        response = post(client, owner, url, {"shortlisted": "1", "next": filtered})
        assert response.url == filtered
        assert Submission.objects.get(pk=entry.pk).shortlisted
        html = client.get(filtered).content.decode()
        assert "Entry 3" in html and "Entry 1" not in html and "Remove from shortlist" in html
        post(client, owner, url, {"shortlisted": "0"})
        assert not Submission.objects.get(pk=entry.pk).shortlisted
        assert "No entry is shortlisted." in client.get(filtered).content.decode()

    def test_shortlisting_needs_judging_or_awarding(self, client, jc, owner):
        Challenge.objects.filter(pk=jc.challenge.pk).update(state=S.COMPLETED)
        entry = jc.submissions[0]
        assert (
            "Shortlist</button>"
            not in get(client, owner, scores_url(jc.challenge)).content.decode()
        )
        url = reverse("seekers:shortlist", args=[jc.challenge.pk, entry.pk])
        post(client, owner, url, {"shortlisted": "1"})
        assert not Submission.objects.get(pk=entry.pk).shortlisted

    def test_before_any_entry_is_revealed(self, client, org, owner):
        jc = judged_challenge(org, owner, entrants=0, state=S.OPEN)
        html = get(client, owner, scores_url(jc.challenge)).content.decode()
        assert "Entries are revealed once the challenge has closed." in html

    def test_no_entries(self, client, org, owner):
        jc = judged_challenge(org, owner, entrants=0)
        assert "No entries." in get(client, owner, scores_url(jc.challenge)).content.decode()


class TestAwardsPage:
    @pytest.mark.parametrize("who", ["owner", "staff"])
    def test_shows_the_escrow_and_the_plan(self, client, request, jc, owner, who):
        give(jc, owner, amount=1_200_000)
        html = get(client, request.getfixturevalue(who), awards_url(jc.challenge)).content.decode()
        assert "$25,000.00" in html  # held
        assert "$12,000.00" in html  # promised to the live award
        assert "$13,000.00" in html  # available
        assert "Award 1" in html and "Award 2" in html and "Proposed" in html
        assert "Award 2: $10,000.00 (40% of the prize pool)" in html  # still to give
        assert escape(str(jc.solvers[1])) in html and "Not given yet." in html

    @pytest.mark.parametrize("who", ["judge", "manager", "solver", "outsider"])
    def test_404_for_everyone_else(self, client, request, jc, who):
        user = request.getfixturevalue(who)
        assert get(client, user, awards_url(jc.challenge)).status_code == 404
        assert post(client, user, awards_url(jc.challenge), {}).status_code == 404

    def test_entries_are_offered_best_first_shortlisted_first(self, client, jc, owner):
        Submission.objects.filter(pk=jc.submissions[2].pk).update(review_status="shortlisted")
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        options = select(html, "submission")
        assert options.index("Entry 3") < options.index("Entry 2") < options.index("Entry 1")
        assert "total 90.00" in options

    def test_award_an_entry_in_part(self, client, jc, owner):
        slot = jc.challenge.planned_awards.get(position=2)
        data = {"submission": jc.submissions[0].pk, "planned_award": slot.pk, "amount": "4000.50"}
        response = post(client, owner, awards_url(jc.challenge), data)
        assert response.status_code == 302
        award = Award.objects.get()
        assert (award.submission_id, award.planned_award, award.amount) == (
            jc.submissions[0].pk,
            slot,
            400_050,
        )

    def test_award_in_full_when_no_amount_is_given(self, client, jc, owner):
        slot = jc.challenge.planned_awards.get(position=1)
        data = {"submission": jc.submissions[1].pk, "planned_award": slot.pk, "amount": ""}
        post(client, owner, awards_url(jc.challenge), data)
        assert Award.objects.get().amount == 1_500_000

    @pytest.mark.parametrize(
        ("amount", "message"),
        [
            ("12.345", "USD amounts have at most 2 decimal places."),
            ("lots", "Enter the amount as a number, for example 25000.00."),
            ("-5", "The amount must be more than zero."),
            ("15000.01", "A partial award can be at most the planned $15,000.00."),
        ],
    )
    def test_amount_errors_show_on_the_field(self, client, jc, owner, amount, message):
        slot = jc.challenge.planned_awards.get(position=1)
        data = {"submission": jc.submissions[1].pk, "planned_award": slot.pk, "amount": amount}
        response = post(client, owner, awards_url(jc.challenge), data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not Award.objects.exists()

    def test_a_given_slot_and_a_winning_entry_are_no_longer_offered(self, client, jc, owner):
        award = give(jc, owner, entry=1, slot=0)
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert f'value="{award.planned_award_id}"' not in select(html, "planned_award")
        assert f'value="{jc.submissions[1].pk}"' not in select(html, "submission")
        data = {"submission": jc.submissions[0].pk, "planned_award": award.planned_award_id}
        response = post(client, owner, awards_url(jc.challenge), data)
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()

    def test_forfeit_after_the_claim_deadline(self, client, jc, owner):
        award = give(jc, owner)
        assert (
            "Forfeit (claim deadline passed)"
            not in get(client, owner, awards_url(jc.challenge)).content.decode()
        )
        Award.objects.filter(pk=award.pk).update(claim_deadline=timezone.now() - timedelta(days=1))
        assert (
            "Forfeit (claim deadline passed)"
            in client.get(awards_url(jc.challenge)).content.decode()
        )
        url = reverse("seekers:award_forfeit", args=[jc.challenge.pk, award.pk])
        assert post(client, owner, url, {"reason": ""}).status_code == 302
        assert Award.objects.get(pk=award.pk).state == A.FORFEITED
        html = client.get(awards_url(jc.challenge)).content.decode()
        assert "The claim deadline passed." in html
        assert f'value="{award.planned_award_id}"' in select(html, "planned_award")

    def test_a_verified_award_is_released_with_no_button(self, client, jc, owner):
        award = give(jc, owner)
        verify_award(award)
        assert Award.objects.get(pk=award.pk).released_at is not None
        assert Payout.objects.filter(reference=f"award:{award.pk}").count() == 1
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert "Release prize" not in html and "/release/" not in html
        assert "released from escrow by itself" in html and "Pending" in html

    def test_no_end_with_no_award_once_the_winner_signed(self, client, jc, owner):
        award = give(jc, owner)
        verify_award(award)
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert "End with no award" not in html
        assert "owed to them and cannot be refunded" in html
        url = reverse("seekers:challenge_transition", args=[jc.challenge.pk, "declare_no_award"])
        response = post(client, owner, url, {"reason": "Changed our mind"})
        assert "owed to them" in client.get(response.url).content.decode()
        assert Challenge.objects.get(pk=jc.challenge.pk).state == S.AWARDING
        assert Award.objects.get(pk=award.pk).state == A.VERIFIED

    def test_finish_selection(self, client, jc, owner):
        url = reverse("seekers:awards_finalize", args=[jc.challenge.pk])
        assert (
            "Finish selection" not in get(client, owner, awards_url(jc.challenge)).content.decode()
        )
        response = post(client, owner, url)
        assert "Choose at least one winner" in client.get(response.url).content.decode()
        give(jc, owner)
        post(client, owner, url)
        challenge = Challenge.objects.get(pk=jc.challenge.pk)
        assert challenge.awards_final_at is not None and challenge.state == S.AWARDING
        html = client.get(awards_url(jc.challenge)).content.decode()
        assert "Winner selection finished" in html and "Award an entry" not in html

    def test_end_with_no_award(self, client, jc, owner):
        give(jc, owner)
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert "End with no award" in html
        url = reverse("seekers:challenge_transition", args=[jc.challenge.pk, "declare_no_award"])
        next_url = awards_url(jc.challenge)
        response = post(client, owner, url, {"reason": "", "next": next_url})
        assert Challenge.objects.get(pk=jc.challenge.pk).state == S.AWARDING
        response = post(client, owner, url, {"reason": "Nothing usable", "next": next_url})
        assert response.url == next_url
        assert Challenge.objects.get(pk=jc.challenge.pk).state == S.NO_AWARD
        assert Award.objects.get().state == A.FORFEITED
        html = client.get(next_url).content.decode()
        assert "Award an entry" not in html and "End with no award" not in html

    def test_before_awarding(self, client, org, owner, judge):
        jc = judged_challenge(org, owner, entrants=1, judges=[judge])
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert "Winners are chosen once judging is over" in html and "Award an entry" not in html
        data = {"submission": jc.submissions[0].pk, "planned_award": 1}
        assert post(client, owner, awards_url(jc.challenge), data).status_code == 302
        assert not Award.objects.exists()

    def test_no_entries(self, client, org, owner):
        jc = judged_challenge(org, owner, entrants=0, state=S.AWARDING)
        html = get(client, owner, awards_url(jc.challenge)).content.decode()
        assert "Every entry already has an award, or there are no entries." in html
