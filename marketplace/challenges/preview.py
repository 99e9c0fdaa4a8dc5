"""A published challenge's preview image, the picture link previews show (1200x630 PNG):
its title, prize, submission deadline and the site's name, drawn with Pillow in the
DejaVu faces the certificates use. What the image shows is resolved first (in the
reader's language and time zone); the PNG is kept in the cache under the challenge and
a hash of those texts, so an edit, another language or a new drawing draws it anew."""

import hashlib
import io
import json
from dataclasses import astuple, dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from legal.pdf_fonts import font_file
from marketplace.challenges.models import Challenge
from payouts.currency import format_money

DRAWING = "1"  # changed with the drawing below, so cached images are drawn anew
WIDTH, HEIGHT = 1200, 630
MARGIN = 72
CACHE_SECONDS = 7 * 24 * 3600
TITLE_LINES = 3
BRAND, INK, MUTED, PRIZE, PAPER = "#2454d6", "#1d2330", "#5b6475", "#1f7a4d", "#ffffff"


@dataclass(frozen=True)
class PreviewText:
    """Everything the image shows, already in the reader's language."""

    site: str
    title: str
    prize: str
    deadline: str


def preview_text(challenge: Challenge) -> PreviewText:
    day = date_format(timezone.localtime(challenge.submission_deadline), "DATE_FORMAT")
    return PreviewText(
        site=_("Challenge Marketplace"),
        title=challenge.title,
        prize=format_money(challenge.prize_pool, challenge.currency),
        deadline=_("Submission deadline: %(date)s") % {"date": day},
    )


def preview_version(challenge: Challenge) -> str:
    """A hash of what the image shows: its cache key, ETag and the `v` of its address."""
    shown = json.dumps([DRAWING, *astuple(preview_text(challenge))])
    return hashlib.sha256(shown.encode()).hexdigest()[:20]


def preview_png(challenge: Challenge) -> bytes:
    """The PNG, from the cache when this version was drawn before."""
    key = f"challenge-preview:{challenge.pk}:{preview_version(challenge)}"
    png = cache.get(key)
    if png is None:
        png = preview_draw(preview_text(challenge))
        cache.set(key, png, CACHE_SECONDS)
    return png


def _font(key: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_file(key), size)


def _fit(word: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """A word longer than the line, cut into pieces that fit."""
    pieces = [""]
    for char in word:
        if pieces[-1] and font.getlength(pieces[-1] + char) > width:
            pieces.append("")
        pieces[-1] += char
    return pieces


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, most: int) -> list[str]:
    """`text` in lines no wider than `width`, at most `most` of them (the last one
    ending in "…" when the text goes on)."""
    lines: list[str] = []
    for word in text.split():
        for piece in _fit(word, font, width):
            joined = f"{lines[-1]} {piece}" if lines else piece
            if lines and font.getlength(joined) <= width:
                lines[-1] = joined
            else:
                lines.append(piece)
    if len(lines) > most:
        last = lines[most - 1]
        while last and font.getlength(last + "…") > width:
            last = last[:-1].rstrip()
        lines = [*lines[: most - 1], last + "…"]
    return lines


def preview_draw(text: PreviewText) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 96), fill=BRAND)
    draw.text((MARGIN, 48), text.site, font=_font("sans-bold", 36), fill=PAPER, anchor="lm")
    title = _font("sans-bold", 64)
    for n, line in enumerate(wrap(text.title, title, WIDTH - 2 * MARGIN, TITLE_LINES)):
        draw.text((MARGIN, 150 + n * 80), line, font=title, fill=INK)
    draw.text((MARGIN, 430), text.prize, font=_font("sans-bold", 60), fill=PRIZE)
    draw.text((MARGIN, 530), text.deadline, font=_font("sans", 34), fill=MUTED)
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=BRAND)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
