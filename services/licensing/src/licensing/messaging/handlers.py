"""Events the licensing service consumes, and the use case each one runs: a table of one-line forwarders.

Events may come before what they depend on: a withdrawal, a closure or an institution's decision before the
application's submission (they travel on other topics, or overtook it). Their use cases refuse with NotYet before
writing anything; the event is then kept here and applied, in the order the events happened, in the same
transaction that records the submission. Waiting in the consumer instead would hold every partition, the one
that carries the submission included (the runtime consumes one message at a time).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from contracts import Envelope, Event
from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.bootstrap import Dependencies
from licensing.service import tasks
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork
from regsys_runtime.errors import NotYet

Forward = Callable[[Dependencies, UnitOfWork, Any, Envelope], Awaitable[None]]


async def _submitted(deps: Dependencies, uow: UnitOfWork, event: ApplicationSubmitted, envelope: Envelope) -> None:
    """Keep the application, then apply what came for it before it did."""
    await tasks.remember_application(uow=uow, event=event)
    for early in await tasks.take_early(uow=uow, application_id=event.application_id):
        opened = early.open()
        await FORWARDS[type(opened)](deps, uow, opened, early)


def _or_keep(forward: Forward) -> Forward:
    """`forward`, or, if its application has not arrived yet, the event kept until it does."""

    async def kept_if_early(deps: Dependencies, uow: UnitOfWork, event: Any, envelope: Envelope) -> None:
        try:
            await forward(deps, uow, event, envelope)
        except NotYet:
            now = deps.clock.now()
            await tasks.park_early(uow=uow, envelope=envelope, application_id=event.application_id, now=now)

    return kept_if_early


FORWARDS: dict[type[Event], Forward] = {
    InstitutionRecorded: lambda deps, uow, event, envelope: tasks.remember_institution(
        uow=uow, event=event, recorded_at=envelope.occurred_at
    ),
    ApplicationSubmitted: _submitted,
    ApplicationWithdrawn: lambda deps, uow, event, _: tasks.end(uow=uow, event=event),
    ApplicationClosed: lambda deps, uow, event, _: tasks.end(uow=uow, event=event),
    # an approved photo update changes the register, and the licence with it: it needs the office
    ReviewCompleted: lambda deps, uow, event, _: tasks.institution_decided(uow=uow, event=event, office=deps.office),
}
WAITS_FOR_ITS_APPLICATION = (ApplicationWithdrawn, ApplicationClosed, ReviewCompleted)


def handlers(deps: Dependencies) -> Handlers:
    """What licensing consumes, each event forwarded to its use case with the service's dependencies."""
    return {
        event_type: partial(_or_keep(forward) if event_type in WAITS_FOR_ITS_APPLICATION else forward, deps)
        for event_type, forward in FORWARDS.items()
    }
