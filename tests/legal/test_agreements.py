import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.template import TemplateSyntaxError

from legal.models import Acceptance, AgreementTemplate
from legal.services import (
    StaleAgreement,
    acceptance_record,
    agreement_render,
    sha256_text,
    template_current,
    template_publish,
)
from marketplace.participation.agreements import challenge_agreement
from tests.conftest import skip_unless
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db


def test_first_version_is_published_from_the_shipped_text():
    template = template_current(kind="challenge", variant="licence")
    assert (template.version, template.sha256) == (1, sha256_text(template.body))
    assert "non-exclusive" in template.body
    assert template_current(kind="challenge", variant="licence").pk == template.pk


def test_a_new_version_does_not_touch_the_old_one():
    first = template_current(kind="terms")
    second = template_publish(kind="terms", title="Terms of use", body="New terms {{ x }}")
    assert second.version == 2
    assert template_current(kind="terms") == second
    assert AgreementTemplate.objects.get(pk=first.pk).body == first.body


def test_bad_placeholder_syntax_is_refused():
    with pytest.raises(TemplateSyntaxError):
        template_publish(kind="terms", title="T", body="{% if %}")


def test_challenge_agreement_carries_the_challenges_terms():
    challenge = ChallengeFactory(
        title="Quiet propeller", prize_pool=1_234_500, currency="EUR", ip_model="transfer"
    )
    text = challenge_agreement(challenge).text
    assert "Quiet propeller" in text
    assert "€12,345.00" in text
    assert "**Intellectual property:** Exclusive IP transfer" in text
    assert "you will assign all" in text
    hidden = ChallengeFactory(hide_seeker=True)
    assert hidden.organization.name not in challenge_agreement(hidden).text


def test_acceptance_records_the_exact_text_and_refuses_a_stale_hash(solver):
    rendered = agreement_render(template_current(kind="terms"), {})
    with pytest.raises(StaleAgreement):
        acceptance_record(user=solver, rendered=rendered, accepted_sha256="0" * 64, subject="site")
    assert not Acceptance.objects.exists()
    acceptance = acceptance_record(
        user=solver,
        rendered=rendered,
        accepted_sha256=rendered.sha256,
        subject="site",
        ip="203.0.113.9",
        user_agent="Firefox",
    )
    assert (acceptance.text, acceptance.text_sha256) == (rendered.text, sha256_text(rendered.text))
    assert (acceptance.ip, acceptance.user_agent) == ("203.0.113.9", "Firefox")
    again = acceptance_record(
        user=solver, rendered=rendered, accepted_sha256=rendered.sha256, subject="site"
    )
    assert again.pk == acceptance.pk


@pytest.mark.django_db(transaction=True)
def test_acceptances_are_append_only_on_postgresql(solver):
    skip_unless(
        connection.vendor == "postgresql", "triggers exist on PostgreSQL only", service="postgres"
    )
    rendered = agreement_render(template_current(kind="terms"), {})
    acceptance = acceptance_record(
        user=solver, rendered=rendered, accepted_sha256=rendered.sha256, subject="site"
    )
    for sql in (
        "UPDATE legal_acceptance SET text = 'forged' WHERE id = %s",
        "DELETE FROM legal_acceptance WHERE id = %s",
        "UPDATE legal_agreementtemplate SET body = 'forged' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            target = acceptance.pk if "acceptance" in sql else acceptance.template_id
            cursor.execute(sql, [target])
    assert Acceptance.objects.get(pk=acceptance.pk).text == rendered.text
