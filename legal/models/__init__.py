"""Documents: agreement templates and acceptances, signed IP deeds, certificates."""

from legal.models.agreements import Acceptance, AgreementKind, AgreementTemplate
from legal.models.certificates import Certificate
from legal.models.deeds import Deed, DeedVoid

__all__ = ["Acceptance", "AgreementKind", "AgreementTemplate", "Certificate", "Deed", "DeedVoid"]
