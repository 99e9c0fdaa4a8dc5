"""Judging: who judges a challenge (the organisation's judges and owners, or a person
from outside it invited by e-mail to judge that one challenge), the entries they must
stay away from, and their scores. Scores and notes are private to the Seeker's
side (the judge who wrote them, the challenge's owners, staff); solvers never see them."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 0
SCORE_MAX = 10


class JudgeAssignment(models.Model):
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.CASCADE, related_name="judge_assignments"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    outside = models.BooleanField(
        _("from outside the organisation"),
        default=False,
        help_text=_("Invited by e-mail to judge this challenge only; not a member."),
    )

    class Meta:
        ordering = ["challenge", "assigned_at", "pk"]
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "judge"], name="judge_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge} judges {self.challenge_id}"


def token_digest(token: str) -> str:
    """What is stored of an invitation's token: its SHA-256, so the table alone opens
    nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class JudgeInvitation(models.Model):
    """An owner's invitation, by e-mail, for a person outside the organisation to judge
    one challenge. Accepting it (signed in with the invited address, verified) assigns
    them as a judge of that challenge only; they do not join the organisation."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.CASCADE, related_name="judge_invitations"
    )
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("judge invitation")
        verbose_name_plural = _("judge invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="judge_invitation_pending_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to judge {self.challenge_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class Conflict(models.Model):
    """A judge's declared conflict of interest with one entry: from then on the judge
    can neither see nor score it."""

    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.CASCADE, related_name="conflicts"
    )
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["declared_at", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["submission", "judge"], name="conflict_declared_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge} conflicted on {self.submission_id}"


class Evaluation(models.Model):
    """One judge's score of one entry against one solution requirement."""

    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.CASCADE, related_name="evaluations"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations"
    )
    requirement = models.ForeignKey(
        "marketplace.Requirement", on_delete=models.CASCADE, related_name="evaluations"
    )
    score = models.PositiveSmallIntegerField(_("score (0-10)"))
    note = models.TextField(_("private note"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submission", "judge", "requirement__position"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "judge", "requirement"], name="evaluation_once"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="evaluation_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} {self.submission_id}/{self.requirement_id}: {self.score}"
