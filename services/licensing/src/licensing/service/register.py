"""The practice register. `apply_change` is the only place a registration changes: every approved
application, an approved photo update and the end of a multi-site filing's period come through it, so
whatever must follow a change (the register snapshot event, its history, a licence) follows from here.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from contracts.enums import ApplicationType, PracticeCategory, RegistrationStatus
from contracts.licensing.v1 import MultiSiteRecord, RegistrationChanged
from licensing.adapters.tables import multi_site_filings, registration_history, registrations
from licensing.domain.register import Change, MultiSite, RegisterChange, Registration, apply
from licensing.service import licences
from licensing.service.licences import LicenceOffice
from regsys_runtime.db import UnitOfWork

MULTI_SITE_EXPIRED = "multi_site_expired"
MULTI_SITE_EXPIRED_ZH = "多点执业备案有效期届满"


async def load(uow: UnitOfWork, account_id: UUID, *, for_update: bool = False) -> Registration | None:
    """The registration of an account (locked against other changes when `for_update`), or None."""
    if for_update:  # also serialises two first registrations of one account, when there is no row to lock
        await uow.session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"register:{account_id}"))))
    query = select(registrations).where(registrations.c.account_id == account_id)
    row = (await uow.session.execute(query.with_for_update() if for_update else query)).mappings().first()
    if row is None:
        return None
    sites = select(multi_site_filings).where(
        multi_site_filings.c.account_id == account_id, multi_site_filings.c.status == "valid"
    )
    return Registration(
        certificate_number=row.certificate_number,
        status=RegistrationStatus(row.status),
        category=PracticeCategory(row.category),
        practice_scope=row.practice_scope,
        main_institution_id=row.main_institution_id,
        filed_on=row.filed_on,
        filing_institution_id=row.filing_institution_id,
        photo_sha256=row.photo_sha256,
        multi_sites=tuple(
            MultiSite(m.id, m.institution_id, m.starts_on, m.ends_on)
            for m in (await uow.session.execute(sites.order_by(multi_site_filings.c.starts_on))).mappings()
        ),
    )


async def apply_change(
    *,
    uow: UnitOfWork,
    account_id: UUID,
    change: RegisterChange,
    today: date,
    now: datetime,
    cause_application_id: UUID | None = None,
    physician: tuple[str, str] | None = None,
    office: LicenceOffice,
) -> Registration:
    """Change the register (RegisterRuleBroken if the change no longer applies: the register moved on).

    Stores the registration and its multi-site filings, adds a history entry and publishes the new snapshot,
    all in the caller's unit of work. `physician` (name, masked ID number) is kept for snapshots and rosters.
    """
    before = await load(uow, account_id, for_update=True)
    after = apply(before, change, today)
    cause = change.kind if isinstance(change, Change) else None
    ended = f"ended by {cause.value}" if cause else MULTI_SITE_EXPIRED_ZH
    await _store(uow, account_id, before, after, now=now, cause_application_id=cause_application_id, ended=ended)
    if physician:
        name, masked = physician
        await uow.session.execute(
            update(registrations)
            .where(registrations.c.account_id == account_id)
            .values(physician_name=name, id_number_masked=masked)
        )
    changed = await _announce(uow, account_id, after, now=now, cause=cause, cause_application_id=cause_application_id)
    await licences.follow_register(uow=uow, office=office, change=changed)  # the licence follows the register
    return after


async def _store(
    uow: UnitOfWork,
    account_id: UUID,
    before: Registration | None,
    after: Registration,
    *,
    now: datetime,
    cause_application_id: UUID | None,
    ended: str,
) -> None:
    values = {k: v for k, v in asdict(after).items() if k != "multi_sites"} | {"updated_at": now}
    stmt = pg_insert(registrations).values(account_id=account_id, **values)
    await uow.session.execute(stmt.on_conflict_do_update(index_elements=[registrations.c.account_id], set_=values))
    kept = {m.filing_id for m in after.multi_sites}
    gone = [m.filing_id for m in (before.multi_sites if before else ()) if m.filing_id not in kept]
    if gone:
        await uow.session.execute(
            update(multi_site_filings)
            .where(multi_site_filings.c.id.in_(gone))
            .values(status="ended", ended_at=now, end_reason=ended)
        )
    known = {m.filing_id for m in (before.multi_sites if before else ())}
    for site in after.multi_sites:
        if site.filing_id not in known:
            await uow.session.execute(
                insert(multi_site_filings).values(
                    id=site.filing_id,
                    account_id=account_id,
                    institution_id=site.institution_id,
                    starts_on=site.starts_on,
                    ends_on=site.ends_on,
                    status="valid",
                    cause_application_id=cause_application_id,
                )
            )


async def _announce(
    uow: UnitOfWork,
    account_id: UUID,
    after: Registration,
    *,
    now: datetime,
    cause: ApplicationType | None,
    cause_application_id: UUID | None,
) -> RegistrationChanged:
    row = (
        (await uow.session.execute(select(registrations).where(registrations.c.account_id == account_id)))
        .mappings()
        .first()
    )
    event = RegistrationChanged(
        account_id=account_id,
        certificate_number=after.certificate_number,
        status=after.status,
        category=after.category,
        practice_scope=after.practice_scope,
        main_institution_id=after.main_institution_id,
        multi_sites=tuple(
            MultiSiteRecord(
                filing_id=m.filing_id, institution_id=m.institution_id, starts_on=m.starts_on, ends_on=m.ends_on
            )
            for m in after.multi_sites
        ),
        filed_on=after.filed_on,
        filing_institution_id=after.filing_institution_id,
        photo_sha256=after.photo_sha256,
        physician_name=row.physician_name if row else None,
        id_number_masked=row.id_number_masked if row else None,
        cause_application_id=cause_application_id,
        cause_application_type=cause,
        reason=None if cause else MULTI_SITE_EXPIRED_ZH,
        changed_at=now,
    )
    await uow.session.execute(
        insert(registration_history).values(
            account_id=account_id,
            certificate_number=after.certificate_number,
            status=after.status,
            main_institution_id=after.main_institution_id,
            cause=cause.value if cause else MULTI_SITE_EXPIRED,
            cause_application_id=cause_application_id,
            snapshot=event.model_dump(mode="json"),
            changed_at=now,
        )
    )
    uow.publish(event, subject_id=account_id)
    return event
