"""Judging: a challenge's judges, a judge's entries and scores, conflicts of interest,
the owner's scoreboard and shortlist. Thin: reads through the selectors (which apply
who may see what), writes through `services.judging`. A challenge's judging, or an
entry, that the caller may not see is a 404."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.accounts.models import User
from marketplace.accounts.permissions import is_staff
from marketplace.challenges.models import ChallengeState
from marketplace.challenges.permissions import is_active_judge, is_member
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, SUBMISSION_ID, errors
from marketplace.judging import services as service
from marketplace.judging.models import Evaluation
from marketplace.judging.permissions import can_choose_winners, can_use_workspace
from marketplace.judging.selectors import own_total, ranked_entries
from marketplace.judging.serializers import (
    ConflictInputSerializer,
    ConflictOfInterestSerializer,
    EvaluationInputSerializer,
    EvaluationSerializer,
    JudgeAssignSerializer,
    JudgeSerializer,
    JudgingSerializer,
    ReviewInputSerializer,
    ReviewSerializer,
    ScoreboardSerializer,
    ShortlistResultSerializer,
    ShortlistSerializer,
    person,
    who_submitted,
)
from marketplace.submissions.identity import shows_solvers
from marketplace.submissions.permissions import can_read_all_submissions
from marketplace.submissions.reviews import submission_review_set
from marketplace.submissions.selectors import (
    challenge_submissions_for,
    reviews_of,
    submission_for_reader,
)

USER_ID = OpenApiParameter(
    "user_id", int, OpenApiParameter.PATH, description=gettext_lazy("The judge's user id.")
)


def _member_challenge(user, pk: int):
    """The challenge for the members of its organisation and staff; 404 otherwise."""
    challenge = challenge_for_user(user, pk)
    if not (is_member(user, challenge) or is_staff(user)):
        raise Http404
    return challenge


def _requirements(challenge) -> list:
    return list(challenge.requirements.all())


def _requirement_refs(requirements) -> list[dict]:
    return [
        {"id": r.pk, "title": r.title, "description": r.description, "weight": r.weight}
        for r in requirements
    ]


def _own(evaluations) -> dict:
    return {str(e.requirement_id): {"score": e.score, "note": e.note} for e in evaluations}


def _total(evaluations, requirements):
    return own_total({e.requirement_id: e.score for e in evaluations}, requirements)


# --- judges -------------------------------------------------------------------------------


class ChallengeJudgesView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("The challenge's judges"),
        description=gettext_lazy("Members of the Seeker organisation and staff."),
        parameters=[CHALLENGE_ID],
        responses={200: JudgeSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request, pk):
        challenge = _member_challenge(request.user, pk)
        assignments = challenge.judge_assignments.select_related("judge")
        return Response(JudgeSerializer(assignments, many=True).data)

    @extend_schema(
        summary=gettext_lazy("Assign a judge"),
        description=gettext_lazy(
            "Owners and staff, until judging ends. The judge must be one of the "
            "organisation's judges or owners. Assigning twice is harmless."
        ),
        parameters=[CHALLENGE_ID],
        request=JudgeAssignSerializer,
        responses={201: JudgeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = _member_challenge(request.user, pk)
        data = validated(JudgeAssignSerializer, request.data)
        # An unknown id is judged like a person outside the organisation.
        judge = User.objects.filter(pk=data["judge"]).first() or AnonymousUser()
        assignment = service.judge_assign(
            challenge_id=challenge.pk, actor=request.user, judge=judge
        )
        return Response(JudgeSerializer(assignment).data, status=status.HTTP_201_CREATED)


class ChallengeJudgeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Remove a judge"),
        description=gettext_lazy(
            "Owners and staff, until judging ends. The judge's scores stop counting."
        ),
        parameters=[CHALLENGE_ID, USER_ID],
        request=None,
        responses={204: None, **errors(401, 403, 404, 409)},
    )
    def delete(self, request, pk, user_id):
        challenge = _member_challenge(request.user, pk)
        judge = get_object_or_404(User, pk=user_id, judge_assignments__challenge=challenge)
        service.judge_unassign(challenge_id=challenge.pk, actor=request.user, judge=judge)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- a judge's entries, scores and conflicts ------------------------------------------------


class JudgingView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Your judging: the entries with your scores"),
        description=gettext_lazy(
            "The challenge's assigned judges and owners, once the challenge has closed "
            "(before that the list is empty). A judge does not see the entries they "
            "declared a conflict with; under blind judging `author` and `team` are null "
            "until the winners are chosen."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: JudgingSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        user = request.user
        challenge = challenge_for_user(user, pk)
        if not can_use_workspace(user, challenge):
            raise Http404
        requirements = _requirements(challenge)
        entries = []
        if can_read_all_submissions(user, challenge):
            entries = list(challenge_submissions_for(user, challenge))
        mine: dict[int, list] = {}
        for evaluation in Evaluation.objects.filter(judge=user, submission__challenge=challenge):
            mine.setdefault(evaluation.submission_id, []).append(evaluation)
        reveal = shows_solvers(user, challenge)
        body = {
            "challenge": challenge.pk,
            "state": challenge.state,
            "can_score": is_active_judge(user, challenge)
            and challenge.state == ChallengeState.JUDGING,
            "blind_judging": challenge.blind_judging,
            "requirements": _requirement_refs(requirements),
            "entries": [
                {
                    "id": s.pk,
                    "entry_number": s.entry_number,
                    "title": s.title,
                    "abstract": s.abstract,
                    **who_submitted(s, reveal=reveal),
                    "scored": len(mine.get(s.pk, [])),
                    "total": _total(mine.get(s.pk, []), requirements),
                    "scores": _own(mine.get(s.pk, [])),
                }
                for s in entries
            ],
        }
        return Response(JudgingSerializer(body).data)


def _scores_errors(exc: ValidationError) -> ValidationError:
    """Name the service's per-requirement fields ("score_12") as the request's JSON
    ("scores.12.score")."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed = {}
    for key, messages in exc.message_dict.items():
        if key.startswith("score_"):
            key = f"scores.{key.removeprefix('score_')}.score"
        renamed[key] = messages
    return ValidationError(renamed)


