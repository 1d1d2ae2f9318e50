"""One registry entry at a time, for the admin API (bulk loads go through `import-qualifications`)."""

from __future__ import annotations

from datetime import datetime

from identity.adapters import qualifications
from identity.bootstrap import Dependencies
from identity.domain.audit import OperatorAction
from identity.domain.registry import RegistryEntry, qualification_of
from identity.domain.rules import RuleViolation
from identity.service import audit
from identity.service.refusals import invalid
from regsys_runtime.audit import Actor


async def load_qualification(*, deps: Dependencies, actor: Actor, row: dict[str, str], now: datetime) -> None:
    try:
        qualification = qualification_of(row)
    except RuleViolation as violation:
        raise invalid(violation) from None
    entry = RegistryEntry(
        id_number_lookup=deps.vault.lookup(qualification.id_number),
        real_name=qualification.real_name,
        certificate_code=qualification.certificate_code,
        category=qualification.category,
        qualified_on=qualification.qualified_on,
    )
    async with deps.uow() as uow:
        await qualifications.put_qualification(uow.session, entry=entry)
        await audit.note(
            uow, actor, OperatorAction.QUALIFICATION_ADDED, at=now, subject_id=None,
            certificate_code=entry.certificate_code,
        )  # fmt: skip
        await uow.commit()
