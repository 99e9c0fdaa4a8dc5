"""Organisations, memberships and invitations now belong to the marketplace app
(marketplace 0009), which took over their tables as they are: drop them from this
app's picture only, without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0009_organisations_and_teams"),
        ("seekers", "0001_initial"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Invitation"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Organization"),
            ]
        )
    ]
