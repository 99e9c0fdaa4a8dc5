"""Writes for solver teams.

A captain forms a team for a challenge they registered for, invites people who have an
account, and declares how a prize would be shared among the active members, in basis
points adding up to exactly 10,000. Whenever the set of active members changes
(someone joins, leaves or is removed) the shares are split equally again with the
largest-remainder rule (earlier members get the spare points), replacing any custom
split: the captain declares it again if wanted. From the submission deadline on
(server time) nothing about a team changes any more; the deadline sweep records that
moment in `shares_frozen_at`. What a team needs before it may submit is
`marketplace.teams.rules.team_blockers`.

Every write locks the team row, then its member rows in primary-key order."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from marketplace.challenges.models import Challenge, ChallengeState
from marketplace.core.errors import IllegalTransition, NotAllowed
from marketplace.core.mail import mail_user
from marketplace.participation.models import Registration
from marketplace.teams.models import Team, TeamMember
from marketplace.teams.states import FULL_SHARE_BPS, PLACED, TeamMemberState
from payouts.splits import split_largest_remainder


def _team_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the team a name.")]})
    if len(name) > 100:
        raise ValidationError({"name": [_("Keep the name to 100 characters or fewer.")]})
    return name


def team_is_final(team: Team) -> bool:
    """From the submission deadline on (server time) a team and its split are final."""
    return _past_deadline(team.challenge) or team.shares_frozen_at is not None


def _past_deadline(challenge: Challenge) -> bool:
    return timezone.now() >= challenge.submission_deadline


def _require_changeable(challenge: Challenge, team: Team | None = None) -> None:
    """Teams change only while the challenge is open and before its submission deadline."""
    if _past_deadline(challenge) or (team is not None and team.shares_frozen_at is not None):
        raise IllegalTransition(
            _("The submission deadline has passed: the team and its shares are final."),
            state=challenge.state,
            code="team_final",
        )
    if challenge.state != ChallengeState.OPEN:
        raise IllegalTransition(
            _("Teams can only change while the challenge is open."),
            state=challenge.state,
            code="not_open",
        )


def _in_another_team(challenge: Challenge) -> IllegalTransition:
    return IllegalTransition(
        _("You are already in a team for this challenge."),
        state=challenge.state,
        code="in_another_team",
    )


def _name_taken() -> ValidationError:
    return ValidationError({"name": [_("Another team of this challenge has this name.")]})


def _require_captain(team: Team, actor) -> None:
    if actor.pk != team.captain_id:
        raise NotAllowed(_("Only the team's captain can do this."))


def _lock(team_id: int, *, also_user=None) -> tuple[Team, list[TeamMember]]:
    """Lock the team, then its member rows (and `also_user`'s rows in other teams of the
    same challenge) in primary-key order."""
    team = Team.objects.select_for_update(of=("self",)).select_related("challenge").get(pk=team_id)
    rows = Q(team=team)
    if also_user is not None:
        rows |= Q(challenge_id=team.challenge_id, user=also_user)
    members = list(TeamMember.objects.select_for_update().filter(rows).order_by("pk"))
    return team, members


def shares_split_equally(members: list[TeamMember]) -> None:
    """Equal shares for the active members (earlier members get the spare points),
    none for anyone else. `members` are one team's rows, in primary-key order."""
    active = [m for m in members if m.state == TeamMemberState.ACTIVE]
    shares = split_largest_remainder(FULL_SHARE_BPS, [1] * len(active)) if active else []
    for member in members:
        member.share_bps = 0
    for member, share in zip(active, shares, strict=True):
        member.share_bps = share


def _save(members: list[TeamMember]) -> None:
    TeamMember.objects.bulk_update(members, ["state", "share_bps", "responded_at"])


def team_create(*, challenge_id: int, captain, name: str) -> Team:
    """A registered solver forms a team for an open challenge and becomes its captain,
    the first active member, with the whole share."""
    name = _team_name(name)
    challenge = Challenge.objects.get(pk=challenge_id)
    if not Registration.objects.filter(challenge=challenge, user=captain).exists():
        raise NotAllowed(_("Accept the challenge's agreement before forming a team."))
    _require_changeable(challenge)
    try:
        with transaction.atomic(durable=True):
            held = TeamMember.objects.select_for_update().filter(
                challenge=challenge, user=captain, state=TeamMemberState.ACTIVE
            )
            if list(held):
                raise _in_another_team(challenge)
            if Team.objects.filter(challenge=challenge, name__iexact=name).exists():
                raise _name_taken()
            team = Team.objects.create(challenge=challenge, name=name, captain=captain)
            TeamMember.objects.create(
                team=team,
                challenge=challenge,
                user=captain,
                state=TeamMemberState.ACTIVE,
                share_bps=FULL_SHARE_BPS,
                responded_at=team.created_at,
            )
    except IntegrityError:  # a concurrent request took the name or put the captain in a team
        if Team.objects.filter(challenge=challenge, name__iexact=name).exists():
            raise _name_taken() from None
        raise _in_another_team(challenge) from None
    return team


