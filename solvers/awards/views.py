"""A winner's pages: my awards, one award as a list of steps (accept or decline, sign
the deed, tax form, payout details, the outcome), the signed deed's PDF, and the tax
form and payout details pages a solver may use before ever winning.

Only an award's recipients open its page; for anyone else it does not exist (404).
Filing a tax form and setting up payouts first ask for the password (and the second
factor) again unless given in the last few minutes (allauth's re-authentication); the
tax form asks before it is shown, and a form posted late is not kept meanwhile. Setting
up payouts with Stripe sends the winner to Stripe's hosted onboarding, which comes back
to the return page (the account is read there) or, for a stale link, to a page that
makes a new one.
Every action is a plain POST that comes back to the page, with refusals as messages or
as errors next to the fields (the page is then answered again, status 400)."""

import logging

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.accounts.reauthentication import reauthenticate_first
from marketplace.awards.selectors import award_for_party, shows_winners
from marketplace.awards.services import claim as award_claim
from marketplace.awards.services.deeds import award_deed
from marketplace.awards.services.release import (
    winner_payout_setup,
    winner_payout_setup_check,
    winner_tax_form_file,
)
from marketplace.awards.services.results import award_anonymity_set
from marketplace.core.clients import client_ip
from marketplace.core.feedback import ServiceRefusal
from payouts.gateways import GatewayRefused, GatewayUnavailable
from payouts.models import TaxFormKind
from payouts.selectors import payout_account_of
from payouts.services.connect import NoConnectAccount
from payouts.services.tax import tax_form_current
from solvers.awards.claims import SIGN
from solvers.awards.forms import TAX_FORMS, DeclineForm, DeedSignForm
from solvers.awards.selectors import claim_for, claims_for, teammates_of

logger = logging.getLogger(__name__)


def _step_url(award_id: int, step: int) -> str:
    return reverse("solvers:award_detail", args=[award_id]) + f"#step-{step}"


# --- tax form and payout details, shared by the award page and their own pages -----------


def _tax_form_shown(request, bound=None):
    """The form being filled in: the bound one, else the kind asked for (?kind=)."""
    if bound is not None:
        return bound
    form_class = TAX_FORMS.get(request.GET.get("kind"))
    return form_class() if form_class else None


def _tax_form_post(request):
    """File the posted tax form. Returns the form with its errors, or None once filed."""
    form_class = TAX_FORMS.get(request.POST.get("kind"))
    if form_class is None:
        raise Http404
    form = form_class(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form):
            filed = winner_tax_form_file(user=request.user, kind=form.kind, data=form.cleaned_data)
            messages.success(
                request,
                _("Your %(form)s is on file, for the tax number %(number)s.")
                % {"form": filed.get_kind_display(), "number": filed.tin_masked or _("none")},
            )
            return None
    return form


def _setup_urls(request, back: str) -> dict:
    """Where Stripe's onboarding comes back to: the return page, or (a stale link) the
    page that makes a new link; both then go on to `back`."""
    query = f"?{urlencode({'next': back})}"
    return {
        "return_url": request.build_absolute_uri(reverse("solvers:payout_setup_return") + query),
        "refresh_url": request.build_absolute_uri(reverse("solvers:payout_setup_refresh") + query),
    }


def _back(request) -> str:
    """The page to come back to after Stripe (?next=, a page of this site)."""
    back = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return reverse("solvers:payout_details")


def _payout_setup(request, back: str):
    """Start or go on with the set-up: to Stripe's onboarding, or back at once (local)."""
    try:
        link = winner_payout_setup(user=request.user, **_setup_urls(request, back))
    except GatewayUnavailable:
        messages.error(request, _("Stripe did not answer. Try again in a moment."))
        return redirect(back)
    except GatewayRefused as refused:
        logger.error("Stripe refused a payout set-up for user %s: %s", request.user.pk, refused)
        messages.error(
            request,
            _("Stripe could not set up payouts (%(reason)s). Please tell us, so we can fix it.")
            % {"reason": refused},
        )
        return redirect(back)
    if not link:
        messages.success(request, _("Your payout details are saved."))
        return redirect(back)
    return redirect(link)


def _details_context(request, *, tax_form=None) -> dict:
    return {
        "tax_current": tax_form_current(request.user),
        "tax_form": _tax_form_shown(request, tax_form),
        "tax_kinds": TaxFormKind.choices,
        "gateway": settings.PAYMENT_GATEWAY,
        "payout_account": payout_account_of(request.user, settings.PAYMENT_GATEWAY),
    }


# --- my awards and one award ---------------------------------------------------------------


@login_required
def award_list(request):
    return render(request, "solvers/awards/list.html", {"claims": claims_for(request.user)})


def _award_page(request, claim, *, sign_form=None, tax_form=None, status=200):
    award = claim.award
    signing = claim.open and (claim.step == SIGN or sign_form is not None)
    # The deed names the winner by their full name: without one it is not shown, nor signed.
    name_missing = signing and not request.user.full_name
    deed = award_deed(award=award, user=request.user) if signing and not name_missing else None
    details = _details_context(request, tax_form=tax_form)
    if sign_form is None:
        sign_form = DeedSignForm()
        if details["tax_form"] is not None:  # the person chose to fill in the tax form
            sign_form.fields["signature"].widget.attrs.pop("autofocus")
    context = {
        "claim": claim,
        "award": award,
        "challenge": award.challenge,
        "deed": deed,
        "name_missing": name_missing,
        "sign_form": sign_form,
        "decline_form": DeclineForm(),
        "teammates": teammates_of(award) if claim.is_team else [],
        **details,
    }
    return render(request, "solvers/awards/detail.html", context, status=status)


