"""Pages everyone can open: the landing page, the catalogue and the terms of use. (A
challenge's own page, with the agreement gate in front of the full brief, is
participation's.)"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from marketplace.accounts.signup import site_terms
from marketplace.challenges.forms import CatalogueForm
from marketplace.challenges.selectors import CatalogueQuery, catalogue

HOME_CHALLENGES = 3


def home(request):
    newest = catalogue(CatalogueQuery(sort="newest"))[:HOME_CHALLENGES]
    return render(request, "marketplace/home.html", {"challenges": newest})


def catalogue_page(request):
    form = CatalogueForm(request.GET)
    paginator = Paginator(catalogue(form.query()), settings.MARKETPLACE["CATALOGUE_PAGE_SIZE"])
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "marketplace/catalogue.html", {"form": form, "page": page})


def terms(request):
    """The terms of use in force, as every new account accepts them."""
    return render(request, "marketplace/agreements/terms.html", {"terms": site_terms()})
