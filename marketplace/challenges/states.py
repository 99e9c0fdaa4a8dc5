"""The states of a challenge and of the awards chosen in it, and every group of them a
rule names, each defined once. Apart from the models, so that the lifecycle's
conditions (which the models use) read the same groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    AWAITING_FUNDING = "awaiting_funding", _("Awaiting funding")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    JUDGING = "judging", _("Judging")
    AWARDING = "awarding", _("Awarding")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_AWARD = "no_award", _("No award")


S = ChallengeState
# Not yet open to solvers: written, reviewed, funded.
BEFORE_OPENING = (S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING)
# Shown to solvers: opened at some point, and not cancelled.
PUBLISHED = (S.OPEN, S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD)
# Published with nothing paid out or returned yet: escrow holds the whole prize (the
# catalogue's cards say so without reading the ledger; the challenge page reads it).
ESCROW_WHOLE = (S.OPEN, S.CLOSED, S.JUDGING)
# The submission deadline may still be moved later.
DEADLINE_EXTENDABLE = (S.AWAITING_FUNDING, S.OPEN)
# Solvers' questions may still be answered.
QUESTIONS_ANSWERABLE = (S.OPEN, S.CLOSED, S.JUDGING)
# After the submission deadline, so no entry can be acted on while others are still
# competing: the Seeker's owners and judges may read the submissions.
SUBMISSIONS_REVEALED = (S.CLOSED, S.JUDGING, S.AWARDING, S.COMPLETED, S.NO_AWARD)
# Before winners are chosen and not ended: the challenge may be cancelled, its judges
# changed.
BEFORE_AWARDING = (S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.OPEN, S.CLOSED, S.JUDGING)
# The entries are being weighed: they may be shortlisted, or the challenge ended with no
# award.
DECIDING = (S.JUDGING, S.AWARDING)
# After the deadline and before the winners are chosen: entries are screened (their
# review status: received, admissible or not).
SCREENING = (S.CLOSED, S.JUDGING, S.AWARDING)
# The choice is being made or is made: an entry may be told it was not selected.
SELECTION_KNOWN = (S.AWARDING, S.COMPLETED, S.NO_AWARD)
# Judging is over: the awards chosen (or none) are shown.
AFTER_JUDGING = (S.AWARDING, S.COMPLETED, S.NO_AWARD)
# Ended: what escrow still holds goes back to the Seeker.
ENDED = (S.COMPLETED, S.CANCELLED, S.NO_AWARD)
# Ended with no winner to pay: everything still held may be refunded.
ENDED_WITHOUT_WINNERS = (S.CANCELLED, S.NO_AWARD)


class AwardState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by winner")
    DEED_SIGNED = "deed_signed", _("Deed signed")
    VERIFIED = "verified", _("Verified")
    PAID = "paid", _("Paid")
    FORFEITED = "forfeited", _("Forfeited")


A = AwardState
# Before the deed is signed the award can still lapse (claim deadline, declined); once
# it is signed the prize is owed to the winner until paid, and only a staff dispute can
# withdraw it.
UNCLAIMED = (A.PROPOSED, A.ACCEPTED)
OWED = (A.DEED_SIGNED, A.VERIFIED)
SETTLED = (A.PAID, A.FORFEITED)
# The winner's deed is signed: the prize is owed or paid.
SIGNED = (*OWED, A.PAID)
# Where an award released from escrow can be.
RELEASED = (A.VERIFIED, A.PAID, A.FORFEITED)
