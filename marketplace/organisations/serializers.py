"""Organisation, membership and invitation representations. Rules (names, roles,
owners) are the services'; these only check the JSON's shape."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.organisations.roles import OrgRole


class OrganizationSerializer(serializers.ModelSerializer):
    website = serializers.CharField(read_only=True, help_text=_("A URL, or empty."))

    class Meta:
        model = Organization
        fields = ["id", "name", "description", "website", "created_at"]
        read_only_fields = fields


class OrganizationCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(
        max_length=5000, allow_blank=True, required=False, default=""
    )
    website = serializers.URLField(max_length=200, allow_blank=True, required=False, default="")


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    full_name = serializers.CharField()


class MembershipSerializer(serializers.ModelSerializer):
    user = MemberSerializer(read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "user", "role", "role_display", "joined_at"]
        read_only_fields = fields


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(OrgRole.choices)


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(
        help_text=_(
            "The address the invitation is sent to; the invitee accepts it signed in with it."
        )
    )
    role = serializers.ChoiceField(OrgRole.choices)


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "email",
            "role",
            "created_at",
            "sent_at",
            "times_sent",
            "accepted_at",
        ]
        read_only_fields = fields
