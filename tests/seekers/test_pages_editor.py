"""The challenge editor: a valid draft is saved; every bad input is shown next to its
field (or above its formset), keeps what was typed, and saves nothing."""

import re
from datetime import UTC, datetime, timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.challenges.models import Challenge
from marketplace.challenges.models import ChallengeState as S
from tests.factories import ChallengeFactory

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


def create_url(org) -> str:
    return reverse("seekers:challenge_create", args=[org.pk])


def edit_url(challenge) -> str:
    return reverse("seekers:challenge_edit", args=[challenge.pk])


def in_days(days: int) -> str:
    return (timezone.now() + timedelta(days=days)).strftime(LOCAL)


def editor_data(
    requirements=(("Transmits light", "60"), ("Costs less", "40")), awards=("25000.00",), **fields
) -> dict:
    data = {
        "title": "Cheaper solar glass",
        "summary": "Glass that costs half as much.",
        "brief": "## Problem\nMake it **cheap**.",
        "kind": "theoretical",
        "currency": "USD",
        "prize_pool": "25000.00",
        "ip_model": "transfer",
        "submission_deadline": in_days(30),
        "judging_deadline": in_days(60),
        "eligibility": "Anyone.",
        "req-TOTAL_FORMS": str(len(requirements)),
        "req-INITIAL_FORMS": "0",
        "award-TOTAL_FORMS": str(len(awards)),
        "award-INITIAL_FORMS": "0",
    }
    for i, (title, weight) in enumerate(requirements):
        data[f"req-{i}-title"], data[f"req-{i}-weight"] = title, weight
    column = "percentage" if fields.get("award_mode") == "percentages" else "amount"
    for i, value in enumerate(awards):
        data[f"award-{i}-{column}"] = value
    data.update(fields)
    return data


def error_next_to(html: str, name: str, message: str) -> bool:
    """The message is in the error list rendered right before the field's widget."""
    pattern = (
        r'<ul class="errorlist"[^>]*>(?:(?!</ul>).)*'
        + re.escape(escape(message))
        + r'(?:(?!</ul>).)*</ul>\s*<(?:input|select|textarea)[^>]*name="'
        + name
        + '"'
    )
    return re.search(pattern, html, re.S) is not None


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


class TestCreate:
    def test_valid_draft_is_saved_with_its_plan(self, owner_client, org, owner):
        data = editor_data(
            submission_deadline="2031-03-01T12:00",
            judging_deadline="2031-04-01T09:30",
            hide_seeker="on",
        )
        data["req-0-description"] = "At least 92 %."
        response = owner_client.post(create_url(org), data, follow=True)
        challenge = Challenge.objects.get()
        assert response.redirect_chain[-1][0] == reverse(
            "seekers:challenge_manage", args=[challenge.pk]
        )
        assert (challenge.organization, challenge.created_by) == (org, owner)
        assert challenge.state == S.DRAFT
        assert (challenge.prize_pool, challenge.currency) == (2_500_000, "USD")
        assert challenge.hide_seeker is True
        assert challenge.submission_deadline == datetime(2031, 3, 1, 12, 0, tzinfo=UTC)
        assert challenge.judging_deadline == datetime(2031, 4, 1, 9, 30, tzinfo=UTC)
        rows = challenge.requirements.values_list("position", "title", "description", "weight")
        assert list(rows) == [
            (1, "Transmits light", "At least 92 %.", 60),
            (2, "Costs less", "", 40),
        ]
        assert list(challenge.planned_awards.values_list("amount", flat=True)) == [2_500_000]

    def test_deadlines_are_utc_whatever_the_server_timezone(self, owner_client, org, settings):
        settings.TIME_ZONE = "Asia/Tokyo"
        owner_client.post(
            create_url(org),
            editor_data(
                submission_deadline="2031-03-01T12:00", judging_deadline="2031-04-01T12:00"
            ),
        )
        assert Challenge.objects.get().submission_deadline == datetime(2031, 3, 1, 12, tzinfo=UTC)

    def test_empty_rows_are_ignored_and_amounts_follow_the_currency(self, owner_client, org):
        data = editor_data(
            requirements=(("Works", "100"), ("", "")),
            awards=("", "3000", "2000"),
            currency="JPY",
            prize_pool="5000",
        )
        owner_client.post(create_url(org), data)
        challenge = Challenge.objects.get()
        assert (challenge.prize_pool, challenge.currency) == (5000, "JPY")
        assert challenge.requirements.count() == 1
        assert list(challenge.planned_awards.values_list("amount", flat=True)) == [3000, 2000]

    def test_blank_form_offers_extra_rows(self, owner_client, org):
        editor = owner_client.get(create_url(org)).context["editor"]
        assert len(editor.requirements.forms) == 3 and len(editor.awards.forms) == 2
        assert editor.requirements.max_num == 10

    def test_judging_options(self, owner_client, org):
        owner_client.post(
            create_url(org), editor_data(blind_judging="on", max_submissions_per_solver="5")
        )
        challenge = Challenge.objects.get()
        assert (challenge.blind_judging, challenge.max_submissions_per_solver) == (True, 5)
        response = owner_client.post(
            edit_url(challenge), editor_data(max_submissions_per_solver="21")
        )
        assert error_next_to(
            response.content.decode(),
            "max_submissions_per_solver",
            "Ensure this value is less than or equal to 20.",
        )
        assert Challenge.objects.get().max_submissions_per_solver == 5


