"""The practice register: the physician's own registration and its history; a physician's, for officers."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from licensing.api.deps import Deps, Officer, Physician
from licensing.api.schemas import RegistrationHistoryRead, RegistrationRead, history_read, registration_read
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
    responses=problem_responses(401, 403, 404),
)
async def physician_registration(account_id: UUID, officer: Officer, deps: Deps) -> RegistrationRead:
    entry = await history.registration_for_officer(uow=deps.uow(), officer=officer, account_id=account_id)
    return registration_read(entry)


@router.get(
    "/physicians/{account_id}/registration-history",
    response_model=list[RegistrationHistoryRead],
    responses=problem_responses(401, 403, 404),
)
async def physician_history(account_id: UUID, officer: Officer, deps: Deps) -> list[RegistrationHistoryRead]:
    """Every change of a physician's registration, oldest first (officers of the physician's region)."""
    entries = await history.history_for_officer(uow=deps.uow(), officer=officer, account_id=account_id)
    return history_read(entries)
