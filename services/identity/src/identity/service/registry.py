"""One registry entry at a time, for the admin API (bulk loads go through `import-qualifications`)."""

from __future__ import annotations

from identity.adapters import accounts as store
from identity.bootstrap import Kit
from identity.domain.registry import qualification_of
from identity.domain.rules import RuleViolation
from identity.service.problems import field_problem


async def load_qualification(*, kit: Kit, row: dict[str, str]) -> None:
    try:
        entry = qualification_of(row)
    except RuleViolation as violation:
        raise field_problem(violation) from None
    async with kit.uow() as uow:
        await store.put_qualification(
            uow.session,
            {
                "id_number_lookup": kit.vault.lookup(entry.id_number),
                "real_name": entry.real_name,
                "certificate_code": entry.certificate_code,
                "category": entry.category,
                "qualified_on": entry.qualified_on,
            },
        )
        await uow.commit()
