from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import (
    Attachment,
    Challenge,
    ChallengeEvent,
    Clarification,
    PlannedAward,
    Registration,
    Requirement,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class ReadOnlyAdmin(admin.ModelAdmin):
    """For audit rows: visible, never editable."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


class PlannedAwardInline(admin.TabularInline):
    model = PlannedAward
    extra = 0


class EventInline(admin.TabularInline):
    model = ChallengeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "name", "from_state", "to_state", "reason", "details"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    """The state is read-only here: every state change goes through the lifecycle
    service (review queue, dashboard or API) so that it is checked and logged."""

    list_display = [
        "title",
        "organization",
        "state",
        "prize_pool",
        "currency",
        "submission_deadline",
    ]
    list_filter = ["state", "kind", "currency"]
    search_fields = ["title", "summary", "organization__name"]
    readonly_fields = ["state", "created_at", "updated_at", "published_at"]
    inlines = [RequirementInline, PlannedAwardInline, EventInline]


@admin.register(ChallengeEvent)
class ChallengeEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "challenge", "name", "from_state", "to_state", "actor"]
    list_filter = ["name", "to_state"]
    search_fields = ["challenge__title", "reason"]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["challenge", "asked_by", "asked_at", "answered_at"]
    search_fields = ["question", "answer"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "user", "registered_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "name", "size", "sha256", "uploaded_at"]
