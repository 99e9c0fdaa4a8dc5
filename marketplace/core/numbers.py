"""Checks on numbers that arrive from forms and JSON."""


def is_whole_number(value) -> bool:
    """An int that is not a bool (JSON's true is not 1 here)."""
    return isinstance(value, int) and not isinstance(value, bool)
