"""notifications.delivery topic, version 1."""

from uuid import UUID

from contracts.enums import Channel
from contracts.events import Event, event
from contracts.topics import Topic

T = Topic.NOTIFICATIONS_DELIVERY


@event("notifications.message_delivered", topic=T)
class MessageDelivered(Event):
    delivery_id: UUID
    cause_event_id: UUID
    recipient_account_id: UUID | None = None
    channel: Channel
    template: str


@event("notifications.delivery_failed", topic=T)
class DeliveryFailed(Event):
    delivery_id: UUID
    cause_event_id: UUID
    recipient_account_id: UUID | None = None
    channel: Channel
    template: str
    reason: str
