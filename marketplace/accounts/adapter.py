from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person signed up in."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or "en").split("-")[0]
        user.language = language if language in ("en", "es") else "en"
        if commit:
            user.save()
        return user
