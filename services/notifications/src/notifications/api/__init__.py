"""The HTTP API of notifications: one router per area."""

from notifications.api import inbox

ROUTERS = [inbox.router]
