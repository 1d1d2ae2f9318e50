"""What routes receive: the service's dependencies, and the signed-in person."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from notifications.bootstrap import Dependencies
from regsys_runtime.app import dependencies
from regsys_runtime.auth import CurrentPrincipal

Deps = Annotated[Dependencies, Depends(dependencies)]

__all__ = ["CurrentPrincipal", "Deps"]
