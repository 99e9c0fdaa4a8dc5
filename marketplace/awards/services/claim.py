"""The winner's side of an award: accepting it, declining it, signing the deed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legal.documents import deed_sign
from legal.services import reading_language
from marketplace.awards.models import Award, AwardState
from marketplace.awards.services.common import _lock, _log, _recipient, _recipient_users
from marketplace.awards.services.deeds import deed_kind, deed_language, deed_terms
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.release import _advance
from marketplace.core.errors import IllegalTransition
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.organisations.selectors import editors_of
from marketplace.submissions.models import ReviewStatus, Submission
from marketplace.submissions.reviews import submission_review_record


def _claimable(award: Award) -> None:
    if award.state == AwardState.FORFEITED:
        raise IllegalTransition(
            _("This award was forfeited."), state=award.state, code="award_forfeited"
        )
    if award.claim_expired():
        raise IllegalTransition(
            _("The claim deadline has passed."), state=award.state, code="claim_expired"
        )


def award_accept(*, award_id: int, user, language: str | None = None) -> Award:
    """A winner accepts the award (for a team, any member; each still signs a deed).
    `language` (default: the active one, the request's) is the language they accept in:
    their certificate comes out in it, unless they later sign the deed in another."""
    language = reading_language(language)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        recipient = _recipient(award, user)
        _claimable(award)
        if recipient.accepted_at is None:
            recipient.accepted_at = timezone.now()
            recipient.language = language
            recipient.save(update_fields=["accepted_at", "language"])
        if award.state == AwardState.PROPOSED:
            award.accept()
            award.accepted_at = timezone.now()
            award.save()
            _log(award, user, "award_accept")
            _entry_wins(award)
            notifications_send(
                kind=NotificationKind.AWARD_ACCEPTED,
                users=editors_of(award.challenge.organization_id),
                key=f"award:{award.pk}",
                challenge=award.challenge,
                award=award,
            )
            if deed_kind(award.challenge):
                notifications_send(
                    kind=NotificationKind.DEED_READY,
                    users=_recipient_users(award),
                    key=f"award:{award.pk}",
                    challenge=award.challenge,
                    award=award,
                )
            else:
                _advance(award, user)
    return award


def _entry_wins(award: Award) -> None:
    """The accepted award's entry is the winner (its review status), its note kept. The
    change is recorded as the proposer's: a blind history never names the solver."""
    submission = Submission.objects.select_for_update().get(pk=award.submission_id)
    submission_review_record(
        submission=submission,
        actor=award.proposed_by,
        status=ReviewStatus.WINNER,
        reason="",
        note=submission.review_note,
    )


def award_decline(*, award_id: int, user, reason: str = "") -> Award:
    """A winner gives up an unsigned award (for a team: the whole team's)."""
    _recipient(Award.objects.get(pk=award_id), user)
    return award_forfeit(award_id=award_id, actor=user, reason=reason)


def award_deed_sign(
    *,
    award_id: int,
    user,
    accepted_sha256: str,
    signature: str,
    ip: str | None = None,
    user_agent: str = "",
    language: str | None = None,
) -> Award:
    """A winner signs their own deed by typing their full name, in the language they are
    reading (`language`, default: the active one, the request's; English when the deed
    has no text in it): the deed, its PDF and later their certificate are in it. When
    every recipient has signed, the award moves on (and on to verified if the details
    are on file)."""
    language = reading_language(language)
    with transaction.atomic(durable=True):
        award = _lock(award_id)
        recipient = _recipient(award, user)
        _claimable(award)
        kind = deed_kind(award.challenge)
        if kind is None:
            raise IllegalTransition(
                _("The solver keeps the IP: there is no deed to sign."),
                state=award.state,
                code="no_deed",
            )
        if award.state == AwardState.PROPOSED:
            award.accept()
            award.accepted_at = timezone.now()
        if recipient.deed_id is None:
            text_language = deed_language(kind, language)
            deed = deed_sign(
                user=user,
                reference=award.reference,
                kind=kind,
                terms=deed_terms(award, user, text_language),
                accepted_sha256=accepted_sha256,
                signature=signature,
                full_name=user.full_name,
                ip=ip,
                user_agent=user_agent,
                language=text_language,
            )
            recipient.deed = deed
            recipient.accepted_at = recipient.accepted_at or timezone.now()
            recipient.language = language
            recipient.save(update_fields=["deed", "accepted_at", "language"])
            _log(award, user, "deed_sign", user=user.pk, deed_sha256=deed.pdf_sha256)
        award.save()
        _advance(award, user)
    return award
