from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up remembers the language the person signed up in; re-authentication asks
    for the second factor when there is one."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = (get_language() or "en").split("-")[0]
        user.language = language if language in ("en", "es") else "en"
        if commit:
            user.save()
        return user

    def get_reauthentication_methods(self, user):
        """With two factors, confirming it is you asks for the second factor (app, key
        or recovery code) rather than the password."""
        methods = super().get_reauthentication_methods(user)
        second = [m for m in methods if m["id"] != "reauthenticate"]
        return second or methods
