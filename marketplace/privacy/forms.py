from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    confirmation = forms.CharField(
        label=_("Type your e-mail address to confirm"), max_length=254, strip=True
    )
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput, strip=False, max_length=4096
    )
