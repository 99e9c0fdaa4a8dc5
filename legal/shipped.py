"""The first version of every agreement ships with the code (legal/texts/), in English
and in Spanish (legal/texts/es/, the same placeholders). When no version of a kind is
published yet, version 1 is published from the shipped texts, one row per language;
later versions (and their translations) are published by staff (admin) and never
replace what was accepted."""

from pathlib import Path

TEXTS = Path(__file__).resolve().parent / "texts"
FALLBACK_LANGUAGE = "en"  # every agreement exists in English; other languages fall back to it

# (kind, variant) -> file name, and its title per language.
SHIPPED = {
    ("terms", ""): (
        "terms.md",
        {"en": "Terms of use", "es": "Términos de uso"},
    ),
    ("challenge", "transfer"): (
        "challenge-transfer.md",
        {
            "en": "Challenge agreement: exclusive IP transfer",
            "es": "Acuerdo del desafío: cesión exclusiva de la propiedad intelectual",
        },
    ),
    ("challenge", "licence"): (
        "challenge-licence.md",
        {
            "en": "Challenge agreement: non-exclusive licence",
            "es": "Acuerdo del desafío: licencia no exclusiva",
        },
    ),
    ("challenge", "solver_keeps"): (
        "challenge-solver_keeps.md",
        {
            "en": "Challenge agreement: solver keeps IP",
            "es": "Acuerdo del desafío: el Solver conserva la propiedad intelectual",
        },
    ),
    ("transfer_deed", ""): (
        "transfer_deed.md",
        {
            "en": "Deed of assignment of intellectual property",
            "es": "Escritura de cesión de propiedad intelectual",
        },
    ),
    ("licence_deed", ""): (
        "licence_deed.md",
        {
            "en": "Deed of non-exclusive licence",
            "es": "Escritura de licencia no exclusiva",
        },
    ),
}


def _path(name: str, language: str) -> Path:
    return TEXTS / name if language == FALLBACK_LANGUAGE else TEXTS / language / name


def shipped_languages(kind: str, variant: str) -> list[str]:
    """The languages the shipped text of (kind, variant) exists in, English first."""
    name, titles = SHIPPED[(kind, variant)]
    return sorted(
        (language for language in titles if _path(name, language).is_file()),
        key=lambda language: (language != FALLBACK_LANGUAGE, language),
    )


def shipped_text(kind: str, variant: str, language: str = FALLBACK_LANGUAGE) -> tuple[str, str]:
    """(title, body) of the shipped text of (kind, variant) in `language`."""
    name, titles = SHIPPED[(kind, variant)]
    return titles[language], _path(name, language).read_text(encoding="utf-8")
