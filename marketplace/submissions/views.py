"""Files of private submissions: streamed through this view after a permission check,
never from a public URL. Anyone who may not read the submission, and any file id that
is not one of its files, gets a 404, exactly as for an id that does not exist."""

from django.http import FileResponse
from django.views.decorators.http import require_safe

from marketplace.core.uploads import download_name, served_type
from marketplace.submissions.models import SubmissionFile
from marketplace.submissions.selectors import submission_file_for_reader


def submission_file_response(stored: SubmissionFile) -> FileResponse:
    """The file as a download: streamed in chunks, under a safe name, never cached by a
    shared cache, and never sniffed into another type by the browser."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=download_name(stored.name, stored.content_type),
        content_type=served_type(stored.content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def submission_file_download(request, submission_pk: int, file_pk: int):
    return submission_file_response(
        submission_file_for_reader(request.user, submission_pk, file_pk)
    )
