"""The register imported from the previous system meets its physicians: a matched qualification check links them."""

from __future__ import annotations

import logging
from datetime import datetime

from contracts.identity.v1 import QualificationChecked
from licensing.service.office import LicenceOffice
from licensing.service.register import take_over_imported
from regsys_runtime.db import UnitOfWork

log = logging.getLogger(__name__)


async def qualification_checked(
    *, uow: UnitOfWork, event: QualificationChecked, office: LicenceOffice, now: datetime
) -> None:
    """If the check matched and a registration was imported for this qualification, the account takes it over."""
    if not (event.matched and event.certificate_code and event.id_number_masked):
        return
    taken = await take_over_imported(
        uow=uow, account_id=event.account_id, qualification_code=event.certificate_code,
        id_number_masked=event.id_number_masked, now=now, office=office,
    )  # fmt: skip
    if taken is not None:
        log.info("account %s took over the imported registration %s", event.account_id, taken.certificate_number)
