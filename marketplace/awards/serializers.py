"""Shapes of the awards API: an award with its recipients, payouts and certificates; the
deed a winner signs; the caller's tax form (never the full tax number) and payout
account. State and kind fields are plain strings in the schema (their names are taken
by the challenge's enums)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legal.models import Certificate
from marketplace.awards.certificates import verify_url
from marketplace.awards.services.deeds import deed_kind
from marketplace.awards.services.release import recipient_verified
from marketplace.core.api.fields import MinorUnitsField
from payouts.models import TaxClassification, TinKind
from payouts.selectors import payouts_for


class AwardPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AwardChallengeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AwardRecipientSerializer(serializers.Serializer):
    """One recipient's share; `user` is null while blind judging hides the winners
    (`reveal` in the context)."""

    user = serializers.SerializerMethodField(help_text=_("Null under blind judging."))
    share_bps = serializers.IntegerField(help_text=_("Share of the award in basis points."))
    amount = MinorUnitsField()
    accepted = serializers.SerializerMethodField()
    deed_signed = serializers.SerializerMethodField()
    deed_signed_at = serializers.DateTimeField(source="deed.signed_at", allow_null=True)
    deed_sha256 = serializers.CharField(
        source="deed.pdf_sha256",
        allow_null=True,
        help_text=_("SHA-256 of the signed deed's PDF; null until signed."),
    )
    deed_language = serializers.CharField(
        source="deed.language",
        allow_null=True,
        help_text=_("The language of the signed deed and its PDF; null until signed."),
    )
    verified = serializers.SerializerMethodField()
    anonymous = serializers.BooleanField(
        help_text=_("Whether the challenge's public results leave this person unnamed.")
    )

    @extend_schema_field(AwardPersonSerializer(allow_null=True))
    def get_user(self, obj):
        if not self.context["reveal"]:
            return None
        return {"id": obj.user_id, "name": str(obj.user)}

    def get_accepted(self, obj) -> bool:
        return obj.accepted_at is not None

    def get_deed_signed(self, obj) -> bool:
        return obj.deed_id is not None

    def get_verified(self, obj) -> bool:
        """A tax form and payout details on file."""
        return recipient_verified(obj)


class AwardPayoutSerializer(serializers.Serializer):
    payee = serializers.SerializerMethodField(help_text=_("Null under blind judging."))
    amount = MinorUnitsField()
    currency = serializers.CharField()
    state = serializers.CharField(help_text=_("pending, succeeded, failed, reversed or cancelled."))
    completed_at = serializers.DateTimeField(allow_null=True)
    provider_id = serializers.SerializerMethodField(
        help_text=_("The gateway's transfer id; staff only (null for others).")
    )
    failure_message = serializers.SerializerMethodField(
        help_text=_("Why sending failed; staff only (null for others).")
    )

    def get_payee(self, obj) -> int | None:
        return obj.payee_id if self.context["reveal"] else None

    def get_provider_id(self, obj) -> str | None:
        return obj.provider_id if self.context.get("staff") else None

    def get_failure_message(self, obj) -> str | None:
        return obj.failure_message if self.context.get("staff") else None


class AwardCertificateSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    number = serializers.CharField()
    recipient = serializers.IntegerField(source="recipient_id")
    language = serializers.CharField(help_text=_("The language of the certificate's PDF."))
    url = serializers.SerializerMethodField(help_text=_("The public verification page."))
    pdf_url = serializers.SerializerMethodField(help_text=_("Null until the PDF is ready."))

    def get_url(self, obj) -> str:
        return verify_url(obj)

    def get_pdf_url(self, obj) -> str | None:
        return reverse("certificate_pdf", args=[obj.uuid]) if obj.pdf_sha256 else None


STATE_HELP = _("proposed, accepted, deed_signed, verified, paid or forfeited.")


class AwardSummarySerializer(serializers.Serializer):
    """One of the caller's awards (read from their share of it)."""

    id = serializers.IntegerField(source="award_id")
    challenge = AwardChallengeSerializer(source="award.challenge")
    state = serializers.CharField(source="award.state", help_text=STATE_HELP)
    amount = MinorUnitsField(
        source="award.amount", help_text=_("The whole award (a team's award is shared).")
    )
    your_amount = MinorUnitsField(source="amount", help_text=_("Your share of it."))
    currency = serializers.CharField(source="award.challenge.currency")
    claim_deadline = serializers.DateTimeField(source="award.claim_deadline")


