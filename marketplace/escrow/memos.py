"""Ledger entries as sentences in the reader's language, from the stored kind and
idempotency key (the memo stays as posted, for the CSV export and the API)."""

import re

from django.utils.translation import gettext_lazy as _

# Each kind an entry is posted with (see docs/money.md), worded from the number its key
# carries: fund:<payment>, open:<challenge>, release:award:<award>,
# payout:award:<award>:<payee>, reverse:payout:award:<award>:<payee>,
# forfeit:award:<award>, refund:<refund>.
ENTRY_SENTENCES = {
    "fund": _("Payment #%(number)s received"),
    "open": _("Challenge opened: prize pool into escrow, platform fee earned"),
    "release": _("Prize of award #%(number)s released to the winners"),
    "payout": _("Prize of award #%(number)s paid out to a winner"),
    "reverse": _("Payout of award #%(number)s reversed: owed to the winner again"),
    "forfeit": _("Award #%(number)s withdrawn: its unpaid prize back into escrow"),
    "refund": _("Refund #%(number)s to the payer"),
}

_AWARD = re.compile(r"award:(\d+)")
_NUMBER = re.compile(r"^[a-z]+:(\d+)$")


def _number(key: str) -> str:
    match = _AWARD.search(key) or _NUMBER.match(key)
    return match.group(1) if match else "?"


def entry_sentence(entry) -> str:
    """What the entry did, in the active language; an unknown kind is shown as itself."""
    sentence = ENTRY_SENTENCES.get(entry.kind)
    if sentence is None:
        return entry.kind
    return str(sentence) % {"number": _number(entry.idempotency_key)}
