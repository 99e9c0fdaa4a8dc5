"""The name a file is kept under ends in an extension of the type its content shows,
fits its field and keeps that extension; HTML and SVG are told by content and name."""

import pytest

from marketplace.core.uploads import markup_type, sniff_content_type, stored_name

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content_type", "kept"),
    [
        ("evil.exe", "image/png", "evil.png"),
        ("report.txt", "application/pdf", "report.pdf"),
        ("Photo.JPG", "image/jpeg", "Photo.JPG"),  # an extension of the type, as written
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("data.tar.gz", "application/gzip", "data.tar.gz"),
        ("notes.md", "text/plain", "notes.md"),
        ("run.sh", "text/plain", "run.txt"),
        ("page.html", "text/plain", "page.txt"),
        ("README", "text/plain", "README.txt"),
        ("drawing.xml", "image/svg+xml", "drawing.svg"),
        ("page.htm", "text/html", "page.htm"),
        ("blob.dat", None, "blob.dat"),  # type unknown: the name is not guessed at
        ("plan.dwg", "application/octet-stream", "plan.dwg"),
        ("../../etc/passwd.png", "image/png", "passwd.png"),
    ],
)
def test_the_extension_follows_the_content(name, content_type, kept):
    assert stored_name(name, content_type, 200) == kept


def test_a_long_name_is_shortened_keeping_its_extension():
    kept = stored_name("a" * 300 + ".exe", "application/pdf", 200)
    assert len(kept) == 200
    assert kept == "a" * 196 + ".pdf"


@pytest.mark.parametrize(
    ("head", "content_type"),
    [
        (b"<!DOCTYPE html><title>x</title>", "text/html"),
        (b"hello\n<SCRIPT>alert(1)</script>", "text/html"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "image/svg+xml"),
        (b"if a < b and c > d: pass", "text/plain"),
        (PNG, "image/png"),
    ],
)
def test_markup_is_told_by_its_content(head, content_type):
    assert sniff_content_type(head) == content_type


def test_markup_is_told_by_its_name_too():
    assert markup_type("plain.SVG", "text/plain") == "image/svg+xml"
    assert markup_type("plain.xhtml", "text/plain") == "text/html"
    assert markup_type("plain.txt", "text/plain") is None
