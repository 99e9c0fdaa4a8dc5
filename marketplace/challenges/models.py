from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from marketplace.challenges import conditions as rules
from marketplace.challenges.catalogue_version import CatalogueRow
from marketplace.challenges.funding import funding_covers_prize
from marketplace.challenges.states import (
    BEFORE_AWARDING,
    DECIDING,
    ESCROW_WHOLE,
    PUBLISHED,
    ChallengeState,
)

S = ChallengeState


class ChallengeKind(models.TextChoices):
    IDEATION = "ideation", _("Ideation")
    THEORETICAL = "theoretical", _("Theoretical")
    REDUCTION_TO_PRACTICE = "rtp", _("Reduction to practice")
    ERFP = "erfp", _("eRFP")


class IPModel(models.TextChoices):
    EXCLUSIVE_TRANSFER = "transfer", _("Exclusive IP transfer")
    NONEXCLUSIVE_LICENCE = "licence", _("Non-exclusive licence")
    SOLVER_KEEPS = "solver_keeps", _("Solver keeps IP")


class IdeaLicence(models.TextChoices):
    """The licence an open-ideation challenge's public ideas are published under."""

    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0 (CC BY 4.0)")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)")
    CC0 = "cc0-1.0", _("Creative Commons Zero 1.0 (CC0, public domain)")


SUPPORT_THRESHOLD_MIN = 10


