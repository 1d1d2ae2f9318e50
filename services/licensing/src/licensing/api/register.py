"""The practice register: the physician's own registration and its history; a physician's, for officers."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from licensing.api.deps import Deps, Officer, Physician
from licensing.api.schemas import (
    PhysicianLookupCreate,
    PhysicianRead,
    RegistrationHistoryRead,
    RegistrationRead,
    history_read,
    physician_read,
    registration_read,
)
from licensing.domain.physicians import wanted
from licensing.service import history
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["register"])


@router.get("/registrations/me", response_model=RegistrationRead, responses=problem_responses(401, 403, 404))
async def my_registration(physician: Physician, deps: Deps) -> RegistrationRead:
    return registration_read(await history.registration_of(uow=deps.uow(), account_id=physician.account_id))


@router.get(
    "/registrations/me/history", response_model=list[RegistrationHistoryRead], responses=problem_responses(401, 403)
)
async def my_history(physician: Physician, deps: Deps) -> list[RegistrationHistoryRead]:
    return history_read(await history.history_of(uow=deps.uow(), account_id=physician.account_id))


@router.get(
    "/physicians/{account_id}/registration",
    response_model=RegistrationRead,
    responses=problem_responses(401, 403, 404, 422),
)
async def physician_registration(account_id: UUID, officer: Officer, deps: Deps) -> RegistrationRead:
    entry = await history.registration_for_officer(uow=deps.uow(), officer=officer, account_id=account_id)
    return registration_read(entry)


@router.get(
    "/physicians/{account_id}/registration-history",
    response_model=list[RegistrationHistoryRead],
    responses=problem_responses(401, 403, 404, 422),
)
async def physician_history(account_id: UUID, officer: Officer, deps: Deps) -> list[RegistrationHistoryRead]:
    """Every change of a physician's registration, oldest first (officers of the physician's region)."""
    entries = await history.history_for_officer(uow=deps.uow(), officer=officer, account_id=account_id)
    return history_read(entries)


@router.post(
    "/physicians/lookups",
    response_model=list[PhysicianRead],
    summary="Look a physician up by name, certificate number or ID number (officers of the region)",
    responses=problem_responses(401, 403, 422),
)
async def look_up(body: PhysicianLookupCreate, officer: Officer, deps: Deps) -> list[PhysicianRead]:
    """Physicians of your region (and the regions below it) matching everything given. The register holds ID
    numbers only masked, so an ID number finds the physicians whose masked number it fits."""
    search = wanted(name=body.name, certificate_number=body.certificate_number, id_number=body.id_number)
    found = await history.find_physicians(uow=deps.uow(), officer=officer, wanted=search)
    return [physician_read(f) for f in found]
