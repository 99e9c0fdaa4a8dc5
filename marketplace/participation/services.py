"""Solvers taking part: registering for a challenge, asking questions, and the
Seeker's public answers."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from legal.services import acceptance_record
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.challenges.permissions import is_editor, is_member
from marketplace.challenges.states import QUESTIONS_ANSWERABLE
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.references import subject_of
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.organisations.selectors import editors_of
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.models import Clarification, Registration


def challenge_register(
    *, challenge_id: int, user, accepted_sha256: str, ip: str | None = None, user_agent: str = ""
) -> Registration:
    """Register a solver for an open challenge by accepting its agreement: the text
    rendered with this challenge's terms, whose SHA-256 the solver was shown
    (`accepted_sha256`; a stale hash is refused). Registering twice returns the first
    registration. Members of the Seeker organisation cannot compete in their own challenge."""
    challenge = Challenge.objects.select_related("organization").get(pk=challenge_id)
    if is_member(user, challenge):
        raise NotAllowed(_("Members of the Seeker organisation cannot register as solvers."))
    if challenge.state != ChallengeState.OPEN or challenge.submission_deadline <= timezone.now():
        raise IllegalTransition(
            _("Registration is only possible while the challenge is open."),
            state=challenge.state,
            code="not_open",
        )
    existing = Registration.objects.filter(challenge=challenge, user=user).first()
    if existing is not None:
        return existing
    rendered = challenge_agreement(challenge)
    try:
        with transaction.atomic(durable=True):
            acceptance = acceptance_record(
                user=user,
                rendered=rendered,
                accepted_sha256=accepted_sha256,
                subject=subject_of(challenge),
                ip=ip,
                user_agent=user_agent,
            )
            return Registration.objects.create(
                challenge=challenge, user=user, acceptance=acceptance
            )
    except IntegrityError:  # a concurrent registration of the same user won the race
        return Registration.objects.get(challenge=challenge, user=user)


def clarification_ask(*, challenge_id: int, user, question: str) -> Clarification:
    challenge = Challenge.objects.get(pk=challenge_id)
    if not Registration.objects.filter(challenge=challenge, user=user).exists():
        raise NotAllowed(_("Register for the challenge before asking a question."))
    if challenge.state != ChallengeState.OPEN:
        raise IllegalTransition(
            _("Questions can only be asked while the challenge is open."),
            state=challenge.state,
            code="not_open",
        )
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": [_("Write your question.")]})
    if len(question) > 5000:
        raise ValidationError({"question": [_("Keep the question under 5,000 characters.")]})
    with transaction.atomic(durable=True):
        clarification = Clarification.objects.create(
            challenge=challenge, asked_by=user, question=question
        )
        notifications_send(
            kind=NotificationKind.QUESTION_ASKED,
            users=editors_of(challenge.organization_id),
            key=f"clarification:{clarification.pk}",
            challenge=challenge,
        )
    return clarification


def clarification_answer(*, clarification_id: int, actor, answer: str) -> Clarification:
    """Publish (or correct) the Seeker's answer; every solver of the challenge sees it,
    and the solver who asked is notified (once, not again for a correction)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": [_("Write the answer.")]})
    if len(answer) > 10_000:
        raise ValidationError({"answer": [_("Keep the answer under 10,000 characters.")]})
    with transaction.atomic(durable=True):
        clarification = (
            Clarification.objects.select_for_update()
            .select_related("challenge")
            .get(pk=clarification_id)
        )
        challenge = clarification.challenge
        if not is_editor(actor, challenge):
            raise NotAllowed(_("Only owners and managers of the organisation can answer."))
        if challenge.state not in QUESTIONS_ANSWERABLE:
            raise IllegalTransition(
                _("This challenge no longer takes answers."),
                state=challenge.state,
                code="not_answerable",
            )
        clarification.answer = answer
        clarification.answered_by = actor
        clarification.answered_at = timezone.now()
        clarification.save()
        notifications_send(
            kind=NotificationKind.CLARIFICATION_ANSWERED,
            users=[clarification.asked_by],
            key=f"clarification:{clarification.pk}",
            challenge=challenge,
        )
    return clarification
