"""Events the licensing service consumes, and the use case each one runs: a table of one-line forwarders.

Events may come before what they depend on: a withdrawal, a closure or an institution's decision before the
application's submission (they travel on other topics, or overtook it). Their use cases refuse with NotYet before
writing anything, and the consumer parks the event (regsys_runtime.parking) until the submission, which has the
same key (the physician's account), has been applied.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from contracts import Envelope, Event
from contracts.applications.v1 import ApplicationClosed, ApplicationSubmitted, ApplicationWithdrawn
from contracts.identity.v1 import QualificationChecked
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.bootstrap import Dependencies
from licensing.service import imported, tasks
from regsys_runtime.consumer import Handlers
from regsys_runtime.db import UnitOfWork

Forward = Callable[[Dependencies, UnitOfWork, Any, Envelope], Awaitable[None]]


FORWARDS: dict[type[Event], Forward] = {
    InstitutionRecorded: lambda deps, uow, event, envelope: tasks.remember_institution(
        uow=uow, event=event, recorded_at=envelope.occurred_at
    ),
    ApplicationSubmitted: lambda deps, uow, event, _: tasks.remember_application(uow=uow, event=event),
    ApplicationWithdrawn: lambda deps, uow, event, _: tasks.end(uow=uow, event=event),
    ApplicationClosed: lambda deps, uow, event, _: tasks.end(uow=uow, event=event),
    # an approved photo update changes the register, and the licence with it: it needs the office
    ReviewCompleted: lambda deps, uow, event, _: tasks.institution_decided(uow=uow, event=event, office=deps.office),
    # a physician whose qualification matched may be the one a registration imported from the previous system waits for
    QualificationChecked: lambda deps, uow, event, envelope: imported.qualification_checked(
        uow=uow, event=event, office=deps.office, now=envelope.occurred_at
    ),
}


def handlers(deps: Dependencies) -> Handlers:
    """What licensing consumes, each event forwarded to its use case with the service's dependencies."""
    return {event_type: partial(forward, deps) for event_type, forward in FORWARDS.items()}
