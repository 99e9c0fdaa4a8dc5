"""What a Seeker writes into a challenge, and every rule it must satisfy. Pages and
the API both build a `ChallengeInput` and get the same errors, keyed by field."""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.challenges.models import ChallengeKind, IPModel
from marketplace.core.numbers import is_whole_number
from payouts.currency import check_currency


@dataclass(frozen=True)
class RequirementInput:
    title: str
    weight: int
    description: str = ""


@dataclass(frozen=True)
class ChallengeInput:
    title: str
    summary: str
    brief: str
    kind: str
    prize_pool: int
    currency: str
    ip_model: str
    submission_deadline: datetime
    judging_deadline: datetime
    requirements: list[RequirementInput] = field(default_factory=list)
    award_amounts: list[int] = field(default_factory=list)
    eligibility: str = ""
    hide_seeker: bool = False
    blind_judging: bool = False
    max_submissions_per_solver: int = 3
    claim_days: int = 30


def validate_challenge_input(data: ChallengeInput) -> None:
    """Raise one ValidationError holding every problem, keyed by field name."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    limits = settings.MARKETPLACE
    if not data.title.strip():
        add("title", _("Give the challenge a title."))
    if not data.summary.strip():
        add("summary", _("Write a public summary."))
    if not data.brief.strip():
        add("brief", _("Write the full brief."))
    if data.kind not in ChallengeKind.values:
        add("kind", _("Choose a challenge type."))
    if data.ip_model not in IPModel.values:
        add("ip_model", _("Choose an IP model."))
    try:
        check_currency(data.currency)
    except ValidationError as exc:
        add("currency", exc.messages[0])

    pool_ok = is_whole_number(data.prize_pool) and 0 < data.prize_pool <= limits["MAX_PRIZE_MINOR"]
    if not is_whole_number(data.prize_pool):
        add("prize_pool", _("The prize pool must be a whole number of minor units (cents)."))
    elif data.prize_pool <= 0:
        add("prize_pool", _("The prize pool must be more than zero."))
    elif data.prize_pool > limits["MAX_PRIZE_MINOR"]:
        add("prize_pool", _("The prize pool is larger than this marketplace accepts."))

    amounts = data.award_amounts
    if not amounts:
        add("award_amounts", _("Plan at least one award."))
    elif len(amounts) > limits["MAX_AWARDS"]:
        add("award_amounts", _("Plan at most %(n)s awards.") % {"n": limits["MAX_AWARDS"]})
    elif not all(is_whole_number(a) and a > 0 for a in amounts):
        add("award_amounts", _("Every award must be a positive whole number of minor units."))
    elif pool_ok and sum(amounts) != data.prize_pool:
        add(
            "award_amounts",
            _("The awards add up to %(sum)s but the prize pool is %(pool)s.")
            % {"sum": sum(amounts), "pool": data.prize_pool},
        )

    reqs = data.requirements
    if not reqs:
        add("requirements", _("Add at least one solution requirement."))
    elif len(reqs) > limits["MAX_REQUIREMENTS"]:
        add(
            "requirements",
            _("Add at most %(n)s solution requirements.") % {"n": limits["MAX_REQUIREMENTS"]},
        )
    elif any(not r.title.strip() for r in reqs):
        add("requirements", _("Every requirement needs a title."))
    elif not all(is_whole_number(r.weight) and 1 <= r.weight <= 100 for r in reqs):
        add("requirements", _("Every weight must be a whole number from 1 to 100."))
    elif sum(r.weight for r in reqs) != 100:
        add(
            "requirements",
            _("The weights add up to %(sum)s; they must add up to 100.")
            % {"sum": sum(r.weight for r in reqs)},
        )

    if not (
        is_whole_number(data.max_submissions_per_solver)
        and 1 <= data.max_submissions_per_solver <= 20
    ):
        add("max_submissions_per_solver", _("Allow from 1 to 20 submissions per solver."))
    if not (is_whole_number(data.claim_days) and 1 <= data.claim_days <= 365):
        add("claim_days", _("Give winners from 1 to 365 days to claim an award."))

    now = timezone.now()
    if data.submission_deadline is None:
        add("submission_deadline", _("Set a submission deadline."))
    elif data.submission_deadline <= now:
        add("submission_deadline", _("The submission deadline must be in the future."))
    if data.judging_deadline is None:
        add("judging_deadline", _("Set a judging deadline."))
    elif data.submission_deadline and data.judging_deadline <= data.submission_deadline:
        add("judging_deadline", _("The judging deadline must come after the submission deadline."))

    if errors:
        raise ValidationError(errors)
