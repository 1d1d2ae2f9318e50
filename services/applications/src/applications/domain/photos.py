"""What a photo must be: a JPEG or PNG of sensible size, judged by its content, not its name."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 2 * 1024 * 1024
MIN_WIDTH, MIN_HEIGHT = 200, 250  # a 2-inch photo scanned at 150 dpi is about 295 × 413
MAX_WIDTH, MAX_HEIGHT = 4000, 5000
MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Picture:
    """What an image's content says it is (read by an adapter)."""

    format: str | None  # as the decoder names it, e.g. "JPEG"; None if it is no image at all
    width: int = 0
    height: int = 0


def size_problem(size: int) -> str | None:
    """Why an upload of this many bytes cannot be a photo (checked before decoding it), or None."""
    if size == 0:
        return "The photo is empty."
    if size > MAX_BYTES:
        return f"The photo is {size} bytes; at most {MAX_BYTES} (2 MiB) are accepted."
    return None


def photo_problem(size: int, picture: Picture) -> str | None:
    """Why this upload is not an acceptable photo, or None."""
    if problem := size_problem(size):
        return problem
    if picture.format not in MEDIA_TYPES:
        return "Only JPEG or PNG photos are accepted; this file is not one, whatever its name says."
    if picture.width < MIN_WIDTH or picture.height < MIN_HEIGHT:
        return f"The photo is {picture.width}×{picture.height} pixels; at least {MIN_WIDTH}×{MIN_HEIGHT} are needed."
    if picture.width > MAX_WIDTH or picture.height > MAX_HEIGHT:
        return f"The photo is {picture.width}×{picture.height} pixels; at most {MAX_WIDTH}×{MAX_HEIGHT} are accepted."
    return None
