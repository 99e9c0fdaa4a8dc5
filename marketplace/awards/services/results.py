"""Results: telling every solver with an entry that a finished challenge's results
are out, and a winner's choice to stay anonymous on them."""

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.awards.models import AwardRecipient, AwardState
from marketplace.awards.results import has_results
from marketplace.challenges.models import Challenge
from marketplace.core.errors import IllegalTransition
from marketplace.notifications.models import NotificationKind
from marketplace.notifications.services import notifications_send
from marketplace.submissions.models import Submission
from marketplace.submissions.reviews import submission_reviews_conclude
from marketplace.teams.models import TeamMember
from marketplace.teams.states import TeamMemberState


def _entrants(challenge: Challenge) -> dict:
    """Every person with an entry in the challenge (its author, and each active member
    of an entering team), by id, with whether an award paid them."""
    entries = Submission.objects.filter(challenge=challenge).active()
    people = {s.author_id: s.author for s in entries.select_related("author")}
    members = TeamMember.objects.filter(
        team__submissions__in=entries, state=TeamMemberState.ACTIVE
    ).select_related("user")
    people |= {m.user_id: m.user for m in members}
    return people


def results_announce(challenge: Challenge) -> int:
    """Inside the transition that finished the challenge: the entries left in the
    running become not selected, and every solver with an entry is told once that the
    results are out and whether they won."""
    if not has_results(challenge):
        return 0
    submission_reviews_conclude(challenge)
    paid = set(
        AwardRecipient.objects.filter(
            award__challenge=challenge, award__state=AwardState.PAID, amount__gt=0
        ).values_list("user_id", flat=True)
    )
    people = _entrants(challenge)
    sent = 0
    for won in (True, False):
        users = [user for pk, user in people.items() if (pk in paid) == won]
        if users:
            sent += notifications_send(
                kind=NotificationKind.RESULTS_PUBLISHED,
                users=users,
                key=f"challenge:{challenge.pk}",
                challenge=challenge,
                params={"won": won, "state": challenge.state},
            )
    return sent


def award_anonymity_set(*, award_id: int, user, anonymous: bool) -> AwardRecipient:
    """The winner chooses whether the public results name them (and link their
    certificate); only for their own share of an award that was not forfeited."""
    with transaction.atomic(durable=True):
        recipient = (
            AwardRecipient.objects.select_for_update()
            .select_related("award")
            .get(award_id=award_id, user=user)
        )
        if recipient.award.state == AwardState.FORFEITED:
            raise IllegalTransition(
                _("This award was forfeited: it is not on the results."),
                state=recipient.award.state,
            )
        if recipient.anonymous != anonymous:
            recipient.anonymous = anonymous
            recipient.save(update_fields=["anonymous"])
    return recipient