class AwardSerializer(serializers.Serializer):
    """An award, with its recipients, payouts and certificates. Expects the award with
    its recipients (and their users and deeds) prefetched. While blind judging hides the
    winners from the caller (`reveal` false in the context), who they are is left out:
    each recipient's `user`, each payout's `payee`, and the certificates, whose public
    pages name them."""

    id = serializers.IntegerField()
    challenge = AwardChallengeSerializer()
    submission = serializers.IntegerField(source="submission_id")
    state = serializers.CharField(help_text=STATE_HELP)
    amount = MinorUnitsField()
    currency = serializers.CharField(source="challenge.currency")
    deed_kind = serializers.SerializerMethodField(
        help_text=_("transfer_deed or licence_deed; null when the solver keeps the IP.")
    )
    claim_deadline = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    deed_signed_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    forfeited_at = serializers.DateTimeField(allow_null=True)
    forfeit_reason = serializers.CharField()
    recipients = AwardRecipientSerializer(many=True, source="recipients.all")
    payouts = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField()

    def get_deed_kind(self, obj) -> str | None:
        return deed_kind(obj.challenge)

    @extend_schema_field(AwardPayoutSerializer(many=True))
    def get_payouts(self, obj):
        return AwardPayoutSerializer(
            payouts_for(obj.reference), many=True, context=self.context
        ).data

    @extend_schema_field(AwardCertificateSerializer(many=True))
    def get_certificates(self, obj):
        if not self.context["reveal"]:
            return []
        return AwardCertificateSerializer(
            Certificate.objects.filter(reference=obj.reference).order_by("pk"), many=True
        ).data


class AwardAnonymitySerializer(serializers.Serializer):
    anonymous = serializers.BooleanField(
        help_text=_("True: the public results do not name you or link your certificate.")
    )


class AwardDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class WinnerDeedSerializer(serializers.Serializer):
    """The caller's deed: the text to sign, or the text they signed."""

    kind = serializers.CharField(help_text=_("transfer_deed or licence_deed."))
    title = serializers.CharField()
    language = serializers.CharField(
        help_text=_(
            "The language of the text (and of the signed PDF): the request's when the deed "
            "has a text in it, else “en”; once signed, the language it was signed in."
        )
    )
    text = serializers.CharField(help_text=_("Markdown."))
    sha256 = serializers.CharField(
        help_text=_("SHA-256 of the text: send it back as accepted_sha256 to sign.")
    )
    signed = serializers.BooleanField()
    signed_at = serializers.DateTimeField(allow_null=True)
    pdf_sha256 = serializers.CharField(
        allow_null=True, help_text=_("SHA-256 of the signed PDF; null until signed.")
    )


class WinnerDeedSignSerializer(serializers.Serializer):
    accepted_sha256 = serializers.CharField(
        allow_blank=True, help_text=_("The sha256 of the deed text you were shown.")
    )
    signature = serializers.CharField(
        allow_blank=True, help_text=_("Your full name, exactly as on your account.")
    )


class TaxFormInputSerializer(serializers.Serializer):
    """A W-9 or W-8BEN to file. Which fields apply depends on `kind`; the rules are
    checked together and reported per field."""

    kind = serializers.CharField(help_text=_("w9 (US persons) or w8ben (everyone else)."))
    legal_name = serializers.CharField(required=False, allow_blank=True)
    business_name = serializers.CharField(
        required=False, allow_blank=True, help_text=_("W-9 only, optional.")
    )
    tax_classification = serializers.ChoiceField(
        TaxClassification.choices, required=False, allow_blank=True, help_text=_("W-9 only.")
    )
    address_line = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(required=False, allow_blank=True)
    postal_code = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ISO 3166 alpha-2; US for a W-9.")
    )
    citizenship_country = serializers.CharField(
        required=False, allow_blank=True, help_text=_("W-8BEN only; not US.")
    )
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, help_text=_("W-8BEN only.")
    )
    tin_kind = serializers.ChoiceField(
        TinKind.choices,
        required=False,
        allow_blank=True,
        help_text=_("W-9: ssn, ein or itin. W-8BEN: foreign or none."),
    )
    tin = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_("The tax number. Stored encrypted; only its last four are shown again."),
    )
    treaty_country = serializers.CharField(required=False, allow_blank=True)
    treaty_article = serializers.CharField(required=False, allow_blank=True)
    treaty_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True
    )
    certified = serializers.BooleanField(help_text=_("true: certified under penalties of perjury."))
    signature_name = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Your legal name, as entered above.")
    )


class TaxFormSerializer(serializers.Serializer):
    """The tax form on file. The tax number is never shown: only its last four."""

    kind = serializers.CharField(help_text=_("w9 or w8ben."))
    legal_name = serializers.CharField()
    business_name = serializers.CharField()
    tax_classification = serializers.CharField()
    address_line = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    citizenship_country = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    tin_kind = serializers.CharField()
    tin_masked = serializers.CharField(help_text=_("“•••• 1234”, or empty without a number."))
    treaty_country = serializers.CharField()
    treaty_article = serializers.CharField()
    treaty_rate = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    signature_name = serializers.CharField()
    signed_at = serializers.DateTimeField()


class PayoutAccountSerializer(serializers.Serializer):
    gateway = serializers.CharField(help_text=_("The payment gateway prizes are paid through."))
    destination = serializers.CharField(
        help_text=_(
            "Stripe: your Connect account id (acct_…), made when you set up payouts on the "
            "site. Empty for the local gateway, which needs none."
        )
    )
    ready = serializers.BooleanField(
        help_text=_("Your awards can be released: a payout account is on file.")
    )
    payouts_enabled = serializers.BooleanField(
        allow_null=True,
        help_text=_(
            "Stripe lets the account receive payouts (null: not asked yet). While false, "
            "your payouts wait for you to finish the set-up with Stripe."
        ),
    )
    requirements_due = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("What Stripe still needs from you (its requirement names)."),
    )
