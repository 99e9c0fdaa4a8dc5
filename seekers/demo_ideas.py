"""The demo's open-ideation challenge, taken on through the services: open, with a
support threshold of 10, public ideas by solver1 and solver2, supporters with verified
e-mail addresses (one idea past the threshold, so the owner has been notified), and a
few comments.

Run by `load_demo` once, when it creates the challenge."""

from datetime import timedelta

from django.utils import timezone

from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import Challenge, IdeaLicence
from marketplace.challenges.services import challenge_create
from marketplace.escrow.services import challenge_fund
from marketplace.ideation.services import idea_comment, idea_support
from marketplace.lifecycle.services import challenge_transition
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.services import challenge_register
from marketplace.submissions.services import submission_create

TITLE = "Ideas for refillable grocery packaging"
THRESHOLD = 10
# The supporters' accounts: supporter1@example.com ... (verified, the demo's password).
SUPPORTERS = [(f"supporter{n}@example.com", f"Demo Supporter {n}") for n in range(1, 13)]
# author, title, abstract, how many supporters
IDEAS = [
    (
        "solver1@example.com",
        "Deposit jars with a QR refill log",
        "Standard glass jars with a printed QR code: each refill is logged, the deposit "
        "returns at the till.",
        11,
    ),
    (
        "solver2@example.com",
        "Gravity bins that weigh as they pour",
        "Store bins with a load cell in the spout: the shopper pays for what was poured, "
        "into any container.",
        4,
    ),
    (
        "solver1@example.com",
        "Compostable pouch for liquid soap refills",
        "A seaweed-based pouch that holds liquid for two weeks and composts at home.",
        0,
    ),
]
COMMENTS = [
    (1, "Could the QR log also tell the shop when a jar is chipped?"),
    (2, "Nice: no special containers needed. How accurate is the load cell?"),
]


def ideation_load(*, org, owner, admin, users: dict, make_user) -> Challenge:
    """Create the open-ideation challenge with its ideas and supporters; `make_user`
    creates (or finds) a demo account with a verified e-mail."""
    now = timezone.now()
    challenge = challenge_create(
        organization_id=org.pk,
        actor=owner,
        data=ChallengeInput(
            title=TITLE,
            kind="ideation",
            prize_pool=500_000,
            currency="EUR",
            ip_model="licence",
            summary="Share an idea for refillable grocery packaging; the public supports the best.",
            brief=(
                "## Open ideation\n\nPost your idea publicly under CC BY 4.0. Ideas with "
                f"{THRESHOLD} supporters are reviewed by Helix Materials Lab."
            ),
            submission_deadline=now + timedelta(days=30),
            judging_deadline=now + timedelta(days=60),
            requirements=[RequirementInput("Practical in a supermarket", 100)],
            award_amounts=[500_000],
            eligibility="Open to everyone.",
            open_ideation=True,
            support_threshold=THRESHOLD,
            idea_licence=IdeaLicence.CC_BY,
        ),
    )
    for step in ("submit", "approve", "fund", "open"):
        if step == "fund":
            challenge_fund(challenge_id=challenge.pk, actor=owner)
            continue
        actor = admin if step == "approve" else owner
        challenge_transition(challenge_id=challenge.pk, name=step, actor=actor)
    for email in {author for author, *_rest in IDEAS}:
        challenge_register(
            challenge_id=challenge.pk,
            user=users[email],
            accepted_sha256=challenge_agreement(challenge).sha256,
            user_agent="demo data",
        )
    supporters = [make_user(email, name) for email, name in SUPPORTERS]
    ideas = []
    for author, title, abstract, supported_by in IDEAS:
        idea = submission_create(
            challenge_id=challenge.pk,
            author=users[author],
            title=title,
            abstract=abstract,
            body=f"## The idea\n\n{abstract}\n\n## Why it works\n\nIt reuses what shops have.",
        )
        for supporter in supporters[:supported_by]:
            idea_support(submission_id=idea.pk, user=supporter)
        ideas.append(idea)
    for position, text in COMMENTS:
        idea_comment(submission_id=ideas[position - 1].pk, author=supporters[position], body=text)
    return challenge
