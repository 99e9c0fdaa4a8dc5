"""Builders shared by the award stories and the award fault tests: the people around a
challenge, a challenge carried through the services from funding to awarding, and what
a winner files before being paid.

The money is pool 10,000.00 USD (fee 1,000.00) with planned awards of 7,000.00 and
3,000.00; the second is awarded in part (2,000.00), so 1,000.00 is refunded at the end."""

from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeState, PlannedAward, Requirement
from marketplace.organisations.roles import OrgRole
from marketplace.submissions.models import Submission, SubmissionState

from .factories import (
    ChallengeFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    agreement_hash,
    submission_for,
)

POOL = 1_000_000
FEE = 100_000
PLANNED = (700_000, 300_000)
PARTIAL = 200_000
REFUND = POOL - PLANNED[0] - PARTIAL
WEIGHTS = (60, 40)
# SCORES[judge][entry] = the score given on each requirement: the first entry wins.
SCORES = (((9, 8), (6, 5)), ((8, 9), (5, 6)))


def verified(user):
    """Mark the user's e-mail address verified (login and API tokens need it)."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@dataclass
class Cast:
    """Everyone in the story; `solvers[0]` is the winner of the 70 % award."""

    owner: object
    judges: list
    solvers: list
    staff: object
    org: object = None
    challenge: Challenge | None = None
    submissions: list = field(default_factory=list)

    @property
    def planned(self) -> list[PlannedAward]:
        return list(self.challenge.planned_awards.order_by("position"))

    @property
    def requirements(self) -> list[Requirement]:
        return list(self.challenge.requirements.order_by("position"))

    def refresh(self) -> Challenge:
        self.challenge = Challenge.objects.get(pk=self.challenge.pk)
        return self.challenge


def cast() -> Cast:
    """An organisation with its owner and two judges, two solvers and a staff member,
    all with verified addresses and full names (winners sign by typing theirs)."""
    org = OrganizationFactory(name="Tidewater Packaging")

    def member(role, name):
        return verified(
            MembershipFactory(organization=org, role=role, user=UserFactory(full_name=name)).user
        )

    return Cast(
        org=org,
        owner=member(OrgRole.OWNER, "Olive Owner"),
        judges=[member(OrgRole.JUDGE, "Jude First"), member(OrgRole.JUDGE, "Jules Second")],
        solvers=[verified(UserFactory(full_name=n)) for n in ("Ada Winner", "Ben Runner")],
        staff=verified(StaffFactory(full_name="Sam Staff")),
    )


def draft_for(people: Cast, **fields) -> Challenge:
    """A draft of `people.org` with two requirements (60/40) and the 7,000/3,000 plan."""
    fields = {"title": "Sea-degradable packaging film", "prize_pool": POOL, **fields}
    challenge = ChallengeFactory(
        organization=people.org, created_by=people.owner, currency="USD", plan=False, **fields
    )
    for position, (title, weight) in enumerate(
        zip(("Degrades in sea water", "Costs under a cent per bag"), WEIGHTS, strict=True), 1
    ):
        Requirement.objects.create(
            challenge=challenge, position=position, title=title, weight=weight
        )
    for position, amount in enumerate(PLANNED, 1):
        PlannedAward.objects.create(challenge=challenge, position=position, amount=amount)
    people.challenge = challenge
    return challenge


def close_now(challenge: Challenge) -> int:
    """Let the submission deadline pass and run the deadline sweep.

    A challenge opens and takes entries only while its deadline is in the future, and
    the services only ever move a deadline later, so the story moves it into the past
    with a direct update and then closes the challenge exactly as production does: by
    the sweep the beat runs at the deadline."""
    from marketplace.lifecycle.services import challenges_close_expired

    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    return challenges_close_expired()


def open_with_entries(people: Cast) -> Cast:
    """Funded (local gateway) and opened by the owner; both solvers registered and
    submitted one entry each."""
    from marketplace.lifecycle.services import challenge_transition
    from marketplace.participation.services import challenge_register

    challenge = draft_for(people, state=ChallengeState.AWAITING_FUNDING, funded=True)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=people.owner)
    challenge = people.refresh()
    for solver in people.solvers:
        challenge_register(
            challenge_id=challenge.pk, user=solver, accepted_sha256=agreement_hash(challenge)
        )
    people.submissions = [
        submission_for(challenge, solver, title=f"Algae film by {solver.full_name}")
        for solver in people.solvers
    ]
    return people


def judging(people: Cast) -> Cast:
    """Closed by the sweep, both judges assigned, and judging started."""
    from marketplace.judging.services import judge_assign
    from marketplace.lifecycle.services import challenge_transition

    challenge = people.challenge
    close_now(challenge)
    for judge in people.judges:
        judge_assign(challenge_id=challenge.pk, actor=people.owner, judge=judge)
    challenge_transition(challenge_id=challenge.pk, name="start_judging", actor=people.owner)
    people.refresh()
    return people


def judged(people: Cast) -> Cast:
    """Judged: both judges score every entry still in (SCORES), and the challenge moves
    on to awarding."""
    from marketplace.judging.services import evaluation_save
    from marketplace.lifecycle.services import challenge_transition

    challenge = judging(people).challenge
    requirements = people.requirements
    for judge, by_entry in zip(people.judges, SCORES, strict=True):
        for submission, scores in zip(people.submissions, by_entry, strict=True):
            if Submission.objects.get(pk=submission.pk).state != SubmissionState.ACTIVE:
                continue
            evaluation_save(
                submission_id=submission.pk,
                judge=judge,
                scores={
                    r.pk: {"score": s, "note": ""}
                    for r, s in zip(requirements, scores, strict=True)
                },
            )
    challenge_transition(challenge_id=challenge.pk, name="start_awarding", actor=people.owner)
    people.refresh()
    return people


def awarding() -> Cast:
    """The whole cast around a challenge that has reached awarding."""
    return judged(open_with_entries(cast()))


def propose_both(people: Cast) -> list:
    """7,000.00 to the first entry, 2,000.00 of the 3,000.00 award to the second."""
    from marketplace.awards.services.propose import award_propose

    first, second = people.planned
    return [
        award_propose(
            challenge_id=people.challenge.pk,
            actor=people.owner,
            submission_id=submission.pk,
            planned_award_id=planned.pk,
            amount=amount,
        )
        for submission, planned, amount in (
            (people.submissions[0], first, None),
            (people.submissions[1], second, PARTIAL),
        )
    ]


# --- what a winner files --------------------------------------------------------------


def w9(user) -> dict:
    return {
        "legal_name": user.full_name,
        "tax_classification": "individual",
        "address_line": "1 Market Street",
        "city": "San Francisco",
        "region": "CA",
        "postal_code": "94105",
        "country": "US",
        "tin_kind": "ssn",
        "tin": "123-45-6789",
        "signature_name": user.full_name,
        "certified": True,
    }


def w8ben(user) -> dict:
    return {
        "legal_name": user.full_name,
        "address_line": "Hafenstrasse 1",
        "city": "Hamburg",
        "postal_code": "20457",
        "country": "DE",
        "citizenship_country": "DE",
        "date_of_birth": "1980-05-17",
        "tin_kind": "foreign",
        "tin": "DE 12 345 678 901",
        "signature_name": user.full_name,
        "certified": True,
    }


TAX_FORMS = {"w9": w9, "w8ben": w8ben}


def claim(award, user, *, tax: str = "w9", destination: str = "", recheck: bool = True) -> None:
    """The winner accepts, signs the deed by typing their name, files a tax form (and a
    Stripe account when `destination` is given); the award ends verified, which releases
    it (its payout task queued after commit). With `recheck=False` the details are on
    file but the award is left signed, for a test to verify it."""
    from marketplace.awards.services.claim import award_accept, award_deed_sign
    from marketplace.awards.services.deeds import award_deed
    from marketplace.awards.services.release import awards_recheck_for
    from payouts.services.tax import payout_account_set, tax_form_submit

    award_accept(award_id=award.pk, user=user)
    deed = award_deed(award=award, user=user)
    award_deed_sign(
        award_id=award.pk,
        user=user,
        accepted_sha256=deed.sha256,
        signature=user.full_name,
        ip="127.0.0.1",
        user_agent="story",
    )
    tax_form_submit(user=user, kind=tax, data=TAX_FORMS[tax](user))
    if destination:
        payout_account_set(user=user, gateway="stripe", destination=destination)
    if recheck:
        awards_recheck_for(user=user)


def claim_both(people: Cast, awards: list, destinations=("", ""), *, recheck: bool = True) -> None:
    for award, user, tax, destination in zip(
        awards, people.solvers, ("w9", "w8ben"), destinations, strict=True
    ):
        claim(award, user, tax=tax, destination=destination, recheck=recheck)
