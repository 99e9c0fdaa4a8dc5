"""How the core names a challenge to the supporting domains (ledger, agreements):
an opaque string, so they never need to know what a challenge is."""


def subject_of(challenge) -> str:
    return f"challenge:{challenge.pk}"
