"""The API fuzzed from its own OpenAPI schema (schemathesis): every operation, as an
anonymous caller, a solver and a Seeker's owner (token auth), with ids of real objects
and random ones, valid and invalid input. No request may end in a server error, and
every answer must match what the schema documents for its status. Bounded and
repeatable: a fixed number of examples per operation, derandomized."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.world import build_world

pytestmark = pytest.mark.django_db

EXAMPLES = 5  # per operation and role: about a minute and a half in all on two cores
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def app():
    """Django's WSGI application keeping the test's database connection (and its
    transaction) across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _path_ids(world, path: str) -> list[dict]:
    """Real ids for an operation's path parameters (several challenges for theirs)."""
    segment = path.split("/")[3]
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    if not names:
        return [{}]
    known = world.ids[segment]
    known = {**known, "id": known["pk"]} if "pk" in known else known
    ids = {name: known[name] for name in names}
    if segment == "challenges":
        return [{**ids, "id": pk} for pk in world.challenges]
    return [ids]


def _cases(operation, world):
    """Valid input with each set of real ids, invalid input with the first, and
    valid input with ids the fuzzer makes up."""
    real = _path_ids(world, operation.path)
    strategies = [operation.as_strategy(path_parameters=ids) for ids in real]
    strategies.append(
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE, path_parameters=real[0])
    )
    if real != [{}]:
        strategies.append(operation.as_strategy())
    return st.one_of(strategies)


def fuzz(operation, world, headers: dict, tally: dict) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(operation, world))
    def run(case):
        tally["cases"] += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as failure:
            tally["failures"].append(f"{operation.label}: {str(failure)[:2000]}")

    run()


@pytest.mark.parametrize("role", ["anonymous", "solver", "owner"])
def test_the_api_keeps_to_its_schema(org, owner, staff, app, role):
    world = build_world(org, owner, staff)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    headers = world.token(role)
    tally = {"operations": 0, "cases": 0, "failures": []}
    for result in schema.get_all_operations():
        operation = result.ok()
        tally["operations"] += 1
        fuzz(operation, world, headers, tally)
    print(f"{role}: {tally['operations']} operations, {tally['cases']} cases")
    assert tally["operations"] > 60
    assert not tally["failures"], "\n\n".join(tally["failures"])
