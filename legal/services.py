"""Writes for agreements: publishing a template version, recording an acceptance."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import Context, Template
from django.utils.translation import gettext as _

from legal.models import Acceptance, AgreementTemplate
from legal.shipped import shipped_text


class StaleAgreement(ValidationError):
    """The text the person saw is not the text in force now."""


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


@dataclass(frozen=True)
class RenderedAgreement:
    template: AgreementTemplate
    text: str
    sha256: str


def template_publish(*, kind: str, variant: str = "", title: str, body: str) -> AgreementTemplate:
    """Add a new version; earlier versions (and what was accepted under them) stay."""
    if not title.strip() or not body.strip():
        raise ValidationError(_("A template needs a title and a body."))
    Template(body)  # a syntax error in the placeholders is refused here, not at acceptance
    with transaction.atomic():
        latest = (
            AgreementTemplate.objects.select_for_update()
            .filter(kind=kind, variant=variant)
            .aggregate(v=Max("version"))["v"]
        )
        return AgreementTemplate.objects.create(
            kind=kind,
            variant=variant,
            version=(latest or 0) + 1,
            title=title.strip(),
            body=body,
            sha256=sha256_text(body),
        )


def template_current(*, kind: str, variant: str = "") -> AgreementTemplate:
    """The version in force: the newest published, else version 1 of the shipped text."""
    template = (
        AgreementTemplate.objects.filter(kind=kind, variant=variant).order_by("-version").first()
    )
    if template is not None:
        return template
    title, body = shipped_text(kind, variant)
    try:
        return template_publish(kind=kind, variant=variant, title=title, body=body)
    except IntegrityError:  # published concurrently by another request
        return AgreementTemplate.objects.get(kind=kind, variant=variant, version=1)


def agreement_render(template: AgreementTemplate, terms: dict) -> RenderedAgreement:
    """Fill the template with the subject's own terms (plain text, no escaping: the
    result is Markdown, sanitised when shown)."""
    text = Template(template.body).render(Context(terms, autoescape=False)).strip() + "\n"
    return RenderedAgreement(template=template, text=text, sha256=sha256_text(text))


def require_current_text(rendered: RenderedAgreement, accepted_sha256: str) -> None:
    """Refuse (StaleAgreement) unless `accepted_sha256`, the hash of the text the person
    was shown, is the hash of the text in force now."""
    if not accepted_sha256:
        raise StaleAgreement(
            {"accepted_sha256": [_("Send the SHA-256 of the agreement text you accept.")]},
            code="stale_agreement",
        )
    if accepted_sha256 != rendered.sha256:
        raise StaleAgreement(
            {
                "accepted_sha256": [
                    _(
                        "The agreement has changed since you opened it. "
                        "Read the current text and accept again."
                    )
                ]
            },
            code="stale_agreement",
        )


def acceptance_record(
    *,
    user,
    rendered: RenderedAgreement,
    accepted_sha256: str,
    subject: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """Record that `user` accepted exactly `rendered`. `accepted_sha256` is the hash of
    the text the person was shown; if it is not the text in force now, refuse.
    Accepting the same version again returns the first acceptance."""
    require_current_text(rendered, accepted_sha256)
    try:
        with transaction.atomic():
            acceptance, _created = Acceptance.objects.get_or_create(
                user=user,
                subject=subject,
                template=rendered.template,
                defaults={
                    "template_sha256": rendered.template.sha256,
                    "text": rendered.text,
                    "text_sha256": rendered.sha256,
                    "ip": ip or None,
                    "user_agent": (user_agent or "")[:500],
                },
            )
    except IntegrityError:  # the same person accepting twice at the same moment
        acceptance = Acceptance.objects.get(user=user, subject=subject, template=rendered.template)
    return acceptance
