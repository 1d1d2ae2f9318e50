"""Issuing a licence: the next edition, signed, at a random free place in the status lists."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from contracts.enums import LicenceStatus
from contracts.labels import label
from contracts.licensing.v1 import LicenceIssued, RegistrationChanged
from licensing.adapters import applications, compact_licences, institutions, licences, signed_documents, signing_keys
from licensing.domain import status_list
from licensing.domain.compact_licence import CompactLicence
from licensing.domain.licence import STEP_REASONS, Licence, RegisterState, Step, licence_number
from licensing.service.office import LicenceOffice
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import Conflict, Message

LICENCE_TYPE = "licence+jwt"
INDEX_ATTEMPTS = 16


class PhysicianUnknown(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "physician-unknown",
            Message(
                "Your application details are not known here yet; try again soon.",
                zh="您的申请信息尚未同步到这里，请稍后重试。",
            ),
        )


async def issue(
    uow: UnitOfWork, office: LicenceOffice, *, holder: RegistrationChanged, now: datetime, supersedes: Licence | None
) -> Licence:
    """Issue the next edition from the register's snapshot `holder`, replacing `supersedes`; tell of it."""
    session, register, licence_id = uow.session, RegisterState.of(holder), uuid.uuid4()
    if supersedes is not None:
        reason = STEP_REASONS[Step.REISSUE] if supersedes.expires_at > now else "expired"
        await licences.set_status(
            session,
            licence_id=supersedes.id,
            status=LicenceStatus.SUPERSEDED,
            reason=reason,
            now=now,
            superseded_by=licence_id,
        )
    edition = await licences.next_edition(session, account_id=holder.account_id)
    unsigned = Licence(
        id=licence_id,
        number=licence_number(register.certificate_number, edition),
        account_id=holder.account_id,
        edition=edition,
        certificate_number=register.certificate_number,
        status=LicenceStatus.VALID,
        status_reason="issued",
        status_index=-1,  # placed when signed
        kid="",
        document="",
        content={},
        shown=holder.model_dump(mode="json"),
        issued_at=now,
        expires_at=now + timedelta(days=office.settings.licence_validity_days),
        status_changed_at=now,
    )
    unsigned = replace(unsigned, content=await _content(session, office, unsigned, register))
    licence = await _signed_in_a_free_place(session, office, unsigned)
    uow.publish(_issued(licence, register, supersedes), subject_id=holder.account_id)
    return licence


def _issued(licence: Licence, register: RegisterState, supersedes: Licence | None) -> LicenceIssued:
    return LicenceIssued(
        licence_id=licence.id,
        account_id=licence.account_id,
        certificate_number=licence.certificate_number,
        issued_at=licence.issued_at,
        supersedes=supersedes.id if supersedes is not None else None,
        licence_number=licence.number,
        expires_at=licence.expires_at,
        institution_ids=register.institution_ids,
    )


async def _signed_in_a_free_place(session: AsyncSession, office: LicenceOffice, unsigned: Licence) -> Licence:
    """A random place in the status lists (as the W3C Bitstring Status List advises), so that a list does not
    tell in which order licences were issued; lists stay at most half full."""
    kid, key = await signing_keys.signing_key(session, sealer=office.sealer)
    capacity = status_list.list_length(2 * await licences.count_issued(session))
    for _ in range(INDEX_ATTEMPTS):
        placed = replace(unsigned, status_index=secrets.randbelow(capacity), kid=kid)
        document = signed_documents.sign(_payload(office, placed), key=key, kid=kid, typ=LICENCE_TYPE)
        credential = compact_licences.seal(_compact(placed), key=key, kid=kid)
        placed = replace(placed, document=document, credential=credential)
        if await licences.add(session, placed):
            return placed
    raise RuntimeError("no free place in the status lists after several tries")


def _payload(office: LicenceOffice, licence: Licence) -> dict[str, Any]:
    """The signed claims of a licence: who issued it, which it is, its validity, what it shows, its status place."""
    return {
        "iss": office.settings.licence_issuer,
        "jti": str(licence.id),
        "sub": licence.number,
        "iat": int(licence.issued_at.timestamp()),
        "nbf": int(licence.issued_at.timestamp()),
        "exp": int(licence.expires_at.timestamp()),
        "licence": dict(licence.content),
        # as in the IETF Token Status List: the same index in the revocation and in the suspension list
        "status": {"status_list": {"idx": licence.status_index, "uri": office.status_lists_url}},
    }


def _compact(licence: Licence) -> CompactLicence:
    """The part of the licence its QR code carries, signed on its own (the same key, the same status place)."""
    return CompactLicence.of(
        licence.content, issued_at=licence.issued_at, expires_at=licence.expires_at, status_index=licence.status_index
    )


async def _content(
    session: AsyncSession, office: LicenceOffice, licence: Licence, register: RegisterState
) -> dict[str, Any]:
    """What the licence shows: the physician, the certificate and where they practise."""
    person = await applications.physician_of(session, account_id=licence.account_id)
    if person is None:  # the register only holds physicians whose applications licensing has seen
        raise PhysicianUnknown()
    names = await institutions.names(session, ids=register.institution_ids)
    return {
        "number": licence.number,
        "edition": licence.edition,
        "name": person[0],
        "id_number_masked": person[1],
        "certificate_number": register.certificate_number,
        "category": register.category.value,
        "category_name": label(register.category, "zh"),
        "practice_scope": register.practice_scope,
        "main_institution": {"name": names.get(register.main_institution_id, "")},
        "multi_sites": [
            {
                "name": names.get(m.institution_id, ""),
                "starts_on": m.starts_on.isoformat(),
                "ends_on": m.ends_on.isoformat(),
            }
            for m in register.multi_sites
        ],
        "photo_sha256": register.photo_sha256,
        "issued_on": licence.issued_at.date().isoformat(),
        "expires_on": licence.expires_at.date().isoformat(),
        "issuer_name": office.settings.licence_issuer_name,
    }
