"""CSV exports: text that a spreadsheet must never run as a formula (a memo, a reason
or a user agent holds whatever someone typed)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text[:1] in FORMULA_STARTS else text
