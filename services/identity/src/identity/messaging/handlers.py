"""Events the identity service consumes, and what each one changes."""

from contracts import Envelope
from contracts.enums import ActivationMethod
from contracts.institutions.v1 import ActivationGranted
from identity.service import accounts
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_activation_granted(uow: UnitOfWork, event: ActivationGranted, envelope: Envelope) -> None:
    if event.method is ActivationMethod.AUTOMATIC:
        await accounts.activate(
            uow=uow, account_id=event.account_id, method=event.method, institution_id=event.institution_id
        )


HANDLERS: Handlers = {ActivationGranted: on_activation_granted}
