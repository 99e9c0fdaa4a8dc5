"""The public pages: landing page, catalogue, challenge page, registration and
clarifications."""

import re
from datetime import timedelta
from html import escape, unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge, ChallengeKind
from marketplace.challenges.models import ChallengeState as S
from marketplace.participation.models import Registration
from tests.factories import ChallengeFactory, RegistrationFactory, agreement_hash

pytestmark = pytest.mark.django_db

CATALOGUE = reverse("catalogue")


def titles(response) -> list[str]:
    """Titles of the catalogue's cards, in page order (as drawn: the page may come from
    the cache, without a context)."""
    found = re.findall(r'<h3><a href="/challenges/\d+/">([^<]*)</a></h3>', response.text)
    return [unescape(title) for title in found]


def detail(challenge) -> str:
    return reverse("challenge_detail", args=[challenge.pk])


class TestHome:
    def test_shows_newest_open_challenges(self, client):
        older = ChallengeFactory(
            state=S.OPEN, title="Older one", published_at=timezone.now() - timedelta(days=3)
        )
        newer = ChallengeFactory(state=S.OPEN, title="Newer one", published_at=timezone.now())
        ChallengeFactory(state=S.IN_REVIEW, title="Not yet public")
        content = client.get("/").content.decode()
        assert content.index(newer.title) < content.index(older.title)
        assert "Not yet public" not in content
        assert CATALOGUE in content


