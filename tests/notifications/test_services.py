"""Notifications: each kind as an in-app row and an e-mail in its reader's language with
the right link, sent once however often its event is reported; the list page, marking
read, and following organisations."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from legal.models import Certificate
from marketplace.accounts.models import User
from marketplace.awards.certificates import certificate_make
from marketplace.awards.services.claim import award_accept
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.payment import award_settle_payment
from marketplace.challenges.models import ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.lifecycle.services import challenge_extend_deadline, challenge_transition
from marketplace.notifications.follows import followers_notify
from marketplace.notifications.kinds import notification_message
from marketplace.notifications.models import Notification, OrganizationFollow
from marketplace.notifications.models import NotificationKind as K
from marketplace.notifications.services import (
    notifications_mark_read,
    notifications_send,
)
from marketplace.participation.services import clarification_answer, clarification_ask
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory
from tests.story import awarding, claim, propose_both

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")


def mails_to(mailoutbox, user) -> list:
    return [mail for mail in mailoutbox if mail.to == [user.email]]


def only_mail(mailoutbox, user):
    [mail] = mails_to(mailoutbox, user)
    return mail


def rows(user, kind) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind=kind))


def in_spanish(moment) -> str:
    with translation.override("es"):
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def spanish(user) -> User:
    User.objects.filter(pk=user.pk).update(language="es")
    return User.objects.get(pk=user.pk)


def award_url(award) -> str:
    return settings.SITE_URL + reverse("solvers:award_detail", args=[award.pk])


def challenge_url(challenge) -> str:
    return settings.SITE_URL + reverse("challenge_detail", args=[challenge.pk])


class TestSending:
    def test_once_per_person_and_event(
        self, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        challenge = ChallengeFactory(state=S.OPEN)
        other = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            first = notifications_send(
                kind=K.CHALLENGE_OPENED,
                users=[solver, other, solver],
                key=f"challenge:{challenge.pk}",
                challenge=challenge,
            )
            again = notifications_send(
                kind=K.CHALLENGE_OPENED,
                users=[solver, other],
                key=f"challenge:{challenge.pk}",
                challenge=challenge,
            )
        assert (first, again) == (2, 0)
        assert Notification.objects.count() == 2
        assert sorted(m.to[0] for m in mailoutbox) == sorted([solver.email, other.email])
        assert Notification.objects.filter(emailed_at__isnull=True).count() == 0

    def test_another_event_of_the_same_kind_is_new(self, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        for key in ("challenge:1:100", "challenge:1:200"):
            notifications_send(
                kind=K.DEADLINE_SOON,
                users=[solver],
                key=key,
                challenge=challenge,
                params={"deadline": challenge.submission_deadline.isoformat()},
            )
        assert len(rows(solver, K.DEADLINE_SOON)) == 2


class TestChallengeOpened:
    def opened(self, org, owner, django_capture_on_commit_callbacks, **fields):
        challenge = ChallengeFactory(
            organization=org, created_by=owner, state=S.AWAITING_FUNDING, funded=True, **fields
        )
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
        return challenge

    def test_followers_hear_once_in_their_language(
        self, org, owner, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        reader_es = spanish(UserFactory())
        for user in (solver, reader_es):
            OrganizationFollow.objects.create(user=user, organization=org)
        bystander = UserFactory()
        challenge = self.opened(org, owner, django_capture_on_commit_callbacks)

        [row] = rows(solver, K.CHALLENGE_OPENED)
        assert row.challenge == challenge
        mail = only_mail(mailoutbox, solver)
        assert mail.subject == f"New challenge from {org.name}: {challenge.title}"
        assert f"{org.name} has opened a new challenge, “{challenge.title}”" in mail.body
        assert "$25,000.00" in mail.body
        assert challenge_url(challenge) in mail.body
        mail_es = only_mail(mailoutbox, reader_es)
        assert mail_es.subject == f"Nuevo desafío de {org.name}: {challenge.title}"
        assert in_spanish(challenge.submission_deadline) in mail_es.body
        assert not mails_to(mailoutbox, bystander)

        with django_capture_on_commit_callbacks(execute=True):
            assert followers_notify(challenge=challenge) == 0
        assert len(mails_to(mailoutbox, solver)) == 1

    def test_anonymous_seeker_tells_no_follower(
        self, org, owner, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        OrganizationFollow.objects.create(user=solver, organization=org)
        self.opened(org, owner, django_capture_on_commit_callbacks, hide_seeker=True)
        assert not rows(solver, K.CHALLENGE_OPENED)
        assert not mails_to(mailoutbox, solver)


class TestDeadlineExtended:
    def test_registered_solvers_get_one_notice_per_new_deadline(
        self, org, owner, mailoutbox, django_capture_on_commit_callbacks
    ):
        challenge = ChallengeFactory(organization=org, state=S.OPEN, title="Quiet propeller")
        reader_en = RegistrationFactory(challenge=challenge).user
        reader_es = RegistrationFactory(challenge=challenge, user=spanish(UserFactory())).user
        later = challenge.submission_deadline + timedelta(days=7)
        with django_capture_on_commit_callbacks(execute=True):
            challenge_extend_deadline(
                challenge_id=challenge.pk, actor=owner, new_deadline=later, reason="Lab closed."
            )

        mail = only_mail(mailoutbox, reader_en)  # the notice only: no second e-mail
        assert mail.subject == "Deadline extended: Quiet propeller"
        assert "Reason: Lab closed." in mail.body
        assert challenge_url(challenge) in mail.body
        assert only_mail(mailoutbox, reader_es).subject == "Fecha límite ampliada: Quiet propeller"
        assert in_spanish(later) in only_mail(mailoutbox, reader_es).body
        logged = ChallengeEvent.objects.get(name="extend_deadline")
        assert logged.details["submission_deadline"][1] == later.isoformat()

        with django_capture_on_commit_callbacks(execute=True):
            challenge_extend_deadline(
                challenge_id=challenge.pk, actor=owner, new_deadline=later + timedelta(days=1)
            )
        assert len(rows(reader_en, K.DEADLINE_EXTENDED)) == 2
        assert len(mails_to(mailoutbox, reader_en)) == 2


class TestClarificationAnswered:
    def test_the_asker_hears_once(self, org, owner, mailoutbox, django_capture_on_commit_callbacks):
        challenge = ChallengeFactory(organization=org, state=S.OPEN, title="Quiet propeller")
        asker = RegistrationFactory(challenge=challenge, user=spanish(UserFactory())).user
        other = RegistrationFactory(challenge=challenge).user
        question = clarification_ask(challenge_id=challenge.pk, user=asker, question="Size?")
        with django_capture_on_commit_callbacks(execute=True):
            clarification_answer(clarification_id=question.pk, actor=owner, answer="Any.")
            clarification_answer(clarification_id=question.pk, actor=owner, answer="Any size.")

        [row] = rows(asker, K.CLARIFICATION_ANSWERED)
        mail = only_mail(mailoutbox, asker)
        assert mail.subject == "Su pregunta ha sido respondida: Quiet propeller"
        assert challenge_url(challenge) + "#clarifications" in mail.body
        assert not mails_to(mailoutbox, other)
        with translation.override("en"):
            text = notification_message(row).text
        assert "answered your question about “Quiet propeller”" in text


class TestAwards:
    def test_each_winner_hears_each_step_once_in_their_language(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        people = awarding()
        ada, ben = people.solvers
        ben = spanish(ben)
        title = people.challenge.title
        with django_capture_on_commit_callbacks(execute=True):
            first, second = propose_both(people)

        won = only_mail(mailoutbox, ada)
        assert won.subject == f"You won an award: {title}"
        assert "won an award of $7,000.00" in won.body
        assert award_url(first) in won.body
        won_es = only_mail(mailoutbox, ben)
        assert won_es.subject == f"Ha ganado un premio: {title}"
        assert in_spanish(second.claim_deadline) in won_es.body
        assert award_url(second) in won_es.body

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            award_accept(award_id=first.pk, user=ada)
            award_accept(award_id=first.pk, user=ada)
        deed = only_mail(mailoutbox, ada)
        assert deed.subject == f"Sign your deed: {title}"
        assert award_url(first) in deed.body

        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            claim(first, ada)  # verified: released and paid at once
            claim(second, ben)

        paid, certificate_mail = sorted(mails_to(mailoutbox, ada), key=lambda m: m.subject)
        assert (paid.subject, certificate_mail.subject) == (
            f"Prize paid: {title}",
            f"Your certificate: {title}",
        )
        assert "has been paid out: $7,000.00" in paid.body
        assert award_url(first) in paid.body
        certificate = Certificate.objects.get(recipient=ada)
        assert (
            settings.SITE_URL + reverse("certificate_verify", args=[certificate.uuid])
            in certificate_mail.body
        )
        subjects_es = sorted(m.subject for m in mails_to(mailoutbox, ben))
        assert subjects_es == sorted(
            [f"Firme su escritura: {title}", f"Premio pagado: {title}", f"Su certificado: {title}"]
        )

        with django_capture_on_commit_callbacks(execute=True):
            award_settle_payment(award_id=first.pk)
            certificate_make(certificate_id=certificate.pk)
        assert sorted(
            Notification.objects.filter(user=ada).values_list("kind", flat=True)
        ) == sorted([K.AWARD_WON, K.DEED_READY, K.AWARD_PAID, K.CERTIFICATE_READY])
        assert len(mails_to(mailoutbox, ada)) == 2  # paid and certificate, nothing again

    def test_the_list_shows_a_team_members_share_in_a_fixed_number_of_queries(
        self, client, django_assert_max_num_queries
    ):
        people = awarding()
        award, second = propose_both(people)
        ada = people.solvers[0]
        award.recipients.filter(user=ada).update(amount=350_000, share_bps=5_000)
        client.force_login(ada)
        content = client.get(LIST).content.decode()
        assert "won an award of $7,000.00" in content
        assert "Your share: $3,500.00." in content

        with CaptureQueriesContext(connection) as one:
            client.get(LIST)
        for key in range(5):
            for kind, each in ((K.AWARD_PAID, award), (K.AWARD_FORFEITED, second)):
                notifications_send(
                    kind=kind, users=[ada], key=str(key), challenge=people.challenge, award=each
                )
        with django_assert_max_num_queries(len(one)):
            client.get(LIST)

    def test_declining_tells_the_winner_it_is_forfeited_and_the_owner_it_is_declined_once(
        self, mailoutbox, django_capture_on_commit_callbacks
    ):
        people = awarding()
        ada, ben = people.solvers
        ben = spanish(ben)
        title = people.challenge.title
        _first, second = propose_both(people)
        with django_capture_on_commit_callbacks(execute=True):
            award_forfeit(award_id=second.pk, actor=ben, reason="Cannot sign.")
            award_forfeit(award_id=second.pk, actor=ben, reason="Cannot sign.")

        mail_es = only_mail(mailoutbox, ben)
        assert mail_es.subject == f"Premio perdido: {title}"
        assert award_url(second) in mail_es.body
        owner_mail = only_mail(mailoutbox, people.owner)
        assert owner_mail.subject == f"Award declined: {title}"
        assert "The winner of the award of $2,000.00" in owner_mail.body
        assert rows(people.owner, K.AWARD_FORFEITED) == []
        assert "Reason: Cannot sign." in owner_mail.body
        manage = reverse("seekers:challenge_manage", args=[people.challenge.pk])
        assert settings.SITE_URL + manage in owner_mail.body
        assert not mails_to(mailoutbox, ada)


class TestMarkRead:
    def test_only_ones_own_and_only_those_named(self, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        other = UserFactory()
        for key in ("a", "b"):
            notifications_send(
                kind=K.CLARIFICATION_ANSWERED, users=[solver, other], key=key, challenge=challenge
            )
        mine = list(Notification.objects.filter(user=solver).order_by("pk"))
        theirs = Notification.objects.filter(user=other).first()
        assert notifications_mark_read(user=solver, ids=[mine[0].pk, theirs.pk]) == 1
        assert Notification.objects.filter(read_at__isnull=False).get() == mine[0]
        assert notifications_mark_read(user=solver) == 1
        assert notifications_mark_read(user=solver) == 0
        assert Notification.objects.get(pk=theirs.pk).read_at is None


class TestSeekerAndStaffKinds:
    def test_a_question_tells_owners_and_managers_once(
        self,
        org,
        owner,
        manager,
        judge,
        staff,
        solver,
        outsider,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        RegistrationFactory(challenge=challenge, user=solver)
        with django_capture_on_commit_callbacks(execute=True):
            clarification_ask(challenge_id=challenge.pk, user=solver, question="Size?")
        assert Notification.objects.filter(kind=K.QUESTION_ASKED).count() == 2
        for person in (owner, manager):
            [row] = rows(person, K.QUESTION_ASKED)
            assert notification_message(row).url.endswith("#clarifications")
            assert challenge.title in only_mail(mailoutbox, person).subject
        for person in (judge, staff, solver, outsider):
            assert rows(person, K.QUESTION_ASKED) == []

    def test_a_question_is_worded_in_spanish(
        self, org, owner, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        spanish(owner)
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        RegistrationFactory(challenge=challenge, user=solver)
        with django_capture_on_commit_callbacks(execute=True):
            clarification_ask(challenge_id=challenge.pk, user=solver, question="Size?")
        assert only_mail(mailoutbox, owner).subject.startswith("Nueva pregunta")

    def test_submitting_for_review_tells_staff_each_time(
        self, org, owner, manager, staff, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        challenge = ChallengeFactory(organization=org)
        with django_capture_on_commit_callbacks(execute=True):
            challenge_transition(challenge_id=challenge.pk, name="submit", actor=owner)
        [row] = rows(staff, K.REVIEW_REQUESTED)
        assert notification_message(row).url == reverse("staff_review_queue")
        assert challenge.title in only_mail(mailoutbox, staff).subject
        for person in (owner, manager, solver):
            assert rows(person, K.REVIEW_REQUESTED) == []
        challenge_transition(
            challenge_id=challenge.pk, name="return_to_draft", actor=staff, reason="Fix it."
        )
        challenge_transition(challenge_id=challenge.pk, name="submit", actor=owner)
        assert len(rows(staff, K.REVIEW_REQUESTED)) == 2
