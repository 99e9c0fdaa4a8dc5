"""The lifecycle through the API: one endpoint per transition, POST
/challenges/{id}/<name>/, generated from the transitions declared on the model so the
API and its schema follow the lifecycle; and moving the submission deadline later."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.views import APIView

from marketplace.challenges.models import Challenge
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.serializers import ChallengeSerializer
from marketplace.challenges.transitions import transition_names
from marketplace.core.api.inputs import validated
from marketplace.core.api.parsers import JSONParser
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.lifecycle.serializers import ExtendDeadlineSerializer, ReasonSerializer
from marketplace.lifecycle.services import challenge_extend_deadline, challenge_transition


def _describe(name: str):
    """Summary and description of a transition, from its django-fsm declaration."""
    found = [
        t
        for t in Challenge._meta.get_field("state").get_all_transitions(Challenge)
        if t.name == name
    ]
    sources = ", ".join(sorted(str(t.source) for t in found))
    description = format_lazy(
        _("From {sources} to {target}."), sources=sources, target=found[0].target
    )
    if found[0].custom.get("reason"):
        description = format_lazy("{} {}", description, _("A reason is required."))
    if found[0].custom.get("note"):
        description = format_lazy("{} {}", description, found[0].custom["note"])
    return found[0].custom["label"], description


class ChallengeTransitionView(APIView):
    """Take one lifecycle transition (`transition`, set for each route)."""

    parser_classes = [JSONParser]
    transition: str

    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        reason = validated(ReasonSerializer, request.data)["reason"]
        challenge_transition(
            challenge_id=challenge.pk, name=self.transition, actor=request.user, reason=reason
        )
        return challenge_response(request, challenge.pk)


def _transition_view(name: str) -> type[ChallengeTransitionView]:
    """The view of transition `name`, with its own schema."""
    summary, description = _describe(name)
    view = type(
        f"{name.title().replace('_', '')}TransitionView",
        (ChallengeTransitionView,),
        {"transition": name, "__doc__": ChallengeTransitionView.__doc__},
    )
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"v1_challenges_{name}",
            summary=summary,
            description=description,
            parameters=[CHALLENGE_ID],
            request=ReasonSerializer,
            responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
        )
    )(view)


TRANSITION_VIEWS = {name: _transition_view(name) for name in transition_names()}


class ExtendDeadlineView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Move the submission deadline later"),
        description=_(
            "Owners, managers and staff, while awaiting funding or open. "
            "Registered solvers are told by e-mail."
        ),
        parameters=[CHALLENGE_ID],
        request=ExtendDeadlineSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )
    def post(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        data = validated(ExtendDeadlineSerializer, request.data)
        challenge_extend_deadline(
            challenge_id=challenge.pk,
            actor=request.user,
            reason=data["reason"],
            new_deadline=data["submission_deadline"],
            new_judging_deadline=data["judging_deadline"],
        )
        return challenge_response(request, challenge.pk)
