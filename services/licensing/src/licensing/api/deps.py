"""What routes receive: the service's dependencies and the caller in each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contracts.enums import Role
from licensing.bootstrap import Dependencies
from regsys_runtime.auth import Principal, require_role


async def dependencies(request: Request) -> Dependencies:  # async: no hop to the thread pool on the public path
    deps: Dependencies = request.app.state.dependencies
    return deps


Deps = Annotated[Dependencies, Depends(dependencies)]

Officer = Annotated[Principal, Depends(require_role(Role.OFFICER))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
Checker = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF, Role.OFFICER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
