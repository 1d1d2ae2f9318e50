"""`python -m institutions import-institutions FILE.csv`: the operator's bulk load of institutions."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from contracts.enums import Role
from institutions.adapters.tables import messaging
from institutions.service.institution_import import INSTITUTION_COLUMNS, import_institutions
from institutions.settings import Settings
from regsys_runtime.auth import Principal
from regsys_runtime.csv_import import ImportOutcome, ImportRequest
from regsys_runtime.import_cli import command_line_uow, import_command

# who the audit trail names for an import from the command line: the operator at the service's console
COMMAND_LINE = Principal(account_id=uuid.UUID(int=0), role=Role.ADMIN)


async def _import(request: ImportRequest) -> ImportOutcome:
    async with command_line_uow(Settings(), messaging) as uow:
        return await import_institutions(
            uow=uow, admin=COMMAND_LINE, client_address="command line", now=datetime.now(UTC), request=request
        )


IMPORT_INSTITUTIONS = import_command(what="institutions", table=INSTITUTION_COLUMNS, run=_import)
