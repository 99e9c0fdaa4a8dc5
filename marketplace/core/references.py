"""How the core names a challenge to the supporting domains (ledger, agreements):
an opaque string, so they never need to know what a challenge is."""

PREFIX = "challenge:"


def subject_of(challenge) -> str:
    return f"{PREFIX}{challenge.pk}"


def challenge_id_of(subject: str) -> int | None:
    """The challenge a subject names ("challenge:12" -> 12), else None."""
    pk = subject.removeprefix(PREFIX)
    return int(pk) if pk != subject and pk.isdigit() else None
