"""How the core names a challenge to the supporting domains (ledger, agreements):
an opaque string, so they never need to know what a challenge is."""

PREFIX = "challenge:"


def subject_of(challenge) -> str:
    return f"{PREFIX}{challenge.pk}"


def challenge_id_of(subject: str) -> int | None:
    """The challenge a subject names ("challenge:12" -> 12), else None."""
    pk = subject.removeprefix(PREFIX)
    return int(pk) if pk != subject and pk.isdigit() else None


def wire_reference(challenge_pk: int) -> str:
    """The payment reference a Seeker quotes on a bank transfer for a challenge:
    "MP" + the challenge id in six or more digits + two ISO 7064 MOD 97-10 check digits
    (as in an IBAN or a RF creditor reference), so a mistyped reference is caught."""
    body = f"{challenge_pk:06d}"
    check = 98 - int(f"{body}222500") % 97  # "MP" is 22 25 in the IBAN letter code
    return f"MP{body}{check:02d}"


def challenge_id_of_wire_reference(reference: str) -> int | None:
    """The challenge a wire reference names, if its check digits are right; else None.
    Spaces and case are ignored."""
    text = reference.replace(" ", "").upper()
    if not (text.startswith("MP") and text[2:].isdigit() and len(text) >= 10):
        return None
    pk = int(text[2:-2])
    return pk if wire_reference(pk) == text else None
