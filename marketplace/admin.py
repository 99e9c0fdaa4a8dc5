"""The Django admin of the core. Only a draft challenge is edited here; everything past
draft, the challenge log, requests to close early, awards and submission receipts are
shown, never changed: staff change them through the same services as the pages (review
queue, award and payout pages, dashboard, API), which check every step and log it."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.models import User
from marketplace.awards.models import Award, AwardRecipient
from marketplace.challenges.models import (
    Attachment,
    Challenge,
    ChallengeEvent,
    ChallengeState,
    PlannedAward,
    Requirement,
)
from marketplace.lifecycle.models import EarlyCloseRequest
from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.participation.models import Clarification, Registration
from marketplace.privacy.models import PrivacyRequest
from marketplace.submissions.models import SubmissionVersion
from marketplace.teams.models import Team, TeamMember

LIVE_CHALLENGE_HELP = _(
    "Past draft, a challenge changes only through its workflow: the staff review queue, "
    "the Seeker's pages, the staff award and payout pages or the API, which check every "
    "change and log it in the challenge's history."
)
AWARD_HELP = _(
    "Awards change only through the award pages and the API (choosing winners, claims, "
    "releases, disputes, forfeits), which check every step and log it in the "
    "challenge's history."
)


def with_help(fieldsets, text) -> list:
    """`fieldsets` with `text` shown above the first one."""
    (name, options), *rest = fieldsets
    return [(name, {**options, "description": text}), *rest]


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
    """For records kept for good: visible, never added, changed or deleted here."""

    how_to_change = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return with_help(fieldsets, self.how_to_change) if self.how_to_change else fieldsets


def is_draft(challenge: Challenge | None) -> bool:
    """A challenge being added, or one still in draft."""
    return challenge is None or challenge.state == ChallengeState.DRAFT


class DraftOnlyInline(admin.TabularInline):
    """A challenge's requirements and award plan: edited with the draft, then fixed."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)


class RequirementInline(DraftOnlyInline):
    model = Requirement


class PlannedAwardInline(DraftOnlyInline):
    model = PlannedAward


class EventInline(admin.TabularInline):
    model = ChallengeEvent
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "actor", "name", "from_state", "to_state", "reason", "details"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    """A draft is edited here; past draft the challenge is shown read-only. The state is
    never edited: every state change goes through the lifecycle service (review queue,
    dashboard or API) so that it is checked and logged."""

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

    def has_change_permission(self, request, obj=None):
        return is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return is_draft(obj) and super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if is_draft(obj) else with_help(fieldsets, LIVE_CHALLENGE_HELP)

    def save_model(self, request, obj, form, change):
        """Save a draft, unless it left draft since the page read it: the row is locked
        (as the lifecycle service locks it) and its state read again, so a stale page
        never writes over a challenge under way."""
        locked = Challenge.objects.select_for_update().filter(pk=obj.pk, state=ChallengeState.DRAFT)
        if change and not locked.exists():
            raise PermissionDenied
        super().save_model(request, obj, form, change)


@admin.register(ChallengeEvent)
class ChallengeEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "challenge", "name", "from_state", "to_state", "actor"]
    list_filter = ["name", "to_state"]
    search_fields = ["challenge__title", "reason"]


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "user", "kind", "state", "completed_at"]
    list_filter = ["kind", "state"]
    exclude = ["archive"]


@admin.register(EarlyCloseRequest)
class EarlyCloseRequestAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "challenge", "requested_by", "state", "decided_by"]
    list_filter = ["state"]
    search_fields = ["challenge__title", "reason", "note"]


class RecipientInline(admin.TabularInline):
    model = AwardRecipient
    extra = 0
    can_delete = False
    fields = ["user", "share_bps", "amount", "accepted_at", "deed"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    how_to_change = AWARD_HELP
    list_display = ["pk", "challenge", "submission", "amount", "state", "created_at", "paid_at"]
    list_filter = ["state"]
    list_select_related = ["challenge", "submission"]
    search_fields = ["challenge__title", "submission__title"]
    inlines = [RecipientInline]


@admin.register(AwardRecipient)
class AwardRecipientAdmin(ReadOnlyAdmin):
    how_to_change = AWARD_HELP
    list_display = ["award", "user", "share_bps", "amount", "accepted_at", "deed"]
    list_select_related = ["award", "user"]
    search_fields = ["user__email", "user__full_name"]


@admin.register(SubmissionVersion)
class SubmissionVersionAdmin(ReadOnlyAdmin):
    """The receipts solvers were sent: exactly what was submitted, never changed."""

    list_display = ["submission", "number", "title", "sha256", "created_by", "created_at"]
    list_select_related = ["submission", "created_by"]
    search_fields = ["sha256", "submission__title", "created_by__email"]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["challenge", "asked_by", "asked_at", "answered_at"]
    search_fields = ["question", "answer"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "user", "registered_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    exclude = ["file"]  # private storage with no URL: served by a view that checks permission
    list_display = ["challenge", "name", "size", "sha256", "uploaded_at"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "user", "role", "joined_at"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["organization", "email", "role", "created_at", "accepted_at"]
    readonly_fields = ["token"]


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
    """Read-only: teams change only through the team services, which keep the shares
    and memberships consistent."""

    list_display = ["name", "challenge", "captain", "created_at", "shares_frozen_at"]
    list_select_related = ["challenge", "captain"]
    search_fields = ["name", "challenge__title", "captain__email"]
    inlines = [TeamMemberInline]
