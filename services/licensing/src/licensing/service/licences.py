"""Use cases of the electronic licence: claim and show it, and keep it in step with the register."""

from __future__ import annotations

import asyncio
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import LicenceStatus
from contracts.licensing.v1 import (
    LicenceIssued,
    LicenceReinstated,
    LicenceRevoked,
    LicenceSuspended,
    RegistrationChanged,
)
from licensing.adapters import licence_keys, licence_store
from licensing.domain import status_list
from licensing.domain.licence import (
    CATEGORY_NAMES,
    STEP_REASONS,
    MultiSite,
    RegisterState,
    Step,
    claim_refusal,
    follow,
    licence_number,
)
from licensing.domain.status_list import StatusPurpose
from licensing.settings import Settings
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem
from regsys_runtime.sealing import Sealer

LICENCE_TYPE = "licence+jwt"
INDEX_ATTEMPTS = 16


class LicenceOffice:
    """What issuing and checking licences needs besides the database: settings, the sealed keys' secret, the
    public keys cached in this process. One per process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sealer = Sealer(settings.secret_key.get_secret_value(), namespace="licensing", purpose="signing-key")
        self.keys = licence_keys.KeyRing()
        # a bulkhead: public verification traffic may hold only this many database connections at once, so
        # that it neither starves officers and physicians nor churns the pool's overflow connections
        self.verification_slots = asyncio.Semaphore(settings.verification_connections)

    @property
    def status_lists_url(self) -> str:
        return f"{self.settings.public_base_url}/status-lists"

    def status_list_url(self, purpose: StatusPurpose) -> str:
        return f"{self.status_lists_url}/{purpose.value}"

    def verification_url(self, document: str) -> str:
        return f"{self.settings.public_base_url}/verify?licence={document}"


def register_state(snapshot: dict[str, Any] | RegistrationChanged) -> RegisterState:
    change = snapshot if isinstance(snapshot, RegistrationChanged) else RegistrationChanged.model_validate(snapshot)
    return RegisterState(
        certificate_number=change.certificate_number,
        status=change.status,
        category=change.category,
        practice_scope=change.practice_scope,
        main_institution_id=change.main_institution_id,
        multi_sites=tuple(MultiSite(m.institution_id, m.starts_on, m.ends_on) for m in change.multi_sites),
        photo_sha256=change.photo_sha256,
    )


def _institution_ids(register: RegisterState) -> tuple[UUID, ...]:
    return (register.main_institution_id, *(m.institution_id for m in register.multi_sites))


async def ensure_signing_key(*, uow: UnitOfWork, office: LicenceOffice) -> None:
    """Create the first licence-signing key on first start."""
    async with uow:
        await licence_keys.ensure_key(uow.session, office.sealer, datetime.now(UTC))
        await uow.commit()


async def rotate_signing_key(*, uow: UnitOfWork, office: LicenceOffice) -> str:
    """Sign from now on with a new key; licences signed before stay verifiable with the retired one."""
    async with uow:
        kid = await licence_keys.rotate(uow.session, office.sealer, datetime.now(UTC))
        await uow.commit()
    return kid


async def claim(
    *, uow: UnitOfWork, office: LicenceOffice, account_id: UUID, now: datetime | None = None
) -> tuple[RowMapping, bool]:
    """申领|亮照: the physician's current licence, issued now if they have none; True if it is new."""
    now = now or datetime.now(UTC)
    async with uow:
        snapshot = await licence_store.holder_register(uow.session, account_id, lock=True)
        register = register_state(snapshot) if snapshot else None
        refusal = claim_refusal(register)
        if refusal is not None or register is None or snapshot is None:
            assert refusal is not None
            raise Problem(409, refusal.code, refusal.detail, title="The licence cannot be claimed now")
        current = await licence_store.current_licence(uow.session, account_id, lock=True)
        if current is not None and current.status == LicenceStatus.VALID and current.expires_at > now:
            return current, False
        licence_id = await _issue(uow, office, account_id, snapshot, register, now, supersedes=current)
        await uow.commit()
        row = await licence_store.current_licence(uow.session, account_id)
    if row is None or row.id != licence_id:
        raise RuntimeError("the licence just issued is not the current one")
    return row, True


async def show(*, uow: UnitOfWork, account_id: UUID) -> RowMapping:
    """The physician's latest licence, whatever its status."""
    async with uow:
        row = await licence_store.latest_licence(uow.session, account_id)
    if row is None:
        raise Problem(404, "not-claimed", "You have not claimed an electronic licence yet; claim it first.")
    return row


