"""Closing a challenge early: the owner while no entry exists, staff always, and the
owner's request that staff approve or refuse once entries exist."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.lifecycle.early_close import (
    early_close_approve,
    early_close_refuse,
    early_close_request,
)
from marketplace.lifecycle.history import challenge_history
from marketplace.lifecycle.models import EarlyCloseRequest, EarlyCloseState
from marketplace.lifecycle.selectors import early_close_requests_pending
from marketplace.lifecycle.services import challenge_transition
from marketplace.notifications.models import Notification, NotificationKind
from marketplace.participation.services import challenge_register
from marketplace.submissions.services import submission_create
from tests.factories import (
    ChallengeFactory,
    RegistrationFactory,
    TeamFactory,
    TeamMemberFactory,
    agreement_hash,
    submission_for,
)

pytestmark = pytest.mark.django_db

REASON = "The problem was solved in-house."


def close_early(challenge, actor, reason=REASON):
    return challenge_transition(
        challenge_id=challenge.pk, name="close_early", actor=actor, reason=reason
    )


@pytest.fixture
def live(org):
    return ChallengeFactory(organization=org, state=S.OPEN)


@pytest.fixture
def with_entry(live, solver):
    RegistrationFactory(challenge=live, user=solver)
    submission_for(live, solver)
    return live


def test_owner_closes_early_while_no_entry_exists(live, owner):
    before = timezone.now()
    old_deadline = live.submission_deadline
    closed = close_early(live, owner)
    assert closed.state == S.CLOSED
    assert before <= closed.submission_deadline <= timezone.now()
    event = ChallengeEvent.objects.get(challenge=live)
    assert (event.name, event.actor, event.reason) == ("close_early", owner, REASON)
    assert (event.from_state, event.to_state) == (S.OPEN, S.CLOSED)
    assert event.details["submission_deadline"][0] == old_deadline.isoformat()


def test_judging_follows_an_early_close(live, owner):
    close_early(live, owner)
    started = challenge_transition(challenge_id=live.pk, name="start_judging", actor=owner)
    assert started.state == S.JUDGING


def test_reason_is_required_and_bounded(live, owner):
    for reason in ("  ", "x" * 1001):
        with pytest.raises(ValidationError) as exc:
            close_early(live, owner, reason)
        assert "reason" in exc.value.message_dict
    assert Challenge.objects.get(pk=live.pk).state == S.OPEN
    assert close_early(live, owner, "x" * 1000).state == S.CLOSED


def test_owner_is_refused_once_an_entry_exists(with_entry, owner):
    with pytest.raises(IllegalTransition) as exc:
        close_early(with_entry, owner)
    assert exc.value.code == "entries_exist"
    assert "only staff" in exc.value.message
    assert Challenge.objects.get(pk=with_entry.pk).state == S.OPEN
    assert not ChallengeEvent.objects.exists()


def test_a_withdrawn_entry_does_not_count(live, owner, solver):
    RegistrationFactory(challenge=live, user=solver)
    entry = submission_for(live, solver)
    entry.state = "withdrawn"
    entry.save()
    assert close_early(live, owner).state == S.CLOSED


def test_staff_close_early_directly_even_with_entries(with_entry, staff):
    closed = close_early(with_entry, staff, "Fraudulent Seeker.")
    assert closed.state == S.CLOSED
    assert ChallengeEvent.objects.get(challenge=with_entry).actor == staff


@pytest.mark.parametrize("who", ["manager", "judge", "solver", "outsider"])
def test_only_the_owner_or_staff(live, request, who):
    with pytest.raises(NotAllowed):
        close_early(live, request.getfixturevalue(who))
    assert Challenge.objects.get(pk=live.pk).state == S.OPEN


@pytest.mark.parametrize("state", [S.AWAITING_FUNDING, S.CLOSED, S.JUDGING])
def test_only_an_open_challenge(org, owner, state):
    challenge = ChallengeFactory(organization=org, state=state)
    with pytest.raises(IllegalTransition):
        close_early(challenge, owner)
    assert Challenge.objects.get(pk=challenge.pk).state == state


def test_not_after_the_deadline(org, owner):
    challenge = ChallengeFactory(
        organization=org, state=S.OPEN, submission_deadline=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(IllegalTransition) as exc:
        close_early(challenge, owner)
    assert exc.value.code == "condition_failed"


def test_no_entry_or_registration_afterwards(live, owner, solver, outsider):
    RegistrationFactory(challenge=live, user=solver)
    live = close_early(live, owner)
    with pytest.raises(IllegalTransition) as exc:
        submission_create(
            challenge_id=live.pk, author=solver, uploads=[], title="Late", abstract="A", body="B"
        )
    assert exc.value.code == "closed"
    with pytest.raises(IllegalTransition) as exc:
        challenge_register(
            challenge_id=live.pk, user=outsider, accepted_sha256=agreement_hash(live)
        )
    assert exc.value.code == "not_open"


def test_a_closed_challenge_refuses_entries_even_before_its_deadline(org, solver, outsider):
    """The rules read the state, not only the deadline."""
    closed = ChallengeFactory(organization=org, state=S.CLOSED)
    RegistrationFactory(challenge=closed, user=solver)
    assert closed.submission_deadline > timezone.now()
    with pytest.raises(IllegalTransition):
        submission_create(
            challenge_id=closed.pk, author=solver, uploads=[], title="T", abstract="A", body="B"
        )
    with pytest.raises(IllegalTransition):
        challenge_register(
            challenge_id=closed.pk, user=outsider, accepted_sha256=agreement_hash(closed)
        )


def test_teams_are_final_after_an_early_close(live, owner):
    team = TeamFactory(challenge=live)
    close_early(live, owner)
    team.refresh_from_db()
    assert team.shares_frozen_at is not None


class TestSolversAreTold:
    def test_each_once_by_notification_and_mail_after_commit(
        self, live, owner, staff, solver, mailoutbox, django_capture_on_commit_callbacks
    ):
        registrant = RegistrationFactory(challenge=live).user
        RegistrationFactory(challenge=live, user=solver)
        team = TeamFactory(challenge=live, captain=solver)
        mate = TeamMemberFactory(team=team, state="active").user
        RegistrationFactory(challenge=live, user=mate)
        team.members.update(share_bps=5_000)
        TeamMemberFactory(team=team, state="invited")
        submission_for(live, solver, team=team)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            close_early(live, staff)
        assert mailoutbox == []
        for callback in callbacks:
            callback()
        told = Notification.objects.filter(kind=NotificationKind.CLOSED_EARLY)
        assert sorted(told.values_list("user_id", flat=True)) == sorted(
            [registrant.pk, solver.pk, mate.pk]
        )
        solver_mails = [m for m in mailoutbox if m.to == [solver.email]]
        assert len(solver_mails) == 1
        assert solver_mails[0].subject == f"Closed early: {live.title}"
        assert f"Reason: {REASON}" in solver_mails[0].body
        assert sorted(m.to[0] for m in mailoutbox) == sorted(
            [registrant.email, solver.email, mate.email, owner.email]
        )

    def test_in_their_language(self, live, owner, mailoutbox, django_capture_on_commit_callbacks):
        registrant = RegistrationFactory(challenge=live).user
        registrant.language = "es"
        registrant.save()
        with django_capture_on_commit_callbacks(execute=True):
            close_early(live, owner)
        [mail] = [m for m in mailoutbox if m.to == [registrant.email]]
        assert mail.subject == f"Cerrado antes de tiempo: {live.title}"
        assert f"Motivo: {REASON}" in mail.body


class TestRequest:
    def ask(self, challenge, owner, reason=REASON):
        return early_close_request(challenge_id=challenge.pk, actor=owner, reason=reason)

    def test_owner_asks_once_entries_exist(self, with_entry, owner):
        request = self.ask(with_entry, owner)
        assert (request.state, request.reason, request.requested_by) == (
            EarlyCloseState.PENDING,
            REASON,
            owner,
        )
        assert list(early_close_requests_pending()) == [request]
        event = ChallengeEvent.objects.get(challenge=with_entry)
        assert (event.name, event.reason) == ("early_close_request", REASON)
        assert Challenge.objects.get(pk=with_entry.pk).state == S.OPEN

    def test_one_pending_at_a_time(self, with_entry, owner):
        self.ask(with_entry, owner)
        with pytest.raises(IllegalTransition) as exc:
            self.ask(with_entry, owner)
        assert exc.value.code == "already_requested"

    def test_not_without_entries(self, live, owner):
        with pytest.raises(IllegalTransition) as exc:
            self.ask(live, owner)
        assert exc.value.code == "no_entries"

    @pytest.mark.parametrize("who", ["manager", "solver", "staff"])
    def test_only_owners_ask(self, with_entry, request, who):
        with pytest.raises(NotAllowed):
            self.ask(with_entry, request.getfixturevalue(who))

    def test_reason_required(self, with_entry, owner):
        with pytest.raises(ValidationError):
            self.ask(with_entry, owner, " ")
        assert not EarlyCloseRequest.objects.exists()

    def test_staff_approval_closes_with_the_owners_reason(
        self, with_entry, owner, staff, solver, django_capture_on_commit_callbacks
    ):
        request = self.ask(with_entry, owner)
        with django_capture_on_commit_callbacks(execute=True):
            decided = early_close_approve(request_id=request.pk, actor=staff)
        assert (decided.state, decided.decided_by) == (EarlyCloseState.APPROVED, staff)
        assert Challenge.objects.get(pk=with_entry.pk).state == S.CLOSED
        event = ChallengeEvent.objects.get(challenge=with_entry, name="close_early")
        assert (event.actor, event.reason) == (staff, REASON)
        assert event.details["request"] == request.pk
        assert Notification.objects.filter(kind=NotificationKind.CLOSED_EARLY, user=solver).exists()
        assert list(early_close_requests_pending()) == []
        with pytest.raises(IllegalTransition) as exc:
            early_close_approve(request_id=request.pk, actor=staff)
        assert exc.value.code == "already_decided"

    def test_staff_refusal_keeps_it_open_and_tells_the_owner(
        self, with_entry, owner, staff, mailoutbox, django_capture_on_commit_callbacks
    ):
        request = self.ask(with_entry, owner)
        with pytest.raises(ValidationError):
            early_close_refuse(request_id=request.pk, actor=staff, note="")
        with django_capture_on_commit_callbacks(execute=True):
            decided = early_close_refuse(
                request_id=request.pk, actor=staff, note="Solvers are mid-way; wait."
            )
        assert (decided.state, decided.note) == (
            EarlyCloseState.REFUSED,
            "Solvers are mid-way; wait.",
        )
        assert Challenge.objects.get(pk=with_entry.pk).state == S.OPEN
        [mail] = mailoutbox
        assert mail.to == [owner.email]
        assert "Reason: Solvers are mid-way; wait." in mail.body
        assert [e.name for e in ChallengeEvent.objects.filter(challenge=with_entry)] == [
            "early_close_request",
            "early_close_refuse",
        ]
        assert self.ask(with_entry, owner).state == EarlyCloseState.PENDING

    @pytest.mark.parametrize("who", ["owner", "manager"])
    def test_only_staff_decide(self, with_entry, owner, request, who):
        pending = self.ask(with_entry, owner)
        actor = request.getfixturevalue(who)
        with pytest.raises(NotAllowed):
            early_close_approve(request_id=pending.pk, actor=actor)
        with pytest.raises(NotAllowed):
            early_close_refuse(request_id=pending.pk, actor=actor, note="No.")
        assert EarlyCloseRequest.objects.get().state == EarlyCloseState.PENDING


def test_history_sentences(with_entry, owner, staff):
    old = with_entry.submission_deadline
    request = early_close_request(challenge_id=with_entry.pk, actor=owner, reason=REASON)
    early_close_refuse(request_id=request.pk, actor=staff, note="Not yet.")
    close_early(with_entry, staff)
    sentences = [sentence for _event, sentence in challenge_history(with_entry)]
    assert sentences[:2] == [
        "Asked staff to close early",
        "Request to close early refused by staff",
    ]
    assert sentences[2].startswith("Closed early, before the deadline of ")
    assert str(old.year) in sentences[2]
