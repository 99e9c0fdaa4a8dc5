"""Reads of open ideation. A challenge's idea list is one query whatever the number of
ideas and supporters: the count is the idea row's, the trending figure (support in the
last 7 days) and whether the reader supports each idea are subqueries."""

from datetime import timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.states import PUBLISHED
from marketplace.ideation.models import Comment, Report, Support
from marketplace.submissions.models import Submission, SubmissionState

TRENDING_DAYS = 7
SORTS = {
    "support": ("-support_count", "-created_at", "-pk"),
    "newest": ("-created_at", "-pk"),
    "trending": ("-trending_count", "-support_count", "-pk"),
}
DEFAULT_SORT = "support"


def _trending(since):
    recent = (
        Support.objects.filter(submission=OuterRef("pk"), created_at__gte=since)
        .order_by()
        .values("submission")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(recent, output_field=IntegerField()), Value(0))


def ideas_of(challenge: Challenge | None, user, sort: str = DEFAULT_SORT) -> QuerySet:
    """The challenge's public ideas (active, not hidden; with no challenge, those of
    every published open-ideation challenge), sorted by `sort` (support, newest or
    trending), each with `support_count`, `trending_count` and `supported` (whether
    `user` supports it)."""
    since = timezone.now() - timedelta(days=TRENDING_DAYS)
    mine = (
        Exists(Support.objects.filter(submission=OuterRef("pk"), user=user))
        if getattr(user, "is_authenticated", False)
        else Value(False)
    )
    scope = (
        Q(challenge=challenge)
        if challenge is not None
        else Q(challenge__open_ideation=True, challenge__state__in=PUBLISHED)
    )
    return (
        Submission.objects.filter(scope, state=SubmissionState.ACTIVE)
        .filter(Q(idea__isnull=True) | Q(idea__hidden_at__isnull=True))
        .select_related("author", "idea")
        .defer("body", "review_reason", "review_note")  # a list shows the abstract
        .annotate(
            support_count=Coalesce("idea__supports", Value(0)),
            trending_count=_trending(since),
            supported=mine,
        )
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def idea_support_count(submission: Submission) -> int:
    idea = getattr(submission, "idea", None)
    return idea.supports if idea is not None else 0


def supports(user, submission: Submission) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Support.objects.filter(submission=submission, user=user).exists()


def comments_of(submission: Submission) -> QuerySet:
    return Comment.objects.filter(submission=submission).select_related("author")


def open_reports() -> QuerySet:
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("submission__challenge", "submission__idea", "comment", "reporter")
        .order_by("created_at", "pk")
    )


BURST_WINDOW = timedelta(hours=1)
NEW_ACCOUNT_AGE = timedelta(days=7)


def support_bursts() -> QuerySet:
    """Supports given in the last hour by accounts younger than 7 days, grouped by
    idea, most first: what staff look at for coordinated support."""
    now = timezone.now()
    return (
        Support.objects.filter(
            created_at__gte=now - BURST_WINDOW, user__date_joined__gte=now - NEW_ACCOUNT_AGE
        )
        .order_by()
        .values("submission", "submission__title", "submission__challenge__title")
        .annotate(supports=Count("pk"))
        .order_by("-supports", "submission")
    )
