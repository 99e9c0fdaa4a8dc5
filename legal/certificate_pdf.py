"""The certificate written directly as PDF: the look of `templates/legal/certificate.html`
(A4 landscape, the same boxes, sizes, colours and line heights) drawn with pydyf, the PDF
writer WeasyPrint itself uses, without laying out HTML. Text is set with the cached
DejaVu faces of `legal.pdf_fonts`, which cover Latin scripts only: the caller checks
`fonts_cover` and prints the HTML page otherwise.

Lengths are in points, measured down from the top of the page; `_Canvas` turns them into
PDF coordinates (up from the bottom)."""

import dataclasses
import io
from dataclasses import dataclass

import pydyf

from legal.certificate_layout import CertificateTexts
from legal.pdf import pdf_identifier
from legal.pdf_fonts import FACES, face, font_embed
from legal.qr import qr_matrix

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 297 * MM, 210 * MM
NAVY = (0x1D, 0x2A, 0x4A)
GOLD = (0xB0, 0x8D, 0x3C)
GREY = (0x4A, 0x55, 0x70)

# The boxes of the HTML page: the frame inside the page margin (9 mm), its 2.2 mm border
# and padding, the inner box's 0.5 mm border and padding (11 mm top, 22 mm sides).
FRAME = (9 * MM, 9 * MM, 279 * MM, 200.8 * MM)
INNER = (13.4 * MM, 13.4 * MM, 270.2 * MM, 192 * MM)
CONTENT_LEFT, CONTENT_TOP, CONTENT_WIDTH = 35.9 * MM, 24.9 * MM, 225.2 * MM
# The footer: 16 mm in from the inner box's padding edges, 9 mm above its bottom; three
# 58 mm columns (date, number, verification).
FOOTER_BOTTOM = 195.9 * MM
COLUMN = 58 * MM
DATE_LEFT, NUMBER_LEFT, VERIFY_LEFT = 29.9 * MM, 119.5 * MM, 209.1 * MM
QR_SIDE = 27 * MM
# The body ends above the QR code (27 mm, two lines of URL under it); a long name or
# title is set smaller until it does (the longest texts a certificate takes fit at 0.4).
BODY_BOTTOM = FOOTER_BOTTOM - 38 * MM
SCALES = (1, 0.85, 0.7, 0.6, 0.5, 0.4)


@dataclass(frozen=True)
class Style:
    face: str
    size: float
    color: tuple[int, int, int] = NAVY
    spacing: float = 0.0
    line_height: float | None = None  # a multiple of the size; None: the font's own

    @property
    def leading(self) -> float:
        chosen = face(self.face)
        if self.line_height is None:
            return (chosen.ascent + chosen.descent) * self.size / 1000
        return self.line_height * self.size

    def baseline(self, top: float) -> float:
        """Where the baseline of a line starting at `top` lies (half-leading above)."""
        chosen = face(self.face)
        content = (chosen.ascent + chosen.descent) * self.size / 1000
        return top + (self.leading - content) / 2 + chosen.ascent * self.size / 1000

    def width(self, text: str) -> float:
        return face(self.face).width(text, self.size, self.spacing)


BRAND = Style("sans", 9, GOLD, spacing=3)
HEADING = Style("serif", 30, spacing=1)
LEAD = Style("serif-italic", 12, GREY)
NAME = Style("serif-bold", 30, line_height=1.15)
LINE = Style("serif", 12)
CHALLENGE = Style("serif", 18, line_height=1.25)
PRIZE = Style("sans", 15)
AMOUNT = Style("sans-bold", 15)
FACT = Style("sans", 11)
LABEL = Style("sans", 7.5, GREY, spacing=1)
STRUT = Style("sans", 12)
URL = Style("sans", 6.5, GREY)


def _break_anywhere(text: str, style: Style, width: float) -> list[str]:
    lines, line = [], ""
    for character in text:
        if line and style.width(line + character) > width:
            lines.append(line)
            line = ""
        line += character
    return [*lines, line]


