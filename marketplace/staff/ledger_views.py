"""Staff pages of the ledger: accounts and balances, entries with their legs, one
account's legs, payments, refunds, flagged provider events, and the audit. Everyone
who is not staff gets 404, as if the pages did not exist."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.staff.access import require_staff
from payouts import ledger_queries
from payouts.audit import run_audit
from payouts.currency import supported_currencies
from payouts.models import Account, AccountPurpose, PaymentState

PAGE_SIZE = 50

SECTIONS = [
    ("accounts", "ledger_accounts", _("Accounts")),
    ("entries", "ledger_entries", _("Entries")),
    ("payments", "ledger_payments", _("Payments")),
    ("refunds", "ledger_refunds", _("Refunds")),
    ("events", "ledger_events", _("Flagged provider events")),
    ("audit", "ledger_audit", _("Audit")),
]

CHECKED = {
    "entries": _("Entries"),
    "legs": _("Legs"),
    "accounts": _("Accounts"),
    "subjects": _("Challenges and other subjects"),
    "payments": _("Payments"),
    "refunds": _("Refunds"),
    "payouts": _("Payouts"),
    "extra checks": _("Rule sets checked"),
}


class AccountFilter(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        required=False,
        choices=[("", _("Any purpose")), *AccountPurpose.choices],
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [
            ("", _("Any currency")),
            *((code, code) for code in supported_currencies()),
        ]


class EntrySearch(forms.Form):
    q = forms.CharField(
        label=_("Reference or idempotency key"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "challenge:12"}),
    )


class PaymentFilter(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any state")), *PaymentState.choices]
    )


def _filters(form: forms.Form) -> dict:
    """The valid fields of a GET form; a field with bad input is shown and left out."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value}


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template: str, section: str, context: dict):
    sections = [(reverse(url), label, name == section) for name, url, label in SECTIONS]
    return render(request, f"marketplace/ledger/{template}", {"sections": sections, **context})


def ledger_accounts(request):
    require_staff(request.user)
    form = AccountFilter(request.GET)
    page = _page(request, ledger_queries.accounts(**_filters(form)))
    return _render(request, "accounts.html", "accounts", {"form": form, "page": page})


def ledger_account(request, pk: int):
    require_staff(request.user)
    account = get_object_or_404(Account, pk=pk)
    page = _page(request, ledger_queries.account_legs(account))
    return _render(request, "account.html", "accounts", {"account": account, "page": page})


def ledger_entries(request):
    require_staff(request.user)
    form = EntrySearch(request.GET)
    search = _filters(form).get("q", "").strip()
    page = _page(request, ledger_queries.entries(search=search))
    return _render(
        request, "entries.html", "entries", {"form": form, "page": page, "search": search}
    )


def ledger_payments(request):
    require_staff(request.user)
    form = PaymentFilter(request.GET)
    page = _page(request, ledger_queries.payments(**_filters(form)))
    return _render(request, "payments.html", "payments", {"form": form, "page": page})


def ledger_refunds(request):
    require_staff(request.user)
    page = _page(request, ledger_queries.refunds())
    return _render(request, "refunds.html", "refunds", {"page": page})


def ledger_events(request):
    require_staff(request.user)
    page = _page(request, ledger_queries.unknown_gateway_events())
    return _render(request, "events.html", "events", {"page": page})


def ledger_audit(request):
    require_staff(request.user)
    report = run_audit()
    checked = [(CHECKED.get(name, name), count) for name, count in report.checked.items()]
    return _render(request, "audit.html", "audit", {"report": report, "checked": checked})
