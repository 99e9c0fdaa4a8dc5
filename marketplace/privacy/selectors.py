"""What the platform holds about one person, read for their export. Only their own
rows, and in them nothing that names someone else: a teammate, an owner who answered a
question or a judge appears by no name or address; challenges and organisations do by
theirs (they are public). Front doors that keep more about a person (the solver's
profile) add a section through settings.PERSONAL_DATA_SECTIONS: dotted paths of
callables taking the user and returning `(key, data)`."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from legal.models import Acceptance, Certificate, Deed
from marketplace.awards.models import AwardRecipient
from marketplace.ideation.models import Comment, Report, Support
from marketplace.judging.models import Conflict, Evaluation, JudgeAssignment
from marketplace.notifications.models import (
    Notification,
    NotificationPreference,
    OrganizationFollow,
)
from marketplace.organisations.models import Membership
from marketplace.participation.models import Clarification, Registration
from marketplace.privacy.models import PrivacyRequest, PrivacyRequestKind, PrivacyRequestState
from marketplace.submissions.models import Submission, SubmissionFile
from marketplace.teams.models import TeamMember
from payouts.models import Payout, PayoutAccount, TaxForm
from payouts.tax_ids import tax_number_masked


def _account(user) -> dict:
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
    }


def _acceptance(row: Acceptance) -> dict:
    return {
        "agreement": row.template.title,
        "version": row.template.version,
        "subject": row.subject,
        "language": row.language,
        "text_sha256": row.text_sha256,
        "accepted_at": row.accepted_at,
        "ip": row.ip,
        "user_agent": row.user_agent,
    }


def _submission(submission: Submission, user) -> dict:
    return {
        "id": submission.pk,
        "challenge": submission.challenge.title,
        "team": submission.team.name if submission.team else None,
        "state": submission.state,
        "created_at": submission.created_at,
        "withdrawn_at": submission.withdrawn_at,
        # What the Seeker told the authors; who reviewed it is the Seeker's record.
        "review": {
            "status": submission.review_status,
            "reason": submission.review_reason,
            "note": submission.review_note,
        },
        "versions": [
            {
                "number": version.number,
                "title": version.title,
                "abstract": version.abstract,
                "body": version.body,
                "files": version.files,
                "sha256": version.sha256,
                "created_at": version.created_at,
                "by_you": version.created_by_id == user.pk,
                "note": version.note,
            }
            for version in submission.versions.order_by("number")
        ],
        "files": [
            {
                "id": row.pk,
                "name": row.name,
                "size": row.size,
                "sha256": row.sha256,
                "content_type": row.content_type,
                "uploaded_at": row.uploaded_at,
                "removed_at": row.removed_at,
                "in_archive": _file_name(row),
            }
            for row in submission.files.order_by("pk")
        ],
    }


def _file_name(row: SubmissionFile) -> str:
    return f"submissions/{row.submission_id}/{row.pk}-{row.name}"


def _awards(user) -> list[dict]:
    rows = AwardRecipient.objects.filter(user=user).select_related("award__challenge")
    return [
        {
            "award": row.award.reference,
            "challenge": row.award.challenge.title,
            "state": row.award.state,
            "your_share_bps": row.share_bps,
            "your_amount": row.amount,
            "currency": row.award.challenge.currency,
            "accepted_at": row.accepted_at,
            "paid_at": row.award.paid_at,
        }
        for row in rows.order_by("pk")
    ]


def _deed(deed: Deed) -> dict:
    return {
        "reference": deed.reference,
        "signature": deed.signature,
        "text_sha256": deed.text_sha256,
        "signed_at": deed.signed_at,
        "ip": deed.ip,
        "user_agent": deed.user_agent,
        "language": deed.language,
        "pdf_sha256": deed.pdf_sha256,
        "in_archive": _deed_name(deed),
    }


def _deed_name(deed: Deed) -> str:
    return f"deeds/{deed.pk}-{deed.reference.replace(':', '-')}.pdf"


def _certificate(row: Certificate) -> dict:
    return {
        "number": row.number,
        "uuid": str(row.uuid),
        "recipient_name": row.recipient_name,
        "team_name": row.team_name,
        "challenge": row.challenge_title,
        "organisation": row.organization_name,
        "amount": row.amount,
        "currency": row.currency,
        "issued_at": row.created_at,
        "revoked_at": row.revoked_at,
        "in_archive": _certificate_name(row) if row.pdf else None,
    }


def _certificate_name(row: Certificate) -> str:
    return f"certificates/{row.uuid}.pdf"


def _tax_form(form: TaxForm) -> dict:
    """As stored, the tax number masked: only its last four characters are kept
    readable; the encrypted number is never decrypted for an export."""
    return {
        "kind": form.kind,
        "legal_name": form.legal_name,
        "business_name": form.business_name,
        "tax_classification": form.tax_classification,
        "address_line": form.address_line,
        "city": form.city,
        "region": form.region,
        "postal_code": form.postal_code,
        "country": form.country,
        "citizenship_country": form.citizenship_country,
        "date_of_birth": form.date_of_birth,
        "tin_kind": form.tin_kind,
        "tin": tax_number_masked(form.tin_last4) if form.tin_last4 else "",
        "treaty_country": form.treaty_country,
        "treaty_article": form.treaty_article,
        "treaty_rate": form.treaty_rate,
        "signature_name": form.signature_name,
        "signed_at": form.signed_at,
        "superseded_at": form.superseded_at,
    }


def _teams(user) -> list[dict]:
    rows = TeamMember.objects.filter(user=user).select_related("team", "challenge")
    return [
        {
            "team": row.team.name,
            "challenge": row.challenge.title,
            "captain": row.team.captain_id == user.pk,
            "your_share_bps": row.share_bps,
            "state": row.state,
            "invited_at": row.invited_at,
            "responded_at": row.responded_at,
        }
        for row in rows.order_by("pk")
    ]


def _judging(user) -> dict:
    assignments = JudgeAssignment.objects.filter(judge=user).select_related("challenge")
    evaluations = Evaluation.objects.filter(judge=user).select_related(
        "submission__challenge", "requirement"
    )
    conflicts = Conflict.objects.filter(judge=user).select_related("submission__challenge")
    return {
        "assignments": [
            {
                "challenge": row.challenge.title,
                "assigned_at": row.assigned_at,
                "outside": row.outside,
            }
            for row in assignments.order_by("pk")
        ],
        "evaluations": [
            {
                "challenge": row.submission.challenge.title,
                "entry": row.submission_id,
                "requirement": row.requirement.title,
                "score": row.score,
                "note": row.note,
                "updated_at": row.updated_at,
            }
            for row in evaluations.order_by("pk")
        ],
        "conflicts": [
            {
                "challenge": row.submission.challenge.title,
                "entry": row.submission_id,
                "reason": row.reason,
                "declared_at": row.declared_at,
            }
            for row in conflicts.order_by("pk")
        ],
    }


def _money(user) -> dict:
    return {
        "tax_forms": [_tax_form(form) for form in TaxForm.objects.filter(user=user)],
        "payout_accounts": [
            {"gateway": row.gateway, "destination": row.destination, "updated_at": row.updated_at}
            for row in PayoutAccount.objects.filter(user=user).order_by("pk")
        ],
        "payouts": [
            {
                "reference": row.reference,
                "amount": row.amount,
                "currency": row.currency,
                "gateway": row.gateway,
                "destination": row.destination,
                "state": row.state,
                "created_at": row.created_at,
                "completed_at": row.completed_at,
            }
            for row in Payout.objects.filter(payee=user).order_by("pk")
        ],
    }


def _participation(user) -> dict:
    registrations = Registration.objects.filter(user=user).select_related("challenge")
    clarifications = Clarification.objects.filter(asked_by=user).select_related("challenge")
    return {
        "registrations": [
            {"challenge": row.challenge.title, "registered_at": row.registered_at}
            for row in registrations.order_by("pk")
        ],
        "clarifications_asked": [
            {
                "challenge": row.challenge.title,
                "question": row.question,
                "asked_at": row.asked_at,
                "answer": row.answer,
                "answered_at": row.answered_at,
            }
            for row in clarifications.order_by("pk")
        ],
    }


def _ideation(user) -> dict:
    supports = Support.objects.filter(user=user).select_related("submission")
    comments = Comment.objects.filter(author=user).select_related("submission")
    reports = Report.objects.filter(reporter=user).select_related("submission")
    return {
        "ideas_supported": [
            {"idea": row.submission.title, "supported_at": row.created_at}
            for row in supports.order_by("pk")
        ],
        "idea_comments": [
            {
                "idea": row.submission.title,
                "comment": row.body,
                "written_at": row.created_at,
                "hidden_reason": row.hidden_reason,
            }
            for row in comments.order_by("pk")
        ],
        "idea_reports": [
            {"idea": row.submission.title, "reason": row.reason, "reported_at": row.created_at}
            for row in reports.order_by("pk")
        ],
    }


def _notifications(user) -> dict:
    rows = Notification.objects.filter(user=user).select_related("challenge")
    follows = OrganizationFollow.objects.filter(user=user).select_related("organization")
    return {
        "notifications": [
            {
                "kind": row.kind,
                "challenge": row.challenge.title if row.challenge else None,
                "params": row.params,
                "created_at": row.created_at,
                "read_at": row.read_at,
                "emailed_at": row.emailed_at,
            }
            for row in rows.order_by("pk")
        ],
        "organisations_followed": [
            {"organisation": row.organization.name, "since": row.created_at}
            for row in follows.order_by("pk")
        ],
        "notification_preferences": [
            {"kind": row.kind, "delivery": row.delivery}
            for row in NotificationPreference.objects.filter(user=user).order_by("kind")
        ],
    }


def own_submissions(user):
    """Entries the person entered, and team entries they wrote a version of or uploaded
    a file to."""
    contributed = Q(author=user) | Q(versions__created_by=user) | Q(files__uploaded_by=user)
    ids = Submission.objects.filter(contributed).values("pk")
    return Submission.objects.filter(pk__in=ids).select_related("challenge", "team").order_by("pk")


def personal_data(user) -> dict:
    """Everything the platform holds about `user`, as JSON-ready data (dates and
    decimals left for the encoder)."""
    memberships = Membership.objects.filter(user=user).select_related("organization")
    data = {
        "account": _account(user),
        "organisations": [
            {"organisation": row.organization.name, "role": row.role, "joined_at": row.joined_at}
            for row in memberships.order_by("pk")
        ],
        **_participation(user),
        **_ideation(user),
        "agreement_acceptances": [
            _acceptance(row)
            for row in Acceptance.objects.filter(user=user).select_related("template")
        ],
        "submissions": [_submission(row, user) for row in own_submissions(user)],
        "teams": _teams(user),
        "judging": _judging(user),
        "awards": _awards(user),
        "deeds": [_deed(deed) for deed in Deed.objects.filter(signer=user).order_by("pk")],
        "certificates": [
            _certificate(row) for row in Certificate.objects.filter(recipient=user).order_by("pk")
        ],
        **_money(user),
        **_notifications(user),
        "requests_about_your_data": [
            {"kind": row.kind, "state": row.state, "requested_at": row.requested_at}
            for row in PrivacyRequest.objects.filter(user=user)
        ],
    }
    for path in settings.PERSONAL_DATA_SECTIONS:
        key, section = import_string(path)(user)
        data[key] = section
    return data


def personal_files(user) -> list[tuple[str, str]]:
    """(name in the archive, name in storage) of each stored file that is the person's:
    the files of their entries, their signed deeds and their certificates."""
    files = [
        (_file_name(row), row.file.name)
        for row in SubmissionFile.objects.filter(submission__in=own_submissions(user)).order_by(
            "pk"
        )
    ]
    files += [(_deed_name(deed), deed.pdf.name) for deed in Deed.objects.filter(signer=user)]
    files += [
        (_certificate_name(row), row.pdf.name)
        for row in Certificate.objects.filter(recipient=user).exclude(pdf="")
    ]
    return files


def export_ready(user) -> PrivacyRequest | None:
    """The person's latest export, if one is being prepared or can still be fetched."""
    return (
        PrivacyRequest.objects.filter(
            user=user,
            kind=PrivacyRequestKind.EXPORT,
            state__in=[PrivacyRequestState.PENDING, PrivacyRequestState.READY],
        )
        .order_by("-requested_at", "-pk")
        .first()
    )