class Challenge(CatalogueRow):
    organization = models.ForeignKey(
        "marketplace.Organization", on_delete=models.PROTECT, related_name="challenges"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("public summary"), max_length=2000)
    brief = models.TextField(_("full brief (Markdown)"), max_length=100_000)
    kind = models.CharField(_("type"), max_length=20, choices=ChallengeKind.choices)
    prize_pool = models.BigIntegerField(_("prize pool (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    ip_model = models.CharField(_("IP model"), max_length=20, choices=IPModel.choices)
    submission_deadline = models.DateTimeField(_("submission deadline"), db_index=True)
    judging_deadline = models.DateTimeField(_("judging deadline"))
    eligibility = models.TextField(_("eligibility"), blank=True, max_length=5000)
    hide_seeker = models.BooleanField(_("hide the Seeker's identity from solvers"), default=False)
    blind_judging = models.BooleanField(_("hide solvers' identities from judges"), default=False)
    max_submissions_per_solver = models.PositiveSmallIntegerField(
        _("submissions allowed per solver or team"), default=3
    )
    # HTML and SVG can run script when opened: refused in uploads unless allowed here,
    # and then only ever served as downloads.
    allow_html_uploads = models.BooleanField(_("accept HTML and SVG files"), default=False)
    claim_days = models.PositiveSmallIntegerField(
        _("days a winner has to claim an award"), default=30
    )
    open_ideation = models.BooleanField(
        _("open ideation"),
        default=False,
        help_text=_(
            "Ideas are public under the stated licence; signed-in people support and "
            "comment on them."
        ),
    )
    support_threshold = models.PositiveIntegerField(
        _("support threshold"),
        default=10_000,
        help_text=_("An idea with this much support is marked for your review."),
    )
    idea_licence = models.CharField(
        _("licence of the ideas"),
        max_length=20,
        choices=IdeaLicence.choices,
        default=IdeaLicence.CC_BY,
    )
    awards_final_at = models.DateTimeField(
        _("winner selection finished at"),
        null=True,
        blank=True,
        help_text=_("Set when the owner says no more awards will be chosen."),
    )
    state = FSMField(_("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        constraints = [
            models.CheckConstraint(condition=Q(prize_pool__gt=0), name="challenge_prize_positive"),
            models.CheckConstraint(
                condition=Q(claim_days__gte=1, claim_days__lte=365), name="challenge_claim_days"
            ),
            models.CheckConstraint(
                condition=Q(judging_deadline__gt=F("submission_deadline")),
                name="challenge_judging_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(support_threshold__gte=SUPPORT_THRESHOLD_MIN),
                name="challenge_support_threshold_min",
            ),
        ]
        indexes = [models.Index(fields=["state", "submission_deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state in PUBLISHED

    @property
    def escrow_whole(self) -> bool:
        return self.state in ESCROW_WHOLE

    # The lifecycle. Methods only change the state; the service
    # `marketplace.lifecycle.services.challenge_transition` checks, saves, logs and
    # queues side effects. `custom["reason"]` says whether a reason is required;
    # `custom["actor_rule"]`, if any, is `f(challenge, user)` returning why this user may
    # not take the transition now (None when they may).

    @transition(
        field=state,
        source=S.DRAFT,
        target=S.IN_REVIEW,
        permission=rules.by_editor,
        conditions=[rules.is_complete, rules.deadline_in_future],
        custom={"label": _("Submit for review"), "reason": False},
    )
    def submit(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.DRAFT,
        permission=rules.by_staff,
        custom={"label": _("Return to draft"), "reason": True},
    )
    def return_to_draft(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.AWAITING_FUNDING,
        permission=rules.by_staff,
        conditions=[rules.deadline_in_future],
        custom={"label": _("Approve"), "reason": False},
    )
    def approve(self):
        pass

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=S.CANCELLED,
        permission=rules.by_staff,
        custom={"label": _("Reject"), "reason": True},
    )
    def reject(self):
        pass

    @transition(
        field=state,
        source=S.AWAITING_FUNDING,
        target=S.OPEN,
        permission=rules.by_editor_or_staff,
        conditions=[funding_covers_prize, rules.deadline_in_future],
        custom={"label": pgettext_lazy("transition", "Open"), "reason": False},
    )
    def open(self):
        pass

    @transition(
        field=state,
        source=S.OPEN,
        target=S.CLOSED,
        permission=rules.by_system_or_staff,
        conditions=[rules.deadline_passed],
        custom={"label": _("Close"), "reason": False},
    )
    def close(self):
        pass

    @transition(
        field=state,
        source=S.OPEN,
        target=S.CLOSED,
        permission=rules.by_owner_or_staff,
        conditions=[rules.before_deadline],
        custom={
            "label": _("Close early"),
            "reason": True,
            "reason_max": rules.EARLY_CLOSE_REASON_MAX,
            "actor_rule": rules.entries_staff_only,
            "refusal_code": "entries_exist",
            "note": _(
                "The owner may close before the deadline while no entry has been submitted; "
                "once one has, only staff may (the owner asks them through an early-close "
                "request). The submission deadline becomes the moment of closing."
            ),
        },
    )
    def close_early(self):
        pass

    @transition(
        field=state,
        source=S.CLOSED,
        target=S.JUDGING,
        permission=rules.by_editor,
        custom={"label": _("Start judging"), "reason": False},
    )
    def start_judging(self):
        pass

    @transition(
        field=state,
        source=S.JUDGING,
        target=S.AWARDING,
        permission=rules.by_owner_or_staff,
        custom={"label": _("Start awarding"), "reason": False},
    )
    def start_awarding(self):
        pass

    @transition(
        field=state,
        source=S.AWARDING,
        target=S.COMPLETED,
        permission=rules.by_system_or_staff,
        conditions=[rules.awards_settled],
        custom={"label": _("Complete"), "reason": False},
    )
    def complete(self):
        pass

    @transition(
        field=state,
        source=DECIDING,
        target=S.NO_AWARD,
        permission=rules.by_owner_or_staff,
        conditions=[rules.nothing_owed],
        custom={
            "label": _("End with no award"),
            "reason": True,
            "actor_rule": rules.accepted_awards_staff_only,
            "refusal_code": "award_accepted",
        },
    )
    def declare_no_award(self):
        pass

    @transition(
        field=state,
        source=BEFORE_AWARDING,
        target=S.CANCELLED,
        permission=rules.by_canceller,
        custom={"label": _("Cancel"), "reason": True},
    )
    def cancel(self):
        pass


class Requirement(models.Model):
    """A weighted solution requirement; a challenge's weights sum to 100."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("requirement"), max_length=300)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "position"], name="requirement_position"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="requirement_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlannedAward(models.Model):
    """One award of the award plan, in minor units; a challenge's amounts sum to its pool."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="planned_awards"
    )
    position = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField(_("amount (minor units)"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "position"], name="planned_award_position"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="planned_award_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.amount} {self.challenge.currency}"


def attachment_path(instance, filename: str) -> str:
    return f"challenges/{instance.challenge_id}/attachments/{instance.sha256}"


class Attachment(models.Model):
    """A file the Seeker attaches to the brief. Stored privately; served by a view."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class ChallengeEvent(models.Model):
    """The transition log: one row for every state change and deadline extension.
    Append-only; the admin shows it read-only."""

    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system acted (for example the deadline sweep)."),
    )
    name = models.CharField(_("transition"), max_length=40)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("challenge event")
        verbose_name_plural = _("challenge events")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.from_state} -> {self.to_state} ({self.name})"
