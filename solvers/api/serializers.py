"""Profile representations. Rules (lengths, tags) are the services'; these only check
the JSON's shape."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from solvers.models import SolverProfile

COUNTRY_HELP = _("ISO 3166-1 alpha-2 code, for example “DE”; empty when not given.")


class ProfileSerializer(serializers.ModelSerializer):
    """The owner's view of their profile."""

    country = serializers.CharField(read_only=True, help_text=COUNTRY_HELP)
    country_name = serializers.CharField(source="get_country_display", read_only=True)

    class Meta:
        model = SolverProfile
        fields = [
            "id",
            "display_name",
            "country",
            "country_name",
            "expertise",
            "organisation",
            "is_public",
            "updated_at",
        ]
        read_only_fields = ["id", "country_name", "updated_at"]


class ProfileUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(required=False)
    country = serializers.CharField(required=False, allow_blank=True, help_text=COUNTRY_HELP)
    expertise = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=_("Up to 20 tags of up to 40 characters; stored lower-case."),
    )
    organisation = serializers.CharField(required=False, allow_blank=True)
    is_public = serializers.BooleanField(required=False)


class PublicProfileSerializer(serializers.ModelSerializer):
    country = serializers.CharField(read_only=True, help_text=COUNTRY_HELP)
    country_name = serializers.CharField(source="get_country_display", read_only=True)

    class Meta:
        model = SolverProfile
        fields = ["id", "display_name", "country", "country_name", "expertise", "organisation"]
        read_only_fields = fields
