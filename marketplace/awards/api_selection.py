"""Choosing winners: a challenge's awards with the escrow they draw on, awarding an
entry, forfeiting an award, finishing the selection, and staff disputes (freezing an
award, ending the dispute). A verified award is released by itself; nobody presses a
button. For the challenge's owners and staff; for anyone else the awards do not exist
(404)."""

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marketplace.awards.models import Award
from marketplace.awards.selectors import awards_of
from marketplace.awards.services.budget import award_budget
from marketplace.awards.services.disputes import award_freeze, award_unfreeze
from marketplace.awards.services.finalize import awards_finalize
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.propose import award_propose
from marketplace.challenges.models import Challenge
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.serializers import ChallengeSerializer
from marketplace.core.api.fields import minor_units
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import AWARD_ID, CHALLENGE_ID, errors
from marketplace.judging.permissions import can_choose_winners
from marketplace.judging.serializers import (
    AwardDisputeSerializer,
    AwardForfeitSerializer,
    AwardProposeSerializer,
    SeekerAwardSerializer,
    SeekerAwardsSerializer,
)
from marketplace.submissions.identity import shows_solvers


def _owned_challenge(user, pk: int):
    challenge = challenge_for_user(user, pk)
    if not can_choose_winners(user, challenge):
        raise Http404
    return challenge


def _owned_award(user, pk: int) -> Award:
    award = Award.objects.select_related("challenge").filter(pk=pk).first()
    if award is None or not can_choose_winners(user, award.challenge):
        raise Http404
    return award


def _award_body(
    user, challenge_id: int, award_id: int, status_code: int = status.HTTP_200_OK
) -> Response:
    """The award re-read as the caller may see it (a forfeit reopens the choice of
    winners, which blind judging looks at)."""
    challenge = Challenge.objects.get(pk=challenge_id)
    (award,) = awards_of(challenge, award_id)
    context = {"reveal": shows_solvers(user, challenge)}
    return Response(SeekerAwardSerializer(award, context=context).data, status=status_code)


class ChallengeAwardsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("The challenge's awards"),
        description=gettext_lazy(
            "Owners and staff: what escrow holds, what live awards promise, what is still "
            "available, and every award (forfeited ones too) in plan order."
        ),
        parameters=[CHALLENGE_ID],
        responses={200: SeekerAwardsSerializer, **errors(401, 404)},
    )
    def get(self, request, pk):
        challenge = _owned_challenge(request.user, pk)
        budget = award_budget(challenge)
        body = {
            "challenge": challenge.pk,
            "currency": challenge.currency,
            "held": budget.held,
            "committed": budget.committed,
            "available": budget.available,
            "awards_final_at": challenge.awards_final_at,
            "awards": awards_of(challenge),
        }
        context = {"reveal": shows_solvers(request.user, challenge)}
        return Response(SeekerAwardsSerializer(body, context=context).data)

    @extend_schema(
        summary=gettext_lazy("Award an entry"),
        description=gettext_lazy(
            "Owners and staff, while the challenge is awarding. Gives one planned award not "
            "yet given to an active entry without an award, in full or in part; live "
            "awards never exceed what escrow holds. The winners are notified."
        ),
        parameters=[CHALLENGE_ID],
        request=AwardProposeSerializer,
        responses={201: SeekerAwardSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = _owned_challenge(request.user, pk)
        data = validated(AwardProposeSerializer, request.data)
        award = award_propose(
            challenge_id=challenge.pk,
            actor=request.user,
            submission_id=data["submission"],
            planned_award_id=data["planned_award"],
            amount=None
            if data.get("amount") is None
            else minor_units(data["amount"], challenge.currency, "amount"),
        )
        return _award_body(request.user, challenge.pk, award.pk, status.HTTP_201_CREATED)


class AwardsFinalizeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary=gettext_lazy("Finish choosing winners"),
        description=gettext_lazy(
            "Owners and staff, while awarding, once at least one award is live. The "
            "challenge completes (refunding what is left in escrow) when every award is "
            "paid or forfeited. Finishing twice is harmless."
        ),
        parameters=[CHALLENGE_ID],
        request=None,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = _owned_challenge(request.user, pk)
        awards_finalize(challenge_id=challenge.pk, actor=request.user)
        return challenge_response(request, challenge.pk)


class AwardForfeitView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=gettext_lazy("Forfeit an award"),
        description=gettext_lazy(
            "Owners once the claim deadline has passed before the deed was signed; staff "
            "with a reason, before the deed is signed or, after it, only while the award is "
            "frozen in a dispute. Otherwise 409 “not_forfeitable” (“payout_under_way” when "
            "money is being sent). Signed deeds are marked void and the planned award is "
            "free again for another entry."
        ),
        parameters=[AWARD_ID],
        request=AwardForfeitSerializer,
        responses={200: SeekerAwardSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        award = _owned_award(request.user, pk)
        data = validated(AwardForfeitSerializer, request.data)
        award_forfeit(award_id=award.pk, actor=request.user, reason=data["reason"])
        return _award_body(request.user, award.challenge_id, award.pk)


class _DisputeStepView(APIView):
    """One step of a staff dispute on an award (`step`, a service taking the award, the
    actor and the reason); the reason is required and kept in the history."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    step = None

    def post(self, request, pk):
        award = _owned_award(request.user, pk)
        data = validated(AwardDisputeSerializer, request.data)
        self.step(award_id=award.pk, actor=request.user, reason=data["reason"])
        return _award_body(request.user, award.challenge_id, award.pk)


def _dispute_schema(summary, description):
    return extend_schema_view(
        post=extend_schema(
            summary=summary,
            description=description,
            parameters=[AWARD_ID],
            request=AwardDisputeSerializer,
            responses={200: SeekerAwardSerializer, **errors(400, 401, 403, 404, 409)},
        )
    )


@_dispute_schema(
    gettext_lazy("Freeze an award (staff dispute)"),
    gettext_lazy(
        "Staff only, with a reason. While frozen the award is not released, not paid "
        "and does not lapse; the dispute ends by unfreezing it (the winner keeps it) or "
        "by forfeiting it. 409 “award_settled” once paid or forfeited."
    ),
)
class AwardFreezeView(_DisputeStepView):
    step = staticmethod(award_freeze)


@_dispute_schema(
    gettext_lazy("End a dispute in the winner's favour"),
    gettext_lazy(
        "Staff only, with a reason. The award moves on as if never frozen: a verified "
        "award is released and paid at once."
    ),
)
class AwardUnfreezeView(_DisputeStepView):
    step = staticmethod(award_unfreeze)