@login_required
def award_detail(request, pk: int):
    claim = claim_for(request.user, pk)
    if request.GET.get("kind") and (
        asked := reauthenticate_first(request, request.get_full_path())
    ):
        return asked  # the tax form step is opened: confirm it is you first
    return _award_page(request, claim)


@login_required
@require_POST
def award_accept(request, pk: int):
    claim = claim_for(request.user, pk)
    with ServiceRefusal(request):
        award_claim.award_accept(award_id=claim.award.pk, user=request.user)
        messages.success(request, _("You accepted the award. Next: the steps below."))
        return redirect(_step_url(pk, 2))
    return redirect(_step_url(pk, 1))


@login_required
@require_POST
def award_anonymity(request, pk: int):
    claim = claim_for(request.user, pk)
    anonymous = request.POST.get("anonymous") == "1"
    with ServiceRefusal(request):
        award_anonymity_set(award_id=claim.award.pk, user=request.user, anonymous=anonymous)
        if anonymous:
            messages.success(request, _("The public results will not name you."))
        else:
            messages.success(request, _("The public results will name you."))
    return redirect(reverse("solvers:award_detail", args=[pk]) + "#step-5")


@login_required
@require_POST
def award_decline(request, pk: int):
    claim = claim_for(request.user, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    with ServiceRefusal(request):
        award_claim.award_decline(award_id=claim.award.pk, user=request.user, reason=reason)
        messages.success(request, _("You declined the award. It is forfeited."))
    return redirect("solvers:award_detail", pk=pk)


@login_required
@require_POST
def award_sign(request, pk: int):
    claim = claim_for(request.user, pk)
    form = DeedSignForm(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form) as refusal:
            award_claim.award_deed_sign(
                award_id=claim.award.pk,
                user=request.user,
                accepted_sha256=request.POST.get("accepted_sha256", ""),
                signature=form.cleaned_data["signature"],
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
            messages.success(request, _("You signed the deed. Its signed PDF is below."))
        if not refusal.on_form:
            return redirect(_step_url(pk, 2))
    return _award_page(request, claim, sign_form=form, status=400)


@login_required
@require_POST
def award_tax_form(request, pk: int):
    claim = claim_for(request.user, pk)
    kind = request.POST.get("kind", "")
    again = reverse("solvers:award_detail", args=[pk]) + f"?{urlencode({'kind': kind})}#step-3"
    if asked := reauthenticate_first(request, again):
        return asked
    form = _tax_form_post(request)
    if form is None:
        return redirect(_step_url(pk, 3))
    return _award_page(request, claim, tax_form=form, status=400)


@login_required
@require_POST
@reauthentication_required
def award_payout_setup(request, pk: int):
    claim_for(request.user, pk)
    return _payout_setup(request, _step_url(pk, 4))


@login_required
@require_safe
def award_deed_pdf(request, pk: int, user_pk: int):
    """A signed deed of the award: for its recipients, the challenge's owners, staff. It
    names the winner, so while blind judging hides the winners the owners get 404."""
    award = award_for_party(request.user, pk)
    if not shows_winners(request.user, award):
        raise Http404
    recipient = award.recipients.select_related("deed").filter(user_id=user_pk).first()
    if recipient is None or recipient.deed is None:
        raise Http404
    response = FileResponse(
        recipient.deed.pdf.open("rb"),
        as_attachment=False,
        filename=f"deed-award-{award.pk}-{user_pk}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the same forms on their own pages -----------------------------------------------------


@login_required
def tax_form(request):
    again = reverse("solvers:tax_form") + f"?{urlencode({'kind': request.POST.get('kind', '')})}"
    if asked := reauthenticate_first(
        request, request.get_full_path() if request.method == "GET" else again
    ):
        return asked
    form = None
    if request.method == "POST":
        form = _tax_form_post(request)
        if form is None:
            return redirect("solvers:tax_form")
    context = _details_context(request, tax_form=form)
    return render(
        request, "solvers/awards/tax_form.html", context, status=400 if form is not None else 200
    )


@login_required
@require_safe
def payout_details(request):
    return render(request, "solvers/awards/payout_details.html", _details_context(request))


@login_required
@require_POST
@reauthentication_required
def payout_setup(request):
    return _payout_setup(request, reverse("solvers:payout_details"))


@login_required
@require_safe
@reauthentication_required
def payout_setup_refresh(request):
    """Stripe's link was used or is stale: make a new one and go on."""
    return _payout_setup(request, _back(request))


@login_required
@require_safe
def payout_setup_return(request):
    """Back from Stripe: read the account there and say where it stands."""
    try:
        account = winner_payout_setup_check(user=request.user)
    except NoConnectAccount:
        return redirect("solvers:payout_details")
    except GatewayUnavailable:
        messages.error(request, _("Stripe did not answer. Try again in a moment."))
        return redirect(_back(request))
    except GatewayRefused as refused:
        logger.error("Stripe refused reading the account of user %s: %s", request.user.pk, refused)
        messages.error(
            request,
            _("Stripe could not set up payouts (%(reason)s). Please tell us, so we can fix it.")
            % {"reason": refused},
        )
        return redirect(_back(request))
    if account.payouts_enabled:
        messages.success(request, _("Your payout set-up is complete: you can be paid."))
    else:
        messages.warning(
            request, _("Stripe still needs something from you before you can be paid.")
        )
    return redirect(_back(request))
