"""Requests and responses of the licensing API, and how the domain's objects read in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from contracts.enums import ApplicationType, LicenceStatus, PracticeCategory, RegistrationStatus, ReviewOutcome
from licensing.domain.licence import Licence, Verdict
from licensing.domain.materials import checks
from licensing.domain.physicians import PhysicianFound
from licensing.domain.register import HistoryEntry, RegisterEntry
from licensing.domain.tasks import TaskFile, TaskStatus
from licensing.service.verification import Verification
from regsys_runtime.schemas import Schema

LICENCE_NUMBER = r"^DZ[0-9]{17}$"
MAX_DOCUMENT = 8192
BATCH_LIMIT = 500


class MaterialRead(Schema):
    code: str
    name_zh: str
    name_en: str
    received: bool
    received_at: datetime | None


class AuthorityTaskRead(Schema):
    task_id: UUID
    application_id: UUID
    account_id: UUID
    status: TaskStatus
    reason: str | None
    opened_at: datetime
    due_on: date = Field(description="20 working days after the institution's approval (acceptance)")
    overdue: bool
    decided_at: datetime | None
    application_type: ApplicationType
    physician_name: str
    id_number_masked: str
    institution_id: UUID
    category: PracticeCategory
    details: dict[str, Any]
    materials: list[MaterialRead] | None = None
    materials_complete: bool | None = None


class DecisionCreate(Schema):
    outcome: ReviewOutcome
    reason: str | None = Field(None, max_length=500)


class ReceivedMaterials(Schema):
    received: list[str] = Field(max_length=20, description="codes of the checklist items received, all of them")


class MultiSiteRead(Schema):
    filing_id: UUID
    institution_id: UUID
    starts_on: date
    ends_on: date


class RegistrationRead(Schema):
    certificate_number: str
    status: RegistrationStatus
    category: PracticeCategory
    practice_scope: str | None
    main_institution_id: UUID
    filed_on: date | None
    filing_institution_id: UUID | None
    photo_sha256: str | None
    multi_sites: list[MultiSiteRead]
    updated_at: datetime
    version: int = Field(description="one more with every change of the registration")


class RegistrationHistoryRead(Schema):
    cause: str = Field(description="the application type that changed it, or multi_site_expired")
    cause_application_id: UUID | None
    changed_at: datetime
    registration: dict[str, Any] = Field(description="the registration after the change")


class InstitutionRead(Schema):
    name: str


class LicenceSiteRead(Schema):
    """A multi-site institution as the licence shows it."""

    name: str
    starts_on: date
    ends_on: date


class LicenceContentRead(Schema):
    """What the licence shows."""

    number: str
    edition: int
    name: str
    id_number_masked: str
    certificate_number: str
    category: str
    category_name: str
    practice_scope: str | None
    main_institution: InstitutionRead
    multi_sites: list[LicenceSiteRead]
    photo_sha256: str | None
    issued_on: date
    expires_on: date
    issuer_name: str


class LicenceRead(Schema):
    licence_id: UUID
    number: str
    status: LicenceStatus
    status_reason: str | None
    status_changed_at: datetime
    issued_at: datetime
    expires_at: datetime
    content: LicenceContentRead
    document: str = Field(description="the whole signed licence (compact JWS, EdDSA)")
    credential: str | None = Field(
        description="the QR code's small signed credential (RL1:…, COSE_Sign1 in base45), verifiable offline "
        "with the published keys; None for a licence issued before credentials"
    )
    verification_url: str = Field(description="what the QR code holds: the verification page's address")


class VerificationCreate(Schema):
    """Either the licence's QR code content or its signed document, or its number and the name on it."""

    licence: str | None = Field(
        None,
        min_length=1,
        max_length=MAX_DOCUMENT,
        description="what the QR code holds (its address or the credential RL1:… in it), or the signed licence (JWS)",
    )
    licence_number: str | None = Field(None, pattern=LICENCE_NUMBER)
    name: str | None = Field(None, min_length=1, max_length=50, description="the physician's name on the licence")


