"""E-mails about a challenge's life, sent after the change has committed. Each goes
out in the recipient's own language; the mail log row makes a retry send nothing twice."""

from marketplace.challenges.models import ChallengeEvent
from marketplace.core.mail import mail_user
from marketplace.organisations.selectors import editors_of

# Which events mail whom: "editors" are the organisation's owners and managers,
# "solvers" are the challenge's registered solvers. A deadline extension reaches the
# solvers as a notification (`notify.py`), which is e-mailed in its turn; so does an
# early close (`closing.py`).
AUDIENCE = {
    "submit": (),
    "approve": ("editors",),
    "return_to_draft": ("editors",),
    "reject": ("editors",),
    "open": ("editors",),
    "cancel": ("editors", "solvers"),
    "close_early": ("editors",),
}


def _recipients(event: ChallengeEvent) -> list:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    found = {}
    for audience in AUDIENCE.get(event.name, ()):
        if audience == "editors":
            qs = editors_of(event.challenge.organization_id)
        else:
            qs = users.filter(registrations__challenge_id=event.challenge_id)
        found.update({u.pk: u for u in qs})
    return [found[k] for k in sorted(found)]


def event_emails_send(*, event_id: int) -> int:
    event = ChallengeEvent.objects.select_related("challenge").get(pk=event_id)
    if event.details.get("mailed"):
        return 0
    sent = 0
    for user in _recipients(event):
        mail_user(user, "emails/challenge_event", {"event": event, "challenge": event.challenge})
        sent += 1
    ChallengeEvent.objects.filter(pk=event.pk).update(details={**event.details, "mailed": True})
    return sent
