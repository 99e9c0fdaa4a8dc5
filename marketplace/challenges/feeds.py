"""RSS and Atom feeds of newly published challenges. They take the catalogue's filters
from the query string, read by the same rules as the API's list
(`params.catalogue_params`; `sort` and `mine` do not apply: a feed is public and always
newest first), and list the newest FEED_ITEMS in one query. A hidden Seeker is never
named."""

import dataclasses
from collections.abc import Iterable

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from marketplace.challenges.models import Challenge
from marketplace.challenges.params import catalogue_params
from marketplace.challenges.selectors import CatalogueQuery, catalogue
from payouts.currency import format_money

FEED_ITEMS = 50


class ChallengeFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except ValidationError as error:
            lines = [
                f"{field}: {' '.join(map(str, problems))}"
                for field, problems in error.detail.items()
            ]
            return HttpResponseBadRequest(
                "\n".join(lines), content_type="text/plain; charset=utf-8"
            )

    def get_object(self, request) -> tuple[CatalogueQuery, str]:
        _mine, query = catalogue_params(request.META.get("QUERY_STRING", ""))
        return dataclasses.replace(query, sort="newest"), request.META.get("QUERY_STRING", "")

    def title(self) -> str:
        return _("New challenges · Challenge Marketplace")

    def description(self) -> str:
        return _("Challenges newly published on the Challenge Marketplace, newest first.")

    def link(self, obj) -> str:
        _query, query_string = obj
        return reverse("catalogue") + (f"?{query_string}" if query_string else "")

    def items(self, obj):
        query, _query_string = obj
        return catalogue(query)[:FEED_ITEMS]

    def item_title(self, item: Challenge) -> str:
        return item.title

    def item_description(self, item: Challenge) -> str:
        prize = format_money(item.prize_pool, item.currency)
        day = date_format(timezone.localtime(item.submission_deadline), "DATE_FORMAT")
        facts = _("Prize: %(prize)s · Submission deadline: %(date)s") % {
            "prize": prize,
            "date": day,
        }
        return f"{facts}\n\n{item.summary}"

    def item_link(self, item: Challenge) -> str:
        return reverse("challenge_detail", args=[item.pk])

    def item_pubdate(self, item: Challenge):
        return item.published_at

    def item_author_name(self, item: Challenge) -> str | None:
        return None if item.hide_seeker else item.organization.name

    def item_categories(self, item: Challenge) -> list[str]:
        return [str(item.get_kind_display())]


def feed_query(params: QueryDict, invalid: Iterable[str]) -> str:
    """The catalogue's query string for its feeds: without the page, the sort and any
    filter the catalogue's form found invalid (which the feed would refuse)."""
    kept = params.copy()
    for name in ("page", "sort", *invalid):
        kept.pop(name, None)
    return kept.urlencode()


class ChallengeAtomFeed(ChallengeFeed):
    feed_type = Atom1Feed
    subtitle = ChallengeFeed.description
