"""Project-level promises: the docs picture matches the code, the production profile
passes Django's deploy checks, the demo data loads twice without duplicating."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from marketplace.accounts.models import User
from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.lifecycle.graph import challenge_lifecycle_dot
from marketplace.organisations.models import Membership, Organization
from marketplace.participation.models import Clarification, Registration

ROOT = Path(__file__).resolve().parents[2]


def test_lifecycle_picture_source_matches_transitions():
    committed = (ROOT / "docs" / "challenge-lifecycle.dot").read_text()
    assert committed == challenge_lifecycle_dot(), (
        "run `make docs` to regenerate the lifecycle graph"
    )


def test_production_profile_passes_deploy_checks():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 30 + "production-secret-for-the-check-only-" + "y" * 20,
        "ALLOWED_HOSTS": "challenges.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_demo_data_is_idempotent():
    call_command("load_demo")
    models = [
        User,
        Organization,
        Membership,
        Challenge,
        ChallengeEvent,
        Registration,
        Clarification,
    ]
    counts = [m.objects.count() for m in models]
    call_command("load_demo")
    assert [m.objects.count() for m in models] == counts
    assert set(Challenge.objects.values_list("state", flat=True)) >= {
        "draft",
        "in_review",
        "awaiting_funding",
        "open",
        "closed",
    }


def test_make_run_says_where_the_confirmation_link_is():
    """In the embedded mode e-mail goes to the console: the README and `make run` say so."""
    root = Path(__file__).resolve().parents[2]
    run = (root / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]
    assert "follow the confirmation link printed here" in run
    readme = (root / "README.md").read_text()
    assert "link that\nconfirms a new account's address, are printed on the console" in readme
