"""Challenges in a list, as the API answers them (`ChallengeSummarySerializer` declares
the shape for the schema): built straight from `values()` rows, with the labels of the
reader's language looked up once per language and each money text formatted once per
amount, currency and language. The same bytes as the serializer, a fraction of the
work: the catalogue is the busiest endpoint."""

import functools

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from rest_framework.pagination import PageNumberPagination

from marketplace.challenges.models import ChallengeKind, ChallengeState
from payouts.currency import format_money, major_text

COLUMNS = (
    "id",
    "title",
    "summary",
    "kind",
    "state",
    "prize_pool",
    "currency",
    "submission_deadline",
    "judging_deadline",
    "published_at",
    "solver_count",
    "hide_seeker",
    "blind_judging",
    "max_submissions_per_solver",
    "allow_html_uploads",
    "claim_days",
    "organization_id",
    "organization__name",
)


@functools.lru_cache(maxsize=16)
def labels(language: str) -> tuple[dict, dict]:
    """The kind and state labels in `language` (the active one when this is called)."""
    return (
        {value: str(label) for value, label in ChallengeKind.choices},
        {value: str(label) for value, label in ChallengeState.choices},
    )


@functools.lru_cache(maxsize=4096)
def money_texts(minor: int, currency: str, language: str) -> tuple[str, str]:
    """The API's plain amount ("25000.00") and the reader's text ("$25,000.00")."""
    return major_text(minor, currency), format_money(minor, currency, language)


def _moment(value, zone) -> str | None:
    """As REST framework writes a date-time: ISO 8601 in the current time zone, "Z" for
    UTC."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def summaries(rows, *, reveal_seeker: bool) -> list[dict]:
    """Rows of `values(*COLUMNS)` as the list's items, in the serializer's field order;
    a hidden Seeker's organisation is null unless `reveal_seeker`."""
    language = get_language()
    zone = timezone.get_current_timezone()
    kinds, states = labels(language)
    items = []
    for row in rows:
        amount, display = money_texts(row["prize_pool"], row["currency"], language)
        hidden = row["hide_seeker"] and not reveal_seeker
        items.append(
            {
                "id": row["id"],
                "title": row["title"],
                "summary": row["summary"],
                "kind": row["kind"],
                "kind_display": kinds[row["kind"]],
                "state": row["state"],
                "state_display": states[row["state"]],
                "prize_pool": amount,
                "prize_pool_minor": int(row["prize_pool"]),
                "currency": row["currency"],
                "prize_display": display,
                "submission_deadline": _moment(row["submission_deadline"], zone),
                "judging_deadline": _moment(row["judging_deadline"], zone),
                "published_at": _moment(row["published_at"], zone),
                "solver_count": row["solver_count"],
                "hide_seeker": row["hide_seeker"],
                "blind_judging": row["blind_judging"],
                "max_submissions_per_solver": row["max_submissions_per_solver"],
                "allow_html_uploads": row["allow_html_uploads"],
                "claim_days": row["claim_days"],
                "organization": None
                if hidden
                else {"id": row["organization_id"], "name": row["organization__name"]},
            }
        )
    return items


# How long a count and a page of rows of the catalogue are kept (any change to the
# catalogue drops them at once).
CACHE_SECONDS = 60


class SummaryPaginator(Paginator):
    """Counts the challenges as given (Django leaves the joined organisation and the
    solver count out of a count: an index scan) and reads only a page's rows, as
    `values(*COLUMNS)`. With a `cache_key`, the count and each page's rows are kept in
    the cache under keys made from it."""

    def __init__(self, *args, cache_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cache_key = cache_key

    def _cached(self, part: str, read):
        if self.cache_key is None:
            return read()
        key = f"{self.cache_key}:{part}"
        value = cache.get(key)
        if value is None:
            value = read()
            cache.set(key, value, CACHE_SECONDS)
        return value

    @cached_property
    def count(self) -> int:
        return self._cached("count", lambda: Paginator.count.func(self))

    def _get_page(self, object_list, number, paginator):
        rows = self._cached(f"{number}:{self.per_page}", lambda: list(object_list.values(*COLUMNS)))
        return super()._get_page(rows, number, paginator)


class SummaryPagination(PageNumberPagination):
    # The view sets it for a list whose count and rows may come from the cache.
    cache_key: str | None = None

    def django_paginator_class(self, object_list, per_page) -> SummaryPaginator:
        return SummaryPaginator(object_list, per_page, cache_key=self.cache_key)
