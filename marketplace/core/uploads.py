"""Uploads are streamed: each chunk goes to a temporary file on disk and into a SHA-256
as it arrives, so memory does not grow with the file. The first bytes are kept to tell
the type from the content, never from the name; the name kept then ends in an extension
of that type. HTML and SVG ("markup": it can run script when opened) are told by their
content and by their name, and are only ever served as downloads of opaque bytes."""

import hashlib
import mimetypes
import re

import filetype
from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.utils.translation import gettext as _

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


def upload_head(upload) -> bytes:
    """The first bytes of an upload: kept by the handler as they arrived, else read."""
    head = getattr(upload, "head", None)
    if head is None:
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
    return head


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
    if SVG_TAG.search(head):
        return SVG
    if HTML_TAGS.search(head):
        return HTML
    return TEXT


HTML, SVG, TEXT, OPAQUE = "text/html", "image/svg+xml", "text/plain", "application/octet-stream"
MARKUP_TYPES = {HTML, SVG}
MARKUP_EXTENSIONS = {"htm": HTML, "html": HTML, "xhtml": HTML, "shtml": HTML, "xht": HTML,
                     "svg": SVG, "svgz": SVG}  # fmt: skip
SVG_TAG = re.compile(rb"<svg[\s>/]", re.I)
HTML_TAGS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta|frameset)[\s>/]", re.I
)
# Text files keep these extensions; any other becomes .txt, so nothing opens as a
# program, a page or a script.
TEXT_EXTENSIONS = {
    "txt", "md", "rst", "csv", "tsv", "json", "log", "tex", "bib", "yaml", "yml", "toml",
    "ini", "cfg", "py", "r", "m", "c", "h", "cpp", "hpp", "java", "ipynb", "sql", "f90",
}  # fmt: skip


def safe_name(name: str) -> str:
    """Keep only the last path component and drop control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable()).strip(" .") or "file"


def markup_type(name: str, content_type: str | None) -> str | None:
    """HTML or SVG, by the content or by the name's extension; None for anything else."""
    if content_type in MARKUP_TYPES:
        return content_type
    return MARKUP_EXTENSIONS.get(_split(safe_name(name))[1].lower())


def markup_refused(name: str, markup: str) -> str:
    """Why an HTML or SVG file was refused (the challenge does not allow them)."""
    if markup == SVG:
        return _("%(name)s: SVG files are not accepted for this challenge.") % {"name": name}
    return _("%(name)s: HTML files are not accepted for this challenge.") % {"name": name}


def stored_name(name: str, content_type: str | None, max_length: int) -> str:
    """The name to keep: safe, ending in an extension of the type found in the content
    (a PNG called "evil.exe" becomes "evil.png"), at most `max_length` characters with
    the extension kept. A file of unknown type keeps its extension."""
    stem, extension = _split(safe_name(name))
    extension = _extension_for(extension, content_type)
    suffix = f".{extension}" if extension else ""
    stem = stem[: max(1, max_length - len(suffix))].rstrip(" .") or "file"
    return f"{stem}{suffix}"[:max_length]


def download_name(name: str, content_type: str) -> str:
    """The name a download is offered under: as kept, or for a file kept before names
    followed types, corrected the same way (a text file called "a.html" is "a.txt")."""
    return stored_name(name, content_type, len(name) + 8)


def served_type(content_type: str) -> str:
    """The Content-Type a download is sent with: markup only ever as opaque bytes."""
    return OPAQUE if content_type in MARKUP_TYPES else content_type


def _split(name: str) -> tuple[str, str]:
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or " " in extension:
        return name, ""
    return stem, extension


def _extension_for(extension: str, content_type: str | None) -> str:
    if content_type in (None, OPAQUE):
        return extension
    if content_type == TEXT:
        return extension if extension.lower() in TEXT_EXTENSIONS else "txt"
    known = {e.lstrip(".") for e in mimetypes.guess_all_extensions(content_type)}
    kind = filetype.get_type(mime=content_type)
    canonical = kind.extension if kind else (mimetypes.guess_extension(content_type) or ".bin")
    canonical = canonical.lstrip(".")
    if extension.lower() in known | {canonical}:
        return extension
    return {HTML: "html", SVG: "svg"}.get(content_type, canonical)
