"""What routes receive: the service's dependencies and the caller in each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from contracts.enums import Role
from licensing.bootstrap import Dependencies
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role

Deps = Annotated[Dependencies, Depends(dependencies)]

Officer = Annotated[Principal, Depends(require_role(Role.OFFICER))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
Checker = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF, Role.OFFICER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
