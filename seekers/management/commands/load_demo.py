"""Demo data for `make run`: challenges in every state from draft to completed (the
judging and awarding part is in `seekers.demo_awards`) and one in open ideation
(`seekers.demo_ideas`). Idempotent: every object is
looked up by a natural key first, so running it twice changes nothing."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.test import override_settings
from django.utils import timezone

from legal.services import acceptance_record
from marketplace.accounts.signup import site_terms
from marketplace.billing.services import organization_billing_update, proforma_issue
from marketplace.challenges.inputs import ChallengeInput, RequirementInput
from marketplace.challenges.models import Challenge
from marketplace.challenges.services import challenge_create
from marketplace.core.references import subject_of, wire_reference
from marketplace.escrow.services import challenge_fund, challenge_refund_excess, funding_due
from marketplace.escrow.wire import wire_refund_record, wire_transfer_record
from marketplace.lifecycle.services import challenge_transition, challenges_close_expired
from marketplace.organisations.models import Membership, Organization
from marketplace.organisations.roles import OrgRole
from marketplace.organisations.services import organization_create
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.services import (
    challenge_register,
    clarification_answer,
    clarification_ask,
)
from marketplace.submissions.services import submission_create
from payouts.models import Refund, RefundState
from seekers.demo_awards import AFTER_CLOSE, challenge_advance
from seekers.demo_ideas import TITLE as IDEATION_TITLE
from seekers.demo_ideas import ideation_load

PASSWORD = "demo-pass-2026"
# The demo staff account's authenticator app secret (base32; staff need two factors). For
# the demo only: add it to an authenticator app to log in as admin@example.com.
DEMO_TOTP_SECRET = "DEMOSTAFFTOTPKEYFORTHEDEMOONLY22"

PEOPLE = [
    ("admin@example.com", "Ada Admin", {"is_staff": True, "is_superuser": True}),
    ("owner@helix.example", "Olivia Owner", {}),
    ("manager@helix.example", "Manuel Gestor", {}),
    ("judge@helix.example", "Judith Judge", {}),
    ("solver1@example.com", "Sol Ver", {}),
    ("solver2@example.com", "Lucía Solucionadora", {}),
]

REQUIREMENTS = [
    RequirementInput("Meets the performance target", 50, "Measured as described in the brief."),
    RequirementInput("Can be manufactured at scale", 30),
    RequirementInput("Clear, reproducible write-up", 20),
]

# title, kind, pool (minor units), currency, ip model, awards, days to deadline, target state
CHALLENGES = [
    (
        "Sea-degradable packaging film",
        "rtp",
        5_000_000,
        "USD",
        "transfer",
        [3_500_000, 1_500_000],
        45,
        "open",
    ),
    (
        "Low-cost sensor for soil nitrate",
        "ideation",
        1_000_000,
        "EUR",
        "licence",
        [1_000_000],
        20,
        "open",
    ),
    (
        "Predicting battery fade from impedance",
        "theoretical",
        2_500_000,
        "USD",
        "solver_keeps",
        [2_500_000],
        60,
        "awaiting_funding",
    ),
    (
        "Catalyst for ambient ammonia synthesis",
        "theoretical",
        10_000_000,
        "USD",
        "transfer",
        [10_000_000],
        90,
        "in_review",
    ),
    (
        "eRFP: pilot plant for algae oil",
        "erfp",
        20_000_000,
        "MXN",
        "licence",
        [20_000_000],
        75,
        "draft",
    ),
    (
        "Quieter drone propellers",
        "rtp",
        1_500_000,
        "GBP",
        "transfer",
        [1_000_000, 500_000],
        10,
        "closed",
    ),
    (
        "Odour-free bio-based wood adhesive",
        "ideation",
        300_000,
        "GBP",
        "licence",
        [200_000, 100_000],
        12,
        "judging",
    ),
    (
        "Recycled carbon fibre for bicycle frames",
        "rtp",
        800_000,
        "EUR",
        "licence",
        [800_000],
        14,
        "awarding",
    ),
    (
        "Bio-based foam for cold-chain packaging",
        "rtp",
        6_000_000,
        "USD",
        "licence",
        [4_000_000, 2_000_000],
        40,
        "open",
    ),
    (
        "Self-healing coating for wind-turbine blades",
        "theoretical",
        1_200_000,
        "USD",
        "transfer",
        [700_000, 300_000, 200_000],
        16,
        "completed",
    ),
]

PATH = {
    "draft": [],
    "in_review": ["submit"],
    "awaiting_funding": ["submit", "approve"],
    "open": ["submit", "approve", "fund", "open"],
    "closed": ["submit", "approve", "fund", "open"],
    **{target: ["submit", "approve", "fund", "open"] for target in AFTER_CLOSE},
}
CLOSED = ("closed", *AFTER_CLOSE)
# Funded by two bank transfers recorded by staff, the second paying 500.00 too much; the
# excess is refunded by bank transfer once the challenge has opened.
WIRE_FUNDED = "Bio-based foam for cold-chain packaging"


class Command(BaseCommand):
    help = "Load demo organisations, people and challenges (safe to run twice)."

    def handle(self, *args, **options):
        # The demo's money is the built-in gateway's test money whatever gateway the site
        # is configured with, so the demo loads the same with PAYMENT_GATEWAY=stripe.
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend", PAYMENT_GATEWAY="local"
        ):
            self._load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Log in with any of {', '.join(u for u, _n, _f in PEOPLE)} "
                f"and the password {PASSWORD}."
            )
        )

    def _load(self):
        users = {email: self._user(email, name, flags) for email, name, flags in PEOPLE}
        admin, owner = users["admin@example.com"], users["owner@helix.example"]
        if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(admin, DEMO_TOTP_SECRET)
        org = Organization.objects.filter(name="Helix Materials Lab").first()
        if org is None:
            org = organization_create(
                name="Helix Materials Lab", owner=owner, description="Applied materials research."
            )
        if not org.billing_name:
            organization_billing_update(
                organization_id=org.pk,
                actor=owner,
                billing_name="Helix Materials Lab S.L.",
                billing_address="Calle de la Ciencia 12\n28049 Madrid\nSpain",
                tax_id="ESB12345678",
            )
        for email, role in [
            ("manager@helix.example", OrgRole.MANAGER),
            ("judge@helix.example", OrgRole.JUDGE),
        ]:
            Membership.objects.get_or_create(
                organization=org, user=users[email], defaults={"role": role}
            )

        now = timezone.now()
        created = []
        for title, kind, pool, currency, ip_model, awards, days, target in CHALLENGES:
            if Challenge.objects.filter(organization=org, title=title).exists():
                continue
            challenge = challenge_create(
                organization_id=org.pk,
                actor=owner,
                data=ChallengeInput(
                    title=title,
                    kind=kind,
                    prize_pool=pool,
                    currency=currency,
                    ip_model=ip_model,
                    summary=f"{title}: a demo challenge posted by Helix Materials Lab.",
                    brief=f"## Background\n\n{title}.\n\n## What we need\n\nA solution that meets the requirements below.",
                    submission_deadline=now + timedelta(days=days),
                    judging_deadline=now + timedelta(days=days + 30),
                    requirements=REQUIREMENTS,
                    award_amounts=awards,
                    eligibility="Open to individuals and teams worldwide.",
                    hide_seeker=title.startswith("Low-cost"),
                ),
            )
            for step in PATH[target]:
                if step == "fund" and title == WIRE_FUNDED:
                    self._fund_by_wire(challenge, admin)
                    continue
                if step == "fund":
                    challenge_fund(challenge_id=challenge.pk, actor=owner)
                    continue
                actor = admin if step == "approve" else owner
                challenge_transition(challenge_id=challenge.pk, name=step, actor=actor)
            if title == WIRE_FUNDED:
                self._refund_wire_excess(challenge, owner, admin)
            if target == "awaiting_funding":
                proforma_issue(challenge_id=challenge.pk, actor=owner)
            if target == "open" or target in CLOSED:
                self._participate(challenge, users, owner)
            if target in CLOSED:
                Challenge.objects.filter(pk=challenge.pk).update(
                    submission_deadline=now - timedelta(days=1)
                )
            created.append((challenge, target))
        challenges_close_expired()
        for challenge, target in created:
            if target in AFTER_CLOSE:
                challenge_advance(challenge, target, users)
        if not Challenge.objects.filter(organization=org, title=IDEATION_TITLE).exists():
            ideation_load(
                org=org,
                owner=owner,
                admin=admin,
                users=users,
                make_user=lambda email, name: self._user(email, name, {}),
            )

    def _fund_by_wire(self, challenge, admin):
        total = funding_due(challenge)["total"]
        first = total * 6 // 10
        today = timezone.localdate()
        for number, amount in ((1, first), (2, total - first + 50_000)):
            wire_transfer_record(
                reference=wire_reference(challenge.pk),
                amount=amount,
                received_on=today - timedelta(days=3 - number),
                bank_reference=f"DEMO-BANK-{challenge.pk}-{number}",
                actor=admin,
            )

    def _refund_wire_excess(self, challenge, owner, admin):
        challenge_refund_excess(challenge_id=challenge.pk, actor=owner)
        for refund in Refund.objects.filter(
            payment__subject=subject_of(challenge), state=RefundState.PENDING
        ):
            wire_refund_record(
                refund_id=refund.pk,
                sent_on=timezone.localdate(),
                bank_reference=f"DEMO-BANK-REFUND-{refund.pk}",
                actor=admin,
            )

    def _user(self, email, name, flags):
        user, created = get_user_model().objects.get_or_create(
            email=email, defaults={"full_name": name, **flags}
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        terms = site_terms()
        acceptance_record(
            user=user,
            rendered=terms,
            accepted_sha256=terms.sha256,
            subject="site",
            user_agent="demo data",
        )
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _participate(self, challenge, users, owner):
        for email in ("solver1@example.com", "solver2@example.com"):
            challenge_register(
                challenge_id=challenge.pk,
                user=users[email],
                accepted_sha256=challenge_agreement(challenge).sha256,
                user_agent="demo data",
            )
        question = clarification_ask(
            challenge_id=challenge.pk,
            user=users["solver1@example.com"],
            question="May we use recycled feedstock?",
        )
        clarification_answer(
            clarification_id=question.pk,
            actor=owner,
            answer="Yes, as long as its composition is documented.",
        )
        clarification_ask(
            challenge_id=challenge.pk,
            user=users["solver2@example.com"],
            question="Is a lab-scale prototype enough?",
        )
        for email, title in (
            ("solver1@example.com", "Layered starch film"),
            ("solver2@example.com", "Enzyme-triggered polymer"),
        ):
            notes = SimpleUploadedFile("notes.txt", f"{title}: lab notes.\n".encode())
            submission_create(
                challenge_id=challenge.pk,
                author=users[email],
                title=title,
                abstract=f"{title}, tested at lab scale.",
                body=f"## Approach\n\n{title} meets the requirements as follows.",
                uploads=[notes],
            )
