"""Writes for solvers' profiles."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.accounts.services import user_set_full_name
from solvers.models import SolverProfile, country_codes

MAX_TAGS = 20
MAX_TAG_LENGTH = 40


def profile_get_or_create(*, user) -> SolverProfile:
    """The user's profile, created private on first use with their name (or the local
    part of their e-mail address) as display name."""
    profile = SolverProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    display_name = (user.full_name.strip() or user.email.split("@")[0])[:100]
    try:
        with transaction.atomic(durable=True):
            return SolverProfile.objects.create(user=user, display_name=display_name)
    except IntegrityError:  # a concurrent first use won the race
        return SolverProfile.objects.get(user=user)


def profile_update(
    *,
    user,
    display_name: str | None = None,
    country: str | None = None,
    expertise: list[str] | None = None,
    organisation: str | None = None,
    is_public: bool | None = None,
    full_name: str | None = None,
) -> SolverProfile:
    """Change the fields given (None leaves a field as it is), the person's full legal
    name included, all or nothing. Tags are trimmed, lower-cased and de-duplicated."""
    changes, errors = {}, {}
    if display_name is not None:
        display_name = " ".join(display_name.split())
        if not display_name:
            errors["display_name"] = [_("Give a display name.")]
        elif len(display_name) > 100:
            errors["display_name"] = [_("Keep the display name to 100 characters or fewer.")]
        changes["display_name"] = display_name
    if country is not None:
        country = country.strip().upper()
        if country and country not in country_codes():
            errors["country"] = [_("Choose a country from the list.")]
        changes["country"] = country
    if expertise is not None:
        try:
            changes["expertise"] = expertise_tags(expertise)
        except ValidationError as exc:
            errors["expertise"] = exc.messages
    if organisation is not None:
        organisation = organisation.strip()
        if len(organisation) > 200:
            errors["organisation"] = [_("Keep the organisation to 200 characters or fewer.")]
        changes["organisation"] = organisation
    if is_public is not None:
        changes["is_public"] = bool(is_public)
    if errors:
        raise ValidationError(errors)
    profile = profile_get_or_create(user=user)
    with transaction.atomic(durable=True):
        if full_name is not None:
            user_set_full_name(user=user, full_name=full_name)
        profile = SolverProfile.objects.select_for_update().get(pk=profile.pk)
        for field, value in changes.items():
            setattr(profile, field, value)
        profile.save()
    return profile


def expertise_tags(tags) -> list[str]:
    """Normalise expertise tags: spaces collapsed, lower-case, empty ones and repeats
    dropped; at most 20 of at most 40 characters each."""
    if isinstance(tags, str) or not isinstance(tags, list | tuple):
        raise ValidationError(_("Give the expertise as a list of tags."))
    normalised: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationError(_("Each tag is a piece of text."))
        tag = " ".join(tag.split()).lower()
        if len(tag) > MAX_TAG_LENGTH:
            raise ValidationError(
                _("Keep each tag to %(max)d characters or fewer: “%(tag)s” is longer.")
                % {"max": MAX_TAG_LENGTH, "tag": tag}
            )
        if tag and tag not in normalised:
            normalised.append(tag)
    if len(normalised) > MAX_TAGS:
        raise ValidationError(_("Give at most %(max)d tags.") % {"max": MAX_TAGS})
    return normalised