async def follow_register(*, uow: UnitOfWork, office: LicenceOffice, change: RegistrationChanged) -> Step:
    """The register changed for one physician: suspend, reinstate, revoke or re-issue their licence.

    Call it in the unit of work that changes the register, with the snapshot it publishes; it commits nothing.
    """
    now = change.changed_at
    snapshot = change.model_dump(mode="json")
    await licence_store.remember_register(uow.session, change.account_id, snapshot, now)
    current = await licence_store.current_licence(uow.session, change.account_id, lock=True)
    register = register_state(change)
    step = follow(
        LicenceStatus(current.status) if current else None, register_state(current.shown) if current else None, register
    )
    if current is None or step is Step.NOTHING:
        return step
    if step is Step.REISSUE:
        await _issue(uow, office, change.account_id, snapshot, register, now, supersedes=current)
        return step
    status, event_class = {
        Step.SUSPEND: (LicenceStatus.SUSPENDED, LicenceSuspended),
        Step.REINSTATE: (LicenceStatus.VALID, LicenceReinstated),
        Step.REVOKE: (LicenceStatus.REVOKED, LicenceRevoked),
    }[step]
    reason = STEP_REASONS[step]
    await licence_store.set_status(uow.session, current.id, status=status, reason=reason, now=now)
    uow.publish(
        event_class(
            licence_id=current.id,
            account_id=change.account_id,
            reason=reason,
            licence_number=current.number,
            certificate_number=current.certificate_number,
            changed_at=now,
            institution_ids=_institution_ids(register),
        ),
        subject_id=change.account_id,
    )
    return step


async def _issue(
    uow: UnitOfWork,
    office: LicenceOffice,
    account_id: UUID,
    snapshot: dict[str, Any],
    register: RegisterState,
    now: datetime,
    *,
    supersedes: RowMapping | None,
) -> UUID:
    session = uow.session
    licence_id = uuid.uuid4()
    if supersedes is not None:
        await licence_store.set_status(
            session,
            supersedes.id,
            status=LicenceStatus.SUPERSEDED,
            reason=STEP_REASONS[Step.REISSUE] if supersedes.expires_at > now else "expired",
            now=now,
            superseded_by=licence_id,
        )
    edition = await licence_store.next_edition(session, account_id)
    number = licence_number(register.certificate_number, edition)
    expires_at = now + timedelta(days=office.settings.licence_validity_days)
    content = await _content(uow, office, account_id, register, number=number, edition=edition, now=now)
    content["expires_on"] = expires_at.date().isoformat()
    kid, key = await licence_keys.signing_key(session, office.sealer)
    row = {
        "id": licence_id,
        "number": number,
        "account_id": account_id,
        "edition": edition,
        "certificate_number": register.certificate_number,
        "status": LicenceStatus.VALID.value,
        "status_reason": "issued",
        "kid": kid,
        "content": content,
        "shown": snapshot,
        "issued_at": now,
        "expires_at": expires_at,
        "status_changed_at": now,
    }
    # a random place in the status lists (as the W3C Bitstring Status List advises), so that a list does not
    # tell in which order licences were issued; lists stay at most half full
    capacity = status_list.list_length(2 * await licence_store.count_issued(session))
    for _ in range(INDEX_ATTEMPTS):
        index = secrets.randbelow(capacity)
        payload = _payload(office, row, index)
        document = licence_keys.sign(payload, key=key, kid=kid, typ=LICENCE_TYPE)
        if await licence_store.add_licence(session, {**row, "status_index": index, "document": document}):
            break
    else:
        raise RuntimeError("no free place in the status lists after several tries")
    uow.publish(
        LicenceIssued(
            licence_id=licence_id,
            account_id=account_id,
            certificate_number=register.certificate_number,
            issued_at=now,
            supersedes=supersedes.id if supersedes is not None else None,
            licence_number=number,
            expires_at=expires_at,
            institution_ids=_institution_ids(register),
        ),
        subject_id=account_id,
    )
    return licence_id


def _payload(office: LicenceOffice, row: dict[str, Any], index: int) -> dict[str, Any]:
    """The signed claims of a licence: who issued it, which it is, its validity, what it shows, its status place."""
    return {
        "iss": office.settings.licence_issuer,
        "jti": str(row["id"]),
        "sub": row["number"],
        "iat": int(row["issued_at"].timestamp()),
        "nbf": int(row["issued_at"].timestamp()),
        "exp": int(row["expires_at"].timestamp()),
        "licence": row["content"],
        # as in the IETF Token Status List: the same index in the revocation and in the suspension list
        "status": {"status_list": {"idx": index, "uri": office.status_lists_url}},
    }


async def _content(
    uow: UnitOfWork,
    office: LicenceOffice,
    account_id: UUID,
    register: RegisterState,
    *,
    number: str,
    edition: int,
    now: datetime,
) -> dict[str, Any]:
    """What the licence shows: the physician, the certificate and where they practise."""
    person = await licence_store.person(uow.session, account_id)
    if person is None:  # the register only holds physicians whose applications licensing has seen
        raise Problem(409, "physician-unknown", "Your application details are not known here yet; try again soon.")
    names = await licence_store.institution_names(uow.session, _institution_ids(register))
    return {
        "number": number,
        "edition": edition,
        "name": person[0],
        "id_number_masked": person[1],
        "certificate_number": register.certificate_number,
        "category": register.category.value,
        "category_name": CATEGORY_NAMES[register.category],
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
        "issued_on": now.date().isoformat(),
        "issuer_name": office.settings.licence_issuer_name,
    }
