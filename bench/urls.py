"""The product's URL map plus `/bench/bare/`, the baseline the catalogue is compared with:
the same catalogue rows as plain `values()` dumped as JSON, with no DRF and no template.
Only the benchmark mounts it; the product never does."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns
from marketplace.challenges.selectors import CatalogueQuery, catalogue

BARE_FIELDS = (
    "id",
    "title",
    "summary",
    "kind",
    "prize_pool",
    "currency",
    "submission_deadline",
    "state",
    "hide_seeker",
    "organization__name",
    "solver_count",
)


def bare_catalogue(request):
    """The first `?size=N` rows of the default catalogue (20 like the API, 12 like the page)."""
    size = min(int(request.GET.get("size", 20)), 100)
    rows = list(catalogue(CatalogueQuery()).values(*BARE_FIELDS)[:size])
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/bare/", bare_catalogue, name="bench-bare"),
    *product_urlpatterns,
]
