"""Registration and clarification representations. Input serializers only check the
shape of the JSON; the rules are the services'."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.participation.models import Clarification


class RegisterSerializer(serializers.Serializer):
    accepted_sha256 = serializers.CharField(
        max_length=64, help_text=_("SHA-256 of the challenge agreement text you accept.")
    )


class ClarificationSerializer(serializers.ModelSerializer):
    is_answered = serializers.BooleanField(read_only=True)
    asked_by_me = serializers.SerializerMethodField()

    class Meta:
        model = Clarification
        fields = [
            "id",
            "question",
            "asked_at",
            "answer",
            "answered_at",
            "is_answered",
            "asked_by_me",
        ]
        read_only_fields = fields

    def get_asked_by_me(self, obj) -> bool:
        return obj.asked_by_id == self.context["request"].user.pk


class QuestionSerializer(serializers.Serializer):
    question = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField()
