"""Writes for agreements: publishing a template version (or a translation of one),
choosing the text a reader is shown, recording an acceptance.

A version of an agreement exists in one or more languages, each its own row with its own
text and SHA-256. The version in force is the newest one, in any language; a reader is
shown it in the language they are reading, else in English (else in whatever language
it exists). Never an older version because it happens to be translated."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _

from legal.models import Acceptance, AgreementTemplate
from legal.shipped import FALLBACK_LANGUAGE, shipped_languages, shipped_text


class StaleAgreement(ValidationError):
    """The text the person saw is not the text in force now."""


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sha256_text(text: str) -> str:
    return sha256_bytes(text.encode("utf-8"))


@dataclass(frozen=True)
class RenderedAgreement:
    template: AgreementTemplate
    text: str
    sha256: str


def reading_language(language: str | None = None) -> str:
    """`language`, else the active one (the request's, in a view), as one of the site's
    languages ("es-mx" is "es"); English when it is none of them."""
    code = (language or translation.get_language() or FALLBACK_LANGUAGE).lower()
    available = dict(settings.LANGUAGES)
    for candidate in (code, code.split("-")[0]):
        if candidate in available:
            return candidate
    return FALLBACK_LANGUAGE


def template_publish(
    *,
    kind: str,
    variant: str = "",
    title: str,
    body: str,
    language: str = FALLBACK_LANGUAGE,
    version: int | None = None,
) -> AgreementTemplate:
    """Publish a text. Without `version`, a new version (earlier versions, and what was
    accepted under them, stay). With `version`, the text of that existing version in
    another `language` (a translation); a language a version already has is refused."""
    if not title.strip() or not body.strip():
        raise ValidationError(_("A template needs a title and a body."))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Unknown language %(code)s.") % {"code": language}]})
    Template(body)  # a syntax error in the placeholders is refused here, not at acceptance
    with transaction.atomic():
        versions = AgreementTemplate.objects.select_for_update().filter(kind=kind, variant=variant)
        if version is None:
            version = (versions.aggregate(v=Max("version"))["v"] or 0) + 1
        elif not versions.filter(version=version).exists():
            raise ValidationError(
                {
                    "version": [
                        _("There is no version %(version)s to translate.") % {"version": version}
                    ]
                }
            )
        elif versions.filter(version=version, language=language).exists():
            raise ValidationError(
                {
                    "language": [
                        _("Version %(version)s already has a text in this language.")
                        % {"version": version}
                    ]
                }
            )
        return AgreementTemplate.objects.create(
            kind=kind,
            variant=variant,
            version=version,
            language=language,
            title=title.strip(),
            body=body,
            sha256=sha256_text(body),
        )


def _publish_shipped(*, kind: str, variant: str, language: str) -> AgreementTemplate | None:
    """Version 1 in `language` from the shipped text; None when none ships in it."""
    if language not in shipped_languages(kind, variant):
        return None
    title, body = shipped_text(kind, variant, language)
    first = AgreementTemplate.objects.filter(kind=kind, variant=variant, version=1)
    try:
        with transaction.atomic():
            return template_publish(
                kind=kind,
                variant=variant,
                title=title,
                body=body,
                language=language,
                version=1 if first.exists() else None,
            )
    except (IntegrityError, ValidationError):  # published concurrently by another request
        return first.filter(language=language).first()


def _ships_with_english_v1(template: AgreementTemplate) -> bool:
    """`template` is version 1 and its English text is the shipped one, so the shipped
    translations are translations of it."""
    if template.version != 1:
        return False
    english = AgreementTemplate.objects.filter(
        kind=template.kind, variant=template.variant, version=1, language=FALLBACK_LANGUAGE
    ).first()
    if english is None:
        return False
    return english.sha256 == sha256_text(
        shipped_text(template.kind, template.variant, FALLBACK_LANGUAGE)[1]
    )


def template_current(
    *, kind: str, variant: str = "", language: str | None = None
) -> AgreementTemplate:
    """The version in force (the newest published, else version 1 of the shipped text)
    in `language` (default: the active language), falling back to English when that
    version has no text in it. Version 1 in a language the shipped texts have is
    published on first use, as English v1 is (also next to an English v1 published
    before the translation shipped)."""
    language = reading_language(language)
    versions = AgreementTemplate.objects.filter(kind=kind, variant=variant).order_by("-version")
    latest = versions.first()
    if latest is None:
        for shipped in shipped_languages(kind, variant):
            _publish_shipped(kind=kind, variant=variant, language=shipped)
        latest = versions.first()
        if latest is None:
            raise LookupError(f"no text of {kind} {variant!r} is published or shipped")
    texts = {
        t.language: t
        for t in AgreementTemplate.objects.filter(
            kind=kind, variant=variant, version=latest.version
        )
    }
    if language not in texts and _ships_with_english_v1(latest):
        published = _publish_shipped(kind=kind, variant=variant, language=language)
        if published is not None:
            texts[language] = published
    for candidate in (language, FALLBACK_LANGUAGE):
        if candidate in texts:
            return texts[candidate]
    return texts[min(texts)]


def agreement_render(template: AgreementTemplate, terms: dict) -> RenderedAgreement:
    """Fill the template with the subject's own terms (plain text, no escaping: the
    result is Markdown, sanitised when shown)."""
    text = Template(template.body).render(Context(terms, autoescape=False)).strip() + "\n"
    return RenderedAgreement(template=template, text=text, sha256=sha256_text(text))


def require_current_text(rendered: RenderedAgreement, accepted_sha256: str) -> None:
    """Refuse (StaleAgreement) unless `accepted_sha256`, the hash of the text the person
    was shown, is the hash of the text in force now."""
    if not accepted_sha256:
        raise StaleAgreement(
            {"accepted_sha256": [_("Send the SHA-256 of the agreement text you accept.")]},
            code="stale_agreement",
        )
    if accepted_sha256 != rendered.sha256:
        raise StaleAgreement(
            {
                "accepted_sha256": [
                    _(
                        "The agreement has changed since you opened it. "
                        "Read the current text and accept again."
                    )
                ]
            },
            code="stale_agreement",
        )


def acceptance_record(
    *,
    user,
    rendered: RenderedAgreement,
    accepted_sha256: str,
    subject: str,
    ip: str | None = None,
    user_agent: str = "",
) -> Acceptance:
    """Record that `user` accepted exactly `rendered`, in its template's language.
    `accepted_sha256` is the hash of the text the person was shown; if it is not the
    text in force now (in the language they read it in), refuse.
    Accepting the same version again returns the first acceptance."""
    require_current_text(rendered, accepted_sha256)
    try:
        with transaction.atomic():
            acceptance, _created = Acceptance.objects.get_or_create(
                user=user,
                subject=subject,
                template=rendered.template,
                defaults={
                    "template_sha256": rendered.template.sha256,
                    "text": rendered.text,
                    "text_sha256": rendered.sha256,
                    "language": rendered.template.language,
                    "ip": ip or None,
                    "user_agent": (user_agent or "")[:500],
                },
            )
    except IntegrityError:  # the same person accepting twice at the same moment
        acceptance = Acceptance.objects.get(user=user, subject=subject, template=rendered.template)
    return acceptance
