"""In-app notifications (each also e-mailed, at once or in a daily digest, unless its
reader chose otherwise for its kind) and follows of Seeker organisations.
A notification stores its kind and parameters, not its text, so it is shown in the
reader's language; its unique key makes sending it twice a no-op."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    CHALLENGE_OPENED = "challenge_opened", _("Challenge opened")
    DEADLINE_SOON = "deadline_soon", _("Deadline in 48 hours")
    DEADLINE_EXTENDED = "deadline_extended", _("Deadline extended")
    CLOSED_EARLY = "closed_early", _("Challenge closed early")
    EARLY_CLOSE_REFUSED = "early_close_refused", _("Early close refused")
    CLARIFICATION_ANSWERED = "clarification_answered", _("Clarification answered")
    AWARD_WON = "award_won", _("You won")
    DEED_READY = "deed_ready", _("Deed ready to sign")
    AWARD_PAID = "award_paid", _("Paid")
    CERTIFICATE_READY = "certificate_ready", _("Certificate ready")
    AWARD_FORFEITED = "award_forfeited", _("Award forfeited")
    RESULTS_PUBLISHED = "results_published", _("Results published")
    ENTRY_REVIEWED = "entry_reviewed", _("Entry reviewed")
    QUESTION_ASKED = "question_asked", _("New question")
    REVIEW_REQUESTED = "review_requested", _("Challenge submitted for review")
    ENTRIES_RECEIVED = "entries_received", _("New entries")
    SUBMISSIONS_CLOSED = "submissions_closed", _("Submissions closed")
    AWARD_ACCEPTED = "award_accepted", _("Award accepted")
    AWARD_DECLINED = "award_declined", _("Award declined")
    PAYOUT_FAILED = "payout_failed", _("Payout failed")
    IDEA_THRESHOLD_REACHED = "idea_threshold", _("Idea reached its support threshold")


class Delivery(models.TextChoices):
    """How a person hears of a kind of notification, besides the in-app list."""

    EMAIL = "email", _("E-mail at once")
    DIGEST = "digest", _("Daily digest e-mail")
    IN_APP = "in_app", _("In the app only")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    key = models.CharField(max_length=200, unique=True)
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    award = models.ForeignKey(
        "marketplace.Award", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The reader's choice for its kind when its e-mail was due (empty until then):
    # e-mailed at once, in the next daily digest, or not at all.
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.key


class NotificationPreference(models.Model):
    """A person's choice of delivery for one kind; without one, a kind is e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class OrganizationFollow(models.Model):
    """A person who wants to hear when an organisation opens a challenge."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    organization = models.ForeignKey(
        "marketplace.Organization", on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.organization_id}"