class EvaluationView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Score an entry"),
        description=gettext_lazy(
            "The challenge's assigned judges, while it is being judged (otherwise 409 "
            "“judging_closed”). Each score is a whole number from 0 to 10; the note is "
            "private to you, the owners and staff. Answers with all your scores of the entry."
        ),
        parameters=[SUBMISSION_ID],
        request=EvaluationInputSerializer,
        responses={200: EvaluationSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def put(self, request, pk):
        user = request.user
        submission = submission_for_reader(user, pk)
        data = validated(EvaluationInputSerializer, request.data)
        try:
            service.evaluation_save(submission_id=submission.pk, judge=user, scores=data["scores"])
        except ValidationError as exc:
            raise _scores_errors(exc) from exc
        saved = list(Evaluation.objects.filter(submission=submission, judge=user))
        body = {
            "submission": submission.pk,
            "scores": _own(saved),
            "total": _total(saved, _requirements(submission.challenge)),
        }
        return Response(EvaluationSerializer(body).data)


class ConflictView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Declare a conflict of interest"),
        description=gettext_lazy(
            "An assigned judge steps away from one entry, with a reason: from then on they "
            "can neither see nor score it, and their scores of it are removed."
        ),
        parameters=[SUBMISSION_ID],
        request=ConflictInputSerializer,
        responses={201: ConflictOfInterestSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        data = validated(ConflictInputSerializer, request.data)
        conflict = service.conflict_declare(
            submission_id=submission.pk, judge=request.user, reason=data["reason"]
        )
        return Response(ConflictOfInterestSerializer(conflict).data, status=status.HTTP_201_CREATED)


# --- the owner's scoreboard and shortlist ---------------------------------------------------


class ScoreboardView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Scoreboard"),
        description=gettext_lazy(
            "The challenge's owners and staff: every active entry, best first, with its "
            "per-requirement averages over the assigned judges, weighted total (0-100), "
            "rank (ties share one) and the requirements on which the judges disagree."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: ScoreboardSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        user = request.user
        challenge = challenge_for_user(user, pk)
        if not can_choose_winners(user, challenge):
            raise Http404
        assignments = challenge.judge_assignments.select_related("judge")
        reveal = shows_solvers(user, challenge)
        body = {
            "challenge": challenge.pk,
            "requirements": _requirement_refs(_requirements(challenge)),
            "judges": [person(a.judge) for a in assignments],
            "rows": [
                {
                    "submission": row.submission.pk,
                    "entry_number": row.submission.entry_number,
                    "title": row.submission.title,
                    **who_submitted(row.submission, reveal=reveal),
                    "shortlisted": row.submission.shortlisted,
                    "rank": row.rank,
                    "total": row.total,
                    "complete": row.complete,
                    "judges": row.judges,
                    "averages": {str(k): v for k, v in row.averages.items()},
                    "scores": {
                        str(k): {str(j): s for j, s in v.items()} for k, v in row.scores.items()
                    },
                    "disagreements": row.disagreements,
                }
                for row in ranked_entries(user, challenge)
            ],
        }
        return Response(ScoreboardSerializer(body).data)


class ShortlistView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Shortlist an entry, or take it off the shortlist"),
        description=gettext_lazy("The challenge's owners and staff, while judging and awarding."),
        parameters=[SUBMISSION_ID],
        request=ShortlistSerializer,
        responses={200: ShortlistResultSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        data = validated(ShortlistSerializer, request.data)
        submission = service.submission_shortlist(
            submission_id=submission.pk, actor=request.user, shortlisted=data["shortlisted"]
        )
        return Response(ShortlistResultSerializer(submission).data)


class ReviewView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    def _body(self, submission) -> Response:
        submission.history = reviews_of(submission)
        return Response(ReviewSerializer(submission).data)

    @extend_schema(
        summary=gettext_lazy("An entry's review status and its history"),
        description=gettext_lazy(
            "The challenge's owners, its judges and staff, once submissions are closed. "
            "The solver reads the status and note on their own entry, without the history."
        ),
        parameters=[SUBMISSION_ID],
        responses={200: ReviewSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        if not can_read_all_submissions(request.user, submission.challenge):
            raise Http404
        return self._body(submission)

    @extend_schema(
        summary=gettext_lazy("Set an entry's review status"),
        description=gettext_lazy(
            "Owners and staff set any status but winner; judges set received, admissible "
            "and not admissible (with a reason). Screening from the close until awarding, "
            "the shortlist while judging and awarding, not selected from awarding on. "
            "The solver (every team member) is notified of each change."
        ),
        parameters=[SUBMISSION_ID],
        request=ReviewInputSerializer,
        responses={200: ReviewSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        submission = submission_for_reader(request.user, pk)
        data = validated(ReviewInputSerializer, request.data)
        submission = submission_review_set(
            submission_id=submission.pk,
            actor=request.user,
            status=data["status"],
            reason=data["reason"],
            note=data["note"],
        )
        return self._body(submission)
