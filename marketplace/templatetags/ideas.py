"""The public idea list of an open-ideation challenge, for its page:
{% challenge_ideas challenge %} (sorted by the page's ?sort=support|newest|trending,
20 a page by its ?page=)."""

from django import template
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from marketplace.ideation.permissions import shows_ideas, supports_open
from marketplace.ideation.selectors import DEFAULT_SORT, SORTS, ideas_of

register = template.Library()

PAGE_SIZE = 20

SORT_LABELS = {
    "support": _("Most supported"),
    "newest": _("Newest"),
    "trending": _("Trending (last 7 days)"),
}


@register.inclusion_tag("marketplace/ideation/_list.html", takes_context=True)
def challenge_ideas(context, challenge):
    request = context["request"]
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    shown = shows_ideas(challenge)
    page = None
    if shown:
        paginator = Paginator(ideas_of(challenge, request.user, sort), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    return {
        "request": request,
        "user": request.user,
        "challenge": challenge,
        "shown": shown,
        "ideas": page or (),
        "page": page,
        "sort": sort,
        "sorts": SORT_LABELS.items(),
        "can_support": supports_open(challenge),
        "csrf_token": context.get("csrf_token"),
    }
