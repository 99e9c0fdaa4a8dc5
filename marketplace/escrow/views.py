"""A challenge's escrow statement, for its Seeker's members and staff (404 for anyone
else): the figures, whether they add up, every ledger entry with its legs, and the
same legs as CSV."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import is_staff
from marketplace.billing.selectors import documents_of, may_read_billing
from marketplace.challenges.models import Challenge
from marketplace.challenges.permissions import is_member
from marketplace.challenges.selectors import challenge_for_user
from marketplace.core.csv_cells import spreadsheet_safe
from marketplace.escrow.memos import entry_sentence
from marketplace.escrow.services import subject_of
from payouts.currency import to_major
from payouts.ledger_queries import payments, refunds
from payouts.selectors import statement, subject_entries

FIGURES = [
    ("received", _("Received"), _("Every confirmed payment in.")),
    ("fee", _("Platform fee"), _("Earned by the platform when the challenge opened.")),
    ("held", _("Held in escrow"), _("The prize money held for the winners now.")),
    ("owed", _("Owed to winners"), _("Released to winners, not yet paid out.")),
    ("paid", _("Paid to winners"), _("Paid out to winners.")),
    ("refunded", _("Refunded"), _("Returned to the payer.")),
    (
        "unallocated",
        _("Unallocated"),
        _("Received but not in escrow: before the challenge opens, or paid beyond pool and fee."),
    ),
]

CSV_COLUMNS = [
    "entry_time",
    "idempotency_key",
    "kind",
    "memo",
    "account",
    "amount_minor",
    "amount",
    "currency",
]


def statement_challenge(user, pk: int) -> Challenge:
    """The challenge if the user is a member of its Seeker or staff; 404 otherwise."""
    challenge = challenge_for_user(user, pk)
    if not (is_member(user, challenge) or is_staff(user)):
        raise Http404
    return challenge


def escrow_statement(request, pk: int):
    challenge = statement_challenge(request.user, pk)
    subject = subject_of(challenge)
    figures = statement(subject)
    entries = [(entry, entry_sentence(entry)) for entry in subject_entries(subject)]
    return render(
        request,
        "marketplace/escrow/statement.html",
        {
            "challenge": challenge,
            "figures": [(label, help_text, figures[key]) for key, label, help_text in FIGURES],
            "balanced": figures["balanced"],
            "entries": entries,
            "payments": payments(subject=subject),
            "refunds": refunds(subject=subject),
            "billing_documents": (
                documents_of(challenge) if may_read_billing(request.user, challenge) else []
            ),
        },
    )


def escrow_csv(request, pk: int):
    """One row per leg of every entry of the challenge, oldest entry first."""
    challenge = statement_challenge(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="challenge-{challenge.pk}-escrow.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for entry in subject_entries(subject_of(challenge)):
        for leg in entry.legs.all():
            writer.writerow(
                [
                    entry.created_at.isoformat(),
                    spreadsheet_safe(entry.idempotency_key),
                    entry.kind,
                    spreadsheet_safe(entry.memo),
                    spreadsheet_safe(leg.account.code),
                    leg.amount,
                    format(to_major(leg.amount, leg.currency), "f"),
                    leg.currency,
                ]
            )
    return response
