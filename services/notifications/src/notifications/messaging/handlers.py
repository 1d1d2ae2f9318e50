"""Events the notifications service consumes, and whom each one tells."""

from contracts import Envelope
from contracts.applications.v1 import ApplicationStatusChanged
from notifications.service import inbox
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork


async def on_application_status_changed(uow: UnitOfWork, event: ApplicationStatusChanged, envelope: Envelope) -> None:
    await inbox.tell_application_status(uow=uow, event=event, envelope=envelope)


HANDLERS: Handlers = {ApplicationStatusChanged: on_application_status_changed}
