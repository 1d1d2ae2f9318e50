"""What the routes depend on: the service's dependencies, who may call and from where, what staff search for."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from contracts.enums import Role
from institutions.bootstrap import Dependencies
from institutions.domain.search import PhysicianSearch
from regsys_runtime.app import dependencies
from regsys_runtime.auth import Principal, require_role
from regsys_runtime.logs import mask_id_numbers
from regsys_runtime.schemas import Text

Deps = Annotated[Dependencies, Depends(dependencies)]
Admin = Annotated[Principal, Depends(require_role(Role.ADMIN))]
Staff = Annotated[Principal, Depends(require_role(Role.INSTITUTION_STAFF))]


def client_address(request: Request) -> str | None:
    """The caller's address, as the gateway (the one trusted proxy) set it."""
    return request.client.host if request.client else None


ClientAddress = Annotated[str | None, Depends(client_address)]


def physician_search(
    physician_name: Annotated[Text | None, Query(max_length=50, description="Part of the name.")] = None,
    id_number: Annotated[
        Text | None,
        Query(max_length=18, description="Part of the masked ID number (a whole ID number is masked first)."),
    ] = None,
    certificate_number: Annotated[
        Text | None, Query(max_length=30, description="Part of the practice certificate number.")
    ] = None,
) -> PhysicianSearch:
    """The search parameters of a staff list; an ID number typed whole is matched by its masked form only."""
    return PhysicianSearch(
        name=(physician_name or "").strip() or None,
        id_number_masked=mask_id_numbers((id_number or "").strip()) or None,
        certificate_number=(certificate_number or "").strip() or None,
    )


Search = Annotated[PhysicianSearch, Depends(physician_search)]
