"""Use cases of accounts: staff and officer accounts, reading an account, the qualification check, disabling."""

from __future__ import annotations

import uuid
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, PracticeCategory, Role
from contracts.identity.v1 import AccountDisabled, AccountRegistered, QualificationChecked
from identity.adapters import accounts as store
from identity.adapters.secrets import hash_password
from identity.bootstrap import Kit
from identity.domain import rules
from identity.domain.rules import RuleViolation
from identity.service.problems import field_problem, not_found
from identity.service.sessions import end_all_sessions
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import Problem

ID_NOT_FOUND = "Your ID number is not in the qualification registry; ask the authority that holds your certificate."
NAME_DIFFERS = "Your name differs from the name in the qualification registry; check it against your ID card."


async def create_staff_account(
    *, uow: UnitOfWork, role: Role, login_name: str, password: str, real_name: str,
    institution_id: UUID | None, region_code: str | None,
) -> UUID:  # fmt: skip
    if role is Role.PHYSICIAN:
        raise field_problem(RuleViolation("role", "Physicians register themselves."))
    if role is Role.INSTITUTION_STAFF and institution_id is None:
        raise field_problem(RuleViolation("institution_id", "Institution staff belong to an institution."))
    if role is Role.OFFICER and not region_code:
        raise field_problem(RuleViolation("region_code", "Officers belong to a region."))
    try:
        rules.check_password(password)
    except RuleViolation as violation:
        raise field_problem(violation) from None
    institution_id = institution_id if role is Role.INSTITUTION_STAFF else None
    region_code = region_code if role is Role.OFFICER else None
    async with uow:
        if await store.login_name_taken(uow.session, login_name):
            raise field_problem(RuleViolation("login_name", "This login name is taken; choose another."))
        account_id = uuid.uuid4()
        await store.add_account(
            uow.session,
            {
                "id": account_id, "role": role, "status": AccountStatus.ACTIVE, "login_name": login_name,
                "password_hash": hash_password(password), "real_name": real_name,
                "institution_id": institution_id, "region_code": region_code,
            },
        )  # fmt: skip
        event = AccountRegistered(
            account_id=account_id, role=role, login_name=login_name, real_name=real_name,
            institution_id=institution_id, region_code=region_code,
        )  # fmt: skip
        uow.publish(event, subject_id=account_id)
        await uow.commit()
    return account_id


async def account(*, uow: UnitOfWork, account_id: UUID) -> RowMapping:
    async with uow:
        found = await store.account_by_id(uow.session, account_id)
    if found is None:
        raise not_found("account")
    return found


async def check_qualification(*, kit: Kit, account_id: UUID) -> RowMapping:
    """The auto-check after sign-in: name and ID number against the registry. A miss can be re-checked later."""
    async with kit.uow() as uow:
        found = await store.account_by_id(uow.session, account_id)
        if found is None or found.role != Role.PHYSICIAN:
            raise not_found("physician account")
        if found.status not in (AccountStatus.REGISTERED, AccountStatus.UNVERIFIED):
            return found
        entry = await store.qualification_for(uow.session, found.id_number_lookup)
        reason = ID_NOT_FOUND if entry is None else NAME_DIFFERS if entry.real_name != found.real_name else None
        category = PracticeCategory(entry.category) if entry is not None and reason is None else None
        status = AccountStatus.UNVERIFIED if reason else AccountStatus.VERIFIED
        await store.set_account(uow.session, account_id, status=status, status_reason=reason, category=category)
        event = QualificationChecked(account_id=account_id, matched=reason is None, reason=reason, category=category)
        uow.publish(event, subject_id=account_id)
        await uow.commit()
        updated = await store.account_by_id(uow.session, account_id)
    assert updated is not None
    return updated


async def disable_account(*, uow: UnitOfWork, account_id: UUID, reason: str) -> None:
    async with uow:
        found = await store.account_by_id(uow.session, account_id)
        if found is None:
            raise not_found("account")
        if found.login_name == "admin":
            raise Problem(409, "keep-admin", "The bootstrap administrator cannot be disabled.")
        if found.status == AccountStatus.DISABLED:
            return
        await store.set_account(uow.session, account_id, status=AccountStatus.DISABLED, status_reason=reason)
        await end_all_sessions(uow=uow, account_id=account_id)
        uow.publish(AccountDisabled(account_id=account_id, reason=reason), subject_id=account_id)
        await uow.commit()


async def ensure_admin(*, uow: UnitOfWork, password: str) -> None:
    async with uow:
        if await store.login_name_taken(uow.session, "admin"):
            return
    await create_staff_account(
        uow=uow, role=Role.ADMIN, login_name="admin", password=password, real_name="管理员",
        institution_id=None, region_code=None,
    )  # fmt: skip
