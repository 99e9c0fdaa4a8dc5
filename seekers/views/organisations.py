"""Founding an organisation, its members page, and accepting an invitation. Changing the
members (inviting, a role, removing) first asks for the password again unless given in
the last few minutes (allauth's re-authentication)."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.billing.services import organization_billing_update
from marketplace.core.feedback import ServiceRefusal
from marketplace.organisations import services
from marketplace.organisations.roles import EDITOR_ROLES, OrgRole
from marketplace.organisations.selectors import (
    members_of,
    organization_for_member,
    pending_invitations,
)
from seekers.forms import BillingDetailsForm, InvitationForm, OrganizationForm


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form):
            org = services.organization_create(owner=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Organisation “%(name)s” created. You are its owner.") % {"name": org.name},
            )
            return redirect("seekers:dashboard")
    return render(request, "seekers/organization_form.html", {"form": form})


@login_required
@reauthentication_required(allow_get=True)
def organization_members(request, pk):
    """Members and their roles; owners also invite, change roles and remove members."""
    org = organization_for_member(request.user, pk)
    members = list(members_of(org))
    is_owner = any(m.user_id == request.user.pk and m.role == OrgRole.OWNER for m in members)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with ServiceRefusal(request, form):
            invitation = services.invitation_send(
                organization_id=org.pk, actor=request.user, **form.cleaned_data
            )
            sent = (
                _("The pending invitation to %(email)s was renewed and sent again.")
                if invitation.times_sent > 1
                else _("Invitation sent to %(email)s.")
            )
            messages.success(request, sent % {"email": invitation.email})
            return redirect("seekers:organization_members", pk=org.pk)
    return render(
        request,
        "seekers/organization_members.html",
        {
            "org": org,
            "members": members,
            "is_owner": is_owner,
            "form": form,
            "invitations": pending_invitations(org) if is_owner else [],
            "roles": OrgRole.choices,
            "billing_form": _billing_form(request.user, org),
        },
    )


def _billing_form(user, org) -> BillingDetailsForm | None:
    """The billing details form, for the owners and managers."""
    if not user.memberships.filter(organization=org, role__in=EDITOR_ROLES).exists():
        return None
    return BillingDetailsForm(
        initial={name: getattr(org, name) for name in BillingDetailsForm.base_fields}
    )


@login_required
@require_POST
def organization_billing(request, pk):
    """Who invoices, receipts and credit notes are made out to (owners and managers)."""
    org = organization_for_member(request.user, pk)
    form = BillingDetailsForm(request.POST)
    if form.is_valid():
        with ServiceRefusal(request, form):
            organization_billing_update(
                organization_id=org.pk, actor=request.user, **form.cleaned_data
            )
            messages.success(request, _("Billing details saved."))
    else:
        messages.error(request, _("The billing details were not saved: check the fields."))
    return redirect("seekers:organization_members", pk=org.pk)


@login_required
@require_POST
@reauthentication_required
def membership_role(request, org_pk, pk):
    org = organization_for_member(request.user, org_pk)
    membership = get_object_or_404(members_of(org), pk=pk)
    with ServiceRefusal(request):
        changed = services.membership_change_role(
            membership_id=membership.pk, actor=request.user, role=request.POST.get("role", "")
        )
        messages.success(
            request,
            _("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": changed.get_role_display()},
        )
    return redirect("seekers:organization_members", pk=org.pk)


@login_required
@require_POST
@reauthentication_required
def membership_remove(request, org_pk, pk):
    org = organization_for_member(request.user, org_pk)
    membership = get_object_or_404(members_of(org), pk=pk)
    with ServiceRefusal(request):
        services.membership_remove(membership_id=membership.pk, actor=request.user)
        messages.success(
            request,
            _("%(email)s was removed from the organisation.") % {"email": membership.user.email},
        )
        if membership.user_id == request.user.pk:
            return redirect("seekers:dashboard")
    return redirect("seekers:organization_members", pk=org.pk)


@login_required
def invitation_accept(request, token):
    """A confirmation page; joining happens on POST."""
    refusal = ServiceRefusal(request)
    if request.method == "POST":
        with refusal:
            membership = services.invitation_accept(token=token, user=request.user)
            messages.success(
                request,
                _("You joined %(org)s as %(role)s.")
                % {"org": membership.organization.name, "role": membership.get_role_display()},
            )
            return redirect("seekers:organization_members", pk=membership.organization_id)
    return render(request, "seekers/invitation_accept.html", status=400 if refusal.error else 200)
