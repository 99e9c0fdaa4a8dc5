"""Certificates for paid winners: issued with the award's payment, rendered to PDF by
a task, and verifiable by anyone at their public page."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from legal.documents import certificate_generate, certificate_issue
from legal.models import Certificate
from legal.services import reading_language
from marketplace.awards.models import Award, award_id_of
from marketplace.core.effects import task_queue_after_commit
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send


def certificate_language(recipient) -> str:
    """The language of a recipient's certificate: the one they were reading in when they
    last acted on the award (accepted it or signed the deed, recorded then), else the
    language active now, at certification. Never the stored profile preference: that
    may differ from what the person reads, and their deed would not match."""
    return reading_language(recipient.language or None)


def certificates_issue(award: Award) -> list[Certificate]:
    """One certificate per paid person of the award (inside the caller's transaction),
    each in `certificate_language`; their PDFs are rendered after commit."""
    challenge = award.challenge
    team = award.submission.team
    issued = []
    for recipient in award.recipients.select_related("user"):
        user = recipient.user
        certificate, created = certificate_issue(
            reference=award.reference,
            recipient=user,
            recipient_name=user.full_name or user.email,
            team_name=team.name if team else "",
            challenge_title=challenge.title,
            organization_name="" if challenge.hide_seeker else challenge.organization.name,
            amount=recipient.amount,
            currency=challenge.currency,
            awarded_on=timezone.localdate(award.paid_at or timezone.now()),
            language=certificate_language(recipient),
        )
        issued.append(certificate)
        if created:
            task_queue_after_commit("marketplace.tasks.generate_certificate", certificate.pk)
    return issued


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[certificate.uuid])


def certificate_make(*, certificate_id: int) -> str:
    """Render and store the PDF (the same bytes every time), then tell its owner once."""
    certificate = Certificate.objects.get(pk=certificate_id)
    certificate = certificate_generate(
        certificate_id=certificate.pk, verify_url=verify_url(certificate)
    )
    award = Award.objects.filter(pk=award_id_of(certificate.reference)).first()
    with transaction.atomic():
        notifications_send(
            kind=NotificationKind.CERTIFICATE_READY,
            users=[certificate.recipient],
            key=f"certificate:{certificate.pk}",
            challenge=award.challenge if award else None,
            award=award,
            params={"certificate": str(certificate.uuid)},
        )
    return certificate.pdf_sha256