class TestBadInput:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("prize_pool", "-5", "The prize pool must be more than zero."),
            ("prize_pool", "0", "The prize pool must be more than zero."),
            ("prize_pool", "10.005", "USD amounts have at most 2 decimal places."),
            ("prize_pool", "1000000000000", "The prize pool can be at most $100,000,000.00."),
            ("prize_pool", "25,000", "Enter the amount as a number, for example 25000.00."),
            ("prize_pool", "lots", "Enter the amount as a number, for example 25000.00."),
            ("currency", "XYZ", "Select a valid choice. XYZ is not one of the available choices."),
            (
                "submission_deadline",
                "2001-01-01T00:00",
                "The submission deadline must be in the future.",
            ),
            ("title", "", "This field is required."),
        ],
    )
    def test_field_error_is_shown_next_to_the_field(self, owner_client, org, field, value, message):
        response = owner_client.post(create_url(org), editor_data(**{field: value}))
        assert response.status_code == 400
        assert error_next_to(response.content.decode(), field, message)
        assert not Challenge.objects.exists()

    def test_money_errors_in_spanish_are_in_the_currency(self, owner_client, org):
        data = editor_data(currency="JPY", prize_pool="5000", awards=("3000", "1000"))
        html = owner_client.post(create_url(org), data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert escape(
            "Los premios suman 4.000\xa0JPY, pero la bolsa de premios es de 5.000\xa0JPY."
        ) in section(html, "awards")
        data = editor_data(currency="JPY", prize_pool="100.5", awards=("100.5",))
        html = owner_client.post(create_url(org), data, HTTP_ACCEPT_LANGUAGE="es").content.decode()
        assert error_next_to(
            html, "prize_pool", "Los importes en JPY son números enteros: sin decimales."
        )

    def test_fraction_of_a_yen_is_refused(self, owner_client, org):
        data = editor_data(currency="JPY", prize_pool="100.5", awards=("100.5",))
        response = owner_client.post(create_url(org), data)
        assert error_next_to(
            response.content.decode(), "prize_pool", "JPY amounts are whole numbers: no decimals."
        )
        assert not Challenge.objects.exists()

    def test_judging_before_submission(self, owner_client, org):
        response = owner_client.post(
            create_url(org),
            editor_data(submission_deadline=in_days(30), judging_deadline=in_days(10)),
        )
        assert error_next_to(
            response.content.decode(),
            "judging_deadline",
            "The judging deadline must come after the submission deadline.",
        )
        assert not Challenge.objects.exists()

    def test_awards_not_summing_to_the_pool(self, owner_client, org):
        response = owner_client.post(create_url(org), editor_data(awards=("20000", "4000")))
        awards = section(response.content.decode(), "awards")
        assert "The awards add up to $24,000.00 but the prize pool is $25,000.00." in awards
        assert not Challenge.objects.exists()

    def test_award_with_too_many_decimals_is_shown_on_its_row(self, owner_client, org):
        response = owner_client.post(create_url(org), editor_data(awards=("24999.995", "0.005")))
        assert error_next_to(
            response.content.decode(),
            "award-0-amount",
            "USD amounts have at most 2 decimal places.",
        )
        assert not Challenge.objects.exists()

    def test_eleven_requirements(self, owner_client, org):
        rows = [(f"Requirement {i}", "10") for i in range(9)] + [("Nine", "5"), ("Ten", "5")]
        response = owner_client.post(create_url(org), editor_data(requirements=rows))
        html = response.content.decode()
        assert "Add at most 10 solution requirements." in section(html, "requirements")
        assert 'value="Ten"' in html  # what was typed is kept, even the eleventh row
        assert not Challenge.objects.exists()

    def test_weights_not_summing_to_100(self, owner_client, org):
        response = owner_client.post(
            create_url(org), editor_data(requirements=(("A", "60"), ("B", "30")))
        )
        html = response.content.decode()
        assert "The weights add up to 90; they must add up to 100." in section(html, "requirements")
        assert 'value="Cheaper solar glass"' in html and 'value="25000.00"' in html
        assert not Challenge.objects.exists()

    def test_requirement_without_weight(self, owner_client, org):
        response = owner_client.post(create_url(org), editor_data(requirements=(("A", ""),)))
        assert "Every weight must be a whole number from 1 to 100." in section(
            response.content.decode(), "requirements"
        )
        assert not Challenge.objects.exists()

    def test_tampered_kind_is_refused(self, owner_client, org):
        response = owner_client.post(create_url(org), editor_data(kind="lottery"))
        assert error_next_to(
            response.content.decode(),
            "kind",
            "Select a valid choice. lottery is not one of the available choices.",
        )
        assert not Challenge.objects.exists()


class TestMarkdown:
    def test_script_in_the_brief_is_stored_but_rendered_inert(self, owner_client, org):
        brief = '<script>alert("x")</script>\n\n**bold** <img src=x onerror="alert(2)">'
        response = owner_client.post(create_url(org), editor_data(brief=brief), follow=True)
        assert Challenge.objects.get().brief == brief
        html = response.content.decode()
        assert "<strong>bold</strong>" in html
        assert "<script>alert" not in html and "onerror" not in html


class TestWhoMayEdit:
    @pytest.mark.parametrize("who", ["judge", "outsider", "solver", "staff"])
    def test_others_get_404(self, client, request, org, owner, who):
        client.force_login(request.getfixturevalue(who))
        assert client.get(create_url(org)).status_code == 404
        assert client.post(create_url(org), editor_data()).status_code == 404
        assert not Challenge.objects.exists()

    def test_manager_creates(self, client, org, manager):
        client.force_login(manager)
        client.post(create_url(org), editor_data())
        assert Challenge.objects.get().created_by == manager

    @pytest.mark.parametrize("who", ["judge", "outsider"])
    def test_others_cannot_edit(self, client, request, draft, who):
        client.force_login(request.getfixturevalue(who))
        assert client.post(edit_url(draft), editor_data(title="Hijacked")).status_code == 404
        assert Challenge.objects.get(pk=draft.pk).title == draft.title


class TestEdit:
    def test_form_shows_the_draft_in_major_units(self, owner_client, draft):
        html = owner_client.get(edit_url(draft)).content.decode()
        assert f'value="{draft.title}"' in html
        assert 'value="25000.00"' in html  # prize pool and its single award
        assert 'value="Degrades in sea water"' in html
        assert draft.submission_deadline.astimezone(UTC).strftime(LOCAL) in html

    def test_saving_replaces_the_content(self, owner_client, draft):
        owner_client.post(
            edit_url(draft),
            editor_data(
                title="Renamed",
                prize_pool="30000",
                awards=("20000", "10000"),
                requirements=(("One", "50"), ("Two", "50")),
            ),
        )
        saved = Challenge.objects.get(pk=draft.pk)
        assert (saved.title, saved.prize_pool) == ("Renamed", 3_000_000)
        assert list(saved.planned_awards.values_list("amount", flat=True)) == [2_000_000, 1_000_000]
        assert list(saved.requirements.values_list("title", flat=True)) == ["One", "Two"]

    def test_bad_edit_changes_nothing(self, owner_client, draft):
        response = owner_client.post(edit_url(draft), editor_data(title="Renamed", prize_pool="-1"))
        assert response.status_code == 400
        assert error_next_to(
            response.content.decode(), "prize_pool", "The prize pool must be more than zero."
        )
        saved = Challenge.objects.get(pk=draft.pk)
        assert (saved.title, saved.prize_pool) == (draft.title, 2_500_000)

    @pytest.mark.parametrize("state", [S.IN_REVIEW, S.OPEN])
    def test_non_draft_is_refused(self, client, org, owner, state):
        challenge = ChallengeFactory(organization=org, state=state)
        client.force_login(owner)
        response = client.post(edit_url(challenge), editor_data(title="Renamed"), follow=True)
        assert response.redirect_chain[-1][0] == reverse(
            "seekers:challenge_manage", args=[challenge.pk]
        )
        assert "Only a draft can be edited." in [str(m) for m in response.context["messages"]]
        assert Challenge.objects.get(pk=challenge.pk).title == challenge.title


class TestPercentages:
    def test_percentages_become_amounts_that_add_up_to_the_pool(self, owner_client, org):
        data = editor_data(
            award_mode="percentages", prize_pool="1000", awards=("33.33", "33,33", "33.34 %")
        )
        response = owner_client.post(create_url(org), data, follow=True)
        challenge = Challenge.objects.get()
        amounts = list(challenge.planned_awards.values_list("amount", flat=True))
        assert amounts == [33_330, 33_330, 33_340]
        html = response.content.decode()
        assert escape("$333.30 (33.33% of the prize pool)") in html
        assert escape("$333.40 (33.34% of the prize pool)") in html

    def test_amounts_typed_in_the_other_column_are_ignored(self, owner_client, org):
        data = editor_data(award_mode="percentages", prize_pool="1000", awards=("60", "40"))
        data["award-0-amount"] = "not read"
        owner_client.post(create_url(org), data)
        amounts = Challenge.objects.get().planned_awards.values_list("amount", flat=True)
        assert list(amounts) == [60_000, 40_000]

    @pytest.mark.parametrize(
        ("awards", "message"),
        [
            (("60", "30"), "The percentages add up to 90%; they must add up to exactly 100%."),
            (
                ("60.125", "39.875"),
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
            (
                ("1e30", "40"),
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
            (
                ("100", "0"),
                "Every percentage must be more than 0 and at most 100, with at most 2 decimals.",
            ),
        ],
    )
    def test_bad_percentages_are_shown_above_the_awards(self, owner_client, org, awards, message):
        data = editor_data(award_mode="percentages", awards=awards)
        response = owner_client.post(create_url(org), data)
        assert response.status_code == 400
        assert escape(message) in section(response.content.decode(), "awards")
        assert not Challenge.objects.exists()

    def test_a_percentage_that_is_not_a_number_is_shown_on_its_row(self, owner_client, org):
        data = editor_data(award_mode="percentages", awards=("sixty", "40"))
        response = owner_client.post(create_url(org), data)
        assert error_next_to(
            response.content.decode(),
            "award-0-percentage",
            "Enter the percentage as a number, for example 62.5.",
        )
        assert not Challenge.objects.exists()

    def test_a_pool_too_small_to_split_is_refused(self, owner_client, org):
        data = editor_data(
            award_mode="percentages", currency="JPY", prize_pool="1", awards=("50", "50")
        )
        html = owner_client.post(create_url(org), data).content.decode()
        assert escape(
            "The prize pool of ¥1 is too small to split this way: an award would be ¥0."
        ) in section(html, "awards")
        assert not Challenge.objects.exists()

    def test_the_edit_form_shows_the_plan_both_ways(self, owner_client, org):
        challenge = ChallengeFactory(organization=org, prize_pool=3_000_000, plan=False)
        challenge.planned_awards.create(position=1, amount=2_000_000)
        challenge.planned_awards.create(position=2, amount=1_000_000)
        html = section(owner_client.get(edit_url(challenge)).content.decode(), "awards")
        assert 'name="award-0-amount" value="20000.00"' in html
        assert 'name="award-0-percentage" value="66.67"' in html
        assert 'name="award-1-percentage" value="33.33"' in html
