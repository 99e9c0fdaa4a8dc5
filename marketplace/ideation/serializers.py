from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.markdown import render_markdown
from marketplace.ideation.models import REASON_MAX
from marketplace.ideation.selectors import DEFAULT_SORT, SORTS


class IdeaListQuerySerializer(serializers.Serializer):
    challenge = serializers.IntegerField(
        required=False,
        help_text=_("The challenge's id; without it, the ideas of every open-ideation challenge."),
    )
    sort = serializers.ChoiceField(
        list(SORTS),
        required=False,
        default=DEFAULT_SORT,
        help_text=_("support (most first), newest, or trending (support in the last 7 days)."),
    )


class IdeaSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    challenge = serializers.IntegerField(source="challenge_id")
    title = serializers.CharField()
    abstract = serializers.CharField()
    author = serializers.CharField(source="author.full_name")
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    supports = serializers.IntegerField(source="support_count")
    supports_last_7_days = serializers.IntegerField(source="trending_count")
    supported = serializers.BooleanField(help_text=_("Whether you support it."))


class IdeaDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    challenge = serializers.IntegerField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    body = serializers.CharField(help_text=_("Markdown."))
    author = serializers.CharField()
    created_at = serializers.DateTimeField()
    version = serializers.IntegerField()
    licence = serializers.CharField(help_text=_("The licence the idea is published under."))
    supports = serializers.IntegerField()
    supported = serializers.BooleanField(help_text=_("Whether you support it."))
    threshold_reached_at = serializers.DateTimeField(allow_null=True)
    hidden_reason = serializers.CharField(
        allow_null=True, help_text=_("Why staff hid it; only its authors and staff see it.")
    )


class SupportSerializer(serializers.Serializer):
    supports = serializers.IntegerField(help_text=_("The idea's support count now."))
    supported = serializers.BooleanField()


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    author = serializers.CharField(source="author.full_name")
    created_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField(help_text=_("Markdown; empty when hidden."))
    html = serializers.SerializerMethodField(help_text=_("The Markdown rendered and sanitised."))

    def get_hidden(self, obj) -> bool:
        return obj.hidden_at is not None

    def get_body(self, obj) -> str:
        return "" if obj.hidden_at else obj.body

    @extend_schema_field(serializers.CharField())
    def get_html(self, obj) -> str:
        return "" if obj.hidden_at else render_markdown(obj.body)


class CommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        allow_blank=True, help_text=_("Markdown, at most 5,000 characters.")
    )


class ReportInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=REASON_MAX * 2)
    comment = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("A comment's id, to report it.")
    )


class HideInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        allow_blank=True, help_text=_("Why: the author reads it (at most 1,000 characters).")
    )
