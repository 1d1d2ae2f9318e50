"""What licensing's audit trail records: officers' decisions on their tasks, operators' licence-key rotations."""

from __future__ import annotations

from enum import StrEnum


class ReviewerAction(StrEnum):
    DECISION_MADE = "decision.made"
    LICENCE_KEY_ROTATED = "licence_key.rotated"
