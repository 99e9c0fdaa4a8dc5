"""The staff list of every challenge: who sees it (staff; everyone else 404), its search
and filters (each narrowing the list, bad input shown as a form error), its pages, a
query count that does not grow with the rows, and the dashboard's state counts that
link to it."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from payouts.currency import format_money
from tests.factories import ChallengeFactory, OrganizationFactory
from tests.staff.test_pages_awards import awarding_challenge, proposed_award

pytestmark = pytest.mark.django_db

URL = reverse("staff_challenges")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def challenge(org, owner, title: str, *, state=S.DRAFT, created=None, deadline=None):
    """A challenge of `org`, created on `created` with its submission deadline on
    `deadline` (both days of 2025 as (month, day))."""
    fields = {}
    if deadline:
        fields["submission_deadline"] = datetime(2025, *deadline, 12, tzinfo=UTC)
    made = ChallengeFactory(organization=org, created_by=owner, title=title, state=state, **fields)
    if created:
        Challenge.objects.filter(pk=made.pk).update(
            created_at=datetime(2025, *created, 12, tzinfo=UTC)
        )
    return made


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [row.title for row in response.context["page"]]


@pytest.mark.parametrize("who", ["anonymous", "solver", "outsider", "judge", "owner"])
def test_404_for_everyone_but_staff(client, request, draft, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 404


def test_every_challenge_in_any_state_newest_first(staff_client, org, owner):
    challenge(org, owner, "Old draft", created=(1, 5))
    challenge(org, owner, "Cancelled one", state=S.CANCELLED, created=(2, 5))
    challenge(org, owner, "Open one", state=S.OPEN, created=(3, 5))
    response = staff_client.get(URL)
    assert listed(response) == ["Open one", "Cancelled one", "Old draft"]
    page = response.content.decode()
    assert format_money(2_500_000, "USD") in page
    assert org.name in page
    assert str(S.CANCELLED.label) in page


class TestFilters:
    @pytest.fixture
    def rows(self, org, owner):
        other = OrganizationFactory(name="Borealis Polymers")
        challenge(org, owner, "Sea film", state=S.OPEN, created=(1, 10), deadline=(3, 1))
        challenge(org, owner, "Cold glue", state=S.DRAFT, created=(2, 10), deadline=(4, 1))
        challenge(other, owner, "Warm ink", state=S.JUDGING, created=(3, 10), deadline=(5, 1))
        return other

    def test_by_one_state(self, staff_client, rows):
        assert listed(staff_client.get(URL, {"state": "open"})) == ["Sea film"]

    def test_by_several_states(self, staff_client, rows):
        response = staff_client.get(URL, {"state": ["open", "judging"]})
        assert listed(response) == ["Warm ink", "Sea film"]

    def test_by_organisation(self, staff_client, rows):
        assert listed(staff_client.get(URL, {"organization": rows.pk})) == ["Warm ink"]

    def test_search_matches_title_or_organisation(self, staff_client, rows):
        assert listed(staff_client.get(URL, {"q": " GLUE "})) == ["Cold glue"]
        assert listed(staff_client.get(URL, {"q": "borealis"})) == ["Warm ink"]

    def test_created_range_is_inclusive(self, staff_client, rows):
        response = staff_client.get(URL, {"created_from": "2025-02-10", "created_to": "2025-03-10"})
        assert listed(response) == ["Warm ink", "Cold glue"]
        assert listed(staff_client.get(URL, {"created_to": "2025-01-10"})) == ["Sea film"]

    def test_deadline_range_is_inclusive(self, staff_client, rows):
        response = staff_client.get(
            URL, {"deadline_from": "2025-03-01", "deadline_to": "2025-04-01"}
        )
        assert listed(response) == ["Cold glue", "Sea film"]
        assert listed(staff_client.get(URL, {"deadline_from": "2025-04-02"})) == ["Warm ink"]

    def test_filters_combine(self, staff_client, rows, org):
        response = staff_client.get(URL, {"organization": org.pk, "state": ["open", "judging"]})
        assert listed(response) == ["Sea film"]

    def test_bad_input_is_a_form_error_and_the_rest_still_applies(self, staff_client, rows):
        response = staff_client.get(
            URL,
            {
                "state": "bogus",
                "organization": "abc",
                "created_from": "not a date",
                "deadline_to": "2025-13-40",
                "q": "film",
            },
        )
        assert listed(response) == ["Sea film"]
        errors = response.context["form"].errors
        assert set(errors) == {"state", "organization", "created_from", "deadline_to"}
        assert 'class="errorlist' in response.content.decode()


def test_fifty_to_a_page(staff_client, org, owner):
    ChallengeFactory.create_batch(51, organization=org, created_by=owner, plan=False)
    first = staff_client.get(URL, {"state": "draft"})
    assert len(listed(first)) == 50
    assert "page=2" in first.content.decode()
    assert "state=draft" in first.content.decode()
    second = staff_client.get(URL, {"state": "draft", "page": 2})
    assert len(listed(second)) == 1
    assert staff_client.get(URL, {"page": "x"}).status_code == 200


def test_query_count_does_not_grow_with_rows(
    staff_client, org, owner, django_assert_max_num_queries
):
    challenge(org, owner, "Alone")
    with django_assert_max_num_queries(12) as few:
        staff_client.get(URL)
    proposed_award(awarding_challenge(org, owner), owner)
    for number in range(2):
        challenge(OrganizationFactory(), owner, f"Other {number}", state=S.IN_REVIEW)
    with django_assert_max_num_queries(len(few)):
        response = staff_client.get(URL)
    assert len(listed(response)) == 4


def test_rows_link_to_the_challenge_and_its_staff_actions(staff_client, org, owner):
    in_review = challenge(org, owner, "To review", state=S.IN_REVIEW)
    draft = challenge(org, owner, "Just a draft")
    awarding = proposed_award(awarding_challenge(org, owner), owner).challenge
    page = staff_client.get(URL).content.decode()

    def row(pk: int) -> str:
        match = re.search(rf'<tr id="challenge-{pk}">.*?</tr>', page, re.S)
        assert match, pk
        return match.group(0)

    for made in (in_review, draft, awarding):
        assert reverse("challenge_detail", args=[made.pk]) in row(made.pk)
    review = f"{reverse('staff_review_queue')}#challenge-{in_review.pk}"
    assert review in row(in_review.pk)
    awards = f"{reverse('staff_awards')}?challenge={awarding.pk}"
    payouts = f"{reverse('staff_payouts')}?challenge={awarding.pk}"
    assert awards in row(awarding.pk)
    assert payouts in row(awarding.pk)
    assert review not in row(draft.pk)
    assert "?challenge=" not in row(draft.pk) + row(in_review.pk)


def test_staff_menu_links_to_the_list(staff_client):
    assert f'href="{URL}"' in staff_client.get(reverse("staff_dashboard")).content.decode()


def test_dashboard_state_counts_link_to_the_filtered_list(staff_client, org, owner):
    challenge(org, owner, "Open one", state=S.OPEN)
    challenge(org, owner, "Open two", state=S.OPEN)
    challenge(org, owner, "Judged", state=S.JUDGING)
    page = staff_client.get(reverse("staff_dashboard")).content.decode()
    for state in S:
        assert f'href="{URL}?state={state.value}"' in page, state
    table = re.search(r'<table id="states-table">.*?</table>', page, re.S).group(0)
    links = dict(re.findall(r'href="([^"]+)">(\d+)</a>', table))
    assert links[f"{URL}?state=open"] == "2"
    assert links[f"{URL}?state=judging"] == "1"
    assert links[f"{URL}?state=draft"] == "0"
    assert listed(staff_client.get(f"{URL}?state=open")) == ["Open two", "Open one"]
