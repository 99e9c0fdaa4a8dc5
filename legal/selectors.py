"""Reads for the acceptance audit."""

from django.db.models import QuerySet

from .models import Acceptance


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
