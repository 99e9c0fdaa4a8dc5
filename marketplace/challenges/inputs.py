"""What a Seeker writes into a challenge, and every rule it must satisfy. Pages and
the API both build a `ChallengeInput` and get the same errors, keyed by field."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.challenges.models import (
    SUPPORT_THRESHOLD_MIN,
    ChallengeKind,
    IdeaLicence,
    IPModel,
)
from marketplace.core.numbers import is_whole_number
from payouts.currency import check_currency, format_money, format_percentage
from payouts.splits import split_largest_remainder

HUNDRED = Decimal(100)
MAX_SUPPORT_THRESHOLD = 10_000_000
CENT = Decimal("0.01")


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
    # The plan as percentages of the pool instead ("62.50"): exactly one of the two.
    award_percentages: list[Decimal] = field(default_factory=list)
    eligibility: str = ""
    hide_seeker: bool = False
    blind_judging: bool = False
    max_submissions_per_solver: int = 3
    allow_html_uploads: bool = False
    claim_days: int = 30
    open_ideation: bool = False
    support_threshold: int = 10_000
    idea_licence: str = IdeaLicence.CC_BY


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
        currency_ok = True
    except ValidationError as exc:
        add("currency", exc.messages[0])
        currency_ok = False
    for name, message in _money_errors(data, currency_ok):
        add(name, message)

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
    if not (
        is_whole_number(data.support_threshold)
        and SUPPORT_THRESHOLD_MIN <= data.support_threshold <= MAX_SUPPORT_THRESHOLD
    ):
        add(
            "support_threshold",
            _("Set a support threshold from %(min)s to %(max)s.")
            % {"min": SUPPORT_THRESHOLD_MIN, "max": f"{MAX_SUPPORT_THRESHOLD:,}"},
        )
    if data.idea_licence not in IdeaLicence.values:
        add("idea_licence", _("Choose the licence the ideas are published under."))

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


def _money_errors(data: ChallengeInput, currency_ok: bool) -> list[tuple[str, str]]:
    """The prize pool's and the award plan's problems, amounts in the challenge's currency."""
    limit = settings.MARKETPLACE["MAX_PRIZE_MINOR"]
    pool = data.prize_pool

    def money(minor: int) -> str:
        return format_money(minor, data.currency)

    found = []
    if not is_whole_number(pool):
        found.append(("prize_pool", _("Enter the prize pool as an amount, for example 25000.00.")))
    elif pool <= 0:
        found.append(("prize_pool", _("The prize pool must be more than zero.")))
    elif currency_ok and pool > limit:
        found.append(
            ("prize_pool", _("The prize pool can be at most %(limit)s.") % {"limit": money(limit)})
        )
    pool_ok = currency_ok and not found
    amounts, percentages = data.award_amounts, data.award_percentages
    if amounts and percentages:
        return [
            *found,
            (
                "award_amounts",
                _("Give the award plan as amounts or as percentages of the prize pool, not both."),
            ),
        ]
    name = "award_percentages" if percentages else "award_amounts"
    plan = percentages or amounts
    if not plan:
        found.append((name, _("Plan at least one award.")))
    elif len(plan) > settings.MARKETPLACE["MAX_AWARDS"]:
        found.append(
            (name, _("Plan at most %(n)s awards.") % {"n": settings.MARKETPLACE["MAX_AWARDS"]})
        )
    elif percentages:
        found.extend(_percentage_errors(data, pool_ok))
    elif not all(is_whole_number(a) and a > 0 for a in amounts):
        found.append((name, _("Every award must be more than zero.")))
    elif pool_ok and sum(amounts) != pool:
        found.append(
            (
                name,
                _("The awards add up to %(sum)s but the prize pool is %(pool)s.")
                % {"sum": money(sum(amounts)), "pool": money(pool)},
            )
        )
    return found


def _percentage_errors(data: ChallengeInput, pool_ok: bool) -> list[tuple[str, str]]:
    name, percentages = "award_percentages", data.award_percentages
    # Bounded before rounding: quantize() cannot hold a huge number to the cent.
    if not all(
        isinstance(p, Decimal) and 0 < p <= HUNDRED and p == p.quantize(CENT) for p in percentages
    ):
        return [
            (
                name,
                _("Every percentage must be more than 0 and at most 100, with at most 2 decimals."),
            )
        ]
    total = sum(percentages)
    if total != HUNDRED:
        return [
            (
                name,
                _("The percentages add up to %(sum)s; they must add up to exactly 100%%.")
                % {"sum": format_percentage(total)},
            )
        ]
    if pool_ok and 0 in planned_amounts(data):
        return [
            (
                name,
                _(
                    "The prize pool of %(pool)s is too small to split this way: an award would be %(zero)s."
                )
                % {
                    "pool": format_money(data.prize_pool, data.currency),
                    "zero": format_money(0, data.currency),
                },
            )
        ]
    return []


def basis_points(percentage: Decimal) -> int:
    """62.50 % -> 6250: a percentage with at most two decimals as a whole number."""
    return int(percentage * HUNDRED)


def planned_amounts(data: ChallengeInput) -> list[int]:
    """The award plan in minor units: the amounts as given, or the pool split by the
    percentages (largest remainder: they add up to the pool exactly, each within one
    minor unit of its exact share)."""
    if data.award_percentages:
        return split_largest_remainder(
            data.prize_pool, [basis_points(p) for p in data.award_percentages]
        )
    return list(data.award_amounts)
