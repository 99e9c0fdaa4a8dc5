"""Pages everyone can open: the landing page, the catalogue and the terms of use. (A
challenge's own page, with the agreement gate in front of the full brief, is
participation's.)"""

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string

from marketplace.accounts.signup import site_terms
from marketplace.challenges.cards import catalogue_cards
from marketplace.challenges.catalogue_version import catalogue_key
from marketplace.challenges.forms import CatalogueForm
from marketplace.challenges.selectors import CatalogueQuery, catalogue
from marketplace.challenges.summaries import SummaryPaginator

HOME_CHALLENGES = 3
# The filters, count, cards and page links of one query string, kept a minute at most
# (the key changes with the minute and with every change to the catalogue).
CATALOGUE_SECONDS = 60


def home(request):
    newest = catalogue(CatalogueQuery(sort="newest"))[:HOME_CHALLENGES]
    return render(request, "marketplace/home.html", {"challenges": newest})


def _catalogue_content(request) -> str:
    form = CatalogueForm(request.GET)
    paginator = SummaryPaginator(
        catalogue(form.query()), settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"]
    )
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "fields": form.shown(),
        "page": page,
        "cards": catalogue_cards(page.object_list),
    }
    return render_to_string("marketplace/_catalogue_content.html", context, request)


def catalogue_page(request):
    """Everything below the site's header depends only on the query string, the
    language, the time zone, the catalogue's rows and the minute: it is cached by them."""
    key = catalogue_key("page", request.META.get("QUERY_STRING", ""), per_minute=True)
    content = cache.get(key)
    if content is None:
        content = _catalogue_content(request)
        cache.set(key, content, CATALOGUE_SECONDS)
    return render(request, "marketplace/catalogue.html", {"content": content})


def terms(request):
    """The terms of use in force, as every new account accepts them."""
    return render(request, "marketplace/agreements/terms.html", {"terms": site_terms()})
