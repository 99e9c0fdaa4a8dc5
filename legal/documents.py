"""Writes for signed documents: IP deeds (rendered, signed by typing one's full name,
stored as PDF) and recognition certificates (issued, rendered as PDF, revoked).

Callers pass plain values and an opaque reference such as "award:7"; every function
here may run inside the caller's transaction."""

import re
from datetime import UTC

from babel.numbers import UnknownCurrencyError, validate_currency
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from legal.certificate_layout import certificate_html, certificate_texts
from legal.certificate_pdf import certificate_pdf_write
from legal.models import AgreementKind, Certificate, Deed, DeedVoid
from legal.pdf import html_to_pdf, markdown_html
from legal.pdf_fonts import fonts_cover
from legal.selectors import deed_for
from legal.services import (
    RenderedAgreement,
    agreement_render,
    reading_language,
    require_current_text,
    sha256_bytes,
    template_current,
)

DEED_KINDS = (AgreementKind.TRANSFER_DEED, AgreementKind.LICENCE_DEED)
PLACEHOLDER = re.compile(r"{{\s*(\w+)")
CERTIFICATE_PREFIX = "MC"


# --- deeds -----------------------------------------------------------------------------


def deed_render(*, kind: str, terms: dict, language: str | None = None) -> RenderedAgreement:
    """The deed in force for `kind` ("transfer_deed" or "licence_deed") in `language`
    (default: the active language; English when it has no text in it), filled with
    `terms`. Every placeholder of the template must have a value in `terms`."""
    if kind not in DEED_KINDS:
        raise ValueError(f"not a deed: {kind!r}")
    template = template_current(kind=kind, language=language)
    missing = sorted(set(PLACEHOLDER.findall(template.body)) - set(terms))
    if missing:
        raise ValueError(f"deed terms lack {', '.join(missing)}")
    return agreement_render(template, terms)


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


def _check_signature(signature: str, full_name: str) -> None:
    if not full_name.strip():
        message = _("Add your full name to your profile first: you sign by typing it.")
    elif not signature.strip():
        message = _("Type your full name to sign.")
    elif not _same_name(signature, full_name):
        message = _("Type your full name exactly as on your profile: %(name)s.") % {
            "name": full_name.strip()
        }
    else:
        return
    raise ValidationError({"signature": [message]})


def _deed_pdf(
    *,
    rendered: RenderedAgreement,
    reference: str,
    signature: str,
    signed_at,
    ip,
    identifier: str,
) -> bytes:
    html = deed_html(
        rendered=rendered, reference=reference, signature=signature, signed_at=signed_at, ip=ip
    )
    return html_to_pdf(html, identifier=identifier)


def deed_html(*, rendered: RenderedAgreement, reference: str, signature: str, signed_at, ip) -> str:
    """The signed deed's page, which its PDF is printed from: the text, and the signature
    block in the text's own language."""
    language = rendered.template.language
    with translation.override(language):
        return render_to_string(
            "legal/deed.html",
            {
                "language": language,
                "title": rendered.template.title,
                "body": markdown_html(rendered.text),
                "signature": signature,
                "signed_at": signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
                "ip": ip,
                "text_sha256": rendered.sha256,
                "reference": reference,
            },
        )


def _store_new(name: str, content: bytes) -> str:
    """Store `content` under `name`, which names its hash: an existing file is the same."""
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(content))


def deed_sign(
    *,
    user,
    reference: str,
    kind: str,
    terms: dict,
    accepted_sha256: str,
    signature: str,
    full_name: str,
    ip: str | None = None,
    user_agent: str = "",
    language: str | None = None,
) -> Deed:
    """`user` signs the deed for `reference` by typing `full_name` as `signature` (case
    and spacing aside). `accepted_sha256` is the hash of the text they were shown; a
    stale one is refused. The signed PDF is stored before the row is written, so the
    row never changes. Signing again returns the first deed. `language` is the language
    the signer is reading in (default: the active one, i.e. the request's): they sign the
    deed's text in it, English when the deed has no text in it. The deed records the
    language of the text signed, and its PDF (signature block included) is in it."""
    existing = deed_for(reference, user.pk)
    if existing is not None:
        return existing
    rendered = deed_render(kind=kind, terms=terms, language=reading_language(language))
    require_current_text(rendered, accepted_sha256)
    _check_signature(signature, full_name)
    signature = " ".join(signature.split())
    signed_at = timezone.now().replace(microsecond=0)
    pdf = _deed_pdf(
        rendered=rendered,
        reference=reference,
        signature=signature,
        signed_at=signed_at,
        ip=ip or None,
        identifier=f"deed {reference} {user.pk}",
    )
    pdf_sha256 = sha256_bytes(pdf)
    folder = re.sub(r"[^A-Za-z0-9_-]", "-", reference)
    stored = _store_new(f"deeds/{folder}/{user.pk}-{pdf_sha256}.pdf", pdf)
    try:
        with transaction.atomic():
            return Deed.objects.create(
                reference=reference,
                signer=user,
                template=rendered.template,
                text=rendered.text,
                text_sha256=rendered.sha256,
                signature=signature,
                signed_at=signed_at,
                ip=ip or None,
                user_agent=(user_agent or "")[:500],
                pdf=stored,
                pdf_sha256=pdf_sha256,
                language=rendered.template.language,
            )
    except IntegrityError:  # signed at the same moment in another request
        winner = deed_for(reference, user.pk)
        if winner is None:
            raise
        if winner.pdf.name != stored:
            default_storage.delete(stored)
        return winner


