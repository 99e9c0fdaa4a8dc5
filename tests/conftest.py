import os

import pytest

from marketplace.roles import OrgRole

from .factories import (
    ChallengeFactory,
    MembershipFactory,
    OrganizationFactory,
    StaffFactory,
    UserFactory,
)


def skip_unless(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing; in CI (REQUIRE_SERVICES=1) fail instead,
    so that a missing browser, database or broker can never pass silently."""
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


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
def draft(org, owner):
    return ChallengeFactory(organization=org, created_by=owner)
