"""The challenge's audit log for actions that leave its state as it is (judges,
awards, deadlines); state changes are logged by `lifecycle.challenge_transition`."""

from marketplace.challenges.models import Challenge, ChallengeEvent


def challenge_event_record(
    *, challenge: Challenge, actor, name: str, reason: str = "", details: dict | None = None
) -> ChallengeEvent:
    """Write one audit row, in the caller's transaction."""
    return ChallengeEvent.objects.create(
        challenge=challenge,
        actor=actor,
        name=name,
        from_state=challenge.state,
        to_state=challenge.state,
        reason=reason,
        details=details or {},
    )
