"""Dependencies shared by the routers of applications: the service's wiring and who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from applications.bootstrap import Dependencies
from contracts.enums import Role
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role

Deps = Annotated[Dependencies, Depends(dependencies)]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
# the owner, and the application's reviewers
Viewer = Annotated[Principal, Depends(require_role(Role.PHYSICIAN, Role.INSTITUTION_STAFF, Role.OFFICER))]
