"""HTML to PDF with WeasyPrint, reproducibly: the same HTML gives the same bytes. The
PDF carries no creation date and a fixed identifier, and nothing is fetched from
anywhere (documents are self-contained: styles are inline, the QR code a data: URI)."""

import functools
import hashlib
import os

import markdown
import nh3

FONT_TIMESTAMP = "946684800"  # 2000-01-01T00:00:00Z

# Markdown in a document: text formatting only (no images, nothing fetched).
TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def markdown_html(source: str) -> str:
    """Markdown rendered and sanitised to the tags above."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"])
    return nh3.clean(html, tags=TAGS, attributes={})


def pdf_identifier(identifier: str) -> bytes:
    """The PDF /ID for a document named `identifier`: the same for every render."""
    return hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()


@functools.cache
def _font_configuration():
    """One WeasyPrint font configuration per process: a fresh one makes Pango load every
    face again for each document."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str, *, identifier: str) -> bytes:
    """`identifier` (e.g. the document's public id) becomes the PDF's /ID, so two renders
    of one document are byte-identical."""
    # Imported here: WeasyPrint is heavy and only PDF-rendering code needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which stamps each
    # font with the current time unless SOURCE_DATE_EPOCH (the reproducible-builds
    # convention) pins it.
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_TIMESTAMP)
    fetcher = URLFetcher(allowed_protocols=("data",))
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        pdf_identifier=pdf_identifier(identifier), font_config=_font_configuration()
    )
