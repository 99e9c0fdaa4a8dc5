"""Reads of the challenge's state machine: the transitions declared on the model, and
which of them a person may take now (state, role, conditions and the transition's
actor rule), or why not."""

from django.utils.translation import gettext as _

from marketplace.challenges.models import Challenge
from marketplace.core.errors import IllegalTransition, NotAllowed


def transition_names() -> list[str]:
    field = Challenge._meta.get_field("state")
    return sorted({t.name for t in field.get_all_transitions(Challenge)})


def transition_meta(challenge: Challenge, name: str):
    """The django-fsm Transition for `name` from the challenge's current state, or None."""
    method = getattr(challenge, name)
    return method._django_fsm.get_transition(challenge.state)


def require_transition(challenge: Challenge, name: str, actor) -> None:
    """IllegalTransition unless `name` is possible now (state, conditions, actor rule);
    NotAllowed unless `actor` has the role for it. `actor` None is the system."""
    if name not in transition_names():
        raise IllegalTransition(
            _("Unknown action."), state=challenge.state, code="unknown_transition"
        )
    meta = transition_meta(challenge, name)
    if meta is None:
        raise IllegalTransition(
            _("“%(action)s” is not possible while the challenge is %(state)s.")
            % {"action": name, "state": challenge.get_state_display()},
            state=challenge.state,
        )
    if actor is not None and not meta.has_perm(challenge, actor):
        raise NotAllowed(_("You do not have the role needed for this action."))
    refusal = _actor_refusal(meta, challenge, actor)
    if refusal:
        code = meta.custom.get("refusal_code", "refused")
        raise IllegalTransition(refusal, state=challenge.state, code=code)
    for condition in meta.conditions:
        if not condition(challenge):
            raise IllegalTransition(
                str(condition.message), state=challenge.state, code="condition_failed"
            )


def _actor_refusal(meta, challenge: Challenge, actor) -> str | None:
    rule = meta.custom.get("actor_rule")
    return rule(challenge, actor) if rule else None


def transition_refusal(challenge: Challenge, name: str, user) -> str:
    """Why `user` may not take transition `name` now ("" when they may, or when the
    transition has nothing to do with their role): for a page that explains a missing
    button."""
    try:
        require_transition(challenge, name, user)
    except IllegalTransition as exc:
        return exc.message
    except NotAllowed:
        return ""
    return ""


def available_transitions(challenge: Challenge, user) -> list:
    """The transitions this user may take now (state, role, conditions and the
    transition's actor rule all hold)."""
    return [
        t
        for t in challenge.get_available_user_state_transitions(user)
        if not _actor_refusal(t, challenge, user)
    ]
