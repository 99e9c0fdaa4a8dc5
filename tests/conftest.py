import os
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.utils import override_settings

from marketplace.organisations.roles import OrgRole

from .db_guards import flush_past_the_guards
from .factories import (
    ChallengeFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)
from .reauth import force_login_reauthenticated


def skip_unless(condition: bool, reason: str, *, service: str) -> None:
    """Skip a test whose service is missing, unless that service is listed in
    REQUIRE_SERVICES (comma-separated: browser, localstripe, postgres, worker): CI lists
    what each run must have, so a missing browser, database or broker fails there
    instead of passing silently."""
    if condition:
        return
    if service in os.environ.get("REQUIRE_SERVICES", "").split(","):
        pytest.fail(f"required service missing ({service}): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_guards():
    with flush_past_the_guards():
        yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Rates no test reaches by accident (the API fuzz, the stories post a lot); the tests of
# the limits set tight ones. The token's rate is the production one.
GENEROUS_RATES = {
    "writes": "100000/hour",
    "invitations": "100000/hour",
    "uploads": "100000/hour",
    "erasure": "100000/hour",
    "token": "10/min",
}


@pytest.fixture(autouse=True)
def _logged_in_means_reauthenticated(monkeypatch):
    """A test client's `force_login` also counts as a recent re-authentication; the tests
    of re-authentication itself take it back (tests/reauth.py)."""
    monkeypatch.setattr(Client, "force_login", force_login_reauthenticated)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts(settings):
    """The rate limits count in the cache: every test starts with nothing counted, and
    with generous rates."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS_RATES}
    settings.ACCOUNT_RATE_LIMITS = {"signup": "1000/m/ip"}
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request in Spanish leaves Spanish active in the thread (the locale middleware
    activates and never deactivates): start every test in the default language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


DB_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "live_server")


@pytest.fixture(autouse=True)
def _not_inside_a_task():
    """Celery marks "inside a task" in one process-wide flag around each eager task and
    puts back what it found; eager tasks finishing out of order in concurrent threads
    can leave it set, and then `result.get()` refuses to wait. Tests start outside."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _ledger_stays_sound(request):
    """After every test that touched the database, the ledger audit must be clean: no
    test may leave a cent unaccounted for. Tests that corrupt the ledger on purpose to
    prove the audit notices are marked `corrupts_ledger`."""
    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in DB_FIXTURES
    )
    yield
    if uses_db and not request.node.get_closest_marker("corrupts_ledger"):
        from payouts.audit import run_audit

        rules = (
            {"LEDGER_AUDIT_EXTRA_CHECKS": []}
            if request.node.get_closest_marker("ledger_only")
            else {}
        )
        with override_settings(**rules):
            report = run_audit()
        assert report.clean, "ledger audit after the test:\n" + "\n".join(report.breaches)


@pytest.fixture
def org(db):
    return OrganizationFactory()


def _member(org, role):
    return MembershipFactory(organization=org, role=role).user


@pytest.fixture
def owner(org):
    return _member(org, OrgRole.OWNER)


@pytest.fixture
def manager(org):
    return _member(org, OrgRole.MANAGER)


@pytest.fixture
def judge(org):
    return _member(org, OrgRole.JUDGE)


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def solver(db):
    return UserFactory()


@pytest.fixture
def outsider(db):
    """A member of another organisation."""
    return MembershipFactory(role=OrgRole.OWNER).user


@pytest.fixture
def people(org, owner, manager, judge, staff, solver, outsider):
    """Every role of the API's permission matrix, created before anything is measured."""
    return {
        "anonymous": None,
        "solver": solver,
        "outsider": outsider,
        "judge": judge,
        "manager": manager,
        "owner": owner,
        "staff": staff,
    }


@pytest.fixture
def draft(org, owner):
    return ChallengeFactory(organization=org, created_by=owner)


@pytest.fixture
def entrants(org, owner, judge, staff):
    """An open challenge of `org` and the people around a team's submission to it: the
    team's captain (who submitted, with one PDF) and member, a registered solver with
    nothing submitted, a solver who never registered, a judge of another organisation,
    the organisation's owner and judge, and staff."""
    from types import SimpleNamespace

    from .factories import (
        JudgeAssignmentFactory,
        RegistrationFactory,
        TeamFactory,
        TeamMemberFactory,
        pdf_upload,
        submission_for,
    )

    challenge = ChallengeFactory(organization=org, state="open", max_submissions_per_solver=3)
    JudgeAssignmentFactory(challenge=challenge, judge=judge, assigned_by=owner)
    captain, member, registered = (
        RegistrationFactory(challenge=challenge, user=UserFactory(full_name=name)).user
        for name in ("Ada Captain", "Ben Member", "Cy Registered")
    )
    team = TeamFactory(challenge=challenge, captain=captain, name="Tide")
    TeamMemberFactory(team=team, user=member, state="active", share_bps=5_000)
    team.members.filter(user=captain).update(share_bps=5_000)
    submission = submission_for(
        challenge, captain, team=team, files=[pdf_upload()], title="Algae film, team Tide"
    )
    return SimpleNamespace(
        challenge=challenge,
        team=team,
        submission=submission,
        file=submission.files.get(),
        captain=captain,
        member=member,
        registered=registered,
        other=UserFactory(full_name="Di Other"),
        judge=judge,
        foreign_judge=MembershipFactory(role=OrgRole.JUDGE).user,
        owner=owner,
        staff=staff,
    )


def submission_rows() -> dict:
    """Every row a submission request could write, to prove a refused one wrote nothing."""
    from marketplace.submissions.models import (
        Submission,
        SubmissionFile,
        SubmissionReview,
        SubmissionVersion,
    )

    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Submission, SubmissionFile, SubmissionVersion, SubmissionReview)
    }


HASH_DISCLOSURE = re.compile(
    r'<details class="hash-code"><summary><code>([0-9a-f-]+)</code>.*?</summary>'
    r'<code class="hash">([0-9a-f]+)</code></details>',
    re.S,
)


def assert_shown_as_receipt_code(page: str, digest: str) -> None:
    """The page shows `digest` as its short receipt code; the full value is only in the
    disclosure under it."""
    code = f"{digest[:4]}-{digest[4:8]}-{digest[8:12]}"
    assert (code, digest) in HASH_DISCLOSURE.findall(page)
    assert digest not in HASH_DISCLOSURE.sub("", page)
