"""Documents: agreement templates and acceptances, signed IP deeds, certificates."""

from .agreements import Acceptance, AgreementKind, AgreementTemplate
from .certificates import Certificate
from .deeds import Deed, DeedVoid

__all__ = ["Acceptance", "AgreementKind", "AgreementTemplate", "Certificate", "Deed", "DeedVoid"]
