"""notifications.delivery topic, version 1."""

from uuid import UUID

from contracts.enums import Channel
from contracts.events import Event
from contracts.topics import Topic

T = Topic.NOTIFICATIONS_DELIVERY


class MessageDelivered(Event, event_type="notifications.message_delivered", topic=T):
    delivery_id: UUID
    cause_event_id: UUID
    recipient_account_id: UUID | None = None
    channel: Channel
    template: str


class DeliveryFailed(Event, event_type="notifications.delivery_failed", topic=T):
    delivery_id: UUID
    cause_event_id: UUID
    recipient_account_id: UUID | None = None
    channel: Channel
    template: str
    reason: str
