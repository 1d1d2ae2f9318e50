"""The event envelope and the catalogue every event class registers itself in.

Versioning rules:
- a field may be added to an existing version only if it is optional (consumers ignore unknown fields);
- removing or retyping a field, or adding a required one, is a new version: a new class with the same
  ``event_type`` and ``version`` + 1, registered beside the old one until no producer sends the old one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from contracts.topics import Topic


class ContractError(ValueError):
    """A message that does not fit the contracts: the reason goes to the dead-letter topic."""


class UnknownEvent(ContractError):
    pass


class Event(BaseModel):
    """Base of every event payload; each event class is registered with :func:`event`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    version: ClassVar[int]
    topic: ClassVar[Topic]


CATALOGUE: dict[tuple[str, int], type[Event]] = {}

E = TypeVar("E", bound=Event)


def event(event_type: str, *, topic: Topic, version: int = 1) -> Callable[[type[E]], type[E]]:
    """Register an event class under its type and version, on the topic it is published to."""
    if version < 1:
        raise ValueError("versions start at 1")

    def register(cls: type[E]) -> type[E]:
        key = (event_type, version)
        if key in CATALOGUE:
            raise TypeError(f"{event_type} v{version} is already registered by {CATALOGUE[key].__name__}")
        cls.event_type, cls.version, cls.topic = event_type, version, topic
        CATALOGUE[key] = cls
        return cls

    return register


class Envelope(BaseModel):
    """What travels on the wire: metadata around one event payload, as JSON."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID
    event_type: str = Field(min_length=1)
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    producer: str = Field(min_length=1)
    correlation_id: str = Field(min_length=1)
    subject_id: str = Field(min_length=1, description="the Kafka key: the physician's account id")
    payload: dict[str, Any]

    @classmethod
    def wrap(
        cls,
        event: Event,
        *,
        producer: str,
        subject_id: str,
        correlation_id: str,
        event_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Envelope:
        """Put one event into an envelope ready for the outbox."""
        return cls(
            event_id=event_id or uuid4(),
            event_type=event.event_type,
            version=event.version,
            occurred_at=occurred_at or datetime.now(UTC),
            producer=producer,
            correlation_id=correlation_id,
            subject_id=subject_id,
            payload=event.model_dump(mode="json"),
        )

    @property
    def topic(self) -> Topic:
        return event_class(self.event_type, self.version).topic

    def open(self) -> Event:
        """The typed payload; raises ContractError if it is unknown or does not validate."""
        model = event_class(self.event_type, self.version)
        try:
            return model.model_validate(self.payload)
        except ValidationError as exc:
            raise ContractError(f"{self.event_type} v{self.version} payload is invalid: {exc}") from exc

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_bytes(cls, raw: bytes | None) -> Envelope:
        """Parse a message value; raises ContractError with a reason a person can act on."""
        if not raw:
            raise ContractError("empty message value")
        try:
            return cls.model_validate(json.loads(raw))
        except (ValueError, ValidationError) as exc:
            raise ContractError(f"not an event envelope: {exc}") from exc


def event_class(event_type: str, version: int) -> type[Event]:
    """The registered class of one event type and version."""
    try:
        return CATALOGUE[(event_type, version)]
    except KeyError:
        known = sorted(v for (t, v) in CATALOGUE if t == event_type)
        if known:
            raise UnknownEvent(f"{event_type} v{version} is not known; known versions: {known}") from None
        raise UnknownEvent(f"unknown event type {event_type!r}") from None
