"""The read model of the practice register, from licensing's events: one snapshot per account."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.tables import registrations
from applications.domain.register import Register
from contracts.enums import RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged


async def lock_account(session: AsyncSession, *, account_id: UUID) -> None:
    """Serialise a submission with a register change of the same account (so no stale one slips through)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(str(account_id)))))


async def register_of(session: AsyncSession, *, account_id: UUID) -> Register | None:
    query = select(registrations).where(registrations.c.account_id == account_id)
    row = (await session.execute(query)).mappings().first()
    if row is None:
        return None
    return Register(
        status=RegistrationStatus(row.status),
        main_institution_id=row.main_institution_id,
        filed_on=row.filed_on,
        filing_institution_id=row.filing_institution_id,
        multi_sites=tuple(MultiSiteRecord.model_validate(m) for m in row.multi_sites),
    )


async def put_registration(session: AsyncSession, *, snapshot: RegistrationChanged) -> bool:
    """Replace what is known of the account's registration by the snapshot licensing sent, if it is newer than
    the one held (a snapshot of before versions, 0, always is); False when an older one arrived late."""
    values = {
        "status": snapshot.status,
        "certificate_number": snapshot.certificate_number,
        "main_institution_id": snapshot.main_institution_id,
        "filed_on": snapshot.filed_on,
        "filing_institution_id": snapshot.filing_institution_id,
        "multi_sites": [m.model_dump(mode="json") for m in snapshot.multi_sites],
        "photo_sha256": snapshot.photo_sha256,
        "register_version": snapshot.register_version,
    }
    newer = registrations.c.register_version < snapshot.register_version if snapshot.register_version else None
    stmt = pg_insert(registrations).values(account_id=snapshot.account_id, **values)
    upsert = stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=values, where=newer)
    return (await session.execute(upsert.returning(registrations.c.account_id))).first() is not None
