"""What the routes depend on: the service's dependencies and who may call."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from contracts.enums import Role
from institutions.bootstrap import Dependencies
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role

Deps = Annotated[Dependencies, Depends(dependencies)]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
Staff = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF))]
