"""One gap-free sequence of document numbers per calendar year. A number is taken under
the year's counter row lock inside the issuing transaction: documents of one year are
issued one at a time, and a transaction that rolls back gives its number back."""

from marketplace.billing.models import DocumentCounter


def number_take(*, year: int) -> int:
    """The next number of `year`. Must run inside the transaction that stores the
    document (a rollback returns the number)."""
    # Two transactions may start a year at once: both insert, one row stays.
    DocumentCounter.objects.bulk_create([DocumentCounter(year=year)], ignore_conflicts=True)
    counter = DocumentCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
