"""The first version of every agreement ships with the code (legal/texts/). When no
version of a kind is published yet, version 1 is published from the shipped text; later
versions are published by staff (admin) and never replace what was accepted."""

from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "texts"

SHIPPED = {
    ("terms", ""): ("Terms of use", "terms.md"),
    ("challenge", "transfer"): (
        "Challenge agreement: exclusive IP transfer",
        "challenge-transfer.md",
    ),
    ("challenge", "licence"): (
        "Challenge agreement: non-exclusive licence",
        "challenge-licence.md",
    ),
    ("challenge", "solver_keeps"): (
        "Challenge agreement: solver keeps IP",
        "challenge-solver_keeps.md",
    ),
    ("transfer_deed", ""): ("Deed of assignment of intellectual property", "transfer_deed.md"),
    ("licence_deed", ""): ("Deed of non-exclusive licence", "licence_deed.md"),
}


def shipped_text(kind: str, variant: str) -> tuple[str, str]:
    title, name = SHIPPED[(kind, variant)]
    return title, (TEXTS / name).read_text()
