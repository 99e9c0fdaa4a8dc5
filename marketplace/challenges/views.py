"""Pages everyone can open: the landing page, the catalogue and the terms of use, and
what a published challenge offers outside the site: its preview image and its deadlines
as a calendar file (the feeds are `feeds.py`). A challenge's own page, with the
agreement gate in front of the full brief, is participation's."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from marketplace.accounts.signup import site_terms
from marketplace.challenges.calendars import deadlines_ical
from marketplace.challenges.cards import catalogue_cards
from marketplace.challenges.catalogue_version import catalogue_key
from marketplace.challenges.feeds import feed_query
from marketplace.challenges.forms import CatalogueForm
from marketplace.challenges.preview import preview_png, preview_version
from marketplace.challenges.selectors import CatalogueQuery, catalogue, published_challenge
from marketplace.challenges.summaries import SummaryPaginator

HOME_CHALLENGES = 3
# The page names the image with its version (`?v=`), so an edit is a new address.
PREVIEW_MAX_AGE = 24 * 3600
# The filters, count, cards and page links of one query string, kept a minute at most
# (the key changes with the minute and with every change to the catalogue).
CATALOGUE_SECONDS = 60


def home(request):
    newest = catalogue(CatalogueQuery(sort="newest"))[:HOME_CHALLENGES]
    return render(request, "marketplace/home.html", {"challenges": newest})


def _catalogue_content(request) -> tuple[str, str]:
    form = CatalogueForm(request.GET)
    paginator = SummaryPaginator(
        catalogue(form.query()), settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"]
    )
    page = paginator.get_page(request.GET.get("page"))
    feeds = feed_query(request.GET, form.errors)
    context = {
        "form": form,
        "fields": form.shown(),
        "page": page,
        "cards": catalogue_cards(page.object_list),
        "feed_query": feeds,
    }
    return render_to_string("marketplace/_catalogue_content.html", context, request), feeds


def catalogue_page(request):
    """Everything below the site's header depends only on the query string, the
    language, the time zone, the catalogue's rows and the minute: it is cached by them
    (with the query string the feeds are offered for)."""
    key = catalogue_key("page", request.META.get("QUERY_STRING", ""), per_minute=True)
    cached = cache.get(key)
    if cached is None:
        cached = _catalogue_content(request)
        cache.set(key, cached, CATALOGUE_SECONDS)
    content, feeds = cached
    return render(request, "marketplace/catalogue.html", {"content": content, "feed_query": feeds})


def terms(request):
    """The terms of use in force, as every new account accepts them."""
    return render(request, "marketplace/agreements/terms.html", {"terms": site_terms()})


def challenge_preview(request, pk: int):
    """The preview image of a published challenge (404 otherwise), answered 304 when the
    client holds this version."""
    challenge = published_challenge(pk)
    etag = f'"{preview_version(challenge)}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        preview_png(challenge), content_type="image/png"
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=PREVIEW_MAX_AGE)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def challenge_deadlines(request, pk: int):
    """The deadlines of a published challenge as an iCalendar file (404 otherwise)."""
    challenge = published_challenge(pk)
    url = request.build_absolute_uri(reverse("challenge_detail", args=[pk]))
    response = HttpResponse(deadlines_ical(challenge, url=url), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="challenge-{pk}-deadlines.ics"'
    return response
