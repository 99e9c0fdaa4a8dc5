"""The escrow promise: once a winner has accepted an award only the winner, its claim
deadline (before signing) or staff may withdraw it; once the deed is signed the prize is
the winner's, and every path that would hand it back to the Seeker is refused, through
the pages, the API, the staff's actions and the beat sweep. Staff withdraw a signed
award only through a dispute (freeze, then forfeit), which voids its deeds. The ledger
audit runs after every test (the autouse fixture)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from legal.models import Deed, DeedVoid
from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.disputes import award_freeze, award_unfreeze
from marketplace.awards.services.forfeit import award_forfeit, awards_forfeit_expired
from marketplace.awards.services.payment import awards_settle_released
from marketplace.awards.services.release import awards_recheck_for
from marketplace.awards.tasks import pay_award
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.core.errors import IllegalTransition
from marketplace.lifecycle.services import challenge_transition
from payouts.models import Payout, PayoutState, Refund
from payouts.selectors import statement
from payouts.services.tax import tax_form_submit
from tests.api_calls import call
from tests.concurrency import in_threads
from tests.conftest import skip_unless
from tests.story import TAX_FORMS, awarding, claim, propose_both

STAGES = ("accepted", "signed", "verified")


def at_stage(stage: str):
    """The story's challenge, awarding, with the 7,000.00 award taken to `stage` by its
    winner (verified means released too: its payout is pending, its task not run) and
    the second award only proposed."""
    people = awarding()
    award, _second = propose_both(people)
    winner = people.solvers[0]
    if stage == "accepted":
        award_accept(award_id=award.pk, user=winner)
    else:
        claim(award, winner, recheck=stage == "verified")
    return people, Award.objects.get(pk=award.pk)


def snapshot(people) -> dict:
    """Everything a claw-back would change."""
    challenge = Challenge.objects.get(pk=people.challenge.pk)
    return {
        "challenge": challenge.state,
        "awards": list(challenge.awards.order_by("pk").values_list("state", "released_at")),
        "refunds": Refund.objects.count(),
        "payouts": list(Payout.objects.order_by("pk").values_list("state", "amount")),
        "void": DeedVoid.objects.count(),
        "statement": statement(f"challenge:{challenge.pk}"),
    }


def expire(award) -> None:
    Award.objects.filter(pk=award.pk).update(claim_deadline=timezone.now() - timedelta(days=1))


# --- every path, tried on an award that is owed ----------------------------------------


def owner_page_no_award(people, award, client):
    client.force_login(people.owner)
    url = reverse("seekers:challenge_transition", args=[people.challenge.pk, "declare_no_award"])
    client.post(url, {"reason": "We changed our mind."})


def owner_api_no_award(people, award, client):
    url = f"/api/v1/challenges/{people.challenge.pk}/declare_no_award/"
    assert call(people.owner, "post", url, {"reason": "Changed our mind"}).status_code == 409


def staff_api_no_award(people, award, client):
    url = f"/api/v1/challenges/{people.challenge.pk}/declare_no_award/"
    assert call(people.staff, "post", url, {"reason": "Seeker asked"}).status_code == 409


def staff_service_no_award(people, award, client):
    with pytest.raises(IllegalTransition):
        challenge_transition(
            challenge_id=people.challenge.pk,
            name="declare_no_award",
            actor=people.staff,
            reason="Seeker asked",
        )


def owner_page_forfeit_after_deadline(people, award, client):
    expire(award)
    client.force_login(people.owner)
    client.post(reverse("seekers:award_forfeit", args=[people.challenge.pk, award.pk]), {})


def owner_api_forfeit_after_deadline(people, award, client):
    expire(award)
    response = call(people.owner, "post", f"/api/v1/awards/{award.pk}/forfeit/", {})
    assert response.status_code == 409


def staff_api_forfeit_without_dispute(people, award, client):
    response = call(people.staff, "post", f"/api/v1/awards/{award.pk}/forfeit/", {"reason": "x"})
    assert response.status_code == 409


def staff_page_forfeit_without_dispute(people, award, client):
    client.force_login(people.staff)
    client.post(reverse("staff_award_forfeit", args=[award.pk]), {"reason": "Seeker asked"})


def beat_sweep_after_deadline(people, award, client):
    expire(award)
    awards_forfeit_expired()


def winner_declines_after_signing(people, award, client):
    response = call(people.solvers[0], "post", f"/api/v1/awards/{award.pk}/decline/", {})
    assert response.status_code == 409


def owner_asks_for_a_refund(people, award, client):
    client.force_login(people.owner)
    client.post(reverse("seekers:challenge_refund_excess", args=[people.challenge.pk]))


CLAW_BACKS = [
    owner_page_no_award,
    owner_api_no_award,
    staff_api_no_award,
    staff_service_no_award,
    owner_page_forfeit_after_deadline,
    owner_api_forfeit_after_deadline,
    staff_api_forfeit_without_dispute,
    staff_page_forfeit_without_dispute,
    beat_sweep_after_deadline,
    winner_declines_after_signing,
    owner_asks_for_a_refund,
]


@pytest.mark.django_db
@pytest.mark.parametrize("stage", ["signed", "verified"])
@pytest.mark.parametrize("path", CLAW_BACKS, ids=lambda f: f.__name__)
def test_a_signed_award_cannot_be_clawed_back(client, stage, path):
    people, award = at_stage(stage)
    before = snapshot(people)
    path(people, award, client)
    after = snapshot(people)
    assert after == before
    assert Award.objects.get(pk=award.pk).state == award.state


@pytest.mark.django_db
def test_after_acceptance_the_owner_cannot_end_with_no_award(client):
    people, award = at_stage("accepted")
    before = snapshot(people)
    owner_page_no_award(people, award, client)
    owner_api_no_award(people, award, client)
    assert snapshot(people) == before
    page = client.get(reverse("seekers:awards", args=[people.challenge.pk])).content.decode()
    assert "End with no award" not in page
    assert "It can now be withdrawn only by the winner" in page


@pytest.mark.django_db
def test_after_acceptance_staff_may_end_with_no_award_with_a_reason():
    people, _award = at_stage("accepted")
    url = f"/api/v1/challenges/{people.challenge.pk}/declare_no_award/"
    assert call(people.staff, "post", url, {"reason": ""}).status_code == 400
    response = call(people.staff, "post", url, {"reason": "The Seeker withdrew the problem"})
    assert response.json()["state"] == ChallengeState.NO_AWARD
    assert set(Award.objects.values_list("state", flat=True)) == {AwardState.FORFEITED}
    assert Refund.objects.exists()


@pytest.mark.django_db
def test_after_acceptance_the_claim_deadline_still_lapses_an_unsigned_award():
    _people, award = at_stage("accepted")
    expire(award)
    assert awards_forfeit_expired() == 1
    assert Award.objects.get(pk=award.pk).state == AwardState.FORFEITED


@pytest.mark.django_db
def test_before_acceptance_the_owner_may_end_with_no_award(client):
    people = awarding()
    propose_both(people)
    owner_page_no_award(people, None, client)
    assert Challenge.objects.get(pk=people.challenge.pk).state == ChallengeState.NO_AWARD


@pytest.mark.django_db
def test_a_signed_award_outlives_its_claim_deadline_and_is_paid(
    django_capture_on_commit_callbacks,
):
    people, award = at_stage("signed")
    expire(award)
    assert awards_forfeit_expired() == 0
    winner = people.solvers[0]
    with django_capture_on_commit_callbacks(execute=True):
        awards_recheck_for(user=winner)
    assert Award.objects.get(pk=award.pk).state == AwardState.PAID


# --- staff disputes -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_dispute_freezes_then_forfeits_a_released_award_and_voids_its_deed():
    people, award = at_stage("verified")
    award_freeze(award_id=award.pk, actor=people.staff, reason="Plagiarism claim")
    assert pay_award.apply(args=[award.pk]).get() == "frozen"
    assert Payout.objects.get(reference=award.reference).state == PayoutState.PENDING
    award_forfeit(award_id=award.pk, actor=people.staff, reason="Plagiarised")
    figures = statement(f"challenge:{people.challenge.pk}")
    assert (figures["owed"], figures["paid"]) == (0, 0)
    assert Payout.objects.get(reference=award.reference).state == PayoutState.CANCELLED
    [deed] = Deed.objects.filter(reference=award.reference)
    assert deed.void.reason == "Plagiarised"
    names = list(people.challenge.events.values_list("name", flat=True))
    assert names[-2:] == ["award_freeze", "award_forfeit"]


@pytest.mark.django_db
def test_a_frozen_award_is_not_released_lapsed_or_paid_until_the_dispute_ends(
    django_capture_on_commit_callbacks,
):
    people, award = at_stage("signed")
    award_freeze(award_id=award.pk, actor=people.staff, reason="Eligibility check")
    with django_capture_on_commit_callbacks(execute=True):
        awards_recheck_for(user=people.solvers[0])
        awards_settle_released()
    award = Award.objects.get(pk=award.pk)
    assert (award.state, award.released_at) == (AwardState.VERIFIED, None)
    expire(award)
    assert awards_forfeit_expired() == 0
    with django_capture_on_commit_callbacks(execute=True):
        award_unfreeze(award_id=award.pk, actor=people.staff, reason="Eligible")
    assert Award.objects.get(pk=award.pk).state == AwardState.PAID
    names = list(people.challenge.events.values_list("name", flat=True))
    assert "award_freeze" in names and "award_unfreeze" in names


@pytest.mark.django_db
def test_only_staff_dispute_and_a_reason_is_required():
    people, award = at_stage("signed")
    with pytest.raises(Exception, match="Only staff"):
        award_freeze(award_id=award.pk, actor=people.owner, reason="x")
    with pytest.raises(Exception, match="reason"):
        award_freeze(award_id=award.pk, actor=people.staff, reason=" ")
    assert Award.objects.get(pk=award.pk).frozen_at is None


@pytest.mark.django_db
def test_a_void_deed_says_so_to_the_winner_the_owner_and_staff(client):
    people, award = at_stage("accepted")
    winner = people.solvers[0]
    shown = award_deed(award=award, user=winner)
    award_deed_sign(
        award_id=award.pk, user=winner, accepted_sha256=shown.sha256, signature=winner.full_name
    )
    award_freeze(award_id=award.pk, actor=people.staff, reason="Conflict of interest")
    award_forfeit(award_id=award.pk, actor=people.staff, reason="Conflict of interest")
    pages = [
        (winner, reverse("solvers:award_detail", args=[award.pk])),
        (people.owner, reverse("seekers:awards", args=[people.challenge.pk])),
        (people.staff, reverse("staff_deeds")),
        (people.staff, reverse("staff_awards")),
    ]
    for user, url in pages:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "Void" in html, url
    client.force_login(people.staff)
    csv = b"".join(client.get(reverse("staff_deeds_csv")).streaming_content).decode()
    assert csv.splitlines()[1].split(",")[1] == "True"


# --- at the same moment, on PostgreSQL --------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_ending_with_no_award_while_the_winner_signs_never_refunds_owed_money(round_):
    """Staff end the challenge with no award while the winner, tax form on file, signs
    the deed (which verifies and releases the award): one of the two wins, never both."""
    skip_unless(connection.vendor == "postgresql", "row locks need PostgreSQL", service="postgres")
    people, award = at_stage("accepted")
    winner = people.solvers[0]
    shown = award_deed(award=award, user=winner)
    tax_form_submit(user=winner, kind="w9", data=TAX_FORMS["w9"](winner))

    def act(i: int):
        if i == 0:
            return award_deed_sign(
                award_id=award.pk,
                user=winner,
                accepted_sha256=shown.sha256,
                signature=winner.full_name,
            ).state
        return challenge_transition(
            challenge_id=people.challenge.pk,
            name="declare_no_award",
            actor=people.staff,
            reason="Seeker withdrew",
        ).state

    signed, ended = in_threads(2, act)
    award = Award.objects.get(pk=award.pk)
    challenge = Challenge.objects.get(pk=people.challenge.pk)
    if isinstance(ended, Exception):  # the signature came first: the prize is owed
        assert isinstance(ended, IllegalTransition), ended
        assert award.state in (AwardState.VERIFIED, AwardState.PAID)
        assert challenge.state == ChallengeState.AWARDING
        assert not DeedVoid.objects.exists()
    else:  # the ending came first: nothing was signed
        assert isinstance(signed, IllegalTransition), signed
        assert (award.state, challenge.state) == (AwardState.FORFEITED, ChallengeState.NO_AWARD)
        assert not Deed.objects.filter(reference=award.reference).exists()
        assert not Payout.objects.exists()
