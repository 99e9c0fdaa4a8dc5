"""factory-boy factories shared by every test package."""

from datetime import timedelta

import factory
from django.utils import timezone

from marketplace.models import (
    Challenge,
    ChallengeKind,
    IPModel,
    PlannedAward,
    Registration,
    Requirement,
    User,
)
from marketplace.roles import OrgRole
from seekers.models import Membership, Organization

PASSWORD = "correct-horse-battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Acme Research {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrgRole.OWNER


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A complete draft: one requirement weighing 100 and one award of the whole pool.
    Pass `state=` to place it anywhere in the lifecycle (bypassing the service)."""

    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Biodegradable packaging film {n}")
    summary = "Find a film that degrades in sea water within 90 days."
    brief = "## Background\nWe need a **film**."
    kind = ChallengeKind.THEORETICAL
    prize_pool = 2_500_000
    currency = "USD"
    ip_model = IPModel.EXCLUSIVE_TRANSFER
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    judging_deadline = factory.LazyAttribute(lambda o: o.submission_deadline + timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        state = kwargs.pop("state", None)
        obj = super()._create(model_class, *args, **kwargs)
        if state:
            model_class.objects.filter(pk=obj.pk).update(state=state)
            obj = model_class.objects.get(pk=obj.pk)
        return obj

    @factory.post_generation
    def funded(obj, create, extracted, **kwargs):
        """`funded=True`: pool + fee paid in (local gateway), ready to open."""
        if create and extracted:
            fund_challenge(obj)

    @factory.post_generation
    def plan(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            Requirement.objects.create(
                challenge=obj, position=1, title="Degrades in sea water", weight=100
            )
            PlannedAward.objects.create(challenge=obj, position=1, amount=obj.prize_pool)


def fund_challenge(challenge, amount: int | None = None):
    """Pay pool + fee (or `amount`) into the challenge's funding through the local gateway."""
    from marketplace.services.escrow import funding_due, subject_of
    from payouts.services.payments import payment_start

    due = funding_due(challenge)["outstanding"] if amount is None else amount
    return payment_start(
        subject=subject_of(challenge),
        amount=due,
        currency=challenge.currency,
        actor=challenge.created_by,
        gateway="local",
    )


def agreement_hash(challenge) -> str:
    """The SHA-256 of the challenge agreement a solver is shown (and must send back)."""
    from marketplace.agreements import challenge_agreement

    return challenge_agreement(challenge).sha256


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    challenge = factory.SubFactory(ChallengeFactory)
    user = factory.SubFactory(UserFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    """A team of an open challenge whose captain is its only active member, with the
    whole share. Rows are written directly: no registration or deadline rule applies."""

    class Meta:
        model = "solvers.Team"
        skip_postgeneration_save = True

    challenge = factory.SubFactory(ChallengeFactory, state="open", plan=False)
    name = factory.Sequence(lambda n: f"Team {n}")
    captain = factory.SubFactory(UserFactory)

    @factory.post_generation
    def captain_member(obj, create, extracted, **kwargs):
        if create:
            obj.members.create(
                challenge=obj.challenge, user=obj.captain, state="active", share_bps=10_000
            )


class TeamMemberFactory(factory.django.DjangoModelFactory):
    """A pending invitation unless `state=` says otherwise (shares are not re-split)."""

    class Meta:
        model = "solvers.TeamMember"

    team = factory.SubFactory(TeamFactory)
    challenge = factory.LazyAttribute(lambda o: o.team.challenge)
    user = factory.SubFactory(UserFactory)
    state = "invited"


PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


def pdf_upload(name: str = "report.pdf", content: bytes = PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submission_for(challenge, author, *, files=(), team=None, **fields):
    """A submission made through the service (version 1 with its receipt)."""
    from marketplace.services.submissions import submission_create

    text = {"title": "Film from algae", "abstract": "Short.", "body": "Long **text**.", **fields}
    return submission_create(
        challenge_id=challenge.pk,
        author=author,
        uploads=list(files),
        team_id=team.pk if team else None,
        **text,
    )
