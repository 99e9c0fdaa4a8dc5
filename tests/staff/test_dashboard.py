"""The staff dashboard: figures and series from a known ledger (funded and opened in
January, an award paid in February, the rest refunded in March), its SVG charts, the
currency and period choices, the cached audit verdict, and a query count that does not
grow with the ledger."""

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from marketplace.awards.services.finalize import awards_finalize
from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.staff.charts import Series, bar_chart, line_chart, nice_ticks
from marketplace.staff.dashboard_queries import (
    AUDIT_CACHE_KEY,
    MoneyFigures,
    Period,
    audit_verdict,
    dashboard,
)
from payouts.models import Account
from tests.db_guards import guards_off
from tests.staff.test_pages_awards import awarding_challenge, release, verified_award

pytestmark = pytest.mark.django_db

JANUARY, FEBRUARY, MARCH = (datetime(2025, month, 10, 12, tzinfo=UTC) for month in (1, 2, 3))
SVG = "http://www.w3.org/2000/svg"


@pytest.fixture(autouse=True)
def _no_cached_audit():
    cache.delete(AUDIT_CACHE_KEY)


@pytest.fixture
def clock(monkeypatch):
    """Set the time every row is stamped with (and that "today" is)."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def known_ledger(org, owner, clock, django_capture_on_commit_callbacks):
    """USD 27,500.00 received and 25,000.00 put in escrow in January (fee 2,500.00), of
    which 10,000.00 is released to its verified winner at once; paid in February; the other 15,000.00 refunded in March, when it completes."""
    clock(JANUARY)
    award = verified_award(org, owner)
    clock(FEBRUARY)
    release(award, django_capture_on_commit_callbacks)
    clock(MARCH)
    with django_capture_on_commit_callbacks(execute=True):
        awards_finalize(challenge_id=award.challenge_id, actor=owner)
    assert Challenge.objects.get().state == ChallengeState.COMPLETED
    return award


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def svg(page: str, chart_id: str) -> ET.Element:
    """The chart's inline SVG, parsed as XML (which fails if it is not well-formed)."""
    match = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', page, re.S)
    assert match, chart_id
    return ET.fromstring(match.group(0))


def tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


class TestKnownLedger:
    def test_figures_and_series(self, known_ledger):
        board = dashboard()
        assert board.currency == "USD"
        assert board.figures == MoneyFigures(
            currency="USD",
            challenges=1,
            received=2_750_000,
            held=0,
            owed=0,
            paid=1_000_000,
            refunded=1_500_000,
            fees=250_000,
            unallocated=0,
        )
        assert board.series == [
            Period(JANUARY.date().replace(day=1), 1_500_000, 0, 0, 0, 0),
            Period(FEBRUARY.date().replace(day=1), 1_500_000, 1_000_000, 0, 1_000_000, 0),
            Period(MARCH.date().replace(day=1), 0, 0, 1_500_000, 1_000_000, 1_500_000),
        ]
        assert board.open_challenges == 0
        assert ("completed", "Completed", 1) in board.states
        assert board.audit.clean

    def test_page_figures_and_table(self, staff_client, known_ledger):
        page = staff_client.get(reverse("staff_dashboard")).content.decode()
        figures = page.split('id="figures"')[1].split("</section>")[0]
        for label, amount in (
            ("Held in escrow now", "$0.00"),
            ("Paid to winners", "$10,000.00"),
            ("Refunded", "$15,000.00"),
            ("Platform fees", "$2,500.00"),
        ):
            assert f"<dt>{label}</dt><dd>{amount}</dd>" in figures, label
        assert f'href="{reverse("ledger_audit")}">Clean</a>' in figures
        assert f'href="{reverse("staff_payouts")}?state=attention">0</a>' in figures
        table = page.split('id="money-table"')[1].split("</table>")[0]
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", table)
        assert [label for label, _cells in rows] == ["January 2025", "February 2025", "March 2025"]
        assert re.findall(r"<td>(.*?)</td>", rows[1][1]) == [
            "$15,000.00",
            "$10,000.00",
            "$10,000.00",
            "$0.00",
            "$0.00",
        ]

    def test_money_chart(self, staff_client, known_ledger):
        chart = svg(staff_client.get(reverse("staff_dashboard")).content.decode(), "money-chart")
        assert chart.get("role") == "img"
        assert chart.get("aria-labelledby") == "money-chart-title money-chart-desc"
        assert chart.find(tag("title")).text == "Prize money held, paid and refunded (USD)"
        assert "held $0.00, paid $10,000.00, refunded $15,000.00" in chart.find(tag("desc")).text
        lines = chart.findall(f".//{tag('polyline')}")
        assert len(lines) == 3
        assert all(len(line.get("points").split()) == 3 for line in lines)
        points = [c.find(tag("title")).text for c in chart.iter(tag("circle"))]
        assert points[:3] == [
            "Jan 2025: Held $15,000.00",
            "Feb 2025: Held $15,000.00",
            "Mar 2025: Held $0.00",
        ]
        assert "Mar 2025: Refunded to date $15,000.00" in points
        # The y axis runs 0 to 15,000.00 over 240 units: 15,000.00 is at its top, 240
        # above its foot.
        first = next(chart.iter(tag("circle")))
        assert (first.get("cx"), first.get("cy")) == ("88", "16")
        ticks = [t.text for t in chart.iter(tag("text"))][:4]
        assert ticks == ["$0", "$5K", "$10K", "$15K"]

    def test_states_chart(self, staff_client, known_ledger):
        page = staff_client.get(reverse("staff_dashboard")).content.decode()
        chart = svg(page, "states-chart")
        assert chart.find(tag("title")).text == "Challenges by state"
        bars = {r.find(tag("title")).text: r.get("width") for r in chart.iter(tag("rect"))}
        assert bars["Completed: 1"] == "506"
        assert bars["Open: 0"] == "0"
        assert len(bars) == len(ChallengeState)
        link = reverse("staff_challenges") + "?state=completed"
        assert f'<tr><th scope="row">Completed</th><td><a href="{link}">1</a></td></tr>' in page

    def test_by_week(self, staff_client, known_ledger):
        response = staff_client.get(reverse("staff_dashboard"), {"period": "week"})
        periods = response.context["periods"]
        assert periods[0][0] == "Week of Jan. 6, 2025"
        assert len(periods) == 10  # the weeks of 6 January to 10 March
        assert [p.held for _label, p in periods][:2] == [1_500_000, 1_500_000]
        assert response.context["board"].series[-1].refunded_to_date == 1_500_000