def deeds_void(*, reference: str, reason: str) -> int:
    """Mark every deed signed for `reference` void (its award was withdrawn before it was
    paid, so the IP stays with the signer). The deeds themselves never change; a void
    mark is written once. Returns how many deeds were newly marked."""
    voided_at = timezone.now()
    fresh = Deed.objects.filter(reference=reference, void__isnull=True).values_list("pk", flat=True)
    marks = [DeedVoid(deed_id=pk, reason=reason[:500], voided_at=voided_at) for pk in fresh]
    DeedVoid.objects.bulk_create(marks)
    return len(marks)


# --- certificates ----------------------------------------------------------------------


def _check_certificate_terms(*, amount: int, currency: str, language: str) -> None:
    errors = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        errors["amount"] = _("An award amount must be more than zero.")
    try:
        validate_currency(currency)
    except UnknownCurrencyError:
        errors["currency"] = _("Unknown currency %(code)s.") % {"code": currency}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Unknown language %(code)s.") % {"code": language}
    if errors:
        raise ValidationError(errors)


def certificate_issue(
    *,
    reference: str,
    recipient,
    recipient_name: str,
    team_name: str = "",
    challenge_title: str,
    organization_name: str,
    amount: int,
    currency: str,
    awarded_on,
    language: str,
) -> tuple[Certificate, bool]:
    """Issue the certificate for `reference` to `recipient` (once: issuing again returns
    the first, and False). Its number, e.g. MC-2026-000042, is the award year and the
    row id. The PDF is generated separately (certificate_generate)."""
    existing = Certificate.objects.filter(reference=reference, recipient=recipient).first()
    if existing is not None:
        return existing, False
    _check_certificate_terms(amount=amount, currency=currency, language=language)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                reference=reference,
                recipient=recipient,
                recipient_name=recipient_name.strip(),
                team_name=team_name.strip(),
                challenge_title=challenge_title,
                organization_name=organization_name.strip(),
                amount=amount,
                currency=currency,
                awarded_on=awarded_on,
                language=language,
            )
            certificate.number = f"{CERTIFICATE_PREFIX}-{awarded_on.year}-{certificate.pk:06d}"
            certificate.save(update_fields=["number"])
    except IntegrityError:  # issued at the same moment elsewhere
        return Certificate.objects.get(reference=reference, recipient=recipient), False
    return certificate, True


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF in its own language. Rendering the same
    certificate with the same URL always gives the same bytes. Written directly when the
    embedded Latin fonts cover its texts, printed from its HTML page otherwise (a name
    in Chinese, Arabic or Cyrillic script, for instance)."""
    identifier = f"certificate {certificate.uuid}"
    texts = certificate_texts(certificate, verify_url=verify_url)
    if fonts_cover(texts.joined()):
        return certificate_pdf_write(texts, identifier=identifier)
    return html_to_pdf(certificate_html(certificate, verify_url=verify_url), identifier=identifier)


def _store_replacing(name: str, content: bytes) -> str:
    """Store `content` under `name`, replacing a different file of that name."""
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            if sha256_bytes(stored.read()) == sha256_bytes(content):
                return name
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def certificate_generate(*, certificate_id: int, verify_url: str) -> Certificate:
    """Render and store the certificate's PDF and record its SHA-256. Running it again
    changes nothing unless the rendering itself changed."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        pdf = certificate_pdf(certificate, verify_url=verify_url)
        pdf_sha256 = sha256_bytes(pdf)
        if certificate.pdf_sha256 == pdf_sha256 and default_storage.exists(certificate.pdf.name):
            return certificate
        certificate.pdf = _store_replacing(f"certificates/{certificate.uuid}.pdf", pdf)
        certificate.pdf_sha256 = pdf_sha256
        certificate.generated_at = timezone.now()
        certificate.save(update_fields=["pdf", "pdf_sha256", "generated_at"])
    return certificate


def certificate_revoke(*, certificate_id: int, reason: str) -> Certificate:
    """Revoke a certificate; its verification page says so from now on."""
    if not reason.strip():
        raise ValidationError({"revoked_reason": [_("Give the reason for revoking.")]})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        if certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
            certificate.revoked_reason = reason.strip()
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate
