"""The agreement gate on a challenge's page, the text a solver accepted, and the staff
audit of acceptances (pages and CSV)."""

import csv
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from legal.models import Acceptance, AgreementTemplate
from legal.services import (
    acceptance_record,
    agreement_render,
    sha256_text,
    template_current,
    template_publish,
)
from marketplace.challenges.models import Attachment, ChallengeState
from marketplace.core.markdown import render_markdown
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.models import Registration
from marketplace.submissions.models import Submission
from tests.conftest import assert_shown_as_receipt_code
from tests.factories import ChallengeFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

GATE_BUTTON = "Accept and register"
NO_TICK = "Tick “I have read and accept this agreement” to register. Nothing was recorded."
STALE = "The agreement has changed since you opened it."


def detail(challenge) -> str:
    return reverse("challenge_detail", args=[challenge.pk])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def markdown_source(content: str) -> str:
    """The exact text shown in the page's <pre class="source">, unescaped."""
    return html.unescape(content.split('<pre class="source" tabindex="0">')[1].split("</pre>")[0])


def register(client, challenge, sha256, tick=True, **extra):
    data = {"accepted_sha256": sha256}
    if tick:
        data["accept"] = "on"
    return client.post(
        reverse("challenge_register", args=[challenge.pk]), data, follow=True, **extra
    )


def publish_v2(challenge) -> AgreementTemplate:
    """A second version of the challenge's agreement, with the same placeholders."""
    template_current(kind="challenge", variant=challenge.ip_model)  # v1 exists first
    return template_publish(
        kind="challenge",
        variant=challenge.ip_model,
        title="Challenge agreement, second edition",
        body="# Second edition\n\nFor **{{ challenge_title }}**: the new rules apply.",
    )


@pytest.fixture
def challenge(org):
    challenge = ChallengeFactory(
        state=ChallengeState.OPEN, organization=org, brief="Secret **method**"
    )
    Attachment.objects.create(
        challenge=challenge,
        file="attachments/x.pdf",
        name="data.pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=challenge.created_by,
    )
    return challenge


class TestGate:
    def test_shows_the_rendered_agreement_its_version_and_hash(self, client, challenge, solver):
        client.force_login(solver)
        content = page(client, detail(challenge))
        agreement = challenge_agreement(challenge)
        assert render_markdown(agreement.text) in content
        assert f"<strong>Challenge:</strong> {challenge.title}" in content
        assert 'class="agreement-text prose markdown"' in content
        assert agreement.template.title in content and "version 1" in content
        hidden = f'name="accepted_sha256" value="{agreement.sha256}"'
        assert hidden in content
        assert_shown_as_receipt_code(content.replace(hidden, ""), agreement.sha256)
        assert 'type="checkbox" name="accept" id="accept-agreement" required' in content
        assert "I have read and accept this agreement" in content and GATE_BUTTON in content

    def test_everything_behind_the_gate_stays_hidden(self, client, challenge, solver):
        client.force_login(solver)
        content = page(client, detail(challenge))
        assert "Secret" not in content and "Degrades in sea water" not in content
        assert "data.pdf" not in content
        assert reverse("clarification_ask", args=[challenge.pk]) not in content
        assert reverse("solvers:team_create", args=[challenge.pk]) not in content
        assert "You accepted" not in content

    @pytest.mark.parametrize("who", ["anonymous", "owner", "judge", "staff"])
    def test_no_gate_for_those_who_cannot_register(self, client, challenge, request, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        content = page(client, detail(challenge))
        assert GATE_BUTTON not in content and "accepted_sha256" not in content

    def test_no_gate_once_closed(self, client, org, solver):
        closed = ChallengeFactory(state=ChallengeState.CLOSED, organization=org)
        client.force_login(solver)
        assert GATE_BUTTON not in page(client, detail(closed))

    @pytest.mark.parametrize("tick", ["", None])
    def test_the_box_must_be_ticked(self, client, challenge, solver, tick):
        client.force_login(solver)
        data = {"accepted_sha256": challenge_agreement(challenge).sha256}
        if tick is not None:
            data["accept"] = tick
        response = client.post(
            reverse("challenge_register", args=[challenge.pk]), data, follow=True
        )
        assert response.redirect_chain == [(detail(challenge) + "#agreement", 302)]
        content = response.content.decode()
        assert NO_TICK in content and GATE_BUTTON in content and "Secret" not in content
        assert not Registration.objects.exists() and not Acceptance.objects.exists()

    def test_a_stale_hash_is_refused_and_the_new_text_shown(self, client, challenge, solver):
        client.force_login(solver)
        shown = client.get(detail(challenge)).context["agreement"]
        publish_v2(challenge)
        response = register(client, challenge, shown.sha256)
        content = response.content.decode()
        assert STALE in content
        current = challenge_agreement(challenge)
        assert current.template.version == 2 and current.sha256 != shown.sha256
        assert "the new rules apply" in content and "version 2" in content
        assert f'value="{current.sha256}"' in content and shown.sha256 not in content
        assert "Secret" not in content
        assert not Registration.objects.exists() and not Acceptance.objects.exists()

    def test_a_made_up_or_missing_hash_is_refused(self, client, challenge, solver):
        client.force_login(solver)
        assert STALE in register(client, challenge, "f" * 64).content.decode()
        missing = "Send the SHA-256 of the agreement text you accept."
        assert missing in register(client, challenge, "").content.decode()
        assert not Registration.objects.exists() and not Acceptance.objects.exists()

    def test_acceptance_stores_text_hash_ip_and_user_agent(self, client, challenge, solver):
        client.force_login(solver)
        agreement = challenge_agreement(challenge)
        response = register(
            client,
            challenge,
            agreement.sha256,
            REMOTE_ADDR="203.0.113.7",
            headers={"user-agent": "Mozilla/5.0 (X11) Test"},
        )
        assert "You are registered for this challenge." in response.content.decode()
        registration = Registration.objects.get(challenge=challenge, user=solver)
        acceptance = registration.acceptance
        assert acceptance == Acceptance.objects.get()
        assert (acceptance.user, acceptance.subject) == (solver, f"challenge:{challenge.pk}")
        assert acceptance.template == agreement.template
        assert acceptance.template_sha256 == agreement.template.sha256
        assert (acceptance.text, acceptance.text_sha256) == (agreement.text, agreement.sha256)
        assert (acceptance.ip, acceptance.user_agent) == ("203.0.113.7", "Mozilla/5.0 (X11) Test")

    def test_brief_and_the_rest_appear_after_registering(self, client, challenge, solver):
        client.force_login(solver)
        content = register(client, challenge, challenge_agreement(challenge).sha256).content
        content = content.decode()
        assert "Secret <strong>method</strong>" in content and "Degrades in sea water" in content
        assert "data.pdf" in content
        assert reverse("clarification_ask", args=[challenge.pk]) in content
        assert reverse("solvers:team_create", args=[challenge.pk]) in content
        try:
            assert reverse("solvers:submission_new", args=[challenge.pk]) in content
        except NoReverseMatch:
            assert "Submit a solution" not in content
        acceptance = Acceptance.objects.get()
        title = acceptance.template.title
        assert f"You accepted {title} v1 on" in content
        assert reverse("agreement_accepted", args=[challenge.pk]) in content
        assert GATE_BUTTON not in content

    def test_no_submit_or_team_links_once_closed(self, client, challenge, solver):
        client.force_login(solver)
        register(client, challenge, challenge_agreement(challenge).sha256)
        type(challenge).objects.filter(pk=challenge.pk).update(state=ChallengeState.CLOSED)
        content = page(client, detail(challenge))
        assert "Secret <strong>method</strong>" in content and "You accepted" in content
        assert reverse("solvers:team_create", args=[challenge.pk]) not in content

    def test_a_new_version_does_not_rebind_an_earlier_acceptance(self, client, challenge):
        early, late = UserFactory(), UserFactory()
        client.force_login(early)
        v1 = challenge_agreement(challenge)
        register(client, challenge, v1.sha256)
        publish_v2(challenge)

        content = page(client, detail(challenge))
        assert f"You accepted {v1.template.title} v1 on" in content and GATE_BUTTON not in content
        accepted = page(client, reverse("agreement_accepted", args=[challenge.pk]))
        assert render_markdown(v1.text) in accepted and "the new rules apply" not in accepted
        first = Registration.objects.get(user=early).acceptance
        assert (first.template.version, first.text, first.text_sha256) == (1, v1.text, v1.sha256)

        client.force_login(late)
        content = page(client, detail(challenge))
        assert "the new rules apply" in content and "version 2" in content
        assert STALE in register(client, challenge, v1.sha256).content.decode()
        assert not Registration.objects.filter(user=late).exists()
        v2 = challenge_agreement(challenge)
        register(client, challenge, v2.sha256)
        second = Registration.objects.get(user=late).acceptance
        assert (second.template.version, second.text_sha256) == (2, v2.sha256)
        assert Registration.objects.get(user=early).acceptance == first

    def test_aggregate_numbers_only(self, client, challenge, solver):
        authors = [RegistrationFactory(challenge=challenge).user for _ in range(3)]
        for n, author in enumerate(authors):
            Submission.objects.create(
                challenge=challenge,
                author=author,
                title=f"Private solution {n}",
                abstract="Hidden",
                body="Hidden",
                sha256="0" * 64,
                state="withdrawn" if n == 2 else "active",
            )
        client.force_login(solver)
        content = page(client, detail(challenge))
        assert "3 solvers registered · 2 submissions so far" in content
        assert "Private solution" not in content and authors[0].email not in content


class TestAcceptedText:
    @pytest.fixture
    def registered(self, client, challenge, solver):
        client.force_login(solver)
        register(
            client, challenge, challenge_agreement(challenge).sha256, REMOTE_ADDR="198.51.100.4"
        )
        client.logout()
        return Registration.objects.get(user=solver).acceptance

    def url(self, challenge) -> str:
        return reverse("agreement_accepted", args=[challenge.pk])

    def test_shows_exactly_the_text_accepted(self, client, challenge, solver, registered):
        client.force_login(solver)
        content = page(client, self.url(challenge))
        assert render_markdown(registered.text) in content
        assert_shown_as_receipt_code(content, registered.text_sha256)
        assert "version 1" in content
        assert markdown_source(content) == registered.text
        assert challenge.title in registered.text

    @pytest.mark.parametrize("who", ["other_solver", "judge", "owner", "staff"])
    def test_404_for_anyone_without_their_own_acceptance(
        self, client, challenge, registered, request, who
    ):
        user = UserFactory() if who == "other_solver" else request.getfixturevalue(who)
        client.force_login(user)
        assert client.get(self.url(challenge)).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, client, challenge, registered):
        response = client.get(self.url(challenge))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]

    def test_registration_without_an_acceptance_is_404(self, client, challenge):
        user = RegistrationFactory(challenge=challenge).user
        client.force_login(user)
        assert client.get(self.url(challenge)).status_code == 404

    def test_unpublished_challenge_is_404(self, client, draft, solver):
        client.force_login(solver)
        assert client.get(self.url(draft)).status_code == 404


# ---------------------------------------------------------------- staff audit

AUDIT = reverse("acceptance_audit")
AUDIT_CSV = reverse("acceptance_audit_csv")


def accept(user, challenge=None, ip="192.0.2.1", user_agent="Firefox", rendered=None):
    """Record an acceptance of the challenge's agreement (or the terms of use)."""
    if rendered is None:
        rendered = (
            challenge_agreement(challenge)
            if challenge
            else agreement_render(template_current(kind="terms"), {})
        )
    return acceptance_record(
        user=user,
        rendered=rendered,
        accepted_sha256=rendered.sha256,
        subject=f"challenge:{challenge.pk}" if challenge else "site",
        ip=ip,
        user_agent=user_agent,
    )


@pytest.fixture
def trail(challenge):
    """Three acceptances: two of the challenge's agreement, one of the terms."""
    ada = UserFactory(email="ada@lab.example")
    bob = UserFactory(email="bob@works.example")
    return {
        "ada_challenge": accept(ada, challenge, ip="203.0.113.1", user_agent="Ada's browser"),
        "bob_challenge": accept(bob, challenge, ip="2001:db8::2", user_agent="Bob's browser"),
        "ada_site": accept(ada, ip="203.0.113.1"),
    }


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def audit_rows(response) -> list[int]:
    return [acceptance.pk for acceptance, _pk in response.context["rows"]]


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="acceptances.csv"'
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


class TestAuditAccess:
    @pytest.mark.parametrize("who", ["anonymous", "solver", "judge", "owner"])
    def test_404_for_everyone_but_staff(self, client, trail, request, who):
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        detail_url = reverse("acceptance_detail", args=[trail["ada_site"].pk])
        for url in (AUDIT, AUDIT_CSV, detail_url):
            assert client.get(url).status_code == 404, url

    def test_staff_see_every_page(self, staff_client, trail):
        detail_url = reverse("acceptance_detail", args=[trail["ada_site"].pk])
        for url in (AUDIT, AUDIT_CSV, detail_url):
            assert staff_client.get(url).status_code == 200, url

    def test_nav_link_only_for_staff(self, client, owner, staff):
        link = f'<a href="{AUDIT}">Agreements</a>'
        client.force_login(owner)
        assert link not in page(client, reverse("home"))
        client.force_login(staff)
        assert link in page(client, reverse("home"))

    def test_unknown_acceptance_is_404(self, staff_client):
        assert staff_client.get(reverse("acceptance_detail", args=[424242])).status_code == 404


class TestAuditPage:
    def test_rows_show_who_what_when_and_from_where(self, staff_client, challenge, trail):
        content = page(staff_client, AUDIT)
        ada = trail["ada_challenge"]
        for text in (
            "ada@lab.example",
            "bob@works.example",
            "Challenge agreement · transfer · v1",
            "Terms of use · v1",
            f'<a href="{detail(challenge)}"><code>challenge:{challenge.pk}</code></a>',
            "<td><code>site</code></td>",
            ada.text_sha256[:16],
            "203.0.113.1",
            "2001:db8::2",
            "Ada&#x27;s browser",
            reverse("acceptance_detail", args=[ada.pk]),
            "3 acceptances, newest first",
        ):
            assert text in content, text

    def test_newest_first(self, staff_client, trail):
        assert audit_rows(staff_client.get(AUDIT)) == [
            trail["ada_site"].pk,
            trail["bob_challenge"].pk,
            trail["ada_challenge"].pk,
        ]

    def test_filters(self, staff_client, challenge, trail):
        other = ChallengeFactory(state=ChallengeState.OPEN)
        elsewhere = accept(UserFactory(email="cy@lab.example"), other)
        terms = trail["ada_site"].template
        assert audit_rows(staff_client.get(AUDIT, {"user": "LAB.example"})) == [
            elsewhere.pk,
            trail["ada_site"].pk,
            trail["ada_challenge"].pk,
        ]
        assert audit_rows(staff_client.get(AUDIT, {"challenge": challenge.pk})) == [
            trail["bob_challenge"].pk,
            trail["ada_challenge"].pk,
        ]
        assert audit_rows(staff_client.get(AUDIT, {"template": terms.pk})) == [trail["ada_site"].pk]
        assert audit_rows(staff_client.get(AUDIT, {"user": "ada", "challenge": challenge.pk})) == [
            trail["ada_challenge"].pk
        ]
        assert audit_rows(staff_client.get(AUDIT, {"challenge": other.pk, "user": "bob"})) == []

    def test_bad_filter_input_is_shown_and_left_out(self, staff_client, trail):
        response = staff_client.get(AUDIT, {"challenge": "x", "template": "999999"})
        form = response.context["form"]
        assert "challenge" in form.errors and "template" in form.errors
        assert len(audit_rows(response)) == 3

    def test_template_select_lists_every_version(self, staff_client, challenge, trail):
        v2 = publish_v2(challenge)
        content = page(staff_client, AUDIT)
        assert f'<option value="{v2.pk}">Challenge agreement [transfer] v2 (en)</option>' in content

    def test_templates_with_versions_and_acceptance_counts(self, staff_client, challenge, trail):
        v2 = publish_v2(challenge)
        accept(UserFactory(), challenge)
        listed = {t.pk: t.acceptance_count for t in staff_client.get(AUDIT).context["templates"]}
        v1 = trail["ada_challenge"].template
        # The shipped Spanish texts of v1 are listed too, accepted by nobody here.
        spanish = AgreementTemplate.objects.filter(language="es", version=1)
        assert {(t.kind, t.variant) for t in spanish} == {("terms", ""), ("challenge", "transfer")}
        assert listed == {
            v1.pk: 2,
            v2.pk: 1,
            trail["ada_site"].template.pk: 1,
            **{t.pk: 0 for t in spanish},
        }
        content = page(staff_client, AUDIT)
        assert f'<a href="?template={v1.pk}">2</a>' in content
        assert "Challenge agreement, second edition" in content

    def test_paginated_by_50_with_constant_queries(self, staff_client, challenge):
        def count_queries(total: int) -> int:
            while Acceptance.objects.count() < total:
                accept(UserFactory(), challenge)
            with CaptureQueriesContext(connection) as ctx:
                response = staff_client.get(AUDIT)
            assert len(response.context["rows"]) == min(total, 50)
            return len(ctx.captured_queries)

        assert count_queries(3) == count_queries(60)
        second = staff_client.get(AUDIT, {"page": 2})
        assert len(second.context["rows"]) == 10
        assert 'href="?page=1"' in second.content.decode()


