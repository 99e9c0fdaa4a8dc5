"""factory-boy factories shared by every test package."""

import time
from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone

from legal.documents import certificate_issue
from marketplace.accounts.models import User
from marketplace.challenges.models import (
    Challenge,
    ChallengeKind,
    IPModel,
    PlannedAward,
    Requirement,
)
from marketplace.organisations.models import Membership, Organization
from marketplace.organisations.roles import OrgRole
from marketplace.participation.models import Registration

PASSWORD = "correct-horse-battery-9"
# Staff have an authenticator app (TOTP) with this secret (base32): staff need two factors.
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = STAFF_TOTP_SECRET) -> str:
    """The code an authenticator app with `secret` shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


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
    """Staff with an authenticator app set up (STAFF_TOTP_SECRET); `mfa=False` for one
    without."""

    is_staff = True

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTP.activate(obj, STAFF_TOTP_SECRET)


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
    from marketplace.escrow.services import funding_due, subject_of
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
    from marketplace.participation.agreements import challenge_agreement

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
        model = "marketplace.Team"
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
        model = "marketplace.TeamMember"

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
    from marketplace.submissions.services import submission_create

    text = {"title": "Film from algae", "abstract": "Short.", "body": "Long **text**.", **fields}
    return submission_create(
        challenge_id=challenge.pk,
        author=author,
        uploads=list(files),
        team_id=team.pk if team else None,
        **text,
    )


def claim_awarded_challenge(
    org, owner, *, team_members=(), amount: int | None = None, **challenge_fields
):
    """A challenge funded and opened (escrow holds the pool), an entry by a new solver
    (with `team_members`: a team they captain, shares split equally), moved straight to
    awarding, and the owner's proposed award of the first planned award (or `amount`)."""
    from types import SimpleNamespace

    from marketplace.awards.services.propose import award_propose
    from marketplace.lifecycle.services import challenge_transition
    from payouts.splits import split_largest_remainder

    challenge = ChallengeFactory(
        organization=org,
        created_by=owner,
        state="awaiting_funding",
        funded=True,
        **challenge_fields,
    )
    challenge = challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
    winner = UserFactory()
    team = None
    people = [winner, *team_members]
    for person in people:
        RegistrationFactory(challenge=challenge, user=person)
    if team_members:
        team = TeamFactory(challenge=challenge, captain=winner)
        for person in team_members:
            TeamMemberFactory(team=team, user=person, state="active")
        shares = split_largest_remainder(10_000, [1] * len(people))
        for person, share in zip(people, shares, strict=True):
            team.members.filter(user=person).update(share_bps=share)
    submission = submission_for(challenge, winner, team=team)
    Challenge.objects.filter(pk=challenge.pk).update(state="awarding")
    award = award_propose(
        challenge_id=challenge.pk,
        actor=owner,
        submission_id=submission.pk,
        planned_award_id=challenge.planned_awards.get().pk,
        amount=amount,
    )
    return SimpleNamespace(
        challenge=Challenge.objects.get(pk=challenge.pk),
        submission=submission,
        award=award,
        team=team,
        winner=winner,
        members=list(team_members),
    )


def claim_w9_data(name: str, **changes) -> dict:
    """What a US individual types into a W-9 (SSN 123-45-6789)."""
    return {
        "legal_name": name,
        "tax_classification": "individual",
        "address_line": "1 Main Street",
        "city": "Springfield",
        "region": "IL",
        "postal_code": "62701",
        "country": "US",
        "tin_kind": "ssn",
        "tin": "123-45-6789",
        "certified": True,
        "signature_name": name,
        **changes,
    }


def claim_w8ben_data(name: str, **changes) -> dict:
    """What a German resident types into a W-8BEN (tax number DE-98765432)."""
    return {
        "legal_name": name,
        "citizenship_country": "DE",
        "date_of_birth": "1980-05-17",
        "address_line": "Hauptstraße 1",
        "city": "Berlin",
        "postal_code": "10115",
        "country": "DE",
        "tin_kind": "foreign",
        "tin": "DE-98765432",
        "certified": True,
        "signature_name": name,
        **changes,
    }


