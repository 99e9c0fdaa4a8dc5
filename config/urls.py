"""The site's URL map. The project package is the one place that names the front
doors (seekers, solvers), which is why the layer contract exempts this module."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from marketplace.accounts.views import language_switch

# The admin logs in through the site's log-in, so staff give their second factor there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_switch, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("marketplace.api_urls")),
    path("api/v1/", include("solvers.api.urls")),
    path("payments/", include("payouts.urls")),
    path("seeker/", include("seekers.urls")),
    path("solver/", include("solvers.urls")),
    path("", include("marketplace.urls")),
]
