"""HTTP API of notifications: the signed-in person's inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from notifications.service import inbox
from regsys_runtime.app import RuntimeDep
from regsys_runtime.auth import CurrentPrincipal
from regsys_runtime.problems import problem_responses

router = APIRouter(tags=["inbox"])


class MessageRead(BaseModel):
    message_id: UUID
    kind: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


@router.get("/inbox", response_model=list[MessageRead], responses=problem_responses(401, 422))
async def my_inbox(
    principal: CurrentPrincipal,
    rt: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[MessageRead]:
    rows = await inbox.messages_of(uow=rt.uow(), account_id=principal.account_id, limit=limit, offset=offset)
    return [
        MessageRead(
            message_id=r.id, kind=r.kind, title=r.title, body=r.body, created_at=r.created_at, read_at=r.read_at
        )
        for r in rows
    ]
