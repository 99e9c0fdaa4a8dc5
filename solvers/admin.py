"""Read-only admin pages: teams and profiles change only through the services (and the
owners' own pages), which keep the shares and memberships consistent."""

from django.contrib import admin

from marketplace.admin import ReadOnlyAdmin
from solvers.models import SolverProfile, Team, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    fields = ["user", "state", "share_bps", "invited_at", "responded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "challenge", "captain", "created_at", "shares_frozen_at"]
    list_select_related = ["challenge", "captain"]
    search_fields = ["name", "challenge__title", "captain__email"]
    inlines = [TeamMemberInline]


@admin.register(SolverProfile)
class SolverProfileAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "user", "country", "is_public", "updated_at"]
    list_filter = ["is_public"]
    list_select_related = ["user"]
    search_fields = ["display_name", "user__email"]
