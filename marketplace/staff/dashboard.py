"""The staff dashboard: owners' requests to close a challenge early waiting for a
decision, key figures, prize money held, paid and refunded over time in one currency,
and challenges by state (each count a link to the staff list of them), as inline SVG
charts with their numbers in tables. Everyone who is not staff gets 404."""

from babel.numbers import format_compact_currency
from django import forms
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, to_locale
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from marketplace.lifecycle.selectors import early_close_requests_pending
from marketplace.staff.access import require_staff
from marketplace.staff.award_views import render_section
from marketplace.staff.charts import Series, bar_chart, line_chart
from marketplace.staff.dashboard_queries import PERIODS, Dashboard, dashboard
from payouts.currency import format_money, supported_currencies, to_major

PERIOD_CHOICES = [("month", gettext_lazy("By month")), ("week", gettext_lazy("By week"))]


class DashboardFilter(forms.Form):
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), required=False)
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False, choices=PERIOD_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in supported_currencies()]

    def choice(self) -> dict:
        """The valid choices made (a field with bad input is shown and left out)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _period_label(start, period: str) -> str:
    if period == "week":
        return _("Week of %(date)s") % {"date": date_format(start, "DATE_FORMAT")}
    return date_format(start, "YEAR_MONTH_FORMAT")


def _axis_label(start, period: str) -> str:
    return date_format(start, "j M" if period == "week" else "M Y")


def money_chart(board: Dashboard):
    """The line chart of held, paid to date and refunded to date, or None without data."""
    if not board.series:
        return None
    currency, latest = board.currency, board.series[-1]

    def money(minor: int) -> str:
        return format_money(minor, currency)

    locale = to_locale(get_language() or "en")
    return line_chart(
        chart_id="money-chart",
        title=_("Prize money held, paid and refunded (%(currency)s)") % {"currency": currency},
        description=_(
            "Held: the escrow balance at the end of each period. Paid and refunded: totals "
            "to date. Latest: held %(held)s, paid %(paid)s, refunded %(refunded)s."
        )
        % {
            "held": money(latest.held),
            "paid": money(latest.paid_to_date),
            "refunded": money(latest.refunded_to_date),
        },
        labels=[_axis_label(p.start, board.period) for p in board.series],
        series=[
            Series(_("Held"), [p.held for p in board.series]),
            Series(_("Paid to date"), [p.paid_to_date for p in board.series]),
            Series(_("Refunded to date"), [p.refunded_to_date for p in board.series]),
        ],
        axis_label=lambda minor: format_compact_currency(
            to_major(minor, currency), currency, locale=locale
        ),
        value_label=money,
    )


def states_chart(board: Dashboard):
    total = sum(count for _state, _label, count in board.states)
    return bar_chart(
        chart_id="states-chart",
        title=_("Challenges by state"),
        description=_("How many challenges are in each state; %(total)s in all.")
        % {"total": total},
        labels=[str(label) for _state, label, _count in board.states],
        values=[count for _state, _label, count in board.states],
    )


@require_safe
def staff_dashboard(request):
    require_staff(request.user)
    form = DashboardFilter(request.GET)
    board = dashboard(**form.choice())
    if not form.errors:
        form = DashboardFilter(initial={"currency": board.currency, "period": board.period})
    periods = [(_period_label(p.start, board.period), p) for p in board.series]
    return render_section(
        request,
        "dashboard.html",
        "staff_dashboard",
        {
            "form": form,
            "board": board,
            "periods": periods,
            "shown": PERIODS[board.period][1],
            "money_chart": money_chart(board),
            "states_chart": states_chart(board),
            "early_close_requests": early_close_requests_pending(),
        },
    )
