"""The challenge lifecycle as a Graphviz graph, read from the django-fsm transitions,
so the picture in docs/ cannot drift from the code."""

from django.utils import translation
from django_fsm.management.commands.graph_transitions import generate_dot, one_fsm_fields_data

from marketplace.challenges.models import Challenge


def challenge_lifecycle_dot() -> str:
    """DOT source with a stable line order (django-fsm builds it from sets)."""
    with translation.override("en"):
        graph = generate_dot([one_fsm_fields_data(Challenge, "state")])
    lines = graph.source.splitlines()
    head, body, tail = lines[:1], sorted(set(lines[1:-1])), lines[-1:]
    return "\n".join([*head, *body, *tail]) + "\n"