class VerificationRead(Schema):
    result: Verdict
    reason: str = Field(description="a code saying why, e.g. active, practice-filed, deregistered, signature-mismatch")
    detail: str
    licence: LicenceContentRead | None = None
    status_since: datetime | None = None
    current_licence_number: str | None = Field(None, description="the edition that replaced a superseded licence")
    checked_at: datetime


class BatchVerificationCreate(Schema):
    licence_numbers: list[Annotated[str, Field(pattern=LICENCE_NUMBER)]] = Field(min_length=1, max_length=BATCH_LIMIT)


class NumberVerificationRead(VerificationRead):
    licence_number: str


class BatchVerificationRead(Schema):
    results: list[NumberVerificationRead]


class PhysicianLookupCreate(Schema):
    """Whom to look up: everything given must match. The ID number travels here, in the body, never in a URL."""

    name: str | None = Field(None, max_length=50)
    certificate_number: str | None = Field(None, pattern=r"^[0-9]{15}$")
    id_number: str | None = Field(None, max_length=18, description="the full resident ID number")


class PhysicianRead(Schema):
    account_id: UUID
    name: str
    id_number_masked: str
    certificate_number: str | None = Field(description="None: not on the register, an application in your region")
    status: RegistrationStatus | None
    main_institution_id: UUID | None


class KeyRotationRead(Schema):
    kid: str
    published: list[str]


def task_read(file: TaskFile, today: date) -> AuthorityTaskRead:
    task, application = file.task, file.application
    read = AuthorityTaskRead(
        task_id=task.id,
        application_id=task.application_id,
        account_id=task.account_id,
        status=task.status,
        reason=task.reason,
        opened_at=task.opened_at,
        due_on=task.due_on,
        overdue=task.overdue(today),
        decided_at=task.decided_at,
        application_type=application.application_type,
        physician_name=application.physician_name,
        id_number_masked=application.id_number_masked,
        institution_id=application.institution_id,
        category=application.category,
        details=dict(application.details),
    )
    if file.received is None:
        return read
    items = [
        MaterialRead(
            code=c.material.code,
            name_zh=c.material.name_zh,
            name_en=c.material.name_en,
            received=c.received,
            received_at=c.received_at,
        )
        for c in checks(application.application_type, file.received)
    ]
    return read.model_copy(update={"materials": items, "materials_complete": all(i.received for i in items)})


def registration_read(entry: RegisterEntry) -> RegistrationRead:
    r = entry.registration
    return RegistrationRead(
        certificate_number=r.certificate_number,
        status=r.status,
        category=r.category,
        practice_scope=r.practice_scope,
        main_institution_id=r.main_institution_id,
        filed_on=r.filed_on,
        filing_institution_id=r.filing_institution_id,
        photo_sha256=r.photo_sha256,
        multi_sites=[MultiSiteRead.model_validate(m.model_dump()) for m in r.multi_sites],
        updated_at=entry.updated_at,
        version=entry.version,
    )


def physician_read(found: PhysicianFound) -> PhysicianRead:
    return PhysicianRead(
        account_id=found.account_id,
        name=found.name,
        id_number_masked=found.id_number_masked,
        certificate_number=found.certificate_number,
        status=found.status,
        main_institution_id=found.main_institution_id,
    )


def history_read(entries: list[HistoryEntry]) -> list[RegistrationHistoryRead]:
    return [
        RegistrationHistoryRead(
            cause=e.cause,
            cause_application_id=e.cause_application_id,
            changed_at=e.changed_at,
            registration=dict(e.snapshot),
        )
        for e in entries
    ]


def licence_read(licence: Licence, verification_url: str) -> LicenceRead:
    return LicenceRead(
        licence_id=licence.id,
        number=licence.number,
        status=licence.status,
        status_reason=licence.status_reason,
        status_changed_at=licence.status_changed_at,
        issued_at=licence.issued_at,
        expires_at=licence.expires_at,
        content=LicenceContentRead.model_validate(licence.content),
        document=licence.document,
        credential=licence.credential,
        verification_url=verification_url,
    )


def verification_read(result: Verification) -> dict[str, Any]:
    return {
        "result": result.verdict,
        "reason": result.reason,
        "detail": result.detail,
        "licence": result.licence,
        "status_since": result.status_since,
        "current_licence_number": result.current_licence_number,
        "checked_at": result.checked_at,
    }
