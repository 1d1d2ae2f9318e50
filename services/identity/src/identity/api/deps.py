"""Dependencies shared by identity's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contracts.enums import Role
from identity.bootstrap import Dependencies
from identity.service import accounts
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role


def _client_address(request: Request) -> str:
    """The caller's address (the gateway's X-Forwarded-For is trusted only from FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


Deps = Annotated[Dependencies, Depends(dependencies)]
ClientAddress = Annotated[str, Depends(_client_address)]


async def _enabled_admin(principal: Annotated[Principal, Depends(require_role(Role.ADMIN))], deps: Deps) -> Principal:
    """An administrator whose account is not disabled, whatever the token says."""
    await accounts.account(uow=deps.uow(), account_id=principal.account_id)
    return principal


Admin = Annotated[Principal, Depends(_enabled_admin)]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
