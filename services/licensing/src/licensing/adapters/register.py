"""Reading and writing the practice register: registrations, their multi-site filings and their history."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import exists, func, insert, or_, select, union, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord
from licensing.adapters.register_claims import unclaimed_accounts
from licensing.adapters.tables import (
    applications,
    authority_tasks,
    institutions,
    multi_site_filings,
    registration_history,
    registrations,
)
from licensing.domain.physicians import PhysicianFound, PhysicianWanted
from licensing.domain.register import HistoryEntry, RegisterEntry, Registration

VALID_FILING, ENDED_FILING = "valid", "ended"


async def _multi_sites(session: AsyncSession, account_id: UUID) -> tuple[MultiSiteRecord, ...]:
    query = select(multi_site_filings).where(
        multi_site_filings.c.account_id == account_id, multi_site_filings.c.status == VALID_FILING
    )
    rows = await session.execute(query.order_by(multi_site_filings.c.starts_on))
    return tuple(
        MultiSiteRecord(filing_id=m.id, institution_id=m.institution_id, starts_on=m.starts_on, ends_on=m.ends_on)
        for m in rows
    )


async def _registration_of(session: AsyncSession, row: Any) -> Registration:
    return Registration(
        certificate_number=row.certificate_number,
        status=RegistrationStatus(row.status),
        category=PracticeCategory(row.category),
        practice_scope=row.practice_scope,
        main_institution_id=row.main_institution_id,
        filed_on=row.filed_on,
        filing_institution_id=row.filing_institution_id,
        photo_sha256=row.photo_sha256,
        multi_sites=await _multi_sites(session, row.account_id),
    )


async def load(session: AsyncSession, *, account_id: UUID, for_update: bool = False) -> Registration | None:
    """The registration of an account (locked against other changes when `for_update`), or None."""
    if for_update:  # also serialises two first registrations of one account, when there is no row to lock
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"register:{account_id}"))))
    query = select(registrations).where(registrations.c.account_id == account_id)
    row = (await session.execute(query.with_for_update() if for_update else query)).first()
    return await _registration_of(session, row) if row else None


async def entry(session: AsyncSession, *, account_id: UUID) -> RegisterEntry | None:
    """The registration of an account and when it last changed, or None."""
    row = (await session.execute(select(registrations).where(registrations.c.account_id == account_id))).first()
    return RegisterEntry(await _registration_of(session, row), row.updated_at, row.version) if row else None


async def store(
    session: AsyncSession,
    *,
    account_id: UUID,
    before: Registration | None,
    after: Registration,
    now: datetime,
    cause_application_id: UUID | None,
    end_reason: str,
) -> int:
    """Write the registration as it became: filings it no longer holds end (for `end_reason`), new ones are added.

    Returns the registration's version after the change."""
    version = await _put_registration(session, account_id, after, now)
    kept = {m.filing_id for m in after.multi_sites}
    held = before.multi_sites if before else ()
    if gone := [m.filing_id for m in held if m.filing_id not in kept]:
        await session.execute(
            update(multi_site_filings)
            .where(multi_site_filings.c.id.in_(gone))
            .values(status=ENDED_FILING, ended_at=now, end_reason=end_reason)
        )
    known = {m.filing_id for m in held}
    for site in after.multi_sites:
        if site.filing_id not in known:
            await _add_filing(session, account_id, site, cause_application_id)
    return version


async def _put_registration(session: AsyncSession, account_id: UUID, after: Registration, now: datetime) -> int:
    values = {
        "certificate_number": after.certificate_number,
        "status": after.status.value,
        "category": after.category.value,
        "practice_scope": after.practice_scope,
        "main_institution_id": after.main_institution_id,
        "filed_on": after.filed_on,
        "filing_institution_id": after.filing_institution_id,
        "photo_sha256": after.photo_sha256,
        "updated_at": now,
    }
    stmt = pg_insert(registrations).values(account_id=account_id, version=1, **values)
    grown = {**values, "version": registrations.c.version + 1}
    upsert = stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=grown)
    return int((await session.execute(upsert.returning(registrations.c.version))).scalar_one())


async def _add_filing(
    session: AsyncSession, account_id: UUID, site: MultiSiteRecord, cause_application_id: UUID | None
) -> None:
    await session.execute(
        insert(multi_site_filings).values(
            id=site.filing_id,
            account_id=account_id,
            institution_id=site.institution_id,
            starts_on=site.starts_on,
            ends_on=site.ends_on,
            status=VALID_FILING,
            cause_application_id=cause_application_id,
        )
    )


async def set_physician(session: AsyncSession, *, account_id: UUID, name: str, id_number_masked: str) -> None:
    """Keep who holds the registration, for snapshots and rosters."""
    await session.execute(
        update(registrations)
        .where(registrations.c.account_id == account_id)
        .values(physician_name=name, id_number_masked=id_number_masked)
    )


async def physician(session: AsyncSession, *, account_id: UUID) -> tuple[str | None, str | None]:
    """The name and masked ID number kept with the registration (None where not known)."""
    query = select(registrations.c.physician_name, registrations.c.id_number_masked)
    row = (await session.execute(query.where(registrations.c.account_id == account_id))).first()
    return (row.physician_name, row.id_number_masked) if row else (None, None)


