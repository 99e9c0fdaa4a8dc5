"""Agreements through the API: the challenge agreement a client shows and accepts by its
hash, and the staff list of acceptances."""

import pytest

from legal.models import Acceptance
from legal.services import acceptance_record, agreement_render, template_current, template_publish
from marketplace.challenges.models import ChallengeState as S
from marketplace.participation.agreements import challenge_agreement
from marketplace.participation.models import Registration
from tests.api_calls import ROLES, assert_error, call
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_challenge(org):
    return ChallengeFactory(organization=org, state=S.OPEN, ip_model="licence")


def agreement_url(challenge) -> str:
    return f"/api/v1/challenges/{challenge.pk}/agreement/"


class TestChallengeAgreement:
    @pytest.mark.parametrize("who", ROLES)
    def test_anyone_who_sees_the_challenge_gets_it(self, people, open_challenge, who):
        response = call(people[who], "get", agreement_url(open_challenge))
        assert response.status_code == 200, response.content
        rendered = challenge_agreement(open_challenge)
        assert response.json() == {
            "title": "Challenge agreement: non-exclusive licence",
            "kind": "challenge",
            "variant": "licence",
            "version": 1,
            "language": "en",
            "text": rendered.text,
            "sha256": rendered.sha256,
        }
        assert open_challenge.title in rendered.text

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 404),
            ("solver", 404),
            ("outsider", 404),
            ("judge", 200),
            ("manager", 200),
            ("owner", 200),
            ("staff", 200),
        ],
    )
    def test_unpublished_is_404_for_outsiders(self, people, draft, who, status):
        response = call(people[who], "get", agreement_url(draft))
        assert response.status_code == status, response.content
        if status == 404:
            assert_error(response, 404, "not_found")

    def test_unknown_challenge_is_404(self, solver):
        assert_error(call(solver, "get", "/api/v1/challenges/424242/agreement/"), 404, "not_found")

    def test_the_hash_shown_registers_and_records_the_acceptance(self, open_challenge, solver):
        shown = call(solver, "get", agreement_url(open_challenge)).json()
        response = call(
            solver,
            "post",
            f"/api/v1/challenges/{open_challenge.pk}/register/",
            {"accepted_sha256": shown["sha256"]},
        )
        assert response.status_code == 200, response.content
        acceptance = Registration.objects.get(user=solver).acceptance
        assert (acceptance.text, acceptance.text_sha256) == (shown["text"], shown["sha256"])
        assert acceptance.subject == f"challenge:{open_challenge.pk}"

    def test_a_hash_made_stale_by_a_new_version_is_refused(self, open_challenge, solver):
        shown = call(solver, "get", agreement_url(open_challenge)).json()
        template_publish(
            kind="challenge", variant="licence", title="Licence v2", body="New: {{ prize }}"
        )
        url = f"/api/v1/challenges/{open_challenge.pk}/register/"
        body = assert_error(
            call(solver, "post", url, {"accepted_sha256": shown["sha256"]}), 400, "stale_agreement"
        )
        assert body["detail"].startswith("The agreement has changed since you opened it.")
        assert "accepted_sha256" in body["fields"]
        assert not Registration.objects.exists() and not Acceptance.objects.exists()
        fresh = call(solver, "get", agreement_url(open_challenge)).json()
        assert (fresh["version"], fresh["title"]) == (2, "Licence v2")
        assert call(solver, "post", url, {"accepted_sha256": fresh["sha256"]}).status_code == 200
        assert Registration.objects.get(user=solver).acceptance.template.version == 2


def accept(user, challenge=None):
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
        ip="203.0.113.5",
        user_agent="Client/1.0",
    )


@pytest.fixture
def trail(open_challenge):
    ada, bob = UserFactory(email="ada@lab.example"), UserFactory(email="bob@works.example")
    return {
        "ada_challenge": accept(ada, open_challenge),
        "bob_challenge": accept(bob, open_challenge),
        "ada_site": accept(ada),
    }


def listed(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestAcceptances:
    URL = "/api/v1/acceptances/"

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 401),
            ("solver", 403),
            ("outsider", 403),
            ("judge", 403),
            ("manager", 403),
            ("owner", 403),
            ("staff", 200),
        ],
    )
    def test_staff_only(self, people, trail, who, status):
        response = call(people[who], "get", self.URL)
        if status == 200:
            assert len(listed(response)) == 3
        else:
            body = assert_error(response, status)
            assert "results" not in body

    def test_rows(self, staff, open_challenge, trail):
        ada = trail["ada_challenge"]
        rows = call(staff, "get", self.URL).json()["results"]
        assert [row["id"] for row in rows] == [
            trail["ada_site"].pk,
            trail["bob_challenge"].pk,
            ada.pk,
        ]
        row = rows[2]
        assert row.pop("accepted_at").startswith(ada.accepted_at.strftime("%Y-%m-%dT%H:%M"))
        assert row == {
            "id": ada.pk,
            "user_email": "ada@lab.example",
            "template_id": ada.template_id,
            "template_kind": "challenge",
            "template_variant": "licence",
            "template_version": 1,
            "language": "en",
            "template_sha256": ada.template_sha256,
            "subject": f"challenge:{open_challenge.pk}",
            "text_sha256": ada.text_sha256,
            "ip": "203.0.113.5",
            "user_agent": "Client/1.0",
        }

    def test_filters(self, staff, open_challenge, trail):
        other = ChallengeFactory(state=S.OPEN)
        elsewhere = accept(UserFactory(email="cy@lab.example"), other)
        assert listed(call(staff, "get", self.URL + "?user=LAB.")) == [
            elsewhere.pk,
            trail["ada_site"].pk,
            trail["ada_challenge"].pk,
        ]
        assert listed(call(staff, "get", self.URL + f"?challenge={open_challenge.pk}")) == [
            trail["bob_challenge"].pk,
            trail["ada_challenge"].pk,
        ]
        terms = trail["ada_site"].template_id
        assert listed(call(staff, "get", self.URL + f"?template={terms}")) == [trail["ada_site"].pk]
        both = f"?user=bob&challenge={open_challenge.pk}"
        assert listed(call(staff, "get", self.URL + both)) == [trail["bob_challenge"].pk]

    @pytest.mark.parametrize("query", ["challenge=x", "template=0", "challenge=-3"])
    def test_bad_filters_are_400(self, staff, trail, query):
        body = assert_error(call(staff, "get", f"{self.URL}?{query}"), 400, "invalid")
        assert query.split("=")[0] in body["fields"]


def test_both_endpoints_are_in_the_schema(client):
    schema = client.get("/api/schema/").content
    assert b"/api/v1/challenges/{id}/agreement/" in schema and b"/api/v1/acceptances/" in schema
    assert b"stale_agreement" in schema