def team_invite(*, team_id: int, actor, email: str) -> TeamMember:
    """The captain invites someone who has an account; the e-mail with a link to the
    team's page goes out after commit. Someone who declined or left can be invited again."""
    with transaction.atomic(durable=True):
        team, members = _lock(team_id)
        _require_captain(team, actor)
        _require_changeable(team.challenge, team)
        email = (email or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": [_("Enter a valid e-mail address.")]}) from None
        invitee = get_user_model().objects.filter(email__iexact=email).first()
        if invitee is None:
            raise ValidationError(
                {
                    "email": [
                        _("Nobody has an account with this address; ask them to sign up first.")
                    ]
                }
            )
        member = next((m for m in members if m.user_id == invitee.pk), None)
        if member is not None and member.state in PLACED:
            raise ValidationError({"email": [_("This person is already in the team or invited.")]})
        if member is None:
            member = TeamMember.objects.create(
                team=team, challenge_id=team.challenge_id, user=invitee
            )
        else:
            member.state, member.share_bps = TeamMemberState.INVITED, 0
            member.invited_at, member.responded_at = timezone.now(), None
            member.save(update_fields=["state", "share_bps", "invited_at", "responded_at"])
        transaction.on_commit(lambda: _mail_invitation(member.pk))
    return member


def _mail_invitation(member_id: int) -> None:
    member = TeamMember.objects.select_related("team__challenge", "team__captain", "user").get(
        pk=member_id
    )
    url = settings.SITE_URL + reverse("solvers:team_detail", args=[member.team_id])
    context = {"member": member, "team": member.team, "url": url}
    mail_user(member.user, "solvers/emails/team_invitation", context)


def team_invitation_respond(*, team_id: int, user, accept: bool) -> TeamMember:
    """The invitee accepts (joining needs the challenge open, before its deadline, and
    no other team of theirs for it; the shares are split equally again) or declines."""
    try:
        with transaction.atomic(durable=True):
            team, rows = _lock(team_id, also_user=user)
            members = [m for m in rows if m.team_id == team.pk]
            mine = next((m for m in members if m.user_id == user.pk), None)
            if mine is None:
                raise NotAllowed(_("You have no invitation to this team."))
            if mine.state != TeamMemberState.INVITED:
                raise IllegalTransition(
                    _("There is no pending invitation to answer."),
                    state=team.challenge.state,
                    code="not_invited",
                )
            mine.responded_at = timezone.now()
            if accept:
                _require_changeable(team.challenge, team)
                if any(m.state == TeamMemberState.ACTIVE for m in rows if m.team_id != team.pk):
                    raise _in_another_team(team.challenge)
                mine.state = TeamMemberState.ACTIVE
                shares_split_equally(members)
            else:
                mine.state = TeamMemberState.DECLINED
            _save(members)
    except IntegrityError:  # a team formed concurrently made the user active elsewhere
        raise _in_another_team(Challenge.objects.get(teams=team_id)) from None
    return mine


def team_set_shares(*, team_id: int, actor, shares: dict[int, int]) -> Team:
    """The captain declares the split: every active member (by user id) exactly once,
    each a whole number of basis points from 0 to 10,000, adding up to exactly 10,000."""
    with transaction.atomic(durable=True):
        team, members = _lock(team_id)
        _require_captain(team, actor)
        _require_changeable(team.challenge, team)
        active = {m.user_id: m for m in members if m.state == TeamMemberState.ACTIVE}
        _check_shares(shares, set(active))
        for user_id, share in shares.items():
            active[user_id].share_bps = share
        _save(members)
    return team


def _check_shares(shares: dict[int, int], active: set[int]) -> None:
    messages = []
    if set(shares) != active:
        messages.append(_("Give a share for every member of the team, and only for them."))
    values = list(shares.values())
    if any(type(v) is not int or not 0 <= v <= FULL_SHARE_BPS for v in values):
        messages.append(_("Each share is a whole number of basis points from 0 to 10,000."))
    elif sum(values) != FULL_SHARE_BPS:
        messages.append(
            _(
                "The shares add up to %(total)s basis points; they must add up to exactly "
                "10,000 (100 %%)."
            )
            % {"total": formats.number_format(sum(values), use_l10n=True, force_grouping=True)}
        )
    if messages:
        raise ValidationError({"shares": messages})


def team_member_withdraw(*, team_id: int, user_id: int, actor) -> TeamMember:
    """A member leaves, or the captain removes a member or cancels an invitation; the
    shares of those who stay are split equally again. The captain leaves last: doing so
    also cancels the pending invitations, which ends the team."""
    with transaction.atomic(durable=True):
        team, members = _lock(team_id)
        if actor.pk != user_id and actor.pk != team.captain_id:
            raise NotAllowed(_("Only the team's captain can remove someone else."))
        target = next((m for m in members if m.user_id == user_id and m.state in PLACED), None)
        if target is None:
            raise ValidationError({"user": [_("This person is not in the team.")]})
        _require_changeable(team.challenge, team)
        leaving = [target]
        if user_id == team.captain_id:
            if any(m.state == TeamMemberState.ACTIVE and m is not target for m in members):
                raise ValidationError(
                    {"user": [_("The captain leaves last: remove the other members first.")]}
                )
            leaving = [m for m in members if m.state in PLACED]
        for member in leaving:
            member.state = TeamMemberState.WITHDRAWN
        shares_split_equally(members)
        _save(members)
    return target
