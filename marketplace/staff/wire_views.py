"""Staff page of bank transfers: the challenges awaiting funding with their payment
reference and what is still outstanding, a form recording a transfer that arrived, the
refunds of bank transfers staff must still send back (each recorded as sent with its
own form), and the latest recordings. Everyone who is not staff gets 404."""

from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.core.feedback import ServiceRefusal
from marketplace.escrow.wire import wire_challenge_of, wire_refund_record, wire_transfer_record
from marketplace.escrow.wire_selectors import (
    wire_awaiting_funding,
    wire_recorded,
    wire_refunds_waiting,
)
from marketplace.staff.access import require_staff
from payouts.currency import format_money, to_minor


def _day(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}))


def _bank_reference() -> forms.CharField:
    return forms.CharField(label=gettext_lazy("Bank's reference"), max_length=100)


class TransferForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Payment reference"),
        max_length=40,
        help_text=gettext_lazy("As the payer quoted it, e.g. MP00001283."),
    )
    amount = forms.CharField(
        label=gettext_lazy("Amount received"),
        max_length=30,
        help_text=gettext_lazy("In the challenge's currency, e.g. 25000.00."),
    )
    received_on = _day(gettext_lazy("Received on"))
    bank_reference = _bank_reference()

    def clean(self):
        """The amount in minor units of the currency of the challenge the reference names."""
        data = super().clean()
        if "reference" not in data or "amount" not in data:
            return data
        try:
            challenge = wire_challenge_of(data["reference"])
        except ValidationError as error:
            self.add_error(None, error)
            return data
        try:
            data["amount_minor"] = to_minor(data["amount"], challenge.currency)
        except ValidationError as error:
            self.add_error("amount", error)
        data["challenge"] = challenge
        return data


class RefundSentForm(forms.Form):
    sent_on = _day(gettext_lazy("Sent on"))
    bank_reference = _bank_reference()

    def __init__(self, *args, refund_pk: int, **kwargs):
        super().__init__(*args, prefix=f"refund-{refund_pk}", **kwargs)


def _page(request, *, form=None, failed_refund=None, status=HTTPStatus.OK):
    refunds = [
        (
            row,
            failed_refund
            if failed_refund is not None and failed_refund.prefix == f"refund-{row.refund.pk}"
            else RefundSentForm(refund_pk=row.refund.pk),
        )
        for row in wire_refunds_waiting()
    ]
    if failed_refund is not None and all(shown is not failed_refund for _row, shown in refunds):
        # The refund is no longer waiting (recorded meanwhile): say why as a message.
        for text in failed_refund.non_field_errors():
            messages.error(request, text)
    return render(
        request,
        "marketplace/staff/wire.html",
        {
            "form": form or TransferForm(),
            "awaiting": wire_awaiting_funding(),
            "refunds": refunds,
            "recorded": wire_recorded(),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def staff_wire_page(request):
    require_staff(request.user)
    if request.method != "POST":
        return _page(request)
    form = TransferForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with ServiceRefusal(request, form, whole_form=True):
            payment = wire_transfer_record(
                reference=data["reference"],
                amount=data["amount_minor"],
                received_on=data["received_on"],
                bank_reference=data["bank_reference"],
                actor=request.user,
            )
            messages.success(
                request,
                _("Transfer of %(amount)s recorded for “%(title)s”.")
                % {
                    "amount": format_money(payment.amount, payment.currency),
                    "title": data["challenge"].title,
                },
            )
            return redirect("staff_wire")
    return _page(request, form=form, status=HTTPStatus.BAD_REQUEST)


@require_POST
def staff_wire_refund_sent(request, pk: int):
    require_staff(request.user)
    form = RefundSentForm(request.POST, refund_pk=pk)
    if form.is_valid():
        with ServiceRefusal(request, form, whole_form=True):
            refund = wire_refund_record(
                refund_id=pk,
                sent_on=form.cleaned_data["sent_on"],
                bank_reference=form.cleaned_data["bank_reference"],
                actor=request.user,
            )
            messages.success(
                request,
                _("Refund #%(pk)s of %(amount)s recorded as sent.")
                % {"pk": refund.pk, "amount": format_money(refund.amount, refund.payment.currency)},
            )
            return redirect("staff_wire")
    return _page(request, failed_refund=form, status=HTTPStatus.BAD_REQUEST)
