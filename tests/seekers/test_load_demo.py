"""The demo data past the deadline: a challenge being judged, one awarding with a prize
for solver1 to claim, and one completed with paid winners and their certificates."""

import hashlib
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from legal.models import Certificate, Deed
from marketplace.awards.models import Award
from marketplace.awards.services.claim import award_deed_sign
from marketplace.awards.services.deeds import award_deed
from marketplace.billing.models import BillingDocument
from marketplace.challenges.models import Challenge, ChallengeEvent
from marketplace.core.references import subject_of
from marketplace.ideation.models import Idea
from marketplace.judging.models import Evaluation, JudgeAssignment
from marketplace.notifications.models import Notification, NotificationKind
from payouts.models import Entry, Payout, Refund, TaxForm
from payouts.selectors import statement
from seekers.demo_ideas import TITLE as IDEATION_TITLE
from seekers.management.commands.load_demo import DEMO_TOTP_SECRET
from seekers.management.commands.load_demo import PASSWORD as DEMO_PASSWORD
from tests.factories import totp_code

pytestmark = pytest.mark.django_db

COMPLETED = "Self-healing coating for wind-turbine blades"
AWARDING = "Recycled carbon fibre for bicycle frames"
JUDGING = "Odour-free bio-based wood adhesive"


def stored_sha256(field) -> str:
    with default_storage.open(field.name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    """The demo as `make run` loads it: tasks run in process after each commit."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")


def test_completed_challenge_paid_its_winners_with_certificates_and_refunded_the_rest(demo):
    challenge = Challenge.objects.get(title=COMPLETED)
    assert challenge.state == "completed"
    assert challenge.awards_final_at is not None
    awards = {
        a.submission.author.email: a
        for a in Award.objects.filter(challenge=challenge).select_related("submission__author")
    }
    assert {email: (a.state, a.amount) for email, a in awards.items()} == {
        "solver1@example.com": ("paid", 700_000),
        "solver2@example.com": ("paid", 300_000),
    }
    for award in awards.values():
        (recipient,) = award.recipients.select_related("deed", "user")
        assert recipient.deed.signature == recipient.user.full_name
        assert stored_sha256(recipient.deed.pdf) == recipient.deed.pdf_sha256
        payout = Payout.objects.get(reference=award.reference)
        assert (payout.state, payout.amount) == ("succeeded", award.amount)
    figures = statement(subject_of(challenge))
    assert figures["paid"] == 1_000_000
    assert figures["refunded"] == 200_000  # the third prize was not given
    assert figures["held"] == figures["owed"] == figures["unallocated"] == 0
    assert figures["balanced"]
    assert JudgeAssignment.objects.filter(challenge=challenge).exists()
    assert Evaluation.objects.filter(submission__challenge=challenge).count() == 6

    certificates = Certificate.objects.filter(reference__in=[a.reference for a in awards.values()])
    assert {c.recipient.email for c in certificates} == {
        "solver1@example.com",
        "solver2@example.com",
    }
    for certificate in certificates:
        assert certificate.pdf_sha256
        assert stored_sha256(certificate.pdf) == certificate.pdf_sha256


def test_a_prize_waits_for_solver1_and_a_challenge_waits_for_the_judge(demo):
    awarding = Challenge.objects.get(title=AWARDING)
    assert awarding.state == "awarding"
    (award,) = awarding.awards.all()
    assert award.state == "proposed"
    assert list(award.recipients.values_list("user__email", flat=True)) == ["solver1@example.com"]

    judging = Challenge.objects.get(title=JUDGING)
    assert judging.state == "judging"
    assert list(judging.judge_assignments.values_list("judge__email", flat=True)) == [
        "judge@helix.example"
    ]
    assert judging.submissions.count() == 2
    assert not Evaluation.objects.filter(submission__challenge=judging).exists()


def test_loading_the_demo_twice_changes_nothing(demo, django_capture_on_commit_callbacks):
    models = [
        Authenticator,
        Challenge,
        ChallengeEvent,
        Award,
        Evaluation,
        Deed,
        Certificate,
        TaxForm,
        Payout,
        Refund,
        Entry,
        Notification,
    ]
    counts = [m.objects.count() for m in models]
    states = dict(Challenge.objects.values_list("title", "state"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert [m.objects.count() for m in models] == counts
    assert dict(Challenge.objects.values_list("title", "state")) == states


def test_the_awarding_challenge_cannot_end_with_no_award_once_solver1_signed(demo, client):
    challenge = Challenge.objects.get(title=AWARDING)
    award = Award.objects.get(challenge=challenge)
    solver1 = award.recipients.get().user
    shown = award_deed(award=award, user=solver1)
    award_deed_sign(
        award_id=award.pk, user=solver1, accepted_sha256=shown.sha256, signature=solver1.full_name
    )
    client.force_login(challenge.organization.memberships.get(role="owner").user)
    url = reverse("seekers:challenge_transition", args=[challenge.pk, "declare_no_award"])
    response = client.post(url, {"reason": "We changed our mind"}, follow=True)
    assert "owed to them and cannot be refunded" in response.content.decode()
    assert Challenge.objects.get(pk=challenge.pk).state == "awarding"
    assert Award.objects.get(pk=award.pk).state in ("deed_signed", "verified", "paid")
    assert not Refund.objects.filter(payment__subject=subject_of(challenge)).exists()


def test_the_demo_staff_logs_in_with_the_documented_secret(demo, client):
    """README gives admin@example.com's authenticator secret: its code completes the log-in
    and opens the staff pages."""
    response = client.post(
        reverse("account_login"), {"login": "admin@example.com", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_code(DEMO_TOTP_SECRET)})
    assert client.get(reverse("staff_review_queue")).status_code == 200
    assert DEMO_TOTP_SECRET in (Path(settings.BASE_DIR) / "README.md").read_text()


def test_a_challenge_funded_by_two_bank_transfers_opened_and_its_excess_went_back(demo):
    challenge = Challenge.objects.get(title="Bio-based foam for cold-chain packaging")
    assert challenge.state == "open"
    recorded = ChallengeEvent.objects.filter(challenge=challenge, name="wire_transfer_record")
    assert recorded.count() == 2
    assert {event.actor.email for event in recorded} == {"admin@example.com"}
    figures = statement(subject_of(challenge))
    assert figures["held"] == 6_000_000
    assert figures["refunded"] == 50_000  # the second transfer paid 500.00 too much
    assert figures["unallocated"] == 0
    assert figures["balanced"]
    (refund,) = Refund.objects.filter(payment__subject=subject_of(challenge))
    assert (refund.state, refund.payment.gateway) == ("succeeded", "wire")
    assert ChallengeEvent.objects.filter(challenge=challenge, name="wire_refund_sent").count() == 1


def test_the_demo_loads_with_test_money_when_the_site_pays_through_stripe(
    settings, django_capture_on_commit_callbacks
):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_nothing_listens"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo")
    assert Challenge.objects.filter(state="open").exists()
    assert set(Payout.objects.values_list("gateway", flat=True)) == {"local"}


def test_the_demo_has_an_invoice_receipts_and_credit_notes(demo):
    kinds = set(BillingDocument.objects.values_list("kind", flat=True))
    assert kinds == {"proforma", "receipt", "credit_note"}
    proforma = BillingDocument.objects.get(kind="proforma")
    assert proforma.challenge.title == "Predicting battery fade from impedance"
    assert proforma.details["customer"]["name"] == "Helix Materials Lab S.L."
    wired = Challenge.objects.get(title="Bio-based foam for cold-chain packaging")
    assert wired.billing_documents.filter(kind="receipt").count() == 2
    assert wired.billing_documents.filter(kind="credit_note").count() == 1
    sequences = sorted(BillingDocument.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))


def test_the_completed_challenge_has_public_results_and_feedback_on_every_entry(demo, client):
    challenge = Challenge.objects.get(title=COMPLETED)
    entries = list(challenge.submissions.all())
    assert entries and all(e.review_status == "winner" and e.review_note for e in entries)
    page = client.get(reverse("challenge_results", args=[challenge.pk])).content.decode()
    assert "Sol Ver" in page and "Lucía Solucionadora" in page
    assert "Returned to the Seeker: $2,000.00" in page
    assert Notification.objects.filter(kind="results_published", challenge=challenge).count() == 2
    awarding = Challenge.objects.get(title=AWARDING)
    assert all(e.review_note for e in awarding.submissions.all())


def test_the_open_ideation_challenge_has_public_ideas_one_past_its_threshold(demo, client):
    challenge = Challenge.objects.get(title=IDEATION_TITLE)
    assert challenge.open_ideation and challenge.state == "open"
    ideas = {i.submission.title: i for i in Idea.objects.select_related("submission")}
    top = ideas["Deposit jars with a QR refill log"]
    assert top.supports == 11 >= challenge.support_threshold
    assert top.threshold_reached_at is not None
    assert ideas["Gravity bins that weigh as they pour"].threshold_reached_at is None
    assert Notification.objects.filter(
        kind=NotificationKind.IDEA_THRESHOLD_REACHED, user__email="owner@helix.example"
    ).exists()
    page = client.get(reverse("challenge_detail", args=[challenge.pk])).content.decode()
    assert "Deposit jars with a QR refill log" in page and "11 supporters" in page
    call_command("load_demo")  # twice: nothing more
    assert Idea.objects.get(pk=top.pk).supports == 11
