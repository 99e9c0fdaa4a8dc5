"""One endpoint per lifecycle transition, POST /challenges/{id}/<name>/, generated from
the transitions declared on the model so the API and its schema follow the lifecycle."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from marketplace.challenges.models import Challenge
from marketplace.challenges.responses import challenge_response
from marketplace.challenges.selectors import challenge_for_user
from marketplace.challenges.serializers import ChallengeSerializer, ReasonSerializer
from marketplace.core.api.schema import CHALLENGE_ID, errors
from marketplace.lifecycle.services import challenge_transition, transition_names


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
    return found[0].custom["label"], description


def _transition_action(name: str):
    def transition(self, request, pk):
        challenge = challenge_for_user(request.user, pk)
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        challenge_transition(
            challenge_id=challenge.pk,
            name=name,
            actor=request.user,
            reason=reason.validated_data["reason"],
        )
        return challenge_response(request, challenge.pk)

    transition.__name__ = f"transition_{name}"
    summary, description = _describe(name)
    return extend_schema(
        operation_id=f"v1_challenges_{name}",
        summary=summary,
        description=description,
        parameters=[CHALLENGE_ID],
        request=ReasonSerializer,
        responses={200: ChallengeSerializer, **errors(400, 401, 403, 404, 409)},
    )(action(detail=True, methods=["post"], url_path=name, url_name=name)(transition))


def with_transition_actions(viewset):
    """Class decorator: a `transition_<name>` action for every lifecycle transition."""
    for name in transition_names():
        setattr(viewset, f"transition_{name}", _transition_action(name))
    return viewset
