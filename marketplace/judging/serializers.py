"""Representations of judging and winner selection. Input serializers check only the
shape of the JSON; the services decide every rule."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legal.selectors import deed_is_void
from marketplace.core.api.fields import AmountField, MinorUnitsField, StrictIntegerField


def score_field(**kwargs) -> serializers.DecimalField:
    """A score or total with two decimals, sent as a string ("82.50")."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, **kwargs)


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def person(user) -> dict:
    return {"id": user.pk, "name": str(user)}


def who_submitted(submission, *, reveal: bool) -> dict:
    """`author` and `team` of an entry, both null when its solver is hidden."""
    if not reveal:
        return {"author": None, "team": None}
    team = {"id": submission.team_id, "name": submission.team.name} if submission.team_id else None
    return {"author": person(submission.author), "team": team}


# --- judges -------------------------------------------------------------------------------


class JudgeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="judge_id", help_text=_("The judge's user id."))
    name = serializers.SerializerMethodField()
    email = serializers.EmailField(source="judge.email")
    assigned_at = serializers.DateTimeField()

    def get_name(self, obj) -> str:
        return str(obj.judge)


class JudgeAssignSerializer(serializers.Serializer):
    judge = StrictIntegerField(
        help_text=_("User id of one of the organisation's judges or owners.")
    )


class JudgeInvitationSerializer(serializers.Serializer):
    """A pending invitation to judge from outside the organisation (never its link)."""

    id = serializers.IntegerField()
    email = serializers.EmailField()
    invited_by = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    expired = serializers.BooleanField(
        source="is_expired", help_text=_("The link no longer works; invite again to renew it.")
    )

    @extend_schema_field(UserRefSerializer)
    def get_invited_by(self, obj) -> dict:
        return person(obj.invited_by)


class JudgeInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(
        max_length=254,
        help_text=_("The address of someone outside the organisation; not a member's."),
    )


# --- a judge's entries and scores -----------------------------------------------------------


class RequirementRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.IntegerField(help_text=_("Percent; the weights add up to 100."))


class ScoreInputSerializer(serializers.Serializer):
    score = StrictIntegerField(help_text=_("A whole number from 0 to 10."))
    note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=5000,
        help_text=_("Private: read only by you, the challenge's owners and staff."),
    )


class OwnScoreSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    note = serializers.CharField()


class EvaluationInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=ScoreInputSerializer(),
        allow_empty=False,
        help_text=_(
            "Requirement id -> {score, note}. Requirements left out keep their earlier score."
        ),
    )


class EvaluationSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    scores = serializers.DictField(
        child=OwnScoreSerializer(), help_text=_("Requirement id -> your score and note.")
    )
    total = score_field(allow_null=True, help_text=_("Your weighted total, 0 to 100."))


class JudgingEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry_number = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    author = UserRefSerializer(allow_null=True, help_text=_("Null under blind judging."))
    team = UserRefSerializer(allow_null=True)
    scored = serializers.IntegerField(help_text=_("How many requirements you have scored."))
    total = score_field(allow_null=True, help_text=_("Your weighted total, 0 to 100."))
    scores = serializers.DictField(child=OwnScoreSerializer())


class JudgingSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(help_text=_("The challenge's state; scores only while judging."))
    can_score = serializers.BooleanField(
        help_text=_("You are a judge of the challenge and it is being judged.")
    )
    blind_judging = serializers.BooleanField()
    requirements = RequirementRefSerializer(many=True)
    entries = JudgingEntrySerializer(many=True)


class ConflictInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class ConflictOfInterestSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission_id")
    reason = serializers.CharField()
    declared_at = serializers.DateTimeField()


# --- scoreboard and shortlist ----------------------------------------------------------------


class ScoreboardRowSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    entry_number = serializers.IntegerField()
    title = serializers.CharField()
    author = UserRefSerializer(allow_null=True, help_text=_("Null under blind judging."))
    team = UserRefSerializer(allow_null=True)
    shortlisted = serializers.BooleanField()
    rank = serializers.IntegerField(allow_null=True, help_text=_("Ties share a rank."))
    total = score_field(allow_null=True, help_text=_("Weighted, 0 to 100; null before any score."))
    complete = serializers.BooleanField(help_text=_("Every requirement has a score."))
    judges = serializers.IntegerField(help_text=_("How many judges scored the entry."))
    averages = serializers.DictField(child=score_field(), help_text=_("Requirement id -> average."))
    scores = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text=_("Requirement id -> {judge's user id: score}."),
    )
    disagreements = serializers.ListField(
        child=serializers.IntegerField(),
        help_text=_("Ids of the requirements whose judges' scores lie far apart."),
    )


class ScoreboardSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    requirements = RequirementRefSerializer(many=True)
    judges = UserRefSerializer(many=True)
    rows = ScoreboardRowSerializer(many=True, help_text=_("Best first."))


class ShortlistSerializer(serializers.Serializer):
    shortlisted = serializers.BooleanField()


class ShortlistResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    shortlisted = serializers.BooleanField()