class TestChoices:
    def test_default_is_the_currency_most_challenges_use(self, staff_client, org, owner):
        for currency in ("USD", "USD", "EUR"):
            awarding_challenge(org, owner, currency=currency)
        response = staff_client.get(reverse("staff_dashboard"))
        assert response.context["board"].currency == "USD"
        assert response.context["form"]["currency"].value() == "USD"
        euro = staff_client.get(reverse("staff_dashboard"), {"currency": "EUR"})
        assert euro.context["board"].figures.held == 2_500_000
        assert "€25,000.00" in euro.content.decode()
        assert euro.context["board"].currencies == ["EUR", "USD"]

    def test_a_currency_without_money_shows_zeros(self, staff_client, org, owner):
        awarding_challenge(org, owner)
        response = staff_client.get(reverse("staff_dashboard"), {"currency": "JPY"})
        assert response.context["board"].figures == MoneyFigures("JPY")
        assert "No prize money has moved in JPY yet." in response.content.decode()

    def test_bad_choice_shows_its_error_and_is_ignored(self, staff_client, org, owner):
        awarding_challenge(org, owner)
        response = staff_client.get(reverse("staff_dashboard"), {"currency": "XXX"})
        assert response.context["form"].errors["currency"]
        assert response.context["board"].currency == "USD"

    def test_empty_ledger(self, staff_client):
        response = staff_client.get(reverse("staff_dashboard"))
        page = response.content.decode()
        assert response.context["board"].currency is None
        assert "No prize money has moved yet." in page
        assert svg(page, "states-chart") is not None


class TestAudit:
    @pytest.mark.corrupts_ledger
    def test_breaches_show_once_the_cached_verdict_expires(self, staff_client, org, owner):
        challenge = awarding_challenge(org, owner)
        assert audit_verdict().clean
        with guards_off():
            Account.objects.filter(code=f"challenge:{challenge.pk}:escrow").update(balance=1)
        assert audit_verdict().clean  # the cached verdict, until it expires
        cache.delete(AUDIT_CACHE_KEY)
        page = staff_client.get(reverse("staff_dashboard")).content.decode()
        # The cached balance no longer matches its legs, nor the challenge its identity.
        assert f'href="{reverse("ledger_audit")}">2 breaches</a>' in page


def test_query_count_does_not_grow_with_the_ledger(
    staff_client, known_ledger, org, owner, django_assert_max_num_queries
):
    staff_client.get(reverse("staff_dashboard"))  # the audit's verdict is now cached
    with django_assert_max_num_queries(20) as first:
        staff_client.get(reverse("staff_dashboard"))
    for currency in ("USD", "EUR", "USD"):
        awarding_challenge(org, owner, currency=currency)
    with django_assert_max_num_queries(len(first)):
        response = staff_client.get(reverse("staff_dashboard"), {"period": "week"})
    assert response.context["board"].figures.held == 5_000_000


class TestCharts:
    @pytest.mark.parametrize(
        ("low", "high", "ticks"),
        [
            (0, 0, [0, 1]),
            (0, 7, [0, 2, 4, 6, 8]),
            (0, 2_500_000, [0, 1_000_000, 2_000_000, 3_000_000]),
            (0, 1_000, [0, 250, 500, 750, 1_000]),
            (-300, 900, [-500, 0, 500, 1_000]),
        ],
    )
    def test_nice_ticks(self, low, high, ticks):
        assert nice_ticks(low, high) == ticks

    def test_labels_are_escaped_and_the_svg_well_formed(self):
        markup = line_chart(
            chart_id="c",
            title="<script>alert(1)</script>",
            description="a & b",
            labels=["<b>x</b>"],
            series=[Series("s<1>", [5])],
            axis_label=str,
            value_label=str,
        )
        assert "<script>" not in markup
        chart = ET.fromstring(markup)
        assert chart.find(tag("title")).text == "<script>alert(1)</script>"
        assert chart.find(f".//{tag('circle')}").get("cx") == "384"  # one point: centred

    def test_bars_scale_to_the_widest(self):
        chart = ET.fromstring(
            bar_chart(chart_id="b", title="t", description="d", labels=["a", "b"], values=[4, 1])
        )
        assert [r.get("width") for r in chart.iter(tag("rect"))] == ["506", "126.5"]
        assert [t.text for t in chart.iter(tag("text"))] == ["a", "4", "b", "1"]
