"""Ledger entries worded from their kind and key: every kind posted has a sentence."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from marketplace.escrow.memos import ENTRY_SENTENCES, entry_sentence

ROOT = Path(__file__).resolve().parents[2]
POSTED_KIND = re.compile(r'(?<!_)\bkind="(\w+)"')


def posted_kinds() -> set[str]:
    """Every `kind="..."` an entry is posted with, read from the code that posts them."""
    sources = [*ROOT.joinpath("payouts", "services").glob("*.py")]
    sources.append(ROOT / "marketplace" / "escrow" / "services.py")
    return {kind for path in sources for kind in POSTED_KIND.findall(path.read_text())}


def test_every_posted_kind_has_a_sentence():
    kinds = posted_kinds()
    assert {"fund", "open", "release", "refund"} <= kinds
    assert kinds == set(ENTRY_SENTENCES)


@pytest.mark.parametrize(
    ("kind", "key", "sentence"),
    [
        ("fund", "fund:8", "Payment #8 received"),
        ("open", "open:3", "Challenge opened: prize pool into escrow, platform fee earned"),
        ("release", "release:award:4", "Prize of award #4 released to the winners"),
        ("payout", "payout:award:4:17", "Prize of award #4 paid out to a winner"),
        (
            "reverse",
            "reverse:payout:award:4:17",
            "Payout of award #4 reversed: owed to the winner again",
        ),
        ("forfeit", "forfeit:award:4", "Award #4 withdrawn: its unpaid prize back into escrow"),
        ("refund", "refund:2", "Refund #2 to the payer"),
        ("adjust", "adjust:1", "adjust"),
    ],
)
def test_sentence_from_kind_and_key(kind, key, sentence):
    assert entry_sentence(SimpleNamespace(kind=kind, idempotency_key=key)) == sentence