class ReviewInputSerializer(serializers.Serializer):
    # Not an enum here: the service refuses an unknown or hand-set status in words.
    status = serializers.CharField(
        help_text=_(
            "received, admissible, not_admissible, shortlisted or not_selected "
            "(winner is set by the awards)."
        )
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Required for not_admissible.")
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("To the solver.")
    )


class ReviewChangeSerializer(serializers.Serializer):
    actor = serializers.SerializerMethodField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_actor(self, obj) -> dict | None:
        """Null: the platform, which marks the entries left in the running "not
        selected" when the challenge finishes."""
        return person(obj.actor) if obj.actor_id else None


class ReviewSerializer(serializers.Serializer):
    """An entry's review status, and (for the owner side and staff) its history."""

    submission = serializers.IntegerField(source="pk")
    status = serializers.CharField(source="review_status")
    reason = serializers.CharField(source="review_reason")
    note = serializers.CharField(source="review_note")
    history = ReviewChangeSerializer(many=True, help_text=_("Oldest first."))


# --- awards ------------------------------------------------------------------------------


class SeekerAwardRecipientSerializer(serializers.Serializer):
    """One winner's share; `user` is null while blind judging hides the winners
    (`reveal` in the context)."""

    user = serializers.SerializerMethodField(help_text=_("Null under blind judging."))
    share_bps = serializers.IntegerField(help_text=_("Share in basis points (10,000 = all)."))
    amount = MinorUnitsField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    deed_signed_at = serializers.DateTimeField(source="deed.signed_at", allow_null=True)
    deed_sha256 = serializers.CharField(
        source="deed.pdf_sha256", allow_null=True, help_text=_("SHA-256 of the signed PDF.")
    )
    deed_language = serializers.CharField(
        source="deed.language",
        allow_null=True,
        help_text=_("The language of the signed deed and its PDF; null until signed."),
    )
    deed_void = serializers.SerializerMethodField(
        help_text=_("The deed no longer binds: its award was withdrawn before it was paid.")
    )

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_user(self, obj):
        return person(obj.user) if self.context["reveal"] else None

    def get_deed_void(self, obj) -> bool:
        return deed_is_void(obj.deed)


class SeekerAwardPayoutSerializer(serializers.Serializer):
    payee = serializers.SerializerMethodField(help_text=_("Null under blind judging."))
    amount = MinorUnitsField()
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(help_text=_("pending, succeeded, failed, reversed, cancelled."))

    def get_payee(self, obj) -> int | None:
        return obj.payee_id if self.context["reveal"] else None


class SeekerAwardSerializer(serializers.Serializer):
    """An award as the owner follows it. Who won (`author`, `team`, each recipient's
    `user` and each payout's `payee`) is null while blind judging hides the winners:
    `reveal` in the context says whether it does."""

    id = serializers.IntegerField()
    submission = serializers.IntegerField(source="submission_id")
    title = serializers.CharField(source="submission.title")
    author = serializers.SerializerMethodField(help_text=_("Null under blind judging."))
    team = serializers.SerializerMethodField()
    planned_award = serializers.IntegerField(source="planned_award_id")
    position = serializers.IntegerField(source="planned_award.position")
    amount = MinorUnitsField()
    currency = serializers.CharField(source="challenge.currency")
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(
        help_text=_("proposed, accepted, deed_signed, verified, paid or forfeited.")
    )
    claim_deadline = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    deed_signed_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    forfeited_at = serializers.DateTimeField(allow_null=True)
    forfeit_reason = serializers.CharField()
    frozen_at = serializers.DateTimeField(
        allow_null=True, help_text=_("Set while staff hold the award in a dispute.")
    )
    frozen_reason = serializers.CharField()
    recipients = SeekerAwardRecipientSerializer(many=True, source="recipients.all")
    payouts = SeekerAwardPayoutSerializer(many=True)

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_author(self, obj):
        return who_submitted(obj.submission, reveal=self.context["reveal"])["author"]

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_team(self, obj):
        return who_submitted(obj.submission, reveal=self.context["reveal"])["team"]


class SeekerAwardsSerializer(serializers.Serializer):
    challenge = serializers.IntegerField()
    currency = serializers.CharField()
    held = MinorUnitsField(help_text=_("In escrow now."))
    committed = MinorUnitsField(help_text=_("Promised to live awards, not yet released."))
    available = MinorUnitsField(help_text=_("Held and not promised: what can still be awarded."))
    awards_final_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the owner finished choosing winners.")
    )
    awards = SeekerAwardSerializer(many=True)


class AwardProposeSerializer(serializers.Serializer):
    submission = StrictIntegerField(help_text=_("The entry's id."))
    planned_award = StrictIntegerField(help_text=_("The id of a planned award not yet given."))
    amount = AmountField(
        required=False,
        help_text=_(
            "A partial amount in major units of the challenge's currency, as a decimal "
            'string ("7500.00"); default: the planned award\'s whole amount.'
        ),
    )


class AwardDisputeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why; kept in the history."))


class AwardForfeitSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=500,
        help_text=_("Required for staff; owners may forfeit once the claim deadline passed."),
    )
