"""Submitting, editing and withdrawing private solutions: the service rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.submissions.models import Submission, SubmissionFile, SubmissionVersion
from marketplace.submissions.permissions import can_read_submission
from marketplace.submissions.services import (
    submission_create,
    submission_update,
    submission_withdraw,
)
from tests.factories import (
    ChallengeFactory,
    JudgeAssignmentFactory,
    RegistrationFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def pdf(name="report.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def challenge(org):
    return ChallengeFactory(organization=org, state=S.OPEN, max_submissions_per_solver=2)


@pytest.fixture
def entrant(challenge):
    return RegistrationFactory(challenge=challenge).user


def submit(challenge, author, **kwargs):
    fields = {"title": "Film from algae", "abstract": "Short.", "body": "Long **text**."}
    return submission_create(challenge_id=challenge.pk, author=author, **{**fields, **kwargs})


def test_submission_with_a_file_gets_a_receipt(
    challenge, entrant, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(challenge, entrant, uploads=[pdf()])
    version = SubmissionVersion.objects.get(submission=submission)
    stored = SubmissionFile.objects.get(submission=submission)
    assert (version.number, version.sha256) == (1, submission.sha256)
    assert version.files == [
        {
            "id": stored.pk,
            "name": "report.pdf",
            "size": len(PDF),
            "sha256": stored.sha256,
            "content_type": "application/pdf",
        }
    ]
    assert stored.file.read() == PDF
    assert [m.to for m in mailoutbox] == [[entrant.email]]
    assert submission.sha256 in mailoutbox[0].body and stored.sha256 in mailoutbox[0].body


def test_without_accepting_the_agreement_is_refused(challenge, solver):
    with pytest.raises(NotAllowed):
        submit(challenge, solver)
    assert not Submission.objects.exists()


def test_after_the_deadline_is_refused_to_the_second(challenge, entrant):
    Challenge.objects.filter(pk=challenge.pk).update(submission_deadline=timezone.now())
    with pytest.raises(IllegalTransition) as exc:
        submit(challenge, entrant)
    assert exc.value.code == "closed"
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() + timedelta(seconds=5)
    )
    assert submit(challenge, entrant).pk


@pytest.mark.parametrize("state", [S.CLOSED, S.AWAITING_FUNDING, S.JUDGING])
def test_challenge_not_open_is_refused(org, state):
    challenge = ChallengeFactory(organization=org, state=state)
    author = RegistrationFactory(challenge=challenge).user
    with pytest.raises(IllegalTransition):
        submit(challenge, author)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf("empty.pdf", b""), "empty"),
        (pdf("setup.pdf", ELF), "not an accepted kind of file"),
        (
            SimpleUploadedFile("virus.exe.pdf", b"MZ\x90\x00" + b"\x00" * 200),
            "not an accepted kind",
        ),
    ],
)
def test_bad_files_are_refused(challenge, entrant, upload, message):
    with pytest.raises(ValidationError) as exc:
        submit(challenge, entrant, uploads=[upload])
    assert message in str(exc.value.message_dict["files"])
    assert not Submission.objects.exists() and not SubmissionFile.objects.exists()


def test_too_many_and_too_large_files(challenge, entrant, settings):
    settings.SUBMISSION_MAX_FILES = 2
    with pytest.raises(ValidationError):
        submit(challenge, entrant, uploads=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")])
    settings.SUBMISSION_MAX_FILE_BYTES = 10
    with pytest.raises(ValidationError) as exc:
        submit(challenge, entrant, uploads=[pdf()])
    assert "larger than" in str(exc.value.message_dict["files"])


def test_path_traversal_names_are_flattened(challenge, entrant):
    submission = submit(
        challenge,
        entrant,
        uploads=[pdf("../../etc/passwd.pdf"), pdf("..\\..\\x.txt", b"plain text")],
    )
    names = sorted(submission.files.values_list("name", flat=True))
    assert names == ["passwd.pdf", "x.txt"]
    for stored in submission.files.all():
        assert ".." not in stored.file.name and stored.file.name.startswith("submissions/")


def test_limit_per_solver(challenge, entrant):
    submit(challenge, entrant)
    second = submit(challenge, entrant)
    with pytest.raises(ValidationError):
        submit(challenge, entrant)
    submission_withdraw(submission_id=second.pk, actor=entrant)
    assert submit(challenge, entrant).pk


def test_edit_keeps_every_version_and_old_files(challenge, entrant):
    submission = submit(challenge, entrant, uploads=[pdf()])
    first_file = submission.files.get()
    updated = submission_update(
        submission_id=submission.pk,
        actor=entrant,
        title="Better film",
        abstract="A.",
        body="B.",
        remove_file_ids=[first_file.pk],
        uploads=[pdf("v2.pdf", PDF + b"%v2\n")],
    )
    versions = list(SubmissionVersion.objects.filter(submission=submission).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].title == "Film from algae" and versions[1].title == "Better film"
    assert [f["name"] for f in versions[0].files] == ["report.pdf"]
    assert [f["name"] for f in versions[1].files] == ["v2.pdf"]
    assert versions[0].sha256 != versions[1].sha256 == updated.sha256
    assert SubmissionFile.objects.get(pk=first_file.pk).file.read() == PDF  # still provable


def test_frozen_after_the_deadline_and_only_authors_edit(challenge, entrant, solver):
    submission = submit(challenge, entrant)
    with pytest.raises(NotAllowed):
        submission_update(
            submission_id=submission.pk, actor=solver, title="x", abstract="x", body="x"
        )
    Challenge.objects.filter(pk=challenge.pk).update(
        submission_deadline=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(IllegalTransition):
        submission_update(
            submission_id=submission.pk, actor=entrant, title="x", abstract="x", body="x"
        )
    with pytest.raises(IllegalTransition):
        submission_withdraw(submission_id=submission.pk, actor=entrant)
    assert Submission.objects.get(pk=submission.pk).title == "Film from algae"


def test_withdrawn_cannot_be_edited(challenge, entrant):
    submission = submit(challenge, entrant)
    submission_withdraw(submission_id=submission.pk, actor=entrant)
    with pytest.raises(IllegalTransition):
        submission_update(
            submission_id=submission.pk, actor=entrant, title="x", abstract="x", body="x"
        )
    assert SubmissionVersion.objects.filter(submission=submission, note="withdrawn").exists()


class TestTeams:
    def test_captain_submits_when_shares_add_up_and_all_accepted(self, challenge):
        team = TeamFactory(challenge=challenge)
        RegistrationFactory(challenge=challenge, user=team.captain)
        mate = UserFactory()
        team.members.create(challenge=challenge, user=mate, state="active", share_bps=0)
        team.members.filter(user=team.captain).update(share_bps=10_000)
        with pytest.raises(ValidationError) as exc:
            submit(challenge, team.captain, team_id=team.pk)
        assert "has not accepted the challenge's agreement" in str(exc.value.message_dict["team"])
        RegistrationFactory(challenge=challenge, user=mate)
        submission = submit(challenge, team.captain, team_id=team.pk)
        assert can_read_submission(mate, submission)

    def test_shares_must_add_up(self, challenge):
        team = TeamFactory(challenge=challenge)
        RegistrationFactory(challenge=challenge, user=team.captain)
        team.members.filter(user=team.captain).update(share_bps=9_000)
        with pytest.raises(ValidationError) as exc:
            submit(challenge, team.captain, team_id=team.pk)
        assert "9,000 basis points instead of 10,000" in str(exc.value.message_dict["team"])

    def test_only_the_captain_submits_and_a_withdrawn_member_loses_access(self, challenge):
        team = TeamFactory(challenge=challenge)
        RegistrationFactory(challenge=challenge, user=team.captain)
        mate = RegistrationFactory(challenge=challenge).user
        team.members.create(challenge=challenge, user=mate, state="active", share_bps=0)
        with pytest.raises(NotAllowed):
            submit(challenge, mate, team_id=team.pk)
        team.members.filter(user=team.captain).update(share_bps=5_000)
        team.members.filter(user=mate).update(share_bps=5_000)
        submission = submit(challenge, team.captain, team_id=team.pk)
        team.members.filter(user=mate).update(state="withdrawn", share_bps=0)
        assert not can_read_submission(mate, submission)


class TestWhoMayRead:
    @pytest.mark.parametrize(
        ("who", "while_open", "after_close"),
        [
            ("anonymous", False, False),
            ("solver", False, False),
            ("outsider", False, False),
            ("manager", False, False),
            ("judge", False, True),
            ("owner", False, True),
            ("staff", True, True),
            ("author", True, True),
        ],
    )
    def test_matrix(self, request, challenge, entrant, who, while_open, after_close):
        from django.contrib.auth.models import AnonymousUser

        submission = submit(challenge, entrant)
        user = {"anonymous": AnonymousUser(), "author": entrant}.get(
            who
        ) or request.getfixturevalue(who)
        if who == "judge":
            JudgeAssignmentFactory(challenge=challenge, judge=user)
        assert can_read_submission(user, submission) is while_open
        Challenge.objects.filter(pk=challenge.pk).update(state=S.CLOSED)
        submission = Submission.objects.select_related("challenge").get(pk=submission.pk)
        assert can_read_submission(user, submission) is after_close
