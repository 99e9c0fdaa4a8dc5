"""Private solutions. Only the authors (the solver, or the team's members), the
challenge's owners and judges (once submissions have closed) and staff may read them;
everyone else gets a 404. Every edit is a new, immutable version with its own receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubmissionState(models.TextChoices):
    ACTIVE = "active", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewStatus(models.TextChoices):
    """What the challenge's owner side tells the solver about an entry."""

    RECEIVED = "received", pgettext_lazy("review status", "Received")
    ADMISSIBLE = "admissible", pgettext_lazy("review status", "Admissible")
    NOT_ADMISSIBLE = "not_admissible", pgettext_lazy("review status", "Not admissible")
    SHORTLISTED = "shortlisted", pgettext_lazy("review status", "Shortlisted")
    WINNER = "winner", pgettext_lazy("review status", "Winner")
    NOT_SELECTED = "not_selected", pgettext_lazy("review status", "Not selected")


REVIEW_NOTE_MAX = 5000


class SubmissionQuerySet(models.QuerySet):
    def active(self):
        """Not withdrawn: what a challenge's "n submissions so far" counts. Lets the
        domains below read `challenge.submissions.active()` without the states."""
        return self.filter(state=SubmissionState.ACTIVE)


class Submission(models.Model):
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="submissions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    team = models.ForeignKey(
        "marketplace.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("abstract"), max_length=5000)
    body = models.TextField(_("solution (Markdown)"), max_length=200_000)
    state = models.CharField(
        max_length=10, choices=SubmissionState.choices, default=SubmissionState.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.RECEIVED,
    )
    review_reason = models.TextField(_("reason"), max_length=REVIEW_NOTE_MAX, blank=True)
    review_note = models.TextField(_("note to the solver"), max_length=REVIEW_NOTE_MAX, blank=True)
    sha256 = models.CharField(_("content SHA-256"), max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["challenge", "author"])]

    def __str__(self) -> str:
        return self.title

    @property
    def shortlisted(self) -> bool:
        """A contender: the one place the shortlist is read from."""
        return self.review_status == ReviewStatus.SHORTLISTED


def submission_file_path(instance, filename: str) -> str:
    return (
        f"submissions/{instance.submission.challenge_id}/{instance.submission_id}/{instance.sha256}"
    )


class SubmissionFile(models.Model):
    """A file of a submission, stored privately under its SHA-256. A file removed from
    the current version stays stored, so every earlier receipt can still be proven."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=submission_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("submission file")
        verbose_name_plural = _("submission files")

    def __str__(self) -> str:
        return self.name


class SubmissionVersion(models.Model):
    """The receipt of one version: exactly what was submitted, with its digest."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    abstract = models.TextField()
    body = models.TextField()
    files = models.JSONField(default=list, help_text=_("[{id, name, size, sha256, content_type}]"))
    sha256 = models.CharField(_("content SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=100, blank=True, help_text=_("e.g. withdrawn"))

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submission_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class SubmissionReview(models.Model):
    """One change of an entry's review status, append-only: who, when, from, to, and
    the reason and note given. The owner side and staff read the history; the solver
    sees only the entry's current status and note."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="reviews")
    # None: the platform, when the challenge finished (see `submission_reviews_conclude`).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review change")
        verbose_name_plural = _("review changes")

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.from_status} -> {self.to_status}"


class EntryArrivals(models.Model):
    """The challenge's new entries not yet told to its owners and managers, who hear of
    them at most once an hour. The row is locked while it changes, so no entry is
    counted twice or lost."""

    challenge = models.OneToOneField(
        "marketplace.Challenge", on_delete=models.CASCADE, related_name="+"
    )
    pending = models.JSONField(default=list, blank=True)  # ids of the entries not told
    pending_since = models.DateTimeField(null=True, blank=True)  # None: nothing pending
    last_sent_at = models.DateTimeField(null=True, blank=True)
    batches = models.PositiveIntegerField(default=0)  # how many notices were sent

    class Meta:
        verbose_name = _("new entries to tell")
        verbose_name_plural = _("new entries to tell")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {len(self.pending)}"
