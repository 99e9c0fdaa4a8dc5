"""Staff pages of awards and the money paid for them: every award with its recipients'
progress and its dispute (freeze, unfreeze, forfeit), every payout (retry a failed one),
and every signed deed with its PDF and whether it is void; payouts and deeds also as
CSV. Everyone who is not staff gets 404,
as if the pages did not exist."""

import re
from itertools import islice

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from legal.models import Deed
from marketplace.awards.models import AwardState
from marketplace.awards.services.deeds import deed_kind
from marketplace.awards.services.disputes import award_freeze, award_unfreeze
from marketplace.awards.services.forfeit import award_forfeit
from marketplace.awards.services.payment import award_payout_retry
from marketplace.challenges.states import OWED, SETTLED
from marketplace.core.csv_cells import csv_download, spreadsheet_safe
from marketplace.core.feedback import ServiceRefusal
from marketplace.staff.access import require_staff
from marketplace.staff.queries import (
    ATTENTION,
    awards_by_reference,
    staff_awards,
    staff_deeds,
    staff_payouts,
)
from payouts.currency import to_major
from payouts.models import Payout, PayoutState

PAGE_SIZE = 50
CSV_CHUNK = 500

SECTIONS = [
    ("staff_awards", gettext_lazy("Awards")),
    ("staff_payouts", gettext_lazy("Payouts")),
    ("staff_payout_accounts", gettext_lazy("Payout accounts")),
    ("staff_deeds", gettext_lazy("Deeds")),
    ("staff_dashboard", gettext_lazy("Dashboard")),
]

PAYOUT_CSV_COLUMNS = [
    "id",
    "created_at",
    "subject",
    "reference",
    "payee_email",
    "amount_minor",
    "amount",
    "currency",
    "gateway",
    "state",
    "provider_id",
    "destination",
    "attempts",
    "last_attempt_at",
    "failure_message",
    "completed_at",
    "test_money",
]

DEED_CSV_COLUMNS = [
    "id",
    "void",
    "reference",
    "challenge_id",
    "signer_email",
    "signer_name",
    "signature",
    "template_kind",
    "template_variant",
    "template_version",
    "language",
    "signed_at",
    "ip",
    "user_agent",
    "text_sha256",
    "pdf_sha256",
]


def render_section(request, template: str, section: str, context: dict, status: int = 200):
    """A staff awards page with the section navigation on top."""
    sections = [(reverse(name), label, name == section) for name, label in SECTIONS]
    return render(
        request, f"marketplace/staff/{template}", {"sections": sections, **context}, status=status
    )


class ChallengeField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(label=gettext_lazy("Challenge id"), required=False, min_value=1, **kwargs)


class AwardFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("Any state")), *AwardState.choices],
    )
    challenge = ChallengeField()


class PayoutFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[
            ("", gettext_lazy("Any state")),
            (ATTENTION, gettext_lazy("Needs attention")),
            *PayoutState.choices,
        ],
    )
    challenge = ChallengeField()


class DeedFilter(forms.Form):
    challenge = ChallengeField()
    signer = forms.CharField(
        label=gettext_lazy("Signer's e-mail or name contains"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    back = forms.ChoiceField(choices=[("staff_awards", ""), ("staff_payouts", "")], required=False)


def _filters(form: forms.Form) -> dict:
    """The valid fields of a GET form, as keyword arguments of its query; a field with
    bad input is shown with its error and left out."""
    form.is_valid()
    data = {name: value for name, value in form.cleaned_data.items() if value}
    if "challenge" in data:
        data["challenge_id"] = data.pop("challenge")
    if "signer" in data:
        data["signer"] = data["signer"].strip()
    return data


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _chunks(rows, size: int = CSV_CHUNK):
    iterator = rows.iterator(chunk_size=size)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _when(value) -> str:
    return value.isoformat() if value else ""


# --- awards ----------------------------------------------------------------------------


@require_safe
def staff_awards_page(request):
    require_staff(request.user)
    form = AwardFilter(request.GET)
    page = _page(request, staff_awards(**_filters(form)))
    rows = [(award, deed_kind(award.challenge) is not None) for award in page]
    return render_section(
        request,
        "awards.html",
        "staff_awards",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "settled": SETTLED,
            "owed": OWED,
        },
    )


def _award_action(request, pk: int, action, done: str):
    """A staff action on an award that needs a reason (the dispute's freeze and
    unfreeze, forfeiting); back to the page it came from."""
    require_staff(request.user)
    form = ReasonForm(request.POST)
    valid = form.is_valid()
    back = (form.cleaned_data.get("back") if valid else "") or "staff_awards"
    if not valid:
        messages.error(request, _("Give a reason for this action."))
        return redirect(back)
    with ServiceRefusal(request):
        award = action(award_id=pk, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, done % {"pk": award.pk})
    return redirect(back)


@require_POST
def staff_award_forfeit(request, pk: int):
    """Withdraw an award: before its deed is signed, or while frozen in a dispute. Its
    unpaid money goes back to escrow and its signed deeds are marked void."""
    return _award_action(request, pk, award_forfeit, _("Award #%(pk)s is forfeited."))


@require_POST
def staff_award_freeze(request, pk: int):
    """Open a dispute: the award is neither released, paid nor lapses until it ends."""
    return _award_action(
        request, pk, award_freeze, _("Award #%(pk)s is frozen until the dispute ends.")
    )


@require_POST
def staff_award_unfreeze(request, pk: int):
    """End a dispute in the winner's favour: the award moves on (released, paid)."""
    return _award_action(
        request, pk, award_unfreeze, _("The dispute is over; award #%(pk)s moves on.")
    )


# --- payouts ---------------------------------------------------------------------------


@require_safe
def staff_payouts_page(request):
    require_staff(request.user)
    form = PayoutFilter(request.GET)
    page = _page(request, staff_payouts(**_filters(form)))
    awards = awards_by_reference(payout.reference for payout in page)
    rows = [(payout, awards.get(payout.reference)) for payout in page]
    return render_section(
        request,
        "payouts.html",
        "staff_payouts",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "settled": SETTLED,
        },
    )


