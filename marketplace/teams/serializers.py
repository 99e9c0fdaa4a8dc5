"""Team representations. Rules (names, invitations, shares adding up) are the
services'; these only check the JSON's shape."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.teams.models import Team, TeamMember


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.__str__", read_only=True)
    state = serializers.CharField(
        read_only=True, help_text=_("invited, active, declined or withdrawn.")
    )
    state_display = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = TeamMember
        fields = [
            "user",
            "name",
            "state",
            "state_display",
            "share_bps",
            "invited_at",
            "responded_at",
        ]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    challenge_title = serializers.CharField(source="challenge.title", read_only=True)
    members = TeamMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Team
        fields = [
            "id",
            "challenge",
            "challenge_title",
            "name",
            "captain",
            "created_at",
            "shares_frozen_at",
            "members",
        ]
        read_only_fields = fields


class TeamCreateSerializer(serializers.Serializer):
    challenge = serializers.IntegerField(help_text=_("The challenge's id; you must be registered."))
    name = serializers.CharField(max_length=100)


class TeamInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text=_("The address of an existing account."))


class TeamRespondSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text=_("true to join, false to decline."))


class ShareSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text=_("A member's user id."))
    share_bps = serializers.IntegerField(help_text=_("Basis points: 100 are 1 %."))


class SharesSerializer(serializers.Serializer):
    shares = ShareSerializer(
        many=True,
        help_text=_("Every active member exactly once; the shares add up to exactly 10,000."),
    )

    def validate_shares(self, rows):
        users = [row["user"] for row in rows]
        if len(users) != len(set(users)):
            raise serializers.ValidationError(_("List each member only once."))
        return rows

    def as_dict(self) -> dict[int, int]:
        return {row["user"]: row["share_bps"] for row in self.validated_data["shares"]}


class TeamWithdrawSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        required=False,
        help_text=_("Who leaves: yourself when left out; the captain may name any member."),
    )
