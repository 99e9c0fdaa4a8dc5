"""Uploads are streamed: each chunk goes to a temporary file on disk and into a SHA-256
as it arrives, so memory does not grow with the file. The first bytes are kept to tell
the type from the content, never from the name."""

import hashlib

import filetype
from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

HEAD_BYTES = 8192


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Adds `.sha256`, `.head` and `.too_large` to every uploaded file. A file over
    SUBMISSION_MAX_FILE_BYTES stops the upload at once (nothing more is read or
    written) and is reported by the service as too large."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.head = b""
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.SUBMISSION_MAX_FILE_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        self.digest.update(raw_data)
        if len(self.head) < HEAD_BYTES:
            self.head += raw_data[: HEAD_BYTES - len(self.head)]
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        upload = super().file_complete(file_size)
        upload.sha256 = self.digest.hexdigest()
        upload.head = self.head
        return upload


def sniff_content_type(head: bytes) -> str | None:
    """The type the bytes say they are: a known signature, or UTF-8 text without NUL
    bytes; None when neither (e.g. an executable, whatever its name)."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if not head or b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the chunk's end
            return None
    return "text/plain"
