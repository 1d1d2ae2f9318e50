"""The signed-in person's inbox, and nobody else's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from notifications.api.deps import CurrentPrincipal, Deps
from notifications.api.schemas import MarkedRead, MessageRead, UnreadCountRead
from notifications.service import inbox
from regsys_runtime.app import WindowDep, items_of
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["inbox"])


@router.get("/inbox", response_model=list[MessageRead], responses=problem_responses(401, 422))
async def my_inbox(
    principal: CurrentPrincipal,
    deps: Deps,
    window: WindowDep,
    response: Response,
    unread: Annotated[bool, Query(description="only messages not read yet")] = False,
) -> list[MessageRead]:
    """The caller's messages, newest first."""
    page = await inbox.messages_of(uow=deps.uow(), account_id=principal.account_id, window=window, unread_only=unread)
    return items_of(page.map(MessageRead.of), response)


@router.get("/inbox/unread-count", response_model=UnreadCountRead, responses=problem_responses(401))
async def my_unread_count(principal: CurrentPrincipal, deps: Deps) -> UnreadCountRead:
    return UnreadCountRead(unread=await inbox.unread_count(uow=deps.uow(), account_id=principal.account_id))


@router.post("/inbox/read", response_model=MarkedRead, responses=problem_responses(401))
async def mark_all_read(principal: CurrentPrincipal, deps: Deps) -> MarkedRead:
    """Mark every message of the caller read."""
    marked = await inbox.mark_all_read(uow=deps.uow(), account_id=principal.account_id, now=deps.clock.now())
    return MarkedRead(marked=marked)


@router.post("/inbox/{message_id}/read", response_model=MessageRead, responses=problem_responses(401, 404, 422))
async def mark_read(message_id: UUID, principal: CurrentPrincipal, deps: Deps) -> MessageRead:
    """Mark one of the caller's messages read."""
    message = await inbox.mark_read(
        uow=deps.uow(), account_id=principal.account_id, message_id=message_id, now=deps.clock.now()
    )
    return MessageRead.of(message)
