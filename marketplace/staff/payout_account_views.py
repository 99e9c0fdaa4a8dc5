"""The staff page of payout accounts linked by hand: a winner who cannot use Stripe's
onboarding on the site gives staff their Stripe account id, and staff link it. Every
link is recorded (who, when, the account it replaced) and listed here. Everyone who is
not staff gets 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from marketplace.awards.services.release import staff_payout_account_link
from marketplace.core.feedback import ServiceRefusal
from marketplace.staff.access import require_staff
from marketplace.staff.award_views import render_section
from marketplace.staff.queries import staff_payout_account_links

RECENT = 50


class PayoutAccountLinkForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Winner's e-mail address"))
    destination = forms.CharField(
        label=gettext_lazy("Stripe account id"),
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "acct_…", "spellcheck": "false"}),
    )

    def clean_email(self):
        user = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("No one has this e-mail address."))
        return user


@require_http_methods(["GET", "HEAD", "POST"])
def staff_payout_accounts(request):
    require_staff(request.user)
    form = PayoutAccountLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["email"]
        with ServiceRefusal(request, form):
            account = staff_payout_account_link(
                user=user, destination=form.cleaned_data["destination"], actor=request.user
            )
            messages.success(
                request,
                _("%(user)s is now paid to the Stripe account %(account)s.")
                % {"user": user.email, "account": account.destination},
            )
            return redirect("staff_payout_accounts")
    return render_section(
        request,
        "payout_accounts.html",
        "staff_payout_accounts",
        {"form": form, "links": staff_payout_account_links()[:RECENT]},
        status=400 if form.is_bound else 200,
    )
