"""HTTP API of notifications: the signed-in person's inbox, and nobody else's."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from notifications.service import inbox
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import Problem, problem_responses

router = APIRouter(tags=["inbox"])


class MessageRead(BaseModel):
    message_id: UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, row: Any) -> MessageRead:
        return cls(
            message_id=row.id,
            kind=row.kind,
            title=row.title,
            body=row.body,
            created_at=row.created_at,
            read_at=row.read_at,
        )


class UnreadCountRead(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    marked: int


@router.get("/inbox", response_model=list[MessageRead], responses=problem_responses(401, 422))
async def my_inbox(
    principal: CurrentPrincipal,
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    unread: Annotated[bool, Query(description="only messages not read yet")] = False,
) -> list[MessageRead]:
    """The caller's messages, newest first."""
    rows = await inbox.messages_of(
        uow=rt.uow(), account_id=principal.account_id, limit=limit, offset=offset, unread_only=unread
    )
    return [MessageRead.of(r) for r in rows]


@router.get("/inbox/unread-count", response_model=UnreadCountRead, responses=problem_responses(401))
async def my_unread_count(principal: CurrentPrincipal, rt: RuntimeDep) -> UnreadCountRead:
    return UnreadCountRead(unread=await inbox.unread_count(uow=rt.uow(), account_id=principal.account_id))


@router.post("/inbox/read", response_model=MarkedRead, responses=problem_responses(401))
async def mark_all_read(principal: CurrentPrincipal, rt: RuntimeDep) -> MarkedRead:
    """Mark every message of the caller read."""
    return MarkedRead(marked=await inbox.mark_all_read(uow=rt.uow(), account_id=principal.account_id))


@router.post("/inbox/{message_id}/read", response_model=MessageRead, responses=problem_responses(401, 404, 422))
async def mark_read(message_id: UUID, principal: CurrentPrincipal, rt: RuntimeDep) -> MessageRead:
    """Mark one of the caller's messages read."""
    try:
        row = await inbox.mark_read(uow=rt.uow(), account_id=principal.account_id, message_id=message_id)
    except inbox.MessageNotFound:
        raise Problem(404, "message-not-found", "There is no such message in your inbox.") from None
    return MessageRead.of(row)