@require_POST
def staff_payout_retry(request, pk: int):
    """Send a failed payout once more, to the payee's account on file now."""
    require_staff(request.user)
    payout = get_object_or_404(Payout, pk=pk)
    with ServiceRefusal(request):
        award_payout_retry(payout_id=payout.pk, actor=request.user)
        messages.success(
            request,
            _("Payout #%(pk)s was sent again; its state is in the list.") % {"pk": payout.pk},
        )
    return redirect("staff_payouts")


def _payout_rows(rows):
    for payout in rows.iterator(chunk_size=CSV_CHUNK):
        yield [
            payout.pk,
            _when(payout.created_at),
            spreadsheet_safe(payout.subject),
            spreadsheet_safe(payout.reference),
            spreadsheet_safe(payout.payee.email),
            payout.amount,
            format(to_major(payout.amount, payout.currency), "f"),
            payout.currency,
            payout.gateway,
            payout.state,
            spreadsheet_safe(payout.provider_id),
            spreadsheet_safe(payout.destination),
            payout.attempts,
            _when(payout.last_attempt_at),
            spreadsheet_safe(payout.failure_message),
            _when(payout.completed_at),
            payout.test_money,
        ]


@require_safe
def staff_payouts_csv(request):
    """One row per payout of the filtered set, in the page's order, streamed."""
    require_staff(request.user)
    rows = staff_payouts(**_filters(PayoutFilter(request.GET)))
    return csv_download(PAYOUT_CSV_COLUMNS, _payout_rows(rows), "payouts.csv")


# --- deeds -----------------------------------------------------------------------------


@require_safe
def staff_deeds_page(request):
    require_staff(request.user)
    form = DeedFilter(request.GET)
    page = _page(request, staff_deeds(**_filters(form)))
    awards = awards_by_reference(deed.reference for deed in page)
    rows = [(deed, awards.get(deed.reference)) for deed in page]
    return render_section(
        request, "deeds.html", "staff_deeds", {"form": form, "page": page, "rows": rows}
    )


def _deed_rows(rows):
    for chunk in _chunks(rows):
        awards = awards_by_reference(deed.reference for deed in chunk)
        for deed in chunk:
            award = awards.get(deed.reference)
            yield [
                deed.pk,
                hasattr(deed, "void"),
                spreadsheet_safe(deed.reference),
                award.challenge_id if award else "",
                spreadsheet_safe(deed.signer.email),
                spreadsheet_safe(deed.signer.full_name),
                spreadsheet_safe(deed.signature),
                deed.template.kind,
                deed.template.variant,
                deed.template.version,
                deed.language,
                _when(deed.signed_at),
                deed.ip or "",
                spreadsheet_safe(deed.user_agent),
                deed.text_sha256,
                deed.pdf_sha256,
            ]


@require_safe
def staff_deeds_csv(request):
    """One row per signed deed of the filtered set, newest first, streamed."""
    require_staff(request.user)
    rows = staff_deeds(**_filters(DeedFilter(request.GET)))
    return csv_download(DEED_CSV_COLUMNS, _deed_rows(rows), "deeds.csv")


@require_safe
def staff_deed_pdf(request, pk: int):
    """The signed PDF exactly as stored (its SHA-256 is on the deeds page)."""
    require_staff(request.user)
    deed = get_object_or_404(Deed, pk=pk)
    name = re.sub(r"[^A-Za-z0-9_-]", "-", deed.reference)
    response = FileResponse(
        deed.pdf.open("rb"),
        as_attachment=True,
        filename=f"deed-{name}-{deed.signer_id}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
