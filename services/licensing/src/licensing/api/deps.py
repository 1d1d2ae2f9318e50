"""What routes receive: the service's dependencies and the caller in each role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

from contracts.enums import Role
from licensing.bootstrap import Dependencies
from licensing.domain.limits import Budget
from licensing.service import throttle
from licensing.settings import Settings
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role

Deps = Annotated[Dependencies, Depends(dependencies)]

Officer = Annotated[Principal, Depends(require_role(Role.OFFICER))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
Checker = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF, Role.OFFICER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]


def _throttled(budget_of: Callable[[Settings], Budget]) -> Any:
    """A dependency counting the request against the client's budget (the address the gateway set)."""

    async def admitted(request: Request, deps: Deps) -> None:
        client = request.client.host if request.client else "unknown"
        await throttle.admit(redis=deps.redis, settings=deps.settings, budget=budget_of(deps.settings), client=client)

    return Depends(admitted)


VerificationLimit = _throttled(throttle.verification_budget)
DocumentsLimit = _throttled(throttle.documents_budget)
