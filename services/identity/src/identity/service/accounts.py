"""Use cases of accounts: registration, staff accounts, sign-in, qualification check, activation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy.engine import RowMapping

from contracts.enums import AccountStatus, ActivationMethod, PracticeCategory, Role
from contracts.identity.v1 import AccountActivated, AccountRegistered, ActivationRequested, QualificationChecked
from identity.adapters import accounts as store
from identity.adapters.secrets import IdNumberVault, hash_password, password_matches
from identity.domain import rules
from identity.domain.rules import RuleViolation
from regsys_runtime.auth import Principal
from regsys_runtime.db import UnitOfWork
from regsys_runtime.problems import FieldError, Problem, invalid_fields


def field_problem(*violations: RuleViolation) -> Problem:
    return invalid_fields(*((v.field, v.message) for v in violations))


def not_found(what: str) -> Problem:
    return Problem(404, "not-found", f"No such {what}.")


@dataclass(frozen=True)
class PhysicianRegistration:
    real_name: str
    id_number: str
    phone: str
    email: str
    login_name: str
    password: str


def _validated(form: PhysicianRegistration) -> PhysicianRegistration:
    violations: list[RuleViolation] = []
    values = {}
    for field, rule in (
        ("real_name", rules.normalize_real_name),
        ("id_number", rules.normalize_id_number),
        ("phone", rules.normalize_phone),
    ):
        try:
            values[field] = rule(getattr(form, field))
        except RuleViolation as violation:
            violations.append(violation)
    try:
        rules.check_password(form.password)
    except RuleViolation as violation:
        violations.append(violation)
    if violations:
        raise field_problem(*violations)
    return PhysicianRegistration(**{**form.__dict__, **values})


async def register_physician(*, uow: UnitOfWork, vault: IdNumberVault, form: PhysicianRegistration) -> UUID:
    form = _validated(form)
    lookup = vault.lookup(form.id_number)
    async with uow:
        taken = []
        if await store.login_name_taken(uow.session, form.login_name):
            taken.append(RuleViolation("login_name", "This login name is taken; choose another."))
        if await store.id_number_taken(uow.session, lookup):
            taken.append(RuleViolation("id_number", "An account with this ID number exists; sign in or recover it."))
        if taken:
            raise Problem(
                409,
                "already-registered",
                "Already registered.",
                errors=[FieldError(field=v.field, message=v.message) for v in taken],
            )
        account_id = uuid.uuid4()
        masked = rules.mask_id_number(form.id_number)
        await store.add_account(
            uow.session,
            {
                "id": account_id,
                "role": Role.PHYSICIAN,
                "status": AccountStatus.REGISTERED,
                "login_name": form.login_name,
                "password_hash": hash_password(form.password),
                "real_name": form.real_name,
                "id_number_cipher": vault.seal(form.id_number),
                "id_number_lookup": lookup,
                "id_number_masked": masked,
                "phone": form.phone,
                "email": form.email,
            },
        )
        uow.publish(
            AccountRegistered(
                account_id=account_id,
                role=Role.PHYSICIAN,
                login_name=form.login_name,
                real_name=form.real_name,
                id_number_masked=masked,
                phone=form.phone,
                email=form.email,
            ),
            subject_id=account_id,
        )
        await uow.commit()
    return account_id


async def create_staff_account(
    *,
    uow: UnitOfWork,
    role: Role,
    login_name: str,
    password: str,
    real_name: str,
    institution_id: UUID | None,
    region_code: str | None,
) -> UUID:
    if role is Role.INSTITUTION_STAFF and institution_id is None:
        raise field_problem(RuleViolation("institution_id", "Institution staff belong to an institution."))
    if role is Role.OFFICER and not region_code:
        raise field_problem(RuleViolation("region_code", "Officers belong to a region."))
    try:
        rules.check_password(password)
    except RuleViolation as violation:
        raise field_problem(violation) from None
    async with uow:
        if await store.login_name_taken(uow.session, login_name):
            raise field_problem(RuleViolation("login_name", "This login name is taken; choose another."))
        account_id = uuid.uuid4()
        await store.add_account(
            uow.session,
            {
                "id": account_id,
                "role": role,
                "status": AccountStatus.ACTIVE,
                "login_name": login_name,
                "password_hash": hash_password(password),
                "real_name": real_name,
                "institution_id": institution_id if role is Role.INSTITUTION_STAFF else None,
                "region_code": region_code if role is Role.OFFICER else None,
            },
        )
        uow.publish(
            AccountRegistered(
                account_id=account_id,
                role=role,
                login_name=login_name,
                real_name=real_name,
                institution_id=institution_id,
                region_code=region_code,
            ),
            subject_id=account_id,
        )
        await uow.commit()
    return account_id


def principal_of(account: RowMapping) -> Principal:
    return Principal(
        account_id=account.id,
        role=Role(account.role),
        institution_id=account.institution_id,
        region_code=account.region_code,
    )


async def authenticate(*, uow: UnitOfWork, login_name: str, password: str) -> Principal:
    async with uow:
        account = await store.account_by_login(uow.session, login_name)
    if account is None or not password_matches(account.password_hash, password):
        raise Problem(401, "sign-in-failed", "The login name or password is wrong.")
    if account.status == AccountStatus.DISABLED:
        raise Problem(403, "account-disabled", "This account is disabled; contact your administrator.")
    return principal_of(account)


async def account(*, uow: UnitOfWork, account_id: UUID) -> RowMapping:
    async with uow:
        found = await store.account_by_id(uow.session, account_id)
    if found is None:
        raise not_found("account")
    return found


async def load_qualification(
    *,
    uow: UnitOfWork,
    vault: IdNumberVault,
    real_name: str,
    id_number: str,
    certificate_code: str,
    category: PracticeCategory,
    qualified_on: date | None,
) -> None:
    try:
        number = rules.normalize_id_number(id_number)
        name = rules.normalize_real_name(real_name)
    except RuleViolation as violation:
        raise field_problem(violation) from None
    async with uow:
        await store.put_qualification(
            uow.session,
            {
                "id_number_lookup": vault.lookup(number),
                "real_name": name,
                "certificate_code": certificate_code,
                "category": category,
                "qualified_on": qualified_on,
            },
        )
        await uow.commit()


async def check_qualification(*, uow: UnitOfWork, vault: IdNumberVault, account_id: UUID) -> RowMapping:
    """The qualification auto-check after sign-in: name and ID number against the registry."""
    async with uow:
        found = await store.account_by_id(uow.session, account_id)
        if found is None or found.role != Role.PHYSICIAN:
            raise not_found("physician account")
        if found.status not in (AccountStatus.REGISTERED, AccountStatus.UNVERIFIED):
            return found
        entry = await store.qualification_for(uow.session, found.id_number_lookup)
        reason = None
        if entry is None:
            reason = "Your ID number is not in the qualification registry."
        elif entry.real_name != found.real_name:
            reason = "Your name differs from the name in the qualification registry."
        status = AccountStatus.UNVERIFIED if reason else AccountStatus.VERIFIED
        category = entry.category if entry is not None and not reason else None
        await store.set_account(uow.session, account_id, status=status, status_reason=reason, category=category)
        uow.publish(
            QualificationChecked(account_id=account_id, matched=reason is None, reason=reason, category=category),
            subject_id=account_id,
        )
        await uow.commit()
        updated = await store.account_by_id(uow.session, account_id)
    assert updated is not None
    return updated


async def request_activation(*, uow: UnitOfWork, account_id: UUID, institution_id: UUID) -> None:
    async with uow:
        found = await store.account_by_id(uow.session, account_id)
        if found is None:
            raise not_found("account")
        if found.status == AccountStatus.ACTIVE:
            raise Problem(409, "already-active", "Your account is already active.")
        if found.status not in (AccountStatus.VERIFIED, AccountStatus.SECURED):
            raise Problem(409, "not-verified", "Pass the qualification check before asking for activation.")
        uow.publish(
            ActivationRequested(
                account_id=account_id,
                institution_id=institution_id,
                real_name=found.real_name,
                id_number_masked=found.id_number_masked,
                category=found.category,
            ),
            subject_id=account_id,
        )
        await uow.commit()


async def activate(*, uow: UnitOfWork, account_id: UUID, method: ActivationMethod, institution_id: UUID | None) -> None:
    """Called inside a consumer's unit of work: the institution activated the account."""
    found = await store.account_by_id(uow.session, account_id)
    if found is None or found.status == AccountStatus.ACTIVE:
        return
    await store.set_account(uow.session, account_id, status=AccountStatus.ACTIVE, status_reason=None)
    uow.publish(
        AccountActivated(account_id=account_id, method=method, institution_id=institution_id), subject_id=account_id
    )


async def ensure_admin(*, uow: UnitOfWork, password: str) -> None:
    async with uow:
        if await store.login_name_taken(uow.session, "admin"):
            return
    await create_staff_account(
        uow=uow,
        role=Role.ADMIN,
        login_name="admin",
        password=password,
        real_name="管理员",
        institution_id=None,
        region_code=None,
    )
