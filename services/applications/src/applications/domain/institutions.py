"""What applications knows of an institution (a read model), and who may see an application."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from applications.domain.application import Application
from contracts.enums import ApplicationStatus, Role
from contracts.regions import covers


@dataclass(frozen=True)
class Institution:
    id: UUID
    name: str
    region_code: str


class Viewer(Protocol):
    @property
    def account_id(self) -> UUID: ...
    @property
    def role(self) -> Role: ...
    @property
    def institution_id(self) -> UUID | None: ...
    @property
    def region_code(self) -> str | None: ...


def may_see(viewer: Viewer, application: Application, reviewer: Institution | None, *, reached_authority: bool) -> bool:
    """The owner; staff of the reviewing institution; officers of its region (or a region above it, as licensing
    has them decide) once it reached them (as licensing shows an officer a physician: never for an application
    still with the institution or rejected by it)."""
    if viewer.role is Role.PHYSICIAN:
        return application.account_id == viewer.account_id
    if application.status is ApplicationStatus.DRAFT:
        return False
    if viewer.role is Role.INSTITUTION_STAFF:
        return viewer.institution_id == application.institution_id
    if viewer.role is Role.OFFICER:
        return reached_authority and reviewer is not None and covers(viewer.region_code, reviewer.region_code)
    return False
