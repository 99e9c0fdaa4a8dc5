"""Organisations, memberships, invitations, teams and team members belong to the
marketplace from here on. Their tables keep their names (seekers_*, solvers_*): the
database does not change, only Django's picture of which app holds them. The content
types follow, so that permissions and generic relations keep pointing at them. The
seekers and solvers apps drop the models from their own picture afterwards
(seekers 0002, solvers 0002)."""

import django.db.models.deletion
import django.db.models.functions.text
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import marketplace.organisations.models

MOVED = {
    "seekers": ["organization", "membership", "invitation"],
    "solvers": ["team", "teammember"],
}


def _relabel(apps, schema_editor, *, to_marketplace: bool) -> None:
    """Move the content types of the moved models between their old app label and
    `marketplace`. A model that already has one under the label it moves to keeps that
    one, and the other is left for `remove_stale_contenttypes`: `migrate` creates the
    content types its resulting state lacks, so unapplying seekers 0002 or solvers 0002
    alone puts a second one under the old label."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.db_manager(schema_editor.connection.alias)
    for old_label, names in MOVED.items():
        source, target = old_label, "marketplace"
        if not to_marketplace:
            source, target = target, source
        taken = content_types.filter(app_label=target, model__in=names).values_list(
            "model", flat=True
        )
        content_types.filter(app_label=source, model__in=names).exclude(
            model__in=list(taken)
        ).update(app_label=target)


def forward(apps, schema_editor):
    _relabel(apps, schema_editor, to_marketplace=True)


def backward(apps, schema_editor):
    _relabel(apps, schema_editor, to_marketplace=False)


STATE = [
    migrations.CreateModel(
        name="Organization",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
            ("description", models.TextField(blank=True, max_length=5000, verbose_name="description")),
            ("website", models.URLField(blank=True, verbose_name="website")),
            ("created_at", models.DateTimeField(auto_now_add=True)),
        ],
        options={
            "verbose_name": "organisation",
            "verbose_name_plural": "organisations",
            "db_table": "seekers_organization",
            "ordering": ["name"],
        },
    ),
    migrations.CreateModel(
        name="Membership",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("role", models.CharField(choices=[("owner", "Owner"), ("manager", "Manager"), ("judge", "Judge")], max_length=10, verbose_name="role")),
            ("joined_at", models.DateTimeField(auto_now_add=True)),
            ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL)),
            ("organization", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="marketplace.organization")),
        ],
        options={
            "verbose_name": "membership",
            "verbose_name_plural": "memberships",
            "db_table": "seekers_membership",
            "ordering": ["organization", "role", "user__email"],
            "constraints": [models.UniqueConstraint(fields=("organization", "user"), name="membership_once")],
        },
    ),
    migrations.CreateModel(
        name="Invitation",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("email", models.EmailField(max_length=254, verbose_name="e-mail address")),
            ("role", models.CharField(choices=[("owner", "Owner"), ("manager", "Manager"), ("judge", "Judge")], max_length=10, verbose_name="role")),
            ("token", models.CharField(default=marketplace.organisations.models.new_token, editable=False, max_length=64, unique=True)),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            ("accepted_at", models.DateTimeField(blank=True, null=True)),
            ("invited_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ("organization", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="marketplace.organization")),
        ],
        options={
            "verbose_name": "invitation",
            "verbose_name_plural": "invitations",
            "db_table": "seekers_invitation",
            "ordering": ["-created_at"],
        },
    ),
    migrations.CreateModel(
        name="Team",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("name", models.CharField(max_length=100, verbose_name="name")),
            ("created_at", models.DateTimeField(auto_now_add=True)),
            ("shares_frozen_at", models.DateTimeField(blank=True, help_text="Set when the submission deadline passes; the split is final from then.", null=True, verbose_name="shares frozen at")),
            ("captain", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ("challenge", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="teams", to="marketplace.challenge")),
        ],
        options={
            "verbose_name": "team",
            "verbose_name_plural": "teams",
            "db_table": "solvers_team",
            "ordering": ["challenge", "name"],
            "constraints": [models.UniqueConstraint(django.db.models.functions.text.Lower("name"), models.F("challenge"), name="team_name_once_per_challenge")],
        },
    ),
    migrations.CreateModel(
        name="TeamMember",
        fields=[
            ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ("share_bps", models.PositiveIntegerField(default=0, verbose_name="share (basis points)")),
            ("state", models.CharField(choices=[("invited", "Invited"), ("active", "Member"), ("declined", "Declined"), ("withdrawn", "Withdrawn")], default="invited", max_length=10, verbose_name="state")),
            ("invited_at", models.DateTimeField(default=django.utils.timezone.now)),
            ("responded_at", models.DateTimeField(blank=True, null=True)),
            ("challenge", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="marketplace.challenge")),
            ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="members", to="marketplace.team")),
            ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="team_memberships", to=settings.AUTH_USER_MODEL)),
        ],
        options={
            "verbose_name": "team member",
            "verbose_name_plural": "team members",
            "db_table": "solvers_teammember",
            "ordering": ["team", "invited_at", "pk"],
            "constraints": [
                models.UniqueConstraint(fields=("team", "user"), name="team_member_once"),
                models.UniqueConstraint(condition=models.Q(("state", "active")), fields=("challenge", "user"), name="team_member_one_active_team_per_challenge"),
                models.CheckConstraint(condition=models.Q(("share_bps__lte", 10000)), name="team_member_share_at_most_all"),
                models.CheckConstraint(condition=models.Q(("state", "active"), ("share_bps", 0), _connector="OR"), name="team_member_share_only_when_active"),
            ],
        },
    ),
    migrations.AlterField(
        model_name="challenge",
        name="organization",
        field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="challenges", to="marketplace.organization"),
    ),
    migrations.AlterField(
        model_name="organizationfollow",
        name="organization",
        field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="followers", to="marketplace.organization"),
    ),
    migrations.AlterField(
        model_name="submission",
        name="team",
        field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="submissions", to="marketplace.team"),
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("marketplace", "0008_db_guards"),
        ("seekers", "0001_initial"),
        ("solvers", "0001_initial"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE),
        migrations.RunPython(forward, backward),
    ]
