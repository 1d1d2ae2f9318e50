"""Pydantic contracts shared by every regsys service: envelope, events, topics and enums. No I/O."""

from contracts import enums, topics
from contracts.applications import v1 as applications_v1
from contracts.events import CATALOGUE, ContractError, Envelope, Event, UnknownEvent, event, event_class
from contracts.identity import v1 as identity_v1
from contracts.institutions import v1 as institutions_v1
from contracts.licensing import v1 as licensing_v1
from contracts.notifications import v1 as notifications_v1

__all__ = [
    "CATALOGUE",
    "ContractError",
    "Envelope",
    "Event",
    "UnknownEvent",
    "applications_v1",
    "enums",
    "event",
    "event_class",
    "identity_v1",
    "institutions_v1",
    "licensing_v1",
    "notifications_v1",
    "topics",
]
