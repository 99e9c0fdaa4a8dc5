"""Organisations and teams moving into the core (marketplace 0009, seekers 0002, solvers
0002) change Django's picture only: rows written before the move are read through the
core's models afterwards, and their content types (with the permissions on them) follow
them to the `marketplace` label. Runs on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from marketplace.organisations.models import Invitation, Membership, Organization
from marketplace.teams.models import Team, TeamMember

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("marketplace", "0008_db_guards"),
    ("seekers", "0001_initial"),
    ("solvers", "0001_initial"),
]
MOVED = {
    "organization": Organization,
    "membership": Membership,
    "invitation": Invitation,
    "team": Team,
    "teammember": TeamMember,
}
OLD_LABEL = {
    "organization": "seekers",
    "membership": "seekers",
    "invitation": "seekers",
    "team": "solvers",
    "teammember": "solvers",
}


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.fixture
def before():
    """The database as it was before the move; the latest migrations again afterwards.
    Yields the historical models of that moment."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = _migrate(BEFORE)
    try:
        yield executor.loader.project_state(BEFORE).apps
    finally:
        _migrate(leaves)
        ContentType.objects.clear_cache()


def _forward():
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()


def _content_types(apps) -> dict[str, tuple[str, int]]:
    rows = apps.get_model("contenttypes", "ContentType").objects.filter(model__in=list(MOVED))
    return {row.model: (row.app_label, row.pk) for row in rows}


def test_rows_written_before_are_read_through_the_core_models(before):
    apps = before
    user = apps.get_model("marketplace", "User")
    owner = user.objects.create(email="ada@example.com", full_name="Ada Owner")
    captain = user.objects.create(email="ben@example.com", full_name="Ben Captain")
    org = apps.get_model("seekers", "Organization").objects.create(
        name="Algae Works", description="Films from algae.", website="https://algae.example"
    )
    membership = apps.get_model("seekers", "Membership").objects.create(
        organization=org, user=owner, role="owner"
    )
    now = timezone.now()
    challenge = apps.get_model("marketplace", "Challenge").objects.create(
        organization=org,
        created_by=owner,
        title="Biodegradable film",
        summary="A film that composts.",
        brief="Make it.",
        kind="ideation",
        prize_pool=500_000,
        currency="EUR",
        ip_model="licence",
        submission_deadline=now + timedelta(days=30),
        judging_deadline=now + timedelta(days=60),
    )
    team = apps.get_model("solvers", "Team").objects.create(
        challenge=challenge, name="Tide", captain=captain
    )
    member = apps.get_model("solvers", "TeamMember").objects.create(
        team=team, challenge=challenge, user=captain, state="active", share_bps=10_000
    )
    old_types = _content_types(apps)
    assert {model: label for model, (label, _pk) in old_types.items()} == OLD_LABEL

    _forward()

    moved_org = Organization.objects.get(pk=org.pk)
    assert (moved_org.name, moved_org.description, moved_org.website, moved_org.created_at) == (
        "Algae Works",
        "Films from algae.",
        "https://algae.example",
        org.created_at,
    )
    assert list(moved_org.challenges.values_list("pk", flat=True)) == [challenge.pk]
    moved_membership = Membership.objects.get(pk=membership.pk)
    assert (moved_membership.organization, moved_membership.user_id) == (moved_org, owner.pk)
    assert moved_membership.role == "owner"
    moved_team = Team.objects.get(pk=team.pk)
    assert (moved_team.name, moved_team.challenge_id, moved_team.captain_id) == (
        "Tide",
        challenge.pk,
        captain.pk,
    )
    moved_member = moved_team.members.get()
    assert (moved_member.pk, moved_member.user_id, moved_member.state) == (
        member.pk,
        captain.pk,
        "active",
    )
    assert moved_member.share_bps == 10_000

    for name, model in MOVED.items():
        content_type = ContentType.objects.get_for_model(model)
        assert (content_type.app_label, content_type.pk) == ("marketplace", old_types[name][1])
    add_team = Permission.objects.get(codename="add_team")
    assert add_team.content_type.app_label == "marketplace"


def test_a_content_type_already_under_marketplace_is_kept(before):
    """Unapplying seekers 0002 alone and migrating makes Django create a content type
    under the old label while the moved one stays under `marketplace`: moving again keeps
    the one under `marketplace` and leaves the other for `remove_stale_contenttypes`."""
    content_types = before.get_model("contenttypes", "ContentType").objects
    kept = content_types.create(app_label="marketplace", model="organization")
    old = content_types.get(app_label="seekers", model="organization")
    team = content_types.get(app_label="solvers", model="team")

    _forward()

    assert ContentType.objects.get_for_model(Organization).pk == kept.pk
    assert ContentType.objects.get(pk=old.pk).app_label == "seekers"
    assert ContentType.objects.get_for_model(Team).pk == team.pk