def wrap(text: str, style: Style, width: float = CONTENT_WIDTH) -> list[str]:
    """`text` in lines no wider than `width`: broken at spaces, and a word too long for
    a line broken anywhere (as `overflow-wrap: anywhere`)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if style.width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        *full, line = _break_anywhere(word, style, width)
        lines += full
    return [*lines, line] if line or not lines else lines


class _Canvas:
    """One page's content stream and the resources it uses."""

    def __init__(self, document: pydyf.PDF):
        self.stream = pydyf.Stream(compress=True)
        self.fonts = pydyf.Dictionary(
            {f"F{i}": font_embed(document, key).reference for i, key in enumerate(FACES)}
        )
        self.names = {key: f"F{i}" for i, key in enumerate(FACES)}
        self.drawing = True  # False: only measure

    def _color(self, color: tuple[int, int, int], *, stroke: bool = False) -> None:
        self.stream.set_color_rgb(*(round(c / 255, 4) for c in color), stroke=stroke)

    def frame(self, box: tuple[float, float, float, float], width: float, color) -> None:
        """A border `width` thick just inside `box` (left, top, width, height)."""
        left, top, box_width, box_height = box
        self._color(color, stroke=True)
        self.stream.set_line_width(round(width, 3))
        half = width / 2
        self.stream.rectangle(
            round(left + half, 3),
            round(PAGE_HEIGHT - top - box_height + half, 3),
            round(box_width - width, 3),
            round(box_height - width, 3),
        )
        self.stream.stroke()

    def bar(self, left: float, top: float, width: float, height: float, color) -> None:
        if not self.drawing:
            return
        self._color(color)
        self.stream.rectangle(
            round(left, 3), round(PAGE_HEIGHT - top - height, 3), round(width, 3), round(height, 3)
        )
        self.stream.fill()

    def clip(self, box: tuple[float, float, float, float]) -> None:
        left, top, width, height = box
        self.stream.rectangle(
            round(left, 3), round(PAGE_HEIGHT - top - height, 3), round(width, 3), round(height, 3)
        )
        self.stream.clip()
        self.stream.end()

    def text(self, text: str, style: Style, x: float, baseline: float) -> None:
        if not text or not self.drawing:
            return
        self.stream.begin_text()
        self.stream.set_font_size(self.names[style.face], style.size)
        self.stream.stream.append(b"%g Tc" % style.spacing)
        self._color(style.color)
        self.stream.set_text_matrix(1, 0, 0, 1, round(x, 3), round(PAGE_HEIGHT - baseline, 3))
        self.stream.show_text(face(style.face).encode(text))
        self.stream.end_text()

    def centred(self, pieces: list[tuple[str, Style]], top: float, left: float, width: float):
        """One line of `pieces` centred in the column from `left`, `width` wide."""
        line_style = pieces[0][1]
        x = left + (width - sum(style.width(text) for text, style in pieces)) / 2
        for text, style in pieces:
            self.text(text, style, x, line_style.baseline(top))
            x += style.width(text)

    def paragraph(self, text: str, style: Style, top: float) -> float:
        """`text` wrapped and centred in the body from `top`; returns the top of what
        follows."""
        for line in wrap(text, style):
            self.centred([(line, style)], top, CONTENT_LEFT, CONTENT_WIDTH)
            top += style.leading
        return top


