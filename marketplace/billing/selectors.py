"""Who may read a challenge's billing documents: its organisation's owners and managers,
and staff. Everyone else is told nothing exists (404)."""

from django.http import Http404

from marketplace.accounts.permissions import is_staff
from marketplace.billing.models import BillingDocument
from marketplace.challenges.permissions import is_editor


def may_read_billing(user, challenge) -> bool:
    return is_editor(user, challenge) or is_staff(user)


def documents_of(challenge) -> list[BillingDocument]:
    """The challenge's documents, oldest first."""
    return list(challenge.billing_documents.order_by("year", "sequence"))


def document_for_user(user, pk: int) -> BillingDocument:
    document = BillingDocument.objects.select_related("challenge").filter(pk=pk).first()
    if document is None or not may_read_billing(user, document.challenge):
        raise Http404
    return document
