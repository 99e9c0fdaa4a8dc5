"""Challenge list, detail, create and update through the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from tests.api_calls import (
    assert_error,
    call,
    challenge_payload,
    client_for,
    db_state,
    future,
)
from tests.factories import ChallengeFactory, OrganizationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/challenges/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


class TestList:
    def test_public_catalogue_shows_open_challenges_only(self, org):
        ChallengeFactory(organization=org, title="Open one", state=S.OPEN)
        ChallengeFactory(organization=org, title="A draft")
        ChallengeFactory(organization=org, title="Under review", state=S.IN_REVIEW)
        ChallengeFactory(organization=org, title="Closed one", state=S.CLOSED)
        assert titles(call(None, "get", LIST)) == ["Open one"]
        assert sorted(titles(call(None, "get", LIST + "?state=open&state=closed"))) == [
            "Closed one",
            "Open one",
        ]
        body = assert_error(call(None, "get", LIST + "?state=open&state=draft"), 400, "invalid")
        assert list(body["fields"]) == ["state.1"]

    def test_filters_and_sorting(self, org):
        soon = timezone.now() + timedelta(days=3)
        ChallengeFactory(
            organization=org,
            title="Solar ink",
            kind="ideation",
            state=S.OPEN,
            prize_pool=100_000,
            currency="USD",
            submission_deadline=soon,
        )
        ChallengeFactory(
            organization=org,
            title="Algae fuel",
            kind="rtp",
            state=S.OPEN,
            prize_pool=900_000,
            currency="EUR",
        )
        ChallengeFactory(
            organization=org,
            title="Yen prize",
            kind="erfp",
            state=S.OPEN,
            prize_pool=500_000,
            currency="JPY",
        )
        assert titles(call(None, "get", LIST + "?q=algae")) == ["Algae fuel"]
        assert sorted(titles(call(None, "get", LIST + "?kind=ideation&kind=rtp"))) == [
            "Algae fuel",
            "Solar ink",
        ]
        assert titles(call(None, "get", LIST + "?currency=JPY")) == ["Yen prize"]
        # major units of each challenge's own currency: 5,000 USD/EUR, 5,000 JPY
        assert sorted(titles(call(None, "get", LIST + "?prize_min=5000"))) == [
            "Algae fuel",
            "Yen prize",
        ]
        assert titles(call(None, "get", LIST + "?prize_max=1000.00")) == ["Solar ink"]
        before = (soon + timedelta(days=1)).isoformat().replace("+", "%2B")
        assert titles(call(None, "get", LIST + f"?deadline_before={before}")) == ["Solar ink"]
        assert titles(call(None, "get", LIST + "?sort=-prize")) == [
            "Algae fuel",
            "Yen prize",
            "Solar ink",
        ]

    @pytest.mark.parametrize(
        "query, field",
        [
            ("kind=poetry", "kind.0"),
            ("state=bogus", "state.0"),
            ("sort=random", "sort"),
            ("prize_min=lots", "prize_min"),
            ("prize_max=-5", "prize_max"),
            ("deadline_before=tomorrow", "deadline_before"),
        ],
    )
    def test_bad_filters_are_400(self, query, field):
        body = assert_error(call(None, "get", f"{LIST}?{query}"), 400, "invalid")
        assert field in body["fields"]

    def test_rows_are_complete_and_hide_hidden_seekers(self, org, staff):
        ChallengeFactory(
            organization=org, state=S.OPEN, prize_pool=2_500_000, currency="USD", hide_seeker=True
        )
        RegistrationFactory(challenge=Challenge.objects.get())
        row = call(None, "get", LIST).json()["results"][0]
        assert row["prize_pool"] == "25000.00" and row["prize_pool_minor"] == 2_500_000
        assert row["prize_display"] == "$25,000.00"
        assert row["solver_count"] == 1 and row["state"] == "open"
        assert row["organization"] is None
        staff_row = call(staff, "get", LIST).json()["results"][0]
        assert staff_row["organization"] == {"id": org.pk, "name": org.name}

    def test_mine_lists_my_organisations_challenges_in_every_state(self, org, judge, outsider):
        ChallengeFactory(organization=org, title="Our draft", hide_seeker=True)
        ChallengeFactory(organization=org, title="Our open one", state=S.OPEN)
        ChallengeFactory(title="Someone else's draft")
        response = call(judge, "get", LIST + "?mine=1")
        assert sorted(titles(response)) == ["Our draft", "Our open one"]
        assert all(row["organization"]["id"] == org.pk for row in response.json()["results"])
        assert titles(call(outsider, "get", LIST + "?mine=1")) == []

    def test_query_count_does_not_grow_with_the_page(self, org, django_assert_max_num_queries):
        ChallengeFactory.create_batch(2, organization=org, state=S.OPEN, plan=False)
        with django_assert_max_num_queries(2) as small:
            call(None, "get", LIST)
        ChallengeFactory.create_batch(
            25, organization=OrganizationFactory(), state=S.OPEN, plan=False
        )
        with django_assert_max_num_queries(len(small.captured_queries)):
            assert len(titles(call(None, "get", LIST))) == 20


class TestDetail:
    def test_outsiders_get_the_public_part(self, org, solver):
        challenge = ChallengeFactory(
            organization=org, state=S.OPEN, hide_seeker=True, currency="EUR", prize_pool=5_000_000
        )
        body = call(solver, "get", f"{LIST}{challenge.pk}/").json()
        assert body["brief"] is None and body["brief_html"] is None
        assert body["organization"] is None
        assert body["prize_pool"] == "50000.00" and body["prize_pool_minor"] == 5_000_000
        assert body["prize_display"] == "€50,000.00"
        assert body["requirements"] == [
            {"title": "Degrades in sea water", "description": "", "weight": 100}
        ]
        assert body["award_amounts"] == ["50000.00"]
        assert body["award_amounts_minor"] == [5_000_000]
        assert body["award_percentages"] == ["100.00"]
        assert body["available_transitions"] == [] and body["is_registered"] is False

    @pytest.mark.parametrize("who", ["registered", "judge", "staff"])
    def test_brief_for_registered_solvers_members_and_staff(self, org, request, who):
        challenge = ChallengeFactory(organization=org, state=S.OPEN, hide_seeker=True)
        user = (
            RegistrationFactory(challenge=challenge).user
            if who == "registered"
            else request.getfixturevalue(who)
        )
        body = call(user, "get", f"{LIST}{challenge.pk}/").json()
        assert body["brief"] == challenge.brief
        assert body["brief_html"] == "<h2>Background</h2>\n<p>We need a <strong>film</strong>.</p>"
        assert (body["organization"] is None) == (who == "registered")

    def test_available_transitions_follow_the_reader(self, draft, owner, judge, staff):
        url = f"{LIST}{draft.pk}/"
        assert call(owner, "get", url).json()["available_transitions"] == ["cancel", "submit"]
        assert call(judge, "get", url).json()["available_transitions"] == []
        assert call(staff, "get", url).json()["available_transitions"] == ["cancel"]

    def test_the_award_plan_is_read_once(self, org, solver, django_assert_max_num_queries):
        challenge = ChallengeFactory(organization=org, state=S.OPEN)
        with django_assert_max_num_queries(50) as counted:
            body = call(solver, "get", f"{LIST}{challenge.pk}/").json()
        assert [a["amount"] for a in body["planned_awards"]] == body["award_amounts_minor"]
        assert [a["percentage"] for a in body["planned_awards"]] == body["award_percentages"]
        plan_reads = [q for q in counted.captured_queries if "plannedaward" in q["sql"]]
        assert len(plan_reads) == 1

    def test_invisible_or_missing_is_404(self, draft, solver):
        assert_error(call(solver, "get", f"{LIST}{draft.pk}/"), 404, "not_found")
        assert_error(call(solver, "get", f"{LIST}999999/"), 404, "not_found")


class TestCreate:
    def test_creates_a_draft_with_its_plan(self, org, manager):
        response = call(manager, "post", LIST, challenge_payload(org))
        assert response.status_code == 201, response.content
        body = response.json()
        challenge = Challenge.objects.get(pk=body["id"])
        assert challenge.state == S.DRAFT and challenge.created_by == manager
        assert challenge.prize_pool == 5_000_000 and challenge.currency == "EUR"
        assert [(r.title, r.weight) for r in challenge.requirements.all()] == [
            ("Energy use", 60),
            ("Durability", 40),
        ]
        assert [a.amount for a in challenge.planned_awards.all()] == [3_000_000, 2_000_000]
        assert body["state"] == "draft" and body["award_amounts"] == ["30000.00", "20000.00"]
        assert body["award_amounts_minor"] == [3_000_000, 2_000_000]
        assert body["award_percentages"] == ["60.00", "40.00"]
        assert body["prize_pool"] == "50000.00" and body["prize_pool_minor"] == 5_000_000
        assert body["available_transitions"] == ["submit"]

    @pytest.mark.parametrize(
        "changes, field",
        [
            ({"prize_pool": "-100.00", "award_amounts": ["-100.00"]}, "prize_pool"),
            ({"prize_pool": "0", "award_amounts": ["0"]}, "prize_pool"),
            ({"prize_pool": "50000.005"}, "prize_pool"),
            ({"prize_pool": "50,000.00"}, "prize_pool"),
            ({"prize_pool": "5e4"}, "prize_pool"),
            ({"prize_pool": 5e20}, "prize_pool"),
            ({"prize_pool": "fifty thousand"}, "prize_pool"),
            ({"prize_pool": True}, "prize_pool"),
            ({"prize_pool": None}, "prize_pool"),
            ({"prize_pool": ["50000"]}, "prize_pool"),
            ({"prize_pool": "200000000.00", "award_amounts": ["200000000.00"]}, "prize_pool"),
            ({"award_amounts": ["30000.00", "10000.00"]}, "award_amounts"),
            ({"award_amounts": ["30000.00", True]}, "award_amounts.1"),
            ({"award_amounts": ["30000.00", "20000.001"]}, "award_amounts"),
            ({"award_amounts": []}, "award_amounts"),
            ({"award_percentages": ["60", "40"]}, "award_amounts"),
            ({"award_amounts": [], "award_percentages": ["60", "30"]}, "award_percentages"),
            ({"award_amounts": [], "award_percentages": ["60.005", "39.995"]}, "award_percentages"),
            ({"award_amounts": [], "award_percentages": ["sixty", "40"]}, "award_percentages.0"),
            ({"award_amounts": [], "award_percentages": ["100", "0"]}, "award_percentages"),
            ({"currency": "XXX"}, "currency"),
            (
                {"submission_deadline": (timezone.now() - timedelta(days=1)).isoformat()},
                "submission_deadline",
            ),
            ({"judging_deadline": future(10)}, "judging_deadline"),
            ({"submission_deadline": "2031-05-01T12:00:00"}, "submission_deadline"),
            (
                {"requirements": [{"title": f"R{i}", "weight": 10} for i in range(11)]},
                "requirements",
            ),
            ({"requirements": [{"title": "Only", "weight": 90}]}, "requirements"),
            ({"requirements": [{"title": "Only", "weight": 100.0}]}, "requirements.0.weight"),
            ({"requirements": []}, "requirements"),
            ({"title": "   "}, "title"),
            ({"title": "x" * 201}, "title"),
            ({"kind": "poetry"}, "kind"),
        ],
    )
    def test_bad_input_is_400_and_creates_nothing(self, org, owner, changes, field):
        before = db_state()
        body = assert_error(
            call(owner, "post", LIST, challenge_payload(org, **changes)), 400, "invalid"
        )
        assert field in body["fields"], body
        assert all(messages and all(messages) for messages in body["fields"].values())
        assert db_state() == before

    def test_amount_errors_say_what_to_send(self, org, owner):
        body = call(owner, "post", LIST, challenge_payload(org, prize_pool="12 EUR")).json()
        assert '"25000.00"' in body["fields"]["prize_pool"][0]
        assert "minor units" not in body["fields"]["prize_pool"][0]
        body = call(owner, "post", LIST, challenge_payload(org, prize_pool=None)).json()
        assert '"25000.00"' in body["fields"]["prize_pool"][0]

    @pytest.mark.parametrize(
        "pool, awards",
        [
            ("50000.00", ["30000.00", "20000.00"]),
            ("50000", ["30000", "20000"]),
            (50000, [30000, 20000]),
            (50000.0, [29999.99, 20000.01]),
        ],
    )
    def test_amounts_are_major_units_as_strings_or_exact_numbers(self, org, owner, pool, awards):
        payload = challenge_payload(org, prize_pool=pool, award_amounts=awards)
        response = call(owner, "post", LIST, payload)
        assert response.status_code == 201, response.content
        challenge = Challenge.objects.get(pk=response.json()["id"])
        assert challenge.prize_pool == 5_000_000
        assert sum(a.amount for a in challenge.planned_awards.all()) == 5_000_000

    def test_amounts_round_trip(self, org, owner):
        body = call(owner, "post", LIST, challenge_payload(org)).json()
        again = challenge_payload(
            prize_pool=body["prize_pool"], award_amounts=body["award_amounts"]
        )
        response = call(owner, "put", f"{LIST}{body['id']}/", again)
        assert response.status_code == 200, response.content
        assert response.json()["prize_pool"] == "50000.00"

    def test_a_yen_pool_has_no_decimals(self, org, owner):
        payload = challenge_payload(
            org, currency="JPY", prize_pool="5000000.50", award_amounts=["5000000.50"]
        )
        body = assert_error(call(owner, "post", LIST, payload), 400, "invalid")
        assert body["fields"]["prize_pool"] == ["JPY amounts are whole numbers: no decimals."]
        assert body["fields"]["award_amounts"] == ["JPY amounts are whole numbers: no decimals."]

    def test_money_errors_name_amounts_in_the_currency(self, org, owner):
        payload = challenge_payload(
            org, currency="USD", prize_pool="100000", award_amounts=["60000", "30000"]
        )
        body = assert_error(call(owner, "post", LIST, payload), 400, "invalid")
        assert body["fields"]["award_amounts"] == [
            "The awards add up to $90,000.00 but the prize pool is $100,000.00."
        ]
        payload = challenge_payload(org, prize_pool="200000000", award_amounts=["200000000"])
        body = call(owner, "post", LIST, payload, language="es").json()
        assert body["fields"]["prize_pool"] == [
            "La bolsa de premios puede ser como máximo de 100.000.000,00\xa0€."
        ]

    def test_an_award_plan_as_percentages(self, org, owner):
        payload = challenge_payload(
            org,
            prize_pool="1000.00",
            award_amounts=[],
            award_percentages=["33.33", 33.33, "33.34"],
        )
        response = call(owner, "post", LIST, payload)
        assert response.status_code == 201, response.content
        challenge = Challenge.objects.get(pk=response.json()["id"])
        assert [a.amount for a in challenge.planned_awards.all()] == [33_330, 33_330, 33_340]
        body = response.json()
        assert body["award_amounts"] == ["333.30", "333.30", "333.40"]
        assert body["award_percentages"] == ["33.33", "33.33", "33.34"]

    def test_html_in_the_brief_is_stored_but_rendered_inert(self, org, owner):
        brief = (
            'Hello <script>alert("x")</script> <img src=x onerror="alert(1)"> '
            '[click](javascript:alert(1)) <a href="https://example.com">ok</a>'
        )
        body = call(owner, "post", LIST, challenge_payload(org, brief=brief)).json()
        assert Challenge.objects.get(pk=body["id"]).brief == brief
        assert body["brief"] == brief
        html = body["brief_html"]
        assert "<script" not in html and "onerror" not in html and "javascript:" not in html
        assert '<a href="https://example.com" rel="nofollow noopener noreferrer">ok</a>' in html

    def test_form_encoded_bodies_are_refused(self, org, owner):
        response = client_post_form(owner, LIST, {"title": "x"})
        assert_error(response, 415, "unsupported_media_type")


def client_post_form(user, url, data):
    return client_for(user).post(url, data)


class TestUpdate:
    def test_put_replaces_everything(self, draft, owner):
        response = call(owner, "put", f"{LIST}{draft.pk}/", challenge_payload())
        assert response.status_code == 200, response.content
        draft = Challenge.objects.get(pk=draft.pk)
        assert draft.title == "Cheaper desalination membrane" and draft.currency == "EUR"
        assert [a.amount for a in draft.planned_awards.all()] == [3_000_000, 2_000_000]

    def test_patch_merges_with_the_current_content(self, draft, manager):
        response = call(manager, "patch", f"{LIST}{draft.pk}/", {"title": "Sea-safe film"})
        assert response.status_code == 200, response.content
        draft = Challenge.objects.get(pk=draft.pk)
        assert draft.title == "Sea-safe film" and draft.prize_pool == 2_500_000
        assert [a.amount for a in draft.planned_awards.all()] == [2_500_000]
        assert [(r.title, r.weight) for r in draft.requirements.all()] == [
            ("Degrades in sea water", 100)
        ]
        assert response.json()["title"] == "Sea-safe film"

    def test_patch_is_validated_as_a_whole(self, draft, owner):
        before = db_state()
        body = assert_error(
            call(owner, "patch", f"{LIST}{draft.pk}/", {"prize_pool": "30000.00"}), 400, "invalid"
        )
        assert "award_amounts" in body["fields"]
        assert db_state() == before
        response = call(
            owner,
            "patch",
            f"{LIST}{draft.pk}/",
            {"prize_pool": "30000.00", "award_amounts": ["20000.00", "10000.00"]},
        )
        assert response.status_code == 200
        assert [a.amount for a in draft.planned_awards.all()] == [2_000_000, 1_000_000]

    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_only_a_draft_can_be_edited(self, org, owner, method):
        challenge = ChallengeFactory(organization=org, state=S.IN_REVIEW)
        before = db_state()
        body = assert_error(
            call(owner, method, f"{LIST}{challenge.pk}/", challenge_payload()), 409, "not_editable"
        )
        assert body["state"] == "in_review"
        assert db_state() == before

    def test_patch_with_percentages_replaces_the_amounts(self, draft, owner):
        url = f"{LIST}{draft.pk}/"
        response = call(owner, "patch", url, {"award_percentages": ["62.5", "37.5"]})
        assert response.status_code == 200, response.content
        assert [a.amount for a in draft.planned_awards.all()] == [1_562_500, 937_500]
        assert response.json()["award_amounts"] == ["15625.00", "9375.00"]
        assert response.json()["award_percentages"] == ["62.50", "37.50"]
        response = call(owner, "patch", url, {"prize_pool": "30000", "award_amounts": ["30000"]})
        assert response.status_code == 200, response.content
        assert [a.amount for a in draft.planned_awards.all()] == [3_000_000]

    def test_patch_needs_an_object(self, draft, owner):
        assert_error(call(owner, "patch", f"{LIST}{draft.pk}/", ["title"]), 400, "invalid")


def test_judging_options_are_kept_by_a_patch_and_validated(org, owner):
    created = call(
        owner,
        "post",
        "/api/v1/challenges/",
        {
            **challenge_payload(org),
            "blind_judging": True,
            "max_submissions_per_solver": 5,
        },
    ).json()
    body = call(owner, "patch", f"/api/v1/challenges/{created['id']}/", {"title": "Renamed"}).json()
    assert (body["blind_judging"], body["max_submissions_per_solver"]) == (True, 5)
    for bad in (0, 21, 2.0, "3"):
        response = call(
            owner,
            "patch",
            f"/api/v1/challenges/{created['id']}/",
            {"max_submissions_per_solver": bad},
        )
        assert (
            response.status_code == 400
            and "max_submissions_per_solver" in response.json()["fields"]
        )
