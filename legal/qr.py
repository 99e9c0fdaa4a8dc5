"""QR codes as inline SVG (vector paths: no raster image library involved)."""

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str) -> str:
    """An <svg> element (without XML declaration) encoding `data`, for inline use."""
    image = qrcode.make(
        data,
        image_factory=SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
    )
    return image.to_string(encoding="unicode")