def _qr_image(data: str) -> pydyf.Stream:
    """The QR code as a 1-bit image, one pixel per module (1 is white)."""
    matrix = qr_matrix(data)
    side = len(matrix)
    rows = bytearray()
    for row in matrix:
        bits = "".join("0" if dark else "1" for dark in row).ljust(-(-side // 8) * 8, "1")
        rows += int(bits, 2).to_bytes(len(bits) // 8, "big")
    extra = {
        "Type": "/XObject",
        "Subtype": "/Image",
        "Width": side,
        "Height": side,
        "ColorSpace": "/DeviceGray",
        "BitsPerComponent": 1,
        "Interpolate": "false",
    }
    return pydyf.Stream([bytes(rows)], extra, compress=True)


def _body(canvas: _Canvas, texts: CertificateTexts, scale: float) -> float:
    """Draw the body, the texts the certificate was issued with (name, team, title,
    organisation) at `scale` times their size; returns where it ends."""
    name, line, challenge = (
        dataclasses.replace(style, size=style.size * scale) for style in (NAME, LINE, CHALLENGE)
    )
    top = canvas.paragraph(texts.brand.upper(), BRAND, CONTENT_TOP)
    top = canvas.paragraph(texts.heading, HEADING, top + 5 * MM)
    canvas.bar(CONTENT_LEFT + (CONTENT_WIDTH - 60 * MM) / 2, top + 4 * MM, 60 * MM, 0.5 * MM, GOLD)
    top = canvas.paragraph(texts.presented_to, LEAD, top + 10.5 * MM)
    top = canvas.paragraph(texts.name, name, top + 4 * MM) + 2 * MM
    if texts.team:
        top = canvas.paragraph(texts.team, line, top) + 2 * MM
    top = canvas.paragraph(texts.for_solution, LEAD, top)
    top = canvas.paragraph(texts.challenge, challenge, top + 3 * MM)
    if texts.organization:
        top = canvas.paragraph(texts.organization, line, top + 2 * MM)
    prize = f"{texts.prize}: "
    if PRIZE.width(prize) + AMOUNT.width(texts.amount) <= CONTENT_WIDTH:
        pieces = [(prize, PRIZE), (texts.amount, AMOUNT)]
        canvas.centred(pieces, top + 7 * MM, CONTENT_LEFT, CONTENT_WIDTH)
        return top + 7 * MM + PRIZE.leading
    return canvas.paragraph(prize + texts.amount, PRIZE, top + 7 * MM)


def _body_fitted(canvas: _Canvas, texts: CertificateTexts) -> None:
    """The body at the largest scale that keeps it above the QR code. (The HTML page
    clips what overflows; a very long name or title is set smaller here instead.)"""
    canvas.drawing = False
    scale = next(s for s in SCALES if _body(canvas, texts, s) <= BODY_BOTTOM or s == SCALES[-1])
    canvas.drawing = True
    _body(canvas, texts, scale)


def _fact(canvas: _Canvas, value: str, label: str, left: float) -> None:
    """A value over a rule over its label, standing on the footer's bottom line."""
    label_top = FOOTER_BOTTOM - LABEL.leading
    canvas.centred([(label.upper(), LABEL)], label_top, left, COLUMN)
    rule_top = label_top - 1.5 * MM
    canvas.bar(left, rule_top, COLUMN, 0.3 * MM, NAVY)
    canvas.centred([(value, FACT)], rule_top - 1.5 * MM - FACT.leading, left, COLUMN)


def _footer(canvas: _Canvas, texts: CertificateTexts, qr: str) -> None:
    _fact(canvas, texts.awarded_on, texts.awarded_on_label, DATE_LEFT)
    _fact(canvas, texts.number, texts.number_label, NUMBER_LEFT)
    lines = _break_anywhere(f"{texts.verify} {texts.verify_url}", URL, COLUMN)
    top = FOOTER_BOTTOM - len(lines) * URL.leading
    for number, line in enumerate(lines):
        canvas.centred([(line, URL)], top + number * URL.leading, VERIFY_LEFT, COLUMN)
    # The image stands on the baseline of its line, above the strut's descent.
    image_bottom = top - 1 * MM - (STRUT.leading - (STRUT.baseline(0)))
    stream = canvas.stream
    stream.push_state()
    stream.set_matrix(
        round(QR_SIDE, 3),
        0,
        0,
        round(QR_SIDE, 3),
        round(VERIFY_LEFT + (COLUMN - QR_SIDE) / 2, 3),
        round(PAGE_HEIGHT - image_bottom, 3),
    )
    stream.draw_x_object(qr)
    stream.pop_state()


def certificate_pdf_write(texts: CertificateTexts, *, identifier: str) -> bytes:
    """The certificate with `texts` as PDF bytes, the same for the same texts; every
    character of them must be covered by the fonts (`fonts_cover`)."""
    document = pydyf.PDF()
    canvas = _Canvas(document)
    qr = _qr_image(texts.verify_url)
    document.add_object(qr)
    canvas.frame(FRAME, 2.2 * MM, NAVY)
    canvas.frame(INNER, 0.5 * MM, GOLD)
    canvas.stream.push_state()
    canvas.clip((INNER[0] + 0.5 * MM, INNER[1] + 0.5 * MM, INNER[2] - MM, INNER[3] - MM))
    _body_fitted(canvas, texts)
    _footer(canvas, texts, "QR")
    canvas.stream.pop_state()
    document.add_object(canvas.stream)
    resources = pydyf.Dictionary(
        {"Font": canvas.fonts, "XObject": pydyf.Dictionary({"QR": qr.reference})}
    )
    page = pydyf.Dictionary(
        {
            "Type": "/Page",
            "Parent": document.pages.reference,
            "MediaBox": pydyf.Array([0, 0, round(PAGE_WIDTH, 2), round(PAGE_HEIGHT, 2)]),
            "Contents": canvas.stream.reference,
            "Resources": resources,
        }
    )
    document.add_page(page)
    document.info["Title"] = pydyf.String(texts.title)
    document.catalog["Lang"] = pydyf.String(texts.language)
    output = io.BytesIO()
    document.write(output, version=b"1.7", identifier=pdf_identifier(identifier))
    return output.getvalue()
