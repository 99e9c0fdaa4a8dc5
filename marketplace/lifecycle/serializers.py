"""Inputs of the lifecycle's endpoints: a transition's reason and a deadline extension.
They only check the shape of the JSON; the rules are the services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.core.api.fields import AwareDateTimeField


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        default="",
        help_text=_("Why; required for return_to_draft, reject, declare_no_award and cancel."),
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
