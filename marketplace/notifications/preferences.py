"""How each person hears of each kind of notification they can receive: by e-mail at
once (the default), in a daily digest e-mail, or in the app only. Every notification is
in the app list whatever the choice."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.accounts.permissions import is_staff
from marketplace.notifications.models import Delivery, NotificationPreference
from marketplace.notifications.models import NotificationKind as K
from marketplace.organisations.roles import EDITOR_ROLES

# Who receives each kind: every person as a Solver, an organisation's owners and
# managers as its Seeker, staff. A kind is in one group.
SOLVER_KINDS = (
    K.CHALLENGE_OPENED,
    K.DEADLINE_SOON,
    K.DEADLINE_EXTENDED,
    K.CLOSED_EARLY,
    K.CLARIFICATION_ANSWERED,
    K.ENTRY_REVIEWED,
    K.AWARD_WON,
    K.DEED_READY,
    K.AWARD_PAID,
    K.CERTIFICATE_READY,
    K.AWARD_FORFEITED,
    K.RESULTS_PUBLISHED,
)
SEEKER_KINDS = (
    K.QUESTION_ASKED,
    K.ENTRIES_RECEIVED,
    K.SUBMISSIONS_CLOSED,
    K.AWARD_ACCEPTED,
    K.AWARD_DECLINED,
    K.EARLY_CLOSE_REFUSED,
    K.IDEA_THRESHOLD_REACHED,
)
STAFF_KINDS = (K.REVIEW_REQUESTED, K.PAYOUT_FAILED)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    kinds: tuple[str, ...]


GROUPS = (
    Group("solver", gettext_lazy("As a Solver"), SOLVER_KINDS),
    Group("seeker", gettext_lazy("As a Seeker"), SEEKER_KINDS),
    Group("staff", gettext_lazy("As staff"), STAFF_KINDS),
)


@dataclass(frozen=True)
class Choice:
    group: Group
    kind: str
    delivery: str

    @property
    def label(self) -> str:
        return K(self.kind).label


def groups_for(user) -> list[Group]:
    """The groups of kinds the user can receive."""
    seeker = user.memberships.filter(role__in=EDITOR_ROLES).exists()
    return [
        group
        for group in GROUPS
        if group.key == "solver"
        or (group.key == "seeker" and seeker)
        or (group.key == "staff" and is_staff(user))
    ]


def preferences_of(user) -> list[Choice]:
    """Each kind the user can receive, grouped, with how they hear of it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        Choice(group, str(kind), chosen.get(str(kind), Delivery.EMAIL))
        for group in groups_for(user)
        for kind in group.kinds
    ]


def preferences_set(*, user, choices: dict[str, str]) -> list[Choice]:
    """Record the user's delivery for each kind in `choices` (kind -> delivery); a
    kind they cannot receive, or an unknown delivery, is refused and nothing changes."""
    receivable = {str(kind) for group in groups_for(user) for kind in group.kinds}
    errors = {}
    for kind, delivery in choices.items():
        if kind not in receivable:
            errors[kind] = [_("This is not a kind of notification you receive.")]
        elif delivery not in Delivery.values:
            errors[kind] = [_("Choose e-mail, daily digest or in the app only.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=user, kind=k, delivery=d) for k, d in choices.items()],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["delivery"],
        )
    return preferences_of(user)


def deliveries_for(pairs: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """How each (user id, kind) is delivered, in one query; e-mail unless chosen."""
    pairs = set(pairs)
    chosen = {
        (user_id, kind): delivery
        for user_id, kind, delivery in NotificationPreference.objects.filter(
            user_id__in={user_id for user_id, _kind in pairs},
            kind__in={kind for _user, kind in pairs},
        ).values_list("user_id", "kind", "delivery")
    }
    return {pair: chosen.get(pair, Delivery.EMAIL) for pair in pairs}