class JudgeAssignmentFactory(factory.django.DjangoModelFactory):
    """A judge assigned to a challenge (rows written directly: no role is checked)."""

    class Meta:
        model = "marketplace.JudgeAssignment"

    challenge = factory.SubFactory(ChallengeFactory)
    judge = factory.SubFactory(UserFactory)
    assigned_by = factory.LazyAttribute(lambda o: o.judge)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """One judge's score of one entry against one requirement (written directly)."""

    class Meta:
        model = "marketplace.Evaluation"

    submission = None
    judge = None
    requirement = None
    score = 7
    note = ""


def judged_challenge(
    org,
    owner,
    *,
    entrants: int = 2,
    weights=(60, 40),
    awards=None,
    judges=(),
    state="judging",
    **fields,
):
    """A challenge funded and opened (escrow holds the pool) with requirements of
    `weights`, planned `awards` (default: one of the whole pool), one entry by each of
    `entrants` registered solvers, `judges` assigned, then moved straight to `state`."""
    from types import SimpleNamespace

    from marketplace.lifecycle.services import challenge_transition

    challenge = ChallengeFactory(
        organization=org, created_by=owner, state="awaiting_funding", plan=False, **fields
    )
    requirements = [
        Requirement.objects.create(
            challenge=challenge, position=n, title=f"Requirement {n}", weight=weight
        )
        for n, weight in enumerate(weights, start=1)
    ]
    for n, amount in enumerate(awards or [challenge.prize_pool], start=1):
        PlannedAward.objects.create(challenge=challenge, position=n, amount=amount)
    fund_challenge(challenge)
    challenge_transition(challenge_id=challenge.pk, name="open", actor=owner)
    solvers = [UserFactory() for _ in range(entrants)]
    submissions = []
    for n, solver in enumerate(solvers, start=1):
        RegistrationFactory(challenge=challenge, user=solver)
        submissions.append(submission_for(challenge, solver, title=f"Entry {n}"))
    for judge in judges:
        JudgeAssignmentFactory(challenge=challenge, judge=judge, assigned_by=owner)
    Challenge.objects.filter(pk=challenge.pk).update(state=state)
    return SimpleNamespace(
        challenge=Challenge.objects.get(pk=challenge.pk),
        requirements=requirements,
        submissions=submissions,
        solvers=solvers,
    )


def verify_award(award) -> None:
    """Take a proposed award through the winners' side for real: each recipient files
    a W-9 and signs their deed, so the award ends verified (local gateway)."""
    from marketplace.awards.services.claim import award_deed_sign
    from marketplace.awards.services.deeds import award_deed
    from payouts.services.tax import tax_form_submit

    for recipient in award.recipients.select_related("user"):
        user = recipient.user
        if not user.full_name:
            user.full_name = f"Winner {user.pk}"
            user.save(update_fields=["full_name"])
        tax_form_submit(user=user, kind="w9", data=claim_w9_data(user.full_name))
        deed = award_deed(award=award, user=user)
        award_deed_sign(
            award_id=award.pk, user=user, accepted_sha256=deed.sha256, signature=user.full_name
        )


def certificate_issued(recipient, **overrides):
    """(certificate, created) issued to `recipient` through the service: Ada Lovelace's
    USD 12,345.50 for team Tide's "Quiet propeller" by Acme Research, unless `overrides`
    say otherwise."""
    values = {
        "reference": "award:7",
        "recipient": recipient,
        "recipient_name": "Ada Lovelace",
        "team_name": "Tide",
        "challenge_title": "Quiet propeller",
        "organization_name": "Acme Research",
        "amount": 1_234_550,
        "currency": "USD",
        "awarded_on": date(2026, 3, 12),
        "language": "en",
    }
    return certificate_issue(**{**values, **overrides})


def verified_user(**fields):
    """A person whose e-mail address is verified: may support and comment on ideas."""
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def idea_challenge(org, owner, **fields):
    """An open challenge in open ideation (threshold 10 unless given)."""
    values = {"open_ideation": True, "support_threshold": 10, **fields}
    return ChallengeFactory(organization=org, created_by=owner, state="open", **values)


def idea_for(challenge, author=None, **fields):
    """A public idea: an entry, through the service, by a registered author."""
    author = author or verified_user()
    RegistrationFactory(challenge=challenge, user=author)
    return submission_for(challenge, author, **fields)
