from contextlib import suppress

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from marketplace.accounts.services import user_set_language


@require_POST
def language_switch(request):
    """Django's language switch, which also remembers a signed-in person's choice."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and response.status_code in (302, 200):
        # An unknown language is ignored, as set_language itself does.
        with suppress(ValidationError):
            user_set_language(user=request.user, language=language)
    return response
