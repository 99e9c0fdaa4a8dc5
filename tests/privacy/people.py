"""A winner with everything a person can leave on the platform, and a runner-up whose
data must never appear in the winner's export."""

from marketplace.awards.services.finalize import awards_finalize
from marketplace.challenges.models import ChallengeState
from marketplace.lifecycle.services import challenge_transition
from marketplace.participation.services import challenge_register
from solvers.models import SolverProfile
from tests.factories import agreement_hash, pdf_upload, submission_for
from tests.story import cast, claim_both, draft_for, judged, propose_both


def paid_winners(capture):
    """The story's challenge carried to completed: Ada's entry has a file, both
    solvers accepted the agreement, won, signed their deeds, filed tax forms, were paid
    and hold certificates."""
    people = cast()
    challenge = draft_for(people, state=ChallengeState.AWAITING_FUNDING, funded=True)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=people.owner)
    challenge = people.refresh()
    for solver in people.solvers:
        challenge_register(
            challenge_id=challenge.pk,
            user=solver,
            accepted_sha256=agreement_hash(challenge),
            ip="203.0.113.9",
            user_agent="Privacy test browser",
        )
        SolverProfile.objects.create(
            user=solver, display_name=f"{solver.full_name} Labs", organisation="Kelp Works"
        )
    ada, ben = people.solvers
    people.submissions = [
        submission_for(challenge, ada, title="Ada's algae film", files=[pdf_upload("ada.pdf")]),
        submission_for(challenge, ben, title="Ben's secret recipe"),
    ]
    judged(people)
    with capture(execute=True):
        claim_both(people, propose_both(people))
    with capture(execute=True):
        awards_finalize(challenge_id=people.challenge.pk, actor=people.owner)
    return people
