"""Downloading a billing document as a PDF in the reader's language."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import get_language

from marketplace.billing.pdf import document_pdf
from marketplace.billing.selectors import document_for_user

FILE_PREFIX = {"proforma": "proforma-invoice", "receipt": "receipt", "credit_note": "credit-note"}


@login_required
def document_download(request, pk: int):
    document = document_for_user(request.user, pk)
    response = HttpResponse(document_pdf(document, language=get_language()), "application/pdf")
    name = f"{FILE_PREFIX[document.kind]}-{document.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
