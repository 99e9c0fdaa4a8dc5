"""The Django admin of the documents: acceptances, signed deeds and their void marks are
shown and never added, changed or deleted there; a certificate's issued facts never
change, and staff revoke it there, through the revocation service."""

import pytest
from django.urls import reverse
from django.utils import timezone

from legal.models import Acceptance, AgreementTemplate, Certificate, Deed, DeedVoid
from legal.services import acceptance_record, sha256_text, template_current
from marketplace.accounts.signup import SITE_SUBJECT, site_terms
from tests.factories import StaffFactory, claim_awarded_challenge, verify_award

pytestmark = pytest.mark.django_db

EVIDENCE = [Acceptance, Deed, DeedVoid]


@pytest.fixture
def documents(org, owner, django_capture_on_commit_callbacks):
    """The winner accepted the terms of use, signed the deed and was paid (certificate
    issued); a void mark of another deed (its award is not the point here)."""
    won = claim_awarded_challenge(org, owner)
    terms = site_terms()
    acceptance_record(
        user=won.winner, rendered=terms, accepted_sha256=terms.sha256, subject=SITE_SUBJECT
    )
    with django_capture_on_commit_callbacks(execute=True):
        verify_award(won.award)
    DeedVoid.objects.create(deed=Deed.objects.get(), reason="shown", voided_at=timezone.now())
    return won


@pytest.fixture
def superuser(client):
    user = StaffFactory(is_superuser=True)
    client.force_login(user)
    return user


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def stored() -> dict:
    models = [*EVIDENCE, Certificate]
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.mark.parametrize("model", EVIDENCE, ids=lambda m: m.__name__)
def test_evidence_is_shown_and_never_added_changed_or_deleted(client, superuser, documents, model):
    obj = model.objects.get()
    before = stored()

    assert client.get(url(model, "changelist")).status_code == 200
    assert client.get(url(model, "change", obj.pk)).status_code == 200
    forged = {"text": "forged", "reason": "forged", "signature": "Someone Else"}
    assert client.post(url(model, "add"), forged).status_code == 403
    assert client.post(url(model, "change", obj.pk), forged).status_code == 403
    assert client.post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert stored() == before


def test_a_certificate_is_revoked_through_the_admin_and_nothing_else_changes(
    client, superuser, documents
):
    certificate = Certificate.objects.get()
    page = client.get(url(Certificate, "change", certificate.pk))
    assert "To revoke it, give the reason and save" in page.content.decode()
    facts = {"recipient_name": "Someone Else", "amount": 1, "challenge_title": "Another"}
    before = stored()

    assert client.post(url(Certificate, "change", certificate.pk), facts).status_code == 302
    assert stored() == before

    revoke = {**facts, "revoked_reason": "The entry was plagiarised"}
    assert client.post(url(Certificate, "change", certificate.pk), revoke).status_code == 302
    again = {**facts, "revoked_reason": "Another reason"}
    assert client.post(url(Certificate, "change", certificate.pk), again).status_code == 302

    revoked = Certificate.objects.get()
    assert revoked.revoked_at is not None
    assert revoked.revoked_reason == "The entry was plagiarised"
    unchanged = {k: v for k, v in Certificate.objects.values().get().items() if "revoked" not in k}
    assert unchanged == {k: v for k, v in before["Certificate"][0].items() if "revoked" not in k}
    assert client.post(url(Certificate, "add"), facts).status_code == 403
    assert (
        client.post(url(Certificate, "delete", certificate.pk), {"post": "yes"}).status_code == 403
    )
    assert Certificate.objects.count() == 1


def test_the_template_admin_publishes_a_new_version_and_a_translation_of_it(client, superuser):
    template_current(kind="terms", language="en")  # v1, English and Spanish
    add = url(AgreementTemplate, "add")
    new = {"kind": "terms", "variant": "", "language": "en", "version": "", "title": "Terms"}
    assert client.post(add, {**new, "body": "# Terms, second edition\n"}).status_code == 302
    english = AgreementTemplate.objects.get(kind="terms", version=2)
    assert english.language == "en"

    translation = {**new, "language": "es", "version": "2", "title": "Términos"}
    assert client.post(add, {**translation, "body": "# Términos, 2.ª edición\n"}).status_code == 302
    spanish = AgreementTemplate.objects.get(kind="terms", version=2, language="es")
    assert (spanish.title, spanish.body) == ("Términos", "# Términos, 2.ª edición")
    assert spanish.sha256 == sha256_text(spanish.body) != english.sha256

    before = list(AgreementTemplate.objects.order_by("pk").values())
    again = client.post(add, {**translation, "body": "# Otra\n"})
    assert again.status_code == 200
    assert "This version already has a text in this language." in again.content.decode()
    missing = client.post(add, {**translation, "version": "9", "body": "# Otra\n"})
    assert "There is no such version to translate." in missing.content.decode()
    assert list(AgreementTemplate.objects.order_by("pk").values()) == before
    listing = client.get(url(AgreementTemplate, "changelist")).content.decode()
    assert "Términos" in listing and "field-language" in listing