class TestCatalogue:
    def test_default_lists_open_challenges_only(self, client):
        ChallengeFactory(state=S.OPEN, title="Open one")
        for state in (S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.CLOSED, S.CANCELLED):
            ChallengeFactory(state=state, title=f"In state {state}")
        assert titles(client.get(CATALOGUE)) == ["Open one"]

    def test_state_filter_shows_published_states_but_never_unpublished(self, client):
        ChallengeFactory(state=S.OPEN, title="Open one")
        ChallengeFactory(state=S.CLOSED, title="Closed one")
        ChallengeFactory(state=S.DRAFT, title="Draft one")
        assert sorted(titles(client.get(CATALOGUE, {"state": ["closed", "open"]}))) == [
            "Closed one",
            "Open one",
        ]
        assert titles(client.get(CATALOGUE, {"state": "closed"})) == ["Closed one"]
        response = client.get(CATALOGUE, {"state": ["closed", "draft"]})
        assert "state" in response.context["form"].errors  # "draft" is not a choice: ignored
        assert titles(response) == ["Open one"]

    def test_text_search_matches_title_and_summary(self, client):
        ChallengeFactory(state=S.OPEN, title="Graphene membrane")
        ChallengeFactory(state=S.OPEN, title="Other", summary="A cheaper GRAPHENE process.")
        ChallengeFactory(state=S.OPEN, title="Unrelated")
        assert sorted(titles(client.get(CATALOGUE, {"q": "graphene"}))) == [
            "Graphene membrane",
            "Other",
        ]

    def test_type_filter_takes_several_types(self, client):
        ChallengeFactory(state=S.OPEN, title="Idea", kind=ChallengeKind.IDEATION)
        ChallengeFactory(state=S.OPEN, title="RTP", kind=ChallengeKind.REDUCTION_TO_PRACTICE)
        ChallengeFactory(state=S.OPEN, title="Theory", kind=ChallengeKind.THEORETICAL)
        response = client.get(CATALOGUE, {"kind": ["ideation", "rtp"]})
        assert sorted(titles(response)) == ["Idea", "RTP"]

    def test_prize_range_in_major_units_and_currency(self, client):
        ChallengeFactory(state=S.OPEN, title="Small", prize_pool=100_000, plan=False)  # $1,000
        ChallengeFactory(state=S.OPEN, title="Big", prize_pool=5_000_000, plan=False)  # $50,000
        ChallengeFactory(
            state=S.OPEN, title="Yen", prize_pool=3_000_000, currency="JPY", plan=False
        )
        assert sorted(titles(client.get(CATALOGUE, {"prize_min": "10000"}))) == ["Big", "Yen"]
        assert titles(client.get(CATALOGUE, {"prize_min": "10000", "currency": "USD"})) == ["Big"]
        assert titles(client.get(CATALOGUE, {"prize_max": "1000.00"})) == ["Small"]

    def test_deadline_before(self, client):
        soon = timezone.now() + timedelta(days=2)
        ChallengeFactory(state=S.OPEN, title="Soon", submission_deadline=soon)
        ChallengeFactory(state=S.OPEN, title="Later", submission_deadline=soon + timedelta(days=60))
        day = (soon + timedelta(days=2)).date().isoformat()
        assert titles(client.get(CATALOGUE, {"deadline_before": day})) == ["Soon"]

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("prize", ["A", "B", "C"]),
            ("-prize", ["C", "B", "A"]),
            ("deadline", ["C", "A", "B"]),
            ("-deadline", ["B", "A", "C"]),
        ],
    )
    def test_sort(self, client, sort, expected):
        now = timezone.now()
        for title, prize, days in (("A", 100_000, 20), ("B", 200_000, 30), ("C", 300_000, 10)):
            ChallengeFactory(
                state=S.OPEN,
                title=title,
                prize_pool=prize,
                plan=False,
                submission_deadline=now + timedelta(days=days),
            )
        assert titles(client.get(CATALOGUE, {"sort": sort})) == expected

    def test_bad_input_shows_the_error_and_ignores_only_that_filter(self, client):
        ChallengeFactory(state=S.OPEN, title="Graphene membrane")
        ChallengeFactory(state=S.OPEN, title="Unrelated")
        response = client.get(
            CATALOGUE,
            {"q": "graphene", "prize_min": "abc", "deadline_before": "31/31/2020", "sort": "bogus"},
        )
        assert response.status_code == 200
        assert titles(response) == ["Graphene membrane"]
        errors = response.context["form"].errors
        assert set(errors) == {"prize_min", "deadline_before", "sort"}
        assert "Enter a number." in response.content.decode()

    def test_pagination_keeps_the_filters(self, client, settings):
        settings.MARKETPLACE = {**settings.MARKETPLACE, "CATALOGUE_PAGE_SIZE": 2}
        now = timezone.now()
        for n in range(5):
            ChallengeFactory(
                state=S.OPEN,
                title=f"Idea {n}",
                kind=ChallengeKind.IDEATION,
                submission_deadline=now + timedelta(days=10 + n),
            )
        ChallengeFactory(state=S.OPEN, title="Theory", kind=ChallengeKind.THEORETICAL)
        first = client.get(CATALOGUE, {"kind": "ideation"})
        assert titles(first) == ["Idea 0", "Idea 1"]
        assert 'href="?kind=ideation&amp;page=2"' in first.content.decode()
        last = client.get(CATALOGUE, {"kind": "ideation", "page": "3"})
        assert titles(last) == ["Idea 4"]
        assert 'href="?kind=ideation&amp;page=2"' in last.content.decode()
        bad_page = client.get(CATALOGUE, {"kind": "ideation", "page": "x"})
        assert titles(bad_page) == ["Idea 0", "Idea 1"]

    def test_card_shows_prize_countdown_type_solvers_and_seeker(self, client):
        deadline = timezone.now() + timedelta(days=3, hours=1)
        challenge = ChallengeFactory(
            state=S.OPEN, kind=ChallengeKind.IDEATION, submission_deadline=deadline
        )
        RegistrationFactory.create_batch(2, challenge=challenge)
        hidden = ChallengeFactory(state=S.OPEN, hide_seeker=True)
        content = client.get(CATALOGUE).content.decode()
        assert "$25,000.00" in content
        assert "closes in 3\xa0days" in content
        assert "Ideation" in content
        assert "2 solvers registered" in content
        assert challenge.organization.name in content
        assert hidden.title in content and hidden.organization.name not in content

    def test_queries_do_not_grow_with_rows(self, client, settings, django_assert_max_num_queries):
        settings.MARKETPLACE = {**settings.MARKETPLACE, "CATALOGUE_PAGE_SIZE": 50}

        def count_queries(total: int) -> int:
            missing = total - Challenge.objects.count()
            ChallengeFactory.create_batch(missing, state=S.OPEN, plan=False)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(CATALOGUE)
            assert len(response.context["page"].object_list) == total
            return len(ctx.captured_queries)

        few = count_queries(5)
        many = count_queries(30)
        assert few == many
        with django_assert_max_num_queries(few):
            client.get(CATALOGUE)

    @pytest.mark.parametrize("how", ["header", "cookie"])
    def test_spanish_money_formatting(self, client, settings, how):
        ChallengeFactory(state=S.OPEN)
        if how == "cookie":
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
            response = client.get(CATALOGUE)
        else:
            response = client.get(CATALOGUE, headers={"accept-language": "es"})
        assert "25.000,00\xa0US$" in response.content.decode()


