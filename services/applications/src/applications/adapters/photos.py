"""Reading and writing the photos of applications."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.tables import photos
from applications.domain.photos import Photo


async def photo_of(session: AsyncSession, *, application_id: UUID) -> Photo | None:
    query = select(photos).where(photos.c.application_id == application_id)
    row = (await session.execute(query)).mappings().first()
    if row is None:
        return None
    return Photo(
        content=row.content,
        media_type=row.media_type,
        sha256=row.sha256,
        width=row.width,
        height=row.height,
        uploaded_at=row.uploaded_at,
    )


async def has_photo(session: AsyncSession, *, application_id: UUID) -> bool:
    query = select(photos.c.application_id).where(photos.c.application_id == application_id)
    return (await session.execute(query)).first() is not None


async def put_photo(session: AsyncSession, *, application_id: UUID, photo: Photo) -> None:
    """The application's photo, replacing the one it had."""
    values = {
        "content": photo.content,
        "media_type": photo.media_type,
        "sha256": photo.sha256,
        "width": photo.width,
        "height": photo.height,
        "uploaded_at": photo.uploaded_at,
    }
    stmt = pg_insert(photos).values(application_id=application_id, **values)
    await session.execute(stmt.on_conflict_do_update(index_elements=[photos.c.application_id], set_=values))
