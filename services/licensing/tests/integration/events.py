"""Events as the partners publish them, and delivery through licensing's own handlers, as the consumer does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from contracts import Envelope, Event
from contracts.applications.v1 import (
    ApplicationClosed,
    ApplicationDetails,
    ApplicationSubmitted,
    ApplicationWithdrawn,
)
from contracts.enums import ApplicationType, PracticeCategory, ReviewOutcome
from contracts.institutions.v1 import InstitutionRecorded, ReviewCompleted
from licensing.messaging.handlers import handlers
from regsys_runtime.errors import NotYet

from .conftest import Harness

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
PHOTO = "ab" * 32


@dataclass
class Case:
    """One application of one physician, and the events its partners send about it."""

    kind: ApplicationType
    account_id: uuid.UUID
    institution_id: uuid.UUID
    application_id: uuid.UUID
    region_code: str = "110105"

    @classmethod
    def new(cls, kind: ApplicationType, institution_id: uuid.UUID | None = None, region: str = "110105") -> Case:
        return cls(kind, uuid.uuid4(), institution_id or uuid.uuid4(), uuid.uuid4(), region)

    def _wrap(self, event: Event, at: datetime) -> Envelope:
        return Envelope.wrap(
            event, producer="test", subject_id=str(self.account_id), correlation_id="orders", occurred_at=at
        )

    def submitted(self, name: str = "欧阳·明", masked: str = "110105********123X") -> Envelope:
        details = ApplicationDetails(
            practice_scope="内科专业",
            photo_sha256=PHOTO if self.kind is ApplicationType.PHOTO_UPDATE else None,
            target_institution_id=self.institution_id,
        )
        event = ApplicationSubmitted(
            application_id=self.application_id,
            account_id=self.account_id,
            application_type=self.kind,
            institution_id=self.institution_id,
            category=PracticeCategory.CLINICAL,
            physician_name=name,
            id_number_masked=masked,
            details=details,
            submitted_at=T0,
        )
        return self._wrap(event, T0)

    def review(self, outcome: ReviewOutcome, *, decided_at: datetime = T0 + timedelta(hours=1)) -> Envelope:
        event = ReviewCompleted(
            application_id=self.application_id,
            account_id=self.account_id,
            application_type=self.kind,
            institution_id=self.institution_id,
            region_code=self.region_code,
            outcome=outcome,
            reason=None if outcome is ReviewOutcome.APPROVED else "材料不全",
            reviewer_id=uuid.uuid4(),
            decided_at=decided_at,
        )
        return self._wrap(event, decided_at)

    def withdrawn(self) -> Envelope:
        at = T0 + timedelta(minutes=30)
        event = ApplicationWithdrawn(
            application_id=self.application_id,
            account_id=self.account_id,
            application_type=self.kind,
            institution_id=self.institution_id,
            withdrawn_at=at,
        )
        return self._wrap(event, at)

    def closed(self) -> Envelope:
        at = T0 + timedelta(minutes=45)
        event = ApplicationClosed(
            application_id=self.application_id,
            account_id=self.account_id,
            application_type=self.kind,
            institution_id=self.institution_id,
            reason="执业注册信息已变更",
            closed_at=at,
        )
        return self._wrap(event, at)

    def institution(self, name: str, at: datetime = T0) -> Envelope:
        event = InstitutionRecorded(
            institution_id=self.institution_id,
            name=name,
            credit_code="91110105MA00000000",
            licence_number="PDY-1",
            region_code=self.region_code,
        )
        return self._wrap(event, at)


async def deliver(h: Harness, *envelopes: Envelope) -> None:
    """Apply the envelopes in this order, each in its own transaction as the consumer applies them; one that
    is refused as early (NotYet) is tried again after the others, as the consumer's backoff would."""
    forwards = handlers(h.app.state.dependencies)
    pending = list(envelopes)
    while pending:
        waiting = []
        for envelope in pending:
            event = envelope.open()
            try:
                async with h.uow() as uow:
                    await forwards[type(event)](uow, event, envelope)
                    await uow.commit()
            except NotYet:
                waiting.append(envelope)
        if len(waiting) == len(pending):
            raise AssertionError(f"never applied: {[e.event_type for e in waiting]}")
        pending = waiting
