"""Dependencies shared by identity's routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from contracts.enums import Role
from identity.bootstrap import Dependencies
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role


def _client_address(request: Request) -> str:
    """The caller's address (the gateway's X-Forwarded-For is trusted only from FORWARDED_ALLOW_IPS)."""
    return request.client.host if request.client else "unknown"


Deps = Annotated[Dependencies, Depends(dependencies)]
ClientAddress = Annotated[str, Depends(_client_address)]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
Physician = Annotated[Principal, Depends(require_role(Role.PHYSICIAN))]
