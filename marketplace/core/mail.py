"""E-mail to one person, in their language: `<templates>_subject.txt` and
`<templates>_body.txt` rendered with the context (plus `user` and `site_url`)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def mail_user(user, templates: str, context: dict) -> None:
    with translation.override(user.language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{templates}_subject.txt", context).strip()
        body = render_to_string(f"{templates}_body.txt", context)
    send_mail(subject, body, None, [user.email])
