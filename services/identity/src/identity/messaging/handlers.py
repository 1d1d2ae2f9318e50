"""Events the identity service consumes, and what each one changes."""

from contracts import Envelope
from contracts.enums import ActivationMethod
from contracts.institutions.v1 import ActivationGranted
from identity.bootstrap import Kit
from identity.service import activation
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


def handlers(kit: Kit) -> Handlers:
    async def on_activation_granted(uow: UnitOfWork, event: ActivationGranted, envelope: Envelope) -> None:
        if event.method is ActivationMethod.AUTOMATIC:
            await activation.activate(
                uow=uow, account_id=event.account_id, method=event.method, institution_id=event.institution_id
            )
        elif event.method is ActivationMethod.ACTIVATION_CODE:
            await activation.send_activation_code(
                kit=kit, uow=uow, account_id=event.account_id, institution_id=event.institution_id,
                channel=event.channel,
            )  # fmt: skip

    return {ActivationGranted: on_activation_granted}
