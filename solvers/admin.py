"""Read-only admin page: profiles change only through the services (and the owners' own
pages)."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from solvers.models import SolverProfile


@admin.register(SolverProfile)
class SolverProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "user", "country", "is_public", "updated_at"]
    list_filter = ["is_public"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__email"]
