"""Reading what an uploaded image really is, with Pillow (decoding it fully, so a damaged file is caught)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from applications.domain.photos import MAX_HEIGHT, MAX_WIDTH, Picture


def inspect(content: bytes) -> Picture:
    """The format and size of an image, or Picture(None) if the content is not an image Pillow can decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                size = image.size
                if size[0] > MAX_WIDTH or size[1] > MAX_HEIGHT:
                    return Picture(image.format, *size)  # refused for its size; not worth decoding
                kind = image.format
                image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        return Picture(None)
    return Picture(kind, *size)
