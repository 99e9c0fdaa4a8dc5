"""Inputs and outputs of the lifecycle's endpoints: a transition's reason, a deadline
extension, a request to close early and staff's decision on it. They only check the
shape of the JSON; the rules are the services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.challenges.conditions import EARLY_CLOSE_REASON_MAX
from marketplace.core.api.fields import AwareDateTimeField
from marketplace.lifecycle.models import EarlyCloseRequest


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        default="",
        help_text=_(
            "Why; required for return_to_draft, reject, close_early (at most 1,000 "
            "characters), declare_no_award and cancel."
        ),
    )


class ExtendDeadlineSerializer(serializers.Serializer):
    submission_deadline = AwareDateTimeField(help_text=_("Later than the current deadline."))
    judging_deadline = AwareDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Defaults to the current one moved by as much as the submission deadline."),
    )
    reason = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class EarlyCloseAskSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=EARLY_CLOSE_REASON_MAX,
        help_text=_("Why the challenge should close before its deadline; told to solvers."),
    )


class EarlyCloseRefuseSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=EARLY_CLOSE_REASON_MAX, help_text=_("Why staff refuse; told to the owner.")
    )


class EarlyCloseRequestSerializer(serializers.ModelSerializer):
    # Not an enum in the schema: the name "state" is taken by the challenge's states.
    state = serializers.CharField(help_text=_("pending, approved or refused."))

    class Meta:
        model = EarlyCloseRequest
        fields = [
            "id",
            "challenge",
            "requested_by",
            "reason",
            "state",
            "created_at",
            "decided_by",
            "decided_at",
            "note",
        ]
        read_only_fields = fields
