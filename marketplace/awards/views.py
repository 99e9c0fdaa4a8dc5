"""Public pages of awards: a finished challenge's results, and a certificate's
verification page (where its QR code points) and its PDF. Anyone may open them; a
certificate's unguessable id is what its holder chooses to share."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from legal.selectors import certificate_by_uuid
from marketplace.awards.results import challenge_results, has_results
from marketplace.challenges.selectors import challenge_for_user
from marketplace.escrow.selectors import escrow_now


@require_safe
def challenge_results_page(request, pk: int):
    """Who won a finished challenge and what each was paid; 404 before it finished."""
    challenge = challenge_for_user(request.user, pk)
    if not has_results(challenge):
        raise Http404
    context = {
        "challenge": challenge,
        "results": challenge_results(challenge),
        "escrow": escrow_now([challenge]).get(challenge.pk),
        "entry_count": challenge.submissions.active().count(),
    }
    return render(request, "marketplace/results.html", context)


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
