"""Forms of the solver pages. They only parse what people type; the rules live in the
services, whose errors the views put back on the forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.teams.states import FULL_SHARE_BPS
from solvers.models import country_choices


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full legal name"),
        max_length=150,
        required=False,
        help_text=_("Private. Printed on your certificates; you type it to sign an IP deed."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        max_length=2000,
        help_text=_("Up to 20 tags separated by commas, for example: polymers, sea water."),
    )
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    is_public = forms.BooleanField(
        label=_("Show my profile to everyone"),
        required=False,
        help_text=_("A private profile is seen only by you and the site's staff."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Not given")), *country_choices()]

    @classmethod
    def for_profile(cls, profile, data=None):
        initial = {
            "full_name": profile.user.full_name,
            "display_name": profile.display_name,
            "country": profile.country,
            "expertise": ", ".join(profile.expertise),
            "organisation": profile.organisation,
            "is_public": profile.is_public,
        }
        return cls(data, initial=initial)

    def clean_expertise(self) -> list[str]:
        return [tag for tag in self.cleaned_data["expertise"].split(",") if tag.strip()]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=100)


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person needs an account on this site with this address."),
    )


class SharesForm(forms.Form):
    """One whole number of basis points per active member (field `share_<user id>`)."""

    def __init__(self, members, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for member in members:
            self.fields[f"share_{member.user_id}"] = forms.IntegerField(
                label=_("Share of %(member)s, in basis points") % {"member": member.user},
                initial=member.share_bps,
                widget=forms.NumberInput(attrs={"min": 0, "max": FULL_SHARE_BPS, "step": 1}),
            )

    def shares(self) -> dict[int, int]:
        return {
            int(name.removeprefix("share_")): value for name, value in self.cleaned_data.items()
        }
