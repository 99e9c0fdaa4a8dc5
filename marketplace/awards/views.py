"""A certificate's public verification page (where its QR code points) and its PDF.
Anyone may open them: the unguessable id is what the holder chooses to share."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from legal.selectors import certificate_by_uuid


def certificate_verify(request, uuid):
    certificate = certificate_by_uuid(uuid)
    if certificate is None:
        return render(request, "marketplace/certificates/unknown.html", {"uuid": uuid}, status=404)
    return render(request, "marketplace/certificates/verify.html", {"certificate": certificate})


def certificate_pdf(request, uuid):
    """The stored PDF, as generated (its SHA-256 is on the verification page)."""
    certificate = certificate_by_uuid(uuid)
    if certificate is None or not certificate.pdf or certificate.revoked_at is not None:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"certificate-{certificate.number}.pdf",
    )
    response["X-Robots-Tag"] = "noindex"
    return response
