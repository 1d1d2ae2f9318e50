"""`python -m identity import-qualifications FILE.csv`: the operator's bulk load of the qualification registry."""

from __future__ import annotations

from identity.adapters.secrets import IdNumberVault
from identity.adapters.tables import messaging
from identity.service.registry import REGISTRY_COLUMNS, import_qualifications
from identity.settings import Settings
from regsys_runtime.csv_import import ImportOutcome, ImportRequest
from regsys_runtime.import_cli import command_line_uow, import_command


async def _import(request: ImportRequest) -> ImportOutcome:
    settings = Settings()
    vault = IdNumberVault(settings.id_number_key.get_secret_value())
    async with command_line_uow(settings, messaging) as uow:
        return await import_qualifications(uow=uow, vault=vault, request=request)


IMPORT_QUALIFICATIONS = import_command(
    what="the qualification registry (医师资格信息)", table=REGISTRY_COLUMNS, run=_import
)
