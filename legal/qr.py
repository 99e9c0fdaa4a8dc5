"""QR codes at a fixed version and mask: searching the eight masks for the best score
costs more than drawing the code, and any mask decodes. A verification URL fits version
6 at level M (106 bytes); a longer text takes the smallest version that holds it.

As a PNG data URI (the HTML certificate): one pixel per module, scaled up without
smoothing by the page (`image-rendering: pixelated`), which PDF viewers draw as sharp
squares. As a matrix (the directly written certificate): rows of booleans, True for a
dark module, the quiet zone included."""

import base64
import io

import qrcode
from qrcode.exceptions import DataOverflowError

VERSION = 6
MASK = 0
BORDER = 2


def _code(data: str, version: int | None) -> qrcode.QRCode:
    code = qrcode.QRCode(
        version=version,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=1,
        border=BORDER,
        mask_pattern=MASK,
    )
    code.add_data(data)
    code.make(fit=version is None)
    return code


def qr_code(data: str) -> qrcode.QRCode:
    """The QR code encoding `data`: version 6 when it fits, else the smallest that does."""
    try:
        return _code(data, VERSION)
    except DataOverflowError:
        return _code(data, None)


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the QR code encoding `data`, quiet zone included."""
    return qr_code(data).get_matrix()


def qr_png_uri(data: str) -> str:
    """A `data:image/png;base64,...` URI of the QR code encoding `data`."""
    buffer = io.BytesIO()
    qr_code(data).make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