class TestAuditCsv:
    def test_a_row_per_acceptance(self, staff_client, challenge, trail):
        rows = csv_rows(staff_client.get(AUDIT_CSV))
        ada = trail["ada_challenge"]
        assert [int(r["id"]) for r in rows] == [
            trail["ada_site"].pk,
            trail["bob_challenge"].pk,
            ada.pk,
        ]
        assert rows[2] == {
            "id": str(ada.pk),
            "accepted_at": ada.accepted_at.isoformat(),
            "user_email": "ada@lab.example",
            "template_kind": "challenge",
            "template_variant": "transfer",
            "template_version": "1",
            "language": "en",
            "template_title": ada.template.title,
            "template_sha256": ada.template_sha256,
            "subject": f"challenge:{challenge.pk}",
            "text_sha256": ada.text_sha256,
            "ip": "203.0.113.1",
            "user_agent": "Ada's browser",
        }
        assert rows[0]["subject"] == "site" and rows[0]["template_kind"] == "terms"

    def test_filters_apply(self, staff_client, challenge, trail):
        rows = csv_rows(staff_client.get(AUDIT_CSV, {"user": "bob", "challenge": challenge.pk}))
        assert [int(r["id"]) for r in rows] == [trail["bob_challenge"].pk]
        terms = trail["ada_site"].template
        rows = csv_rows(staff_client.get(AUDIT_CSV, {"template": terms.pk}))
        assert [int(r["id"]) for r in rows] == [trail["ada_site"].pk]

    def test_the_export_link_carries_the_filters(self, staff_client, challenge, trail):
        content = page(staff_client, AUDIT + f"?user=ada&challenge={challenge.pk}&page=1")
        assert f'href="{AUDIT_CSV}?user=ada&amp;challenge={challenge.pk}"' in content

    @pytest.mark.parametrize("start", ["=", "+", "-", "@"])
    def test_formulas_are_defused(self, staff_client, challenge, start):
        user = UserFactory(email=f"{start}sum@example.com")
        accept(user, challenge, user_agent=f'{start}HYPERLINK("http://evil.example","x")')
        [row] = csv_rows(staff_client.get(AUDIT_CSV))
        assert row["user_email"] == f"'{start}sum@example.com"
        assert row["user_agent"] == f'\'{start}HYPERLINK("http://evil.example","x")'
        assert row["text_sha256"][0] != "'"


class TestAcceptanceDetail:
    def test_exact_text_both_hashes_and_verify(self, staff_client, challenge, trail):
        ada = trail["ada_challenge"]
        content = page(staff_client, reverse("acceptance_detail", args=[ada.pk]))
        assert render_markdown(ada.text) in content and markdown_source(content) == ada.text
        assert content.count(ada.text_sha256) == 2  # recorded and recomputed
        assert content.count(ada.template_sha256) == 2
        assert content.count("matches the recorded hash.") == 2
        assert "does NOT match" not in content
        assert f'<a href="{detail(challenge)}"><code>challenge:{challenge.pk}</code></a>' in content
        assert "ada@lab.example" in content and "Ada&#x27;s browser" in content

    def test_verify_notices_a_text_that_does_not_match_its_hash(self, staff_client, solver):
        template = template_current(kind="terms")
        forged = Acceptance.objects.create(
            user=solver,
            template=template,
            template_sha256=template.sha256,
            text="Terms nobody was shown.",
            text_sha256=sha256_text("Other terms."),
            language="en",
            subject="site",
        )
        content = page(staff_client, reverse("acceptance_detail", args=[forged.pk]))
        assert sha256_text("Terms nobody was shown.") in content
        assert "does NOT match the recorded hash." in content
        assert "matches the recorded hash." in content  # the template's hash still does
