"""Demo challenges past their deadline, taken on through the services: one being
judged (for the demo judge to score), one awarding with a prize proposed to solver1 (to
claim in the browser), and one completed: scored, both entries shortlisted with a note
to their solvers, awarded 70/30 to solver1 and solver2,
deeds signed, tax forms filed, paid through the local gateway, certificates generated,
winner selection finished and the prize not given refunded.

Run by `load_demo` only on challenges it has just created and closed, with tasks
running in process (the embedded default), so everything is done when it returns."""

from marketplace.awards.services.claim import award_accept, award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.propose import award_propose
from marketplace.awards.services.release import awards_recheck_for
from marketplace.judging.services import evaluation_save, judge_assign
from marketplace.lifecycle.services import challenge_transition
from marketplace.submissions.reviews import submission_review_set
from payouts.services.tax import tax_form_current, tax_form_submit

JUDGE = "judge@helix.example"
WINNERS = ("solver1@example.com", "solver2@example.com")  # first and second prize
AFTER_CLOSE = ("judging", "awarding", "completed")

# The judge's scores (0-10) per requirement, in requirement order, and a private note.
SCORES = {
    "solver1@example.com": ((9, 8, 9), "Strong lab data; scale-up plan is credible."),
    "solver2@example.com": ((7, 7, 8), "Promising, but the cost estimate is thin."),
}

# What the owner tells each solver about their entry when shortlisting it.
FEEDBACK = {
    "solver1@example.com": "Convincing lab results; please keep the raw data for the deed.",
    "solver2@example.com": "Good idea; the cost estimate needs more detail to compete.",
}

TAX_FORMS = {
    "solver1@example.com": (
        "w9",
        {
            "tax_classification": "individual",
            "address_line": "1 Market Street",
            "city": "San Francisco",
            "region": "CA",
            "postal_code": "94105",
            "country": "US",
            "tin_kind": "ssn",
            "tin": "123-45-6789",
        },
    ),
    "solver2@example.com": (
        "w8ben",
        {
            "address_line": "Calle Mayor 1",
            "city": "Madrid",
            "postal_code": "28013",
            "country": "ES",
            "citizenship_country": "ES",
            "date_of_birth": "1990-04-12",
            "tin_kind": "foreign",
            "tin": "12345678Z",
        },
    ),
}


def challenge_advance(challenge, target: str, users: dict) -> None:
    """Take a freshly closed demo challenge on to `target` (one of AFTER_CLOSE)."""
    owner, judge = users["owner@helix.example"], users[JUDGE]
    judge_assign(challenge_id=challenge.pk, actor=owner, judge=judge)
    challenge_transition(challenge_id=challenge.pk, name="start_judging", actor=owner)
    if target == "judging":
        return
    entries = {s.author.email: s for s in challenge.submissions.select_related("author")}
    requirements = list(challenge.requirements.order_by("position"))
    for email, (scores, note) in SCORES.items():
        evaluation_save(
            submission_id=entries[email].pk,
            judge=judge,
            scores={
                r.pk: {"score": s, "note": note} for r, s in zip(requirements, scores, strict=True)
            },
        )
    for email, note in FEEDBACK.items():
        submission_review_set(
            submission_id=entries[email].pk, actor=owner, status="shortlisted", note=note
        )
    challenge_transition(challenge_id=challenge.pk, name="start_awarding", actor=owner)
    winners = WINNERS[:1] if target == "awarding" else WINNERS
    planned = challenge.planned_awards.order_by("position")
    awards = [
        award_propose(
            challenge_id=challenge.pk,
            actor=owner,
            submission_id=entries[email].pk,
            planned_award_id=prize.pk,
        )
        for email, prize in zip(winners, planned, strict=False)
    ]
    if target == "awarding":
        return
    for award, email in zip(awards, winners, strict=True):
        _claim(award, users[email])  # verified: released and paid at once
    awards_finalize(challenge_id=challenge.pk, actor=owner)


def _claim(award, user) -> None:
    """What a winner does in the browser: accept, sign the deed shown, file a tax form."""
    award_accept(award_id=award.pk, user=user)
    shown = award_deed(award=award, user=user)
    award_deed_sign(
        award_id=award.pk,
        user=user,
        accepted_sha256=shown.sha256,
        signature=user.full_name,
        user_agent="demo data",
    )
    if tax_form_current(user) is None:
        kind, data = TAX_FORMS[user.email]
        tax_form_submit(
            user=user,
            kind=kind,
            data={
                **data,
                "legal_name": user.full_name,
                "signature_name": user.full_name,
                "certified": True,
            },
        )
    awards_recheck_for(user=user)
