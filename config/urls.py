"""The site's URL map. The project package is the one place that names the front
doors (seekers, solvers), which is why the layer contract exempts this module."""

from allauth.account.decorators import secure_admin_login
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)

from marketplace.accounts.ratelimits import too_many_requests
from marketplace.accounts.views import language_switch

# allauth answers a request over its rate limits (sign-up, log-in) with this view.
handler429 = too_many_requests

# Redoc needs more than the site's policy (config.settings.base): its bundle adds two
# <style> elements before it can be given the nonce (these hashes belong to the bundle
# of drf-spectacular-sidecar; the browser tests report a violation when it changes),
# its search runs in a worker made from a blob, and its menu shows Redocly's logo from
# their CDN (hidden when it cannot load).
REDOC_CSP = {
    "style-src": [
        "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
        "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
    ],
    "worker-src": ["blob:"],
    "img-src": ["https://cdn.redoc.ly"],
}
api_redoc = csp_update(REDOC_CSP)(SpectacularRedocView.as_view(url_name="api-schema"))

# The admin logs in through the site's log-in, so staff give their second factor there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", api_redoc, name="api-redoc"),
    path("api/v1/", include("marketplace.api_urls")),
    path("api/v1/", include("solvers.api.urls")),
    path("payments/", include("payouts.urls")),
    path("seeker/", include("seekers.urls")),
    path("solver/", include("solvers.urls")),
    path("", include("marketplace.urls")),
]
