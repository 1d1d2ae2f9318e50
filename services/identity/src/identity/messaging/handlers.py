"""Events the identity service consumes, and what each one changes."""

from functools import partial

from contracts import Envelope
from contracts.enums import ActivationMethod
from contracts.institutions.v1 import ActivationGranted
from identity.bootstrap import Dependencies
from identity.service import activation
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_activation_granted(
    deps: Dependencies, uow: UnitOfWork, event: ActivationGranted, envelope: Envelope
) -> None:
    """Automatic activation activates at once; activation by code has identity send the code."""
    if event.method is ActivationMethod.AUTOMATIC:
        await activation.activate(
            uow=uow, account_id=event.account_id, method=event.method, institution_id=event.institution_id
        )
    elif event.method is ActivationMethod.ACTIVATION_CODE:
        await activation.send_activation_code(
            deps=deps, uow=uow, account_id=event.account_id, institution_id=event.institution_id,
            channel=event.channel, now=deps.clock.now(),
        )  # fmt: skip


def handlers(deps: Dependencies) -> Handlers:
    return {ActivationGranted: partial(on_activation_granted, deps)}
