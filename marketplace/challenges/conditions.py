"""Conditions and permissions of the challenge lifecycle, one function each.

django-fsm calls a permission as `f(instance, user)` and a condition as `f(instance)`.
A `user` of None means the system itself (the deadline sweep, a gateway callback).
Each condition carries a `message` used to explain a refusal.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.accounts.permissions import is_staff
from marketplace.challenges.permissions import is_editor, is_owner
from marketplace.challenges.states import PUBLISHED, SETTLED, SIGNED, AwardState


def by_editor(challenge, user) -> bool:
    return is_editor(user, challenge)


def by_editor_or_staff(challenge, user) -> bool:
    return is_staff(user) or is_editor(user, challenge)


def by_owner_or_staff(challenge, user) -> bool:
    return is_staff(user) or is_owner(user, challenge)


def by_staff(challenge, user) -> bool:
    return is_staff(user)


def by_system_or_staff(challenge, user) -> bool:
    return user is None or is_staff(user)


def by_canceller(challenge, user) -> bool:
    """Before publication the owner may withdraw; afterwards only staff may cancel."""
    if challenge.state in PUBLISHED:
        return is_staff(user)
    return by_owner_or_staff(challenge, user)


def is_complete(challenge) -> bool:
    return challenge.requirements.exists() and challenge.planned_awards.exists()


is_complete.message = _("Add at least one solution requirement and one award first.")


def deadline_in_future(challenge) -> bool:
    return challenge.submission_deadline > timezone.now()


deadline_in_future.message = _("The submission deadline has passed; edit it first.")


def deadline_passed(challenge) -> bool:
    return challenge.submission_deadline <= timezone.now()


deadline_passed.message = _("The submission deadline has not passed yet.")


def before_deadline(challenge) -> bool:
    return challenge.submission_deadline > timezone.now()


before_deadline.message = _(
    "The submission deadline has passed: the challenge closes at its deadline anyway."
)

# The longest reason an early close (or a request for one) may give.
EARLY_CLOSE_REASON_MAX = 1000


def entries_staff_only(challenge, user) -> str | None:
    """Closing early once an entry has been submitted cuts short solvers who are
    competing: only staff may then do it (the owner asks them, with a reason)."""
    if user is None or is_staff(user):
        return None
    if challenge.submissions.active().exists():
        return str(
            _(
                "Entries have already been submitted, so only staff can close this "
                "challenge early. Ask them, with your reason."
            )
        )
    return None


def awards_settled(challenge) -> bool:
    """Completion: the owner has finished choosing winners, at least one award is paid,
    and every award is paid or forfeited."""
    awards = challenge.awards.all()
    return (
        challenge.awards_final_at is not None
        and awards.filter(state=AwardState.PAID).exists()
        and not awards.exclude(state__in=SETTLED).exists()
    )


awards_settled.message = _("Some awards are not yet paid or forfeited.")


def nothing_owed(challenge) -> bool:
    """Ending with no award: no winner has signed their deed. A signed award is owed to
    its winner until paid; only a staff dispute can withdraw it."""
    return not challenge.awards.filter(state__in=SIGNED).exists()


nothing_owed.message = _(
    "A winner has signed the deed: that prize is owed to them and cannot be refunded. "
    "Only staff can withdraw it, through a dispute."
)


def accepted_awards_staff_only(challenge, user) -> str | None:
    """Ending with no award withdraws the awards chosen so far. Once a winner has
    accepted one, only staff (with a recorded reason) may withdraw it; the owner is
    refused with this message."""
    if user is None or is_staff(user):
        return None
    if challenge.awards.filter(state=AwardState.ACCEPTED).exists():
        return str(
            _(
                "A winner has accepted an award. It can now be withdrawn only by the "
                "winner, by its claim deadline passing, or by staff."
            )
        )
    return None
