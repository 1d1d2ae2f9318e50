"""One registry entry at a time, for the admin API (bulk loads go through `import-qualifications`)."""

from __future__ import annotations

from identity.adapters import qualifications
from identity.bootstrap import Dependencies
from identity.domain.registry import RegistryEntry, qualification_of
from identity.domain.rules import RuleViolation
from identity.service.refusals import invalid


async def load_qualification(*, deps: Dependencies, row: dict[str, str]) -> None:
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
        await uow.commit()
