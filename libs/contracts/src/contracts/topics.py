"""Kafka topic names: one per producing service and aggregate, keyed by the physician's account id."""

from enum import StrEnum


class Topic(StrEnum):
    IDENTITY_ACCOUNT = "identity.account"
    INSTITUTIONS_INSTITUTION = "institutions.institution"
    INSTITUTIONS_ACTIVATION = "institutions.activation"
    INSTITUTIONS_REVIEW = "institutions.review"
    APPLICATIONS_APPLICATION = "applications.application"
    LICENSING_DECISION = "licensing.decision"
    LICENSING_REGISTER = "licensing.register"
    LICENSING_LICENCE = "licensing.licence"
    NOTIFICATIONS_DELIVERY = "notifications.delivery"


def dead_letter_topic(consumer_group: str) -> str:
    """The dead-letter topic of one consumer group (one per service)."""
    return f"deadletter.{consumer_group}"


SERVICES = ("identity", "applications", "institutions", "notifications", "licensing")

ALL_TOPICS: tuple[str, ...] = tuple(t.value for t in Topic) + tuple(dead_letter_topic(s) for s in SERVICES)
