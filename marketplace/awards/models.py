"""Awards: a prize chosen for one entry. The winner (each member, for a team) accepts,
signs the IP deed and has tax and payout details on file; then the prize is released
from escrow and paid out. An award the winner does not claim by its deadline is
forfeited and its money goes back to the held escrow.

State changes go through `marketplace.awards.services`; the methods below only define
the graph (django-fsm-2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from marketplace.challenges.states import OWED, SETTLED, UNCLAIMED, AwardState

A = AwardState
REFERENCE_PREFIX = "award:"


def award_id_of(reference: str) -> int | None:
    """The award a supporting domain's reference names ("award:7" -> 7), else None."""
    if not reference.startswith(REFERENCE_PREFIX):
        return None
    return int(reference.removeprefix(REFERENCE_PREFIX))


class Award(models.Model):
    challenge = models.ForeignKey(
        "marketplace.Challenge", on_delete=models.PROTECT, related_name="awards"
    )
    submission = models.ForeignKey(
        "marketplace.Submission", on_delete=models.PROTECT, related_name="awards"
    )
    planned_award = models.ForeignKey(
        "marketplace.PlannedAward", on_delete=models.PROTECT, related_name="awards"
    )
    amount = models.BigIntegerField(_("amount (minor units)"))
    state = FSMField(_("state"), default=A.PROPOSED, choices=A.choices, protected=True)
    claim_deadline = models.DateTimeField(_("claim deadline"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    deed_signed_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    forfeited_at = models.DateTimeField(null=True, blank=True)
    forfeit_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # A staff dispute: while frozen, nothing moves the award or its money on.
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    frozen_reason = models.CharField(_("reason for the dispute"), max_length=500, blank=True)

    class Meta:
        ordering = ["challenge", "planned_award__position", "pk"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            # A planned award and an entry each carry at most one live award; a
            # forfeited one frees them for the next-ranked entry.
            models.UniqueConstraint(
                fields=["planned_award"],
                condition=~Q(state=A.FORFEITED),
                name="award_slot_once",
            ),
            models.UniqueConstraint(
                fields=["submission"],
                condition=~Q(state=A.FORFEITED),
                name="award_entry_once",
            ),
        ]

    def __str__(self) -> str:
        return f"award {self.pk}: {self.amount} to submission {self.submission_id}"

    @property
    def reference(self) -> str:
        """How the supporting domains (ledger, deeds, certificates) name this award."""
        return f"{REFERENCE_PREFIX}{self.pk}"

    def claim_expired(self, now=None) -> bool:
        """Unsigned, not in dispute and past its claim deadline: forfeitable by the owner
        or the sweep."""
        return (
            self.state in UNCLAIMED
            and self.frozen_at is None
            and self.claim_deadline <= (now or timezone.now())
        )

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def is_settled(self) -> bool:
        return self.state in SETTLED

    @transition(field=state, source=A.PROPOSED, target=A.ACCEPTED)
    def accept(self):
        pass

    @transition(field=state, source=A.ACCEPTED, target=A.DEED_SIGNED)
    def sign(self):
        pass

    @transition(field=state, source=A.DEED_SIGNED, target=A.VERIFIED)
    def verify(self):
        pass

    @transition(field=state, source=A.VERIFIED, target=A.PAID)
    def pay(self):
        pass

    @transition(field=state, source=[*UNCLAIMED, *OWED], target=A.FORFEITED)
    def forfeit(self):
        pass


class AwardRecipient(models.Model):
    """One person paid by an award: the solver, or each active member of the winning
    team with their frozen share. Each signs their own deed."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="award_shares"
    )
    share_bps = models.PositiveIntegerField(_("share (basis points)"))
    amount = models.BigIntegerField(_("amount (minor units)"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        help_text=_(
            "The language this person was reading in when they last acted on the award "
            "(accepting it, signing the deed): their certificate is issued in it."
        ),
    )
    deed = models.OneToOneField(
        "legal.Deed", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(
        _("anonymous on the public results"),
        default=False,
        help_text=_(
            "The public results page names this person, and links their certificate, "
            "unless they chose to stay anonymous."
        ),
    )

    class Meta:
        ordering = ["award", "-share_bps", "pk"]
        verbose_name = _("award recipient")
        verbose_name_plural = _("award recipients")
        constraints = [
            models.UniqueConstraint(fields=["award", "user"], name="award_recipient_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="award_recipient_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.amount} of award {self.award_id}"
