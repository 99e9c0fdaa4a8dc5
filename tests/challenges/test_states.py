"""The groups of states the rules name agree with the lifecycle graphs they come from."""

from marketplace.awards.models import Award
from marketplace.challenges.models import Challenge
from marketplace.challenges.states import (
    BEFORE_OPENING,
    ENDED,
    PUBLISHED,
    SETTLED,
    SUBMISSIONS_REVEALED,
    AwardState,
    ChallengeState,
)


def edges(model) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in model._meta.get_field("state").get_all_transitions(model)}


def reachable(model, start: str, *, backwards: bool = False) -> set[str]:
    links = {(b, a) if backwards else (a, b) for a, b in edges(model)}
    seen, todo = set(), [start]
    while todo:
        state = todo.pop()
        for a, b in links:
            if a == state and b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def dead_ends(model, states) -> set[str]:
    return {s for s in states if not any(a == s for a, _ in edges(model))}


def test_ended_challenges_have_no_way_out():
    assert set(ENDED) == dead_ends(Challenge, ChallengeState.values)


def test_before_opening_is_every_state_that_leads_to_open():
    assert set(BEFORE_OPENING) == reachable(Challenge, ChallengeState.OPEN, backwards=True)


def test_published_is_open_and_what_follows_it_but_cancelling():
    after_open = reachable(Challenge, ChallengeState.OPEN) | {ChallengeState.OPEN}
    assert set(PUBLISHED) == after_open - {ChallengeState.CANCELLED}
    assert set(SUBMISSIONS_REVEALED) == set(PUBLISHED) - {ChallengeState.OPEN}


def test_settled_awards_have_no_way_out():
    assert set(SETTLED) == dead_ends(Award, AwardState.values)