async def add_history(
    session: AsyncSession,
    *,
    account_id: UUID,
    after: Registration,
    cause: str,
    cause_application_id: UUID | None,
    snapshot: Mapping[str, Any],
    changed_at: datetime,
) -> None:
    await session.execute(
        insert(registration_history).values(
            account_id=account_id,
            certificate_number=after.certificate_number,
            status=after.status.value,
            main_institution_id=after.main_institution_id,
            cause=cause,
            cause_application_id=cause_application_id,
            snapshot=dict(snapshot),
            changed_at=changed_at,
        )
    )


async def history(session: AsyncSession, *, account_id: UUID) -> list[HistoryEntry]:
    """Every change of the account's registration, oldest first."""
    query = select(registration_history).where(registration_history.c.account_id == account_id)
    rows = await session.execute(query.order_by(registration_history.c.seq))
    return [HistoryEntry(r.cause, r.cause_application_id, r.changed_at, r.snapshot) for r in rows]


async def certificate_number_taken(session: AsyncSession, *, number: str) -> bool:
    """Whether a registration holds or ever held `number` (licence numbers are made from it)."""
    held = exists().where(registrations.c.certificate_number == number)
    ever = exists().where(registration_history.c.certificate_number == number)
    return bool(await session.scalar(select(or_(held, ever))))


async def accounts_with_filings_ended_before(session: AsyncSession, *, today: date) -> list[UUID]:
    """Accounts holding a valid multi-site filing whose period ended before `today` (imported registrations no
    physician has claimed yet wait: their change would be announced to no one)."""
    query = (
        select(multi_site_filings.c.account_id)
        .where(multi_site_filings.c.status == VALID_FILING, multi_site_filings.c.ends_on < today)
        .where(multi_site_filings.c.account_id.not_in(unclaimed_accounts()))
        .distinct()
    )
    return list((await session.execute(query)).scalars())


def _in_region(region_prefix: str) -> Any:
    """The accounts an officer of the region may look up: practising (or having practised) at one of its
    institutions, or with an application that reached the region's authority (the institution approved it).
    Applications still with the institution, or rejected by it, never make a physician visible."""
    in_region = select(institutions.c.id).where(institutions.c.region_code.startswith(region_prefix, autoescape=True))
    return union(
        select(registration_history.c.account_id).where(registration_history.c.main_institution_id.in_(in_region)),
        select(multi_site_filings.c.account_id).where(multi_site_filings.c.institution_id.in_(in_region)),
        select(authority_tasks.c.account_id).where(
            authority_tasks.c.region_code.startswith(region_prefix, autoescape=True)
        ),
    )


async def seen_in_region(session: AsyncSession, *, account_id: UUID, region_prefix: str) -> bool:
    """Whether the physician practised in the region (main or multi-site) or had an application decided there."""
    visible = _in_region(region_prefix).subquery()
    query = select(exists().where(visible.c.account_id == account_id))
    return bool(await session.scalar(query))


async def find_in_region(
    session: AsyncSession, *, region_prefix: str, wanted: PhysicianWanted, limit: int
) -> list[PhysicianFound]:
    """Physicians the region's officers may look up who match everything in `wanted`, by name."""
    people = _people(wanted).subquery()
    visible = _in_region(region_prefix).subquery()
    query = (
        select(people, registrations.c.certificate_number, registrations.c.status, registrations.c.main_institution_id)
        .distinct()
        .join(visible, visible.c.account_id == people.c.account_id)
        .outerjoin(registrations, registrations.c.account_id == people.c.account_id)
    )
    if wanted.certificate_number:
        query = query.where(registrations.c.certificate_number == wanted.certificate_number)
    rows = await session.execute(query.order_by(people.c.physician_name, people.c.account_id).limit(limit))
    return [_found(row) for row in rows]


def _people(wanted: PhysicianWanted) -> Any:
    """Who the register and the tasks' applications name, with their names and masked ID numbers."""
    sources = (
        (
            registrations,
            select(registrations.c.account_id, registrations.c.physician_name, registrations.c.id_number_masked),
        ),
        (
            applications,
            select(applications.c.account_id, applications.c.physician_name, applications.c.id_number_masked).join(
                authority_tasks, authority_tasks.c.application_id == applications.c.id
            ),
        ),
    )
    selects = []
    for table, query in sources:
        if wanted.name:
            query = query.where(table.c.physician_name == wanted.name)
        if wanted.id_number_masked:
            query = query.where(table.c.id_number_masked == wanted.id_number_masked)
        selects.append(query.where(table.c.physician_name.is_not(None)))
    return union(*selects)


def _found(row: Any) -> PhysicianFound:
    return PhysicianFound(
        account_id=row.account_id,
        name=row.physician_name,
        id_number_masked=row.id_number_masked,
        certificate_number=row.certificate_number,
        status=RegistrationStatus(row.status) if row.status else None,
        main_institution_id=row.main_institution_id,
    )
