"""Whether a physician may file an application now: checked when a draft is made and again when it is submitted."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from applications.adapters.institutions import institution_by_id
from applications.adapters.physicians import physician_by_id
from applications.adapters.registrations import register_of
from applications.domain.kinds import CHOSEN_INSTITUTION, NoSuchInstitution, reviewer
from applications.domain.preconditions import applicant
from applications.domain.register import Applicant, Register
from contracts.applications.v1 import ApplicationDetails
from contracts.enums import ApplicationType


async def eligible_applicant(
    session: AsyncSession, *, account_id: UUID, kind: ApplicationType, details: ApplicationDetails, today: date
) -> tuple[Applicant, Register | None]:
    """Who files the application and the register it is judged by; the refusal if a precondition fails."""
    physician = await physician_by_id(session, account_id=account_id)
    register = await register_of(session, account_id=account_id)
    return applicant(kind, details, physician=physician, register=register, today=today), register


async def reviewer_of(
    session: AsyncSession, *, kind: ApplicationType, details: ApplicationDetails, register: Register | None
) -> UUID:
    """The institution that reviews the application: named by the register, or chosen and known to exist."""
    institution_id = reviewer(kind, details, register)
    if kind in CHOSEN_INSTITUTION and await institution_by_id(session, institution_id=institution_id) is None:
        raise NoSuchInstitution()
    return institution_id
