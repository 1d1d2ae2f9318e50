"""What a photo must be: a JPEG or PNG of sensible size, judged by its content, not its name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from regsys_runtime.errors import InvalidField, Message, NotFound

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


@dataclass(frozen=True)
class Photo:
    """An accepted photo of an application, as stored."""

    content: bytes
    media_type: str
    sha256: str
    width: int
    height: int
    uploaded_at: datetime


class PhotoRefused(InvalidField):
    def __init__(self, problem: str) -> None:
        super().__init__("photo", problem, detail=problem)


class NoPhoto(NotFound):
    def __init__(self) -> None:
        super().__init__(Message("This application has no photo.", zh="该申请没有照片。"), code="no-photo")


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


def refuse_size(size: int) -> None:
    """Refuse an upload that cannot be a photo for its size alone (before it is decoded)."""
    if problem := size_problem(size):
        raise PhotoRefused(problem)


def accepted_photo(content: bytes, picture: Picture, *, at: datetime) -> Photo:
    """The photo to store, if the upload is an acceptable one; PhotoRefused saying why if not."""
    if problem := photo_problem(len(content), picture):
        raise PhotoRefused(problem)
    return Photo(
        content=content,
        media_type=MEDIA_TYPES[picture.format or ""],
        sha256=hashlib.sha256(content).hexdigest(),
        width=picture.width,
        height=picture.height,
        uploaded_at=at,
    )
