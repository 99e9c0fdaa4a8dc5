"""CSV exports: streamed as they are written, and text that a spreadsheet must never
run as a formula (a memo, a reason or a user agent holds whatever someone typed)."""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class _Echo:
    """csv.writer writes into this and gets the line back, to stream it."""

    def write(self, value: str) -> str:
        return value


def csv_download(header: list, rows: Iterable[list], filename: str) -> StreamingHttpResponse:
    """The header and the rows (read lazily, as the client downloads) as a CSV file."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _with_header(header, rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _with_header(header: list, rows: Iterable[list]):
    yield header
    yield from rows
