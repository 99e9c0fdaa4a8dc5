"""Judging: which of the organisation's people judge a challenge, the entries they
must stay away from, and their scores. Scores and notes are private to the Seeker's
side (the judge who wrote them, the challenge's owners, staff); solvers never see them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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

    class Meta:
        ordering = ["challenge", "assigned_at", "pk"]
        verbose_name = _("judge assignment")
        verbose_name_plural = _("judge assignments")
        constraints = [
            models.UniqueConstraint(fields=["challenge", "judge"], name="judge_assigned_once")
        ]

    def __str__(self) -> str:
        return f"{self.judge} judges {self.challenge_id}"


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