class TestChallengePage:
    def test_public_facts(self, client):
        challenge = ChallengeFactory(state=S.OPEN, eligibility="Open to everyone over 18.")
        RegistrationFactory(challenge=challenge)
        content = client.get(detail(challenge)).content.decode()
        for text in (
            challenge.title,
            challenge.summary,
            "$25,000.00",
            "Theoretical",
            "Exclusive IP transfer",
            "Open to everyone over 18.",
            "1 solver registered",
            'class="badge state-open"',
            challenge.organization.name,
        ):
            assert text in content

    @pytest.mark.parametrize(
        ("language", "shares"),
        [
            (
                "en",
                ["$20,000.00 (66.67% of the prize pool)", "$10,000.00 (33.33% of the prize pool)"],
            ),
            (
                "es",
                [
                    "20.000,00\xa0US$ (66,67\xa0% de la bolsa de premios)",
                    "10.000,00\xa0US$ (33,33\xa0% de la bolsa de premios)",
                ],
            ),
        ],
    )
    def test_the_award_plan_both_ways(self, client, language, shares):
        challenge = ChallengeFactory(state=S.OPEN, prize_pool=3_000_000, plan=False)
        challenge.planned_awards.create(position=1, amount=2_000_000)
        challenge.planned_awards.create(position=2, amount=1_000_000)
        content = client.get(detail(challenge), headers={"accept-language": language}).content
        for share in shares:
            assert escape(share) in content.decode()

    @pytest.mark.parametrize(
        ("who", "sees"),
        [
            ("anonymous", False),
            ("solver", False),
            ("registered", False),
            ("judge", True),
            ("staff", True),
        ],
    )
    def test_hide_seeker(self, client, org, request, who, sees):
        challenge = ChallengeFactory(state=S.OPEN, organization=org, hide_seeker=True)
        if who == "registered":
            client.force_login(RegistrationFactory(challenge=challenge).user)
        elif who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        assert (org.name in client.get(detail(challenge)).content.decode()) is sees

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("anonymous", 404),
            ("solver", 404),
            ("outsider", 404),
            ("judge", 200),
            ("owner", 200),
            ("staff", 200),
        ],
    )
    @pytest.mark.parametrize("state", [S.DRAFT, S.IN_REVIEW, S.AWAITING_FUNDING, S.CANCELLED])
    def test_unpublished_is_404_for_non_members(self, client, org, request, who, status, state):
        challenge = ChallengeFactory(state=state, organization=org)
        if who != "anonymous":
            client.force_login(request.getfixturevalue(who))
        response = client.get(detail(challenge))
        assert response.status_code == status
        if status == 200:
            assert challenge.title in response.content.decode()

    def test_editor_gets_a_manage_link(self, client, org, owner, judge):
        challenge = ChallengeFactory(state=S.OPEN, organization=org)
        manage = reverse("seekers:challenge_manage", args=[challenge.pk])
        client.force_login(owner)
        assert manage in client.get(detail(challenge)).content.decode()
        client.force_login(judge)
        assert manage not in client.get(detail(challenge)).content.decode()

    def test_anonymous_is_asked_to_log_in(self, client):
        challenge = ChallengeFactory(state=S.OPEN, brief="Secret **method**")
        content = client.get(detail(challenge)).content.decode()
        assert f"{reverse('account_login')}?next={detail(challenge)}" in content
        assert "Secret" not in content

    def test_brief_hidden_until_registered(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN, brief="Secret **method**")
        client.force_login(solver)
        before = client.get(detail(challenge)).content.decode()
        assert "Secret" not in before and "Degrades in sea water" not in before
        assert "Accept and register" in before

        response = client.post(
            reverse("challenge_register", args=[challenge.pk]),
            {"accepted_sha256": agreement_hash(challenge), "accept": "on"},
            follow=True,
        )
        assert response.redirect_chain == [(detail(challenge), 302)]
        after = response.content.decode()
        assert "You are registered for this challenge." in after
        assert "Secret <strong>method</strong>" in after
        assert "Degrades in sea water" in after
        assert "Accept and register" not in after
        assert Registration.objects.filter(challenge=challenge, user=solver).count() == 1

    def test_member_cannot_register(self, client, org, owner):
        challenge = ChallengeFactory(state=S.OPEN, organization=org)
        client.force_login(owner)
        content = client.get(detail(challenge)).content.decode()
        assert "Accept and register" not in content
        response = client.post(
            reverse("challenge_register", args=[challenge.pk]),
            {"accepted_sha256": agreement_hash(challenge), "accept": "on"},
            follow=True,
        )
        assert "cannot register as solvers" in response.content.decode()
        assert not Registration.objects.exists()

    def test_register_when_closed_is_refused(self, client, solver):
        challenge = ChallengeFactory(state=S.CLOSED)
        client.force_login(solver)
        assert "Accept and register" not in client.get(detail(challenge)).content.decode()
        response = client.post(
            reverse("challenge_register", args=[challenge.pk]),
            {"accepted_sha256": agreement_hash(challenge), "accept": "on"},
            follow=True,
        )
        assert "only possible while the challenge is open" in response.content.decode()
        assert not Registration.objects.exists()

    def test_register_needs_log_in_and_a_visible_challenge(self, client, solver):
        challenge = ChallengeFactory(state=S.OPEN)
        response = client.post(reverse("challenge_register", args=[challenge.pk]))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
        draft = ChallengeFactory(state=S.DRAFT)
        client.force_login(solver)
        assert client.post(reverse("challenge_register", args=[draft.pk])).status_code == 404
        assert client.get(reverse("challenge_register", args=[challenge.pk])).status_code == 405
        assert not Registration.objects.exists()

    def test_html_and_script_render_inert(self, client, org, owner):
        challenge = ChallengeFactory(
            state=S.OPEN,
            organization=org,
            title="<script>alert('t')</script>",
            summary="<script>alert('s')</script>",
            brief=(
                "Hi <script>alert('b')</script> <img src=x onerror=alert(1)> "
                "[x](javascript:alert(2))"
            ),
        )
        client.force_login(owner)
        content = client.get(detail(challenge)).content.decode()
        scripts = re.findall(r"<script[^>]*>", content)
        assert scripts and all(
            re.fullmatch(r'<script src="/static/[^"]+" defer>', s) for s in scripts
        )
        assert "onerror" not in content and "javascript:" not in content
        assert "&lt;script&gt;alert(&#x27;t&#x27;)" in content
