"""Reads: the acceptance audit, a signer's deed and whether it is void, a certificate
by its public id."""

from uuid import UUID

from django.db.models import QuerySet

from legal.models import Acceptance, Certificate, Deed


def acceptances(
    *, user_email: str = "", subject: str = "", template_id: int | None = None
) -> QuerySet[Acceptance]:
    qs = Acceptance.objects.select_related("user", "template").order_by("-accepted_at", "-pk")
    if user_email:
        qs = qs.filter(user__email__icontains=user_email)
    if subject:
        qs = qs.filter(subject=subject)
    if template_id:
        qs = qs.filter(template_id=template_id)
    return qs


def deed_for(reference: str, signer_id: int) -> Deed | None:
    return Deed.objects.filter(reference=reference, signer_id=signer_id).first()


def deed_is_void(deed: Deed | None) -> bool:
    """The deed's award was withdrawn before it was paid: it no longer binds. Load it
    with `select_related("void")` (or `deed__void`) to avoid a query per deed."""
    return deed is not None and hasattr(deed, "void")


def certificate_by_uuid(uuid: UUID | str) -> Certificate | None:
    """Public: anyone holding the id may see the certificate (that is what it is for)."""
    return Certificate.objects.filter(uuid=uuid).first()
